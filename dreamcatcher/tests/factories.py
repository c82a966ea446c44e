import factory

from dreamcatcher.choices import SyncSessionStatus, SyncSessionType
from dreamcatcher.models import Document, Dream, Fragment, Implementation, SyncSession, Todo
from tests.factories import UserFactory


class DreamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dream

    title = factory.Sequence(lambda n: f"Dream {n}")
    description = factory.Faker("sentence")
    user = factory.SubFactory(UserFactory)


class _ChildFactory(factory.django.DjangoModelFactory):
    dream = factory.SubFactory(DreamFactory)
    # The database sets the owner from the dream anyway (trigger inherit_owner).
    user = factory.LazyAttribute(lambda child: child.dream.user)


class FragmentFactory(_ChildFactory):
    class Meta:
        model = Fragment

    title = factory.Sequence(lambda n: f"Fragment {n}")
    content = factory.Faker("paragraph")
    source = "web"


class TodoFactory(_ChildFactory):
    class Meta:
        model = Todo

    title = factory.Sequence(lambda n: f"Todo {n}")


class DocumentFactory(_ChildFactory):
    class Meta:
        model = Document

    title = factory.Sequence(lambda n: f"Document {n}")
    file_name = "notes.md"
    file_type = "text/markdown"
    file_size = 42
    file_path = factory.LazyAttribute(lambda doc: f"dreamcatcher/documents/{doc.file_name}")


class ImplementationFactory(_ChildFactory):
    class Meta:
        model = Implementation


class SyncSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SyncSession

    user = factory.SubFactory(UserFactory)
    session_type = SyncSessionType.MANUAL
    status = SyncSessionStatus.COMPLETED  # a finished run: a user has one active run at most
