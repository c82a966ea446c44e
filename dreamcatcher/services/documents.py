"""Documents of a dream: upload to storage, parsing into todos, headings and a summary, and
changes to their metadata (the rules of reading a file are in ``services/parsing.py``)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from config.db import new_text_id
from config.outbox import send_task_on_commit
from dreamcatcher.choices import TodoPriority, TodoSource, TodoStatus
from dreamcatcher.models import Document, Dream, Todo, User
from dreamcatcher.selectors import cache
from dreamcatcher.services.dreams import child_delete, child_update
from dreamcatcher.services.parsing import (
    ALLOWED_TYPES,
    KIND_CONTENT_TYPES,
    SNIFF_BYTES,
    DocumentParseError,
    detect_kind,
    parse_document,
    todo_key,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.core.files.uploadedfile import UploadedFile

logger = logging.getLogger(__name__)
PARSE_TASK = "dreamcatcher.parse_document"


def document_upload(*, user: AbstractBaseUser, data: Mapping[str, Any]) -> Document:
    """Store ``data["file"]`` as a document of ``data["dream"]`` (titled ``data["title"]``,
    else by its file name) and queue its parsing once committed.

    Refuses (``ValidationError`` on ``file``) a file over ``DOCUMENT_UPLOAD_MAX_BYTES``,
    an empty one, or one whose content is neither UTF-8 text, Markdown nor PDF, whatever
    type it declares.
    """
    dream: Dream = data["dream"]
    upload: UploadedFile = data["file"]
    title: str | None = data.get("title")
    limit = settings.DOCUMENT_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError({"file": f"The file is larger than {limit // (1024 * 1024)} MB."})
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    try:
        kind = detect_kind(upload.name, upload.content_type, head)
    except DocumentParseError as exc:
        allowed = ", ".join(sorted(ALLOWED_TYPES))
        raise ValidationError({"file": f"{exc} Allowed types: {allowed}."}) from None
    document_id = new_text_id()
    file_name = get_valid_filename(PurePosixPath(upload.name.replace("\\", "/")).name) or "upload"
    document = Document(
        id=document_id,
        dream=dream,
        user=dream.user,
        title=(title or file_name)[:500],
        file_name=file_name[:500],
        file_type=KIND_CONTENT_TYPES[kind],
        file_size=upload.size,
        file_path="pending",
        created_by=str(user.pk),
    )
    document.full_clean(exclude=["file_path"])
    document.file_path = default_storage.save(
        f"dreamcatcher/documents/{dream.user_id}/{document_id}/{file_name}", upload
    )
    try:
        document.save()
    except Exception:
        default_storage.delete(document.file_path)
        raise
    document_queue_parse(document_id=document_id)
    return document


def document_queue_parse(*, document_id: str) -> None:
    """Queue (re-)parsing of a document once the caller's transaction commits (nothing is sent
    if it rolls back); safe to repeat, parsing is idempotent."""
    send_task_on_commit(PARSE_TASK, document_id=document_id)


def document_parse(*, document_id: str) -> Document:
    """Parse a stored document. Idempotent: re-parsing never adds a todo twice.

    Checkbox lines become todos (``source = document_parsed``; ``[x]`` ones completed),
    headings and a summary go to ``parsed_data``. A missing, malformed or unreadable file
    leaves ``parsed = false`` with the error in ``parsed_data``; nothing is raised.
    """
    with transaction.atomic():
        # The row lock makes concurrent parses of one document take turns.
        document = Document.objects.select_for_update().select_related("dream").get(pk=document_id)
        try:
            parsed = parse_document(_read(document), kind=_kind_of(document))
        except (OSError, DocumentParseError) as exc:
            code = getattr(exc, "code", "unreadable")
            logger.info("document %s not parsed: %s", document_id, exc)
            document.parsed = False
            document.parsed_data = {
                "error": {"code": code, "message": str(exc)},
                "attempted_at": timezone.now().isoformat(),
            }
            document.save(update_fields=["parsed", "parsed_data"])
            return document
        created = _create_todos(document, parsed.todos)
        cache.forget(dream_ids=[document.dream_id])  # bulk_create sends no signals
        document.parsed = True
        document.parsed_data = {
            **parsed.as_json(),
            "todos_created": created,
            "parsed_at": timezone.now().isoformat(),
        }
        document.save(update_fields=["parsed", "parsed_data"])
    return document


def document_update(*, document: Document, user: User, data: Mapping[str, Any]) -> Document:
    """Change the document's metadata in ``data`` (its title; the file itself stays)."""
    return child_update(row=document, user=user, data=data)


def document_delete(*, document: Document) -> None:
    """Delete the document's row (its stored file is the upload service's to remove)."""
    child_delete(row=document)


def _read(document: Document) -> bytes:
    with default_storage.open(document.file_path, "rb") as handle:
        return handle.read(settings.DOCUMENT_UPLOAD_MAX_BYTES + 1)


def _kind_of(document: Document) -> str:
    return ALLOWED_TYPES.get(document.file_type, "text")


def _create_todos(document: Document, parsed_todos: list) -> int:
    existing = {
        todo_key(title)
        for title in Todo.objects.filter(
            dream=document.dream, source=TodoSource.DOCUMENT_PARSED
        ).values_list("title", flat=True)
    }
    todos = []
    for item in parsed_todos:
        if item.key in existing:
            continue
        existing.add(item.key)
        todos.append(
            Todo(
                dream=document.dream,
                user=document.user,
                title=item.title[:500],
                status=TodoStatus.COMPLETED if item.done else TodoStatus.PENDING,
                priority=item.priority or TodoPriority.MEDIUM,
                category=item.category,
                source=TodoSource.DOCUMENT_PARSED,
                notes=f"From {document.file_name}, line {item.line}",
                created_by=f"document:{document.pk}",
            )
        )
    Todo.objects.bulk_create(todos)
    return len(todos)
