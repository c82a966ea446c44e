"""Factories for Aurum Life's models: a child's owner is its parent's."""

from datetime import timedelta

import factory
from django.utils import timezone

from aurum.models import (
    Area,
    DailyReflection,
    JournalEntry,
    Pillar,
    Project,
    Task,
    TaskDependency,
    TimeEntry,
)
from tests.factories import UserFactory


class PillarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pillar

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Pillar {n}")
    description = "Feeling strong and rested"


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    user = factory.SubFactory(UserFactory)
    pillar = factory.SubFactory(PillarFactory, user=factory.SelfAttribute("..user"))
    name = factory.Sequence(lambda n: f"Area {n}")
    importance = 3


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    user = factory.SubFactory(UserFactory)
    area = factory.SubFactory(AreaFactory, user=factory.SelfAttribute("..user"))
    name = factory.Sequence(lambda n: f"Project {n}")
    description = "Run a half marathon in spring"


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    user = factory.SubFactory(UserFactory)
    project = factory.SubFactory(ProjectFactory, user=factory.SelfAttribute("..user"))
    name = factory.Sequence(lambda n: f"Task {n}")
    description = "Easy 5 km run"


class TaskDependencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskDependency

    task = factory.SubFactory(TaskFactory)
    depends_on = factory.SubFactory(
        TaskFactory,
        project=factory.SelfAttribute("..task.project"),
        user=factory.SelfAttribute("..task.user"),
    )
    user = factory.LazyAttribute(lambda link: link.task.user)


class JournalEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JournalEntry

    user = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Entry {n}")
    content = "A calm morning; the run felt easy."


class DailyReflectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DailyReflection

    user = factory.SubFactory(UserFactory)
    reflection_date = factory.Sequence(lambda n: timezone.localdate() - timedelta(days=n + 1))
    reflection_text = "Good focus before lunch."


class TimeEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeEntry

    class Params:
        task = factory.SubFactory(TaskFactory)

    user = factory.LazyAttribute(lambda entry: entry.task.user)
    entity_type = "task"
    entity_id = factory.LazyAttribute(lambda entry: entry.task.id)
    start_time = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))
    end_time = factory.LazyAttribute(lambda entry: entry.start_time + timedelta(minutes=30))
