"""The generic API contract for aurum-core's routes (auth, isolation, bad input, schema)."""

import pytest

from aurum.models import AuditLog, HierarchyView
from aurum.services.hierarchy import hierarchy_view_refresh
from aurum.tests.factories import (
    AreaFactory,
    DailyReflectionFactory,
    JournalEntryFactory,
    PillarFactory,
    ProjectFactory,
    TaskDependencyFactory,
    TaskFactory,
    TimeEntryFactory,
)
from config.testing import ApiContract, ApiViewContract


class TestPillarApi(ApiContract):
    route = "api:aurum:pillar"
    valid_payload = {"name": "Health", "description": "Body and mind", "weight": "1.50"}
    update_payload = {"name": "Vitality", "sort_order": 2}
    invalid_payload = {"name": "", "weight": "3.00"}

    def make(self, owner):
        return PillarFactory(user=owner)


class _CallersTree(ApiContract):
    """Payloads name parents of the test's caller."""

    @pytest.fixture(autouse=True)
    def _callers_tree(self, user):
        self.project = ProjectFactory(user=user)
        self.area = self.project.area
        self.pillar = self.area.pillar


class TestAreaApi(_CallersTree):
    route = "api:aurum:area"
    update_payload = {"name": "Fitness", "importance": 5}
    invalid_payload = {"name": "Fitness", "importance": 9}

    @property
    def valid_payload(self):
        return {"name": "Running", "pillar": str(self.pillar.pk), "importance": 4}

    def make(self, owner):
        return AreaFactory(user=owner)


class TestProjectApi(_CallersTree):
    route = "api:aurum:project"
    update_payload = {"name": "Marathon", "status": "in_progress", "priority": "high"}
    invalid_payload = {"name": "Marathon", "status": "someday", "importance": 0}

    @property
    def valid_payload(self):
        return {"name": "Half marathon", "area": str(self.area.pk), "importance": 5,
                "due_date": "2030-04-01T09:00:00Z"}  # fmt: skip

    def make(self, owner):
        return ProjectFactory(user=owner)


class TestTaskApi(_CallersTree):
    route = "api:aurum:task"
    update_payload = {"name": "Long run", "status": "in_progress", "progress": 40}
    invalid_payload = {"name": "Long run", "priority": "whenever", "progress": 101}

    @property
    def valid_payload(self):
        return {"name": "Buy shoes", "project": str(self.project.pk), "priority": "high",
                "description": "Trail shoes, size 44"}  # fmt: skip

    def make(self, owner):
        return TaskFactory(user=owner)


class TestTaskDependencyApi(_CallersTree):
    route = "api:aurum:task-dependency"
    update_payload = {}
    invalid_payload = {"task": "not-an-id"}

    @pytest.fixture(autouse=True)
    def _two_tasks(self, _callers_tree, user):
        self.first = TaskFactory(user=user, project=self.project)
        self.second = TaskFactory(user=user, project=self.project)

    @property
    def valid_payload(self):
        return {"task": str(self.first.pk), "depends_on": str(self.second.pk)}

    def make(self, owner):
        return TaskDependencyFactory(task=TaskFactory(user=owner))


class TestHierarchyApi(ApiContract):
    route = "api:aurum:hierarchy"
    lookup_field = "task_id"
    valid_payload = update_payload = invalid_payload = {}

    def make(self, owner):
        task = TaskFactory(user=owner)
        hierarchy_view_refresh()
        return HierarchyView.objects.get(task_id=task.pk)


class TestJournalEntryApi(ApiContract):
    route = "api:aurum:journal-entry"
    valid_payload = {"title": "Morning", "content": "A wonderful, calm start.", "mood": "happy",
                     "tags": ["morning"], "entry_date": "2026-11-30"}  # fmt: skip
    update_payload = {"content": "A tiring day.", "mood": "sad"}
    invalid_payload = {"content": "", "mood": "ecstatic", "energy_level": 11}

    def make(self, owner):
        return JournalEntryFactory(user=owner)


class TestReflectionApi(ApiContract):
    route = "api:aurum:reflection"
    valid_payload = {"reflection_text": "Steady day.", "mood": "content"}
    update_payload = {}
    invalid_payload = {"reflection_text": "", "energy_level": 11}

    def make(self, owner):
        return DailyReflectionFactory(user=owner)


class TestTimeEntryApi(_CallersTree):
    route = "api:aurum:time-entry"
    update_payload = {"notes": "Deep work", "productivity_rating": 8}
    invalid_payload = {"entity_type": "task", "entity_id": "not-a-uuid", "energy_level": 0}

    @property
    def valid_payload(self):
        return {"entity_type": "project", "entity_id": str(self.project.pk),
                "start_time": "2026-01-05T09:00:00Z", "end_time": "2026-01-05T09:45:00Z",
                "activity_type": "focused"}  # fmt: skip

    def make(self, owner):
        return TimeEntryFactory(user=owner, task=TaskFactory(user=owner))


class TestAuditLogApi(ApiContract):
    route = "api:aurum:audit-log"
    valid_payload = update_payload = invalid_payload = {}

    def make(self, owner):
        pillar = PillarFactory(user=owner)
        return AuditLog.objects.get(entity_id=pillar.pk)


class TestProfileApi(ApiViewContract):
    route = "api:aurum:profile"


class TestStatsApi(ApiViewContract):
    route = "api:aurum:stats"
