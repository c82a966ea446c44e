"""Uploading and parsing documents with real files; failures never lose data or crash."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from dreamcatcher.choices import TodoSource, TodoStatus
from dreamcatcher.models import Document, Todo
from dreamcatcher.services.documents import document_parse, document_upload
from dreamcatcher.tests.factories import DreamFactory

FILES = Path(__file__).parent / "files"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(dream, name, content_type, data=None):
    data = (FILES / name).read_bytes() if data is None else data
    file = SimpleUploadedFile(name, data, content_type)
    return document_upload(user=dream.user, data={"dream": dream, "file": file})


def parsed_todos(dream):
    return Todo.objects.filter(dream=dream, source=TodoSource.DOCUMENT_PARSED)


def test_markdown_upload_is_stored_and_parsed_into_todos_once():
    dream = DreamFactory()
    document = upload(dream, "plan.md", "text/markdown")
    assert document.file_type == "text/markdown"
    assert document.file_size == (FILES / "plan.md").stat().st_size
    assert default_storage.exists(document.file_path)
    assert not document.parsed

    document = document_parse(document_id=document.pk)
    assert document.parsed
    assert document.parsed_data["headings"]
    assert document.parsed_data["summary"]
    todos = parsed_todos(dream)
    assert todos.count() == document.parsed_data["todos_created"] > 0
    assert todos.filter(status=TodoStatus.COMPLETED).exists()  # "- [x]" lines
    assert all(todo.user_id == dream.user_id for todo in todos)

    count = todos.count()
    document_parse(document_id=document.pk)
    assert parsed_todos(dream).count() == count  # re-parsing adds nothing


def test_pdf_checklist_becomes_todos():
    dream = DreamFactory()
    document = document_parse(document_id=upload(dream, "checklist.pdf", "application/pdf").pk)
    assert document.parsed
    assert document.parsed_data["page_count"] == 2
    assert parsed_todos(dream).count() > 0


def test_content_decides_over_the_declared_type():
    dream = DreamFactory()
    document = upload(dream, "checklist.pdf", "text/plain")
    assert document.file_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content_type", "message"),
    [
        ("garbage.txt", "text/plain", "neither a PDF nor UTF-8 text"),
        ("empty.txt", "text/plain", "empty"),
    ],
)
def test_unacceptable_files_are_refused_and_nothing_is_stored(name, content_type, message):
    dream = DreamFactory()
    with pytest.raises(ValidationError, match=message):
        upload(dream, name, content_type)
    assert not Document.objects.filter(dream=dream).exists()


def test_files_over_the_size_limit_are_refused(settings):
    settings.DOCUMENT_UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="larger than"):
        upload(DreamFactory(), "notes.txt", "text/plain", data=b"x" * 101)


@pytest.mark.parametrize(("name", "code"), [("truncated.pdf", "corrupt_pdf"),
                                            ("encrypted.pdf", "encrypted_pdf")])  # fmt: skip
def test_a_malformed_file_leaves_parsed_false_with_the_error(name, code):
    dream = DreamFactory()
    document = document_parse(document_id=upload(dream, name, "application/pdf").pk)
    document.refresh_from_db()
    assert document.parsed is False
    assert document.parsed_data["error"]["code"] == code
    assert document.parsed_data["error"]["message"]
    assert not parsed_todos(dream).exists()


def test_a_missing_file_is_recorded_not_raised():
    dream = DreamFactory()
    document = upload(dream, "notes.txt", "text/plain")
    default_storage.delete(document.file_path)
    document = document_parse(document_id=document.pk)
    assert document.parsed is False
    assert document.parsed_data["error"]["code"] == "unreadable"


def test_a_file_name_cannot_escape_the_storage_folder():
    dream = DreamFactory()
    document = upload(dream, "notes.txt", "text/plain")
    file = SimpleUploadedFile("../../etc/passwd", b"- [ ] hello\n", "text/plain")
    sneaky = document_upload(user=dream.user, data={"dream": dream, "file": file})
    assert sneaky.file_name == "passwd"
    assert sneaky.file_path.startswith(f"dreamcatcher/documents/{dream.user_id}/")
    assert document.file_path != sneaky.file_path
