"""Reading an uploaded document (plain text, Markdown, PDF) into todos, headings and a summary.

Pure functions over bytes: no models, no storage. The caller sniffs with ``detect_kind``, calls
``parse_document`` (``parse_upload`` does both) and stores ``as_json()`` in
``documents.parsed_data``. Bad input raises only ``DocumentParseError``, whose ``code`` an API
can return; work is bounded by ``MAX_PDF_PAGES`` and ``MAX_TEXT_CHARS`` (``truncated=True``).

The rules, the same for every kind once a PDF's text is extracted page by page:

- A todo is a list item with a checkbox: ``-``, ``*``, ``+``, ``•``, ``1.`` or ``1)``, then
  ``[ ]`` (open) or ``[x]``/``[X]`` (done), then the title; or a ``☐`` (open) / ``☑`` ``☒``
  (done) glyph, as word processors export them. Indentation gives ``depth``.
- Trailing words ``(low)``, ``(medium)``, ``(high)``, ``(urgent)`` set ``priority`` and
  ``#word`` sets ``category``, and are lifted out of the title; in the middle of a title they
  stay text, so "Fix #12 in the tracker" keeps its number.
- Headings: a line underlined with ``===`` (level 1) or ``---`` (level 2), three or more; in
  Markdown also ``#`` to ``######``.
- Fenced code blocks (```` ``` ```` or ``~~~``) are skipped in every kind, and Markdown front
  matter between ``---`` lines at the top.
- The summary is the first prose paragraph (not headings, list items, tables or rules), and
  the next ones while they fit in ``SUMMARY_MAX_CHARS``; light Markdown markup is removed.
- Todos are unique by ``todo_key``: a repeated title keeps its first occurrence.
"""

from __future__ import annotations

import bisect
import codecs
import io
import logging
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import Any

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

logger = logging.getLogger(__name__)

KIND_TEXT, KIND_MARKDOWN, KIND_PDF = "text", "markdown", "pdf"
ALLOWED_TYPES: Mapping[str, str] = MappingProxyType(
    {
        "text/plain": KIND_TEXT,
        "text/markdown": KIND_MARKDOWN,
        "text/x-markdown": KIND_MARKDOWN,
        "application/pdf": KIND_PDF,
    }
)
# What to store as ``documents.file_type`` for a kind, whatever the client declared.
KIND_CONTENT_TYPES: Mapping[str, str] = MappingProxyType(
    {KIND_TEXT: "text/plain", KIND_MARKDOWN: "text/markdown", KIND_PDF: "application/pdf"}
)
MARKDOWN_EXTENSIONS = frozenset({".md", ".markdown", ".mdown", ".mkd"})
SNIFF_BYTES = 4096  # how much of the file ``detect_kind`` wants to see
MAX_PDF_PAGES = 500
MAX_TEXT_CHARS = 5_000_000
SUMMARY_MAX_CHARS = 500
EXCERPT_MAX_CHARS = 2000
TODO_TITLE_MAX_CHARS = 500  # todos.title is VARCHAR(500)
# Lines are read only this far: todos, headings and the summary need no more, and it bounds
# every regular expression's work on a hostile file.
MAX_LINE_CHARS = 2000

_BULLET = r"(?:[-*+•]|\d{1,9}[.)])"
_CHECKBOX = re.compile(
    rf"^(?P<indent>[ \t]*)(?:{_BULLET}[ \t]+\[(?P<mark>[ xX])\]|(?P<glyph>[☐☑☒]))"
    r"[ \t]+(?P<title>\S.*)$"
)
_LIST_ITEM = re.compile(rf"^[ \t]*(?:{_BULLET}|[☐☑☒])(?:[ \t]|$)")
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+")
_UNDERLINE = re.compile(r"^ {0,3}(={3,}|-{3,})[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_FENCE_CLOSE = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*$")
_PRIORITY_MARKER = re.compile(r"\((low|medium|high|urgent)\)", re.IGNORECASE)
_CATEGORY_MARKER = re.compile(r"#([^\W\d_][\w-]*)")
_MARKDOWN_INLINE = [
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images keep their text
    (re.compile(r"\*\*|__|`"), ""),
    (re.compile(r"^(?:>[ \t]?)+"), ""),  # blockquote markers
]
_CONTROL_CHARS = re.compile(r"[\x01-\x08\x0e-\x1a\x1c-\x1f]")  # not tab, newlines, escape


class DocumentParseError(Exception):
    """The document cannot be read; ``str()`` is a message for the user, ``code`` for machines.

    Codes: ``empty``, ``not_text``, ``corrupt_pdf``, ``encrypted_pdf``.
    """

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ParsedTodo:
    """A checkbox item. ``line`` is 1-based in the (extracted) text; ``page`` only for PDFs."""

    title: str
    done: bool
    line: int
    depth: int = 0
    priority: str | None = None
    category: str | None = None
    page: int | None = None

    @property
    def key(self) -> str:
        """The identity used to match this todo on re-parse (see ``todo_key``)."""
        return todo_key(self.title)


@dataclass(frozen=True)
class Heading:
    """A heading: ``level`` 1-6 and its text; ``line`` as for ``ParsedTodo``."""

    level: int
    text: str
    line: int


@dataclass
class ParsedDocument:
    """What a document says. ``page_count`` is the PDF's (all pages, read or not), else None."""

    kind: str
    todos: list[ParsedTodo] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    summary: str = ""
    word_count: int = 0
    has_text: bool = False
    truncated: bool = False
    page_count: int | None = None
    text_excerpt: str = ""
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready dict for ``documents.parsed_data``."""
        return asdict(self)


def todo_key(title: str) -> str:
    """A todo title's identity: NFKC-normalised, casefolded, whitespace collapsed.

    Store it with the todo and look it up before creating one, so re-parsing a document (or
    the same item in two documents) never makes a duplicate.
    """
    return " ".join(unicodedata.normalize("NFKC", title).casefold().split())


def detect_kind(file_name: str, content_type: str | None, head_bytes: bytes) -> str:
    """The kind (``"text"``, ``"markdown"`` or ``"pdf"``) of a file, from its first bytes.

    Pass at least the first ``SNIFF_BYTES`` bytes. The content decides over the declared type:
    a file starting with ``%PDF-`` is a PDF whatever it claims; anything else must be UTF-8
    text (a BOM is fine), and is Markdown when its type or extension says so.
    """
    if not head_bytes:
        raise DocumentParseError(f"{file_name} is empty.", code="empty")
    if head_bytes.startswith(b"%PDF-"):
        return KIND_PDF
    try:
        _decode_utf8(head_bytes, final=False)
    except DocumentParseError as exc:
        raise DocumentParseError(
            f"{file_name} is neither a PDF nor UTF-8 text ({exc}); upload plain text, "
            "Markdown or PDF.",
            code="not_text",
        ) from None
    declared = (content_type or "").split(";")[0].strip().lower()
    extension = PurePosixPath(file_name.replace("\\", "/")).suffix.lower()
    if ALLOWED_TYPES.get(declared) == KIND_MARKDOWN or extension in MARKDOWN_EXTENSIONS:
        return KIND_MARKDOWN
    return KIND_TEXT


def parse_upload(data: bytes, *, file_name: str, content_type: str | None) -> ParsedDocument:
    """``detect_kind`` then ``parse_document``: an upload's bytes to its parsed content."""
    return parse_document(data, kind=detect_kind(file_name, content_type, data[:SNIFF_BYTES]))


def parse_document(
    data: bytes, *, kind: str, max_pages: int = MAX_PDF_PAGES, max_chars: int = MAX_TEXT_CHARS
) -> ParsedDocument:
    """Parse a whole document of a known ``kind``; see the module docstring for the rules.

    Raises ``DocumentParseError`` for unreadable input (empty, not UTF-8, a corrupt or
    password-protected PDF) and ``ValueError`` for an unknown ``kind``. A PDF without
    extractable text (a scan) is no error: ``has_text`` is False.
    """
    if kind not in KIND_CONTENT_TYPES:
        raise ValueError(f"unknown document kind {kind!r}; expected one of {[*KIND_CONTENT_TYPES]}")
    if not data:
        raise DocumentParseError("The document is empty.", code="empty")
    result = ParsedDocument(kind=kind)
    if kind == KIND_PDF:
        text, page_starts = _pdf_text(data, result, max_pages=max_pages, max_chars=max_chars)
    else:
        text, page_starts = _text(data, result, max_chars=max_chars), []
    _read_text(text, result, markdown=kind == KIND_MARKDOWN, page_starts=page_starts)
    return result


# --- Getting the text ---------------------------------------------------------------------


def _decode_utf8(data: bytes, *, final: bool) -> str:
    """``data`` decoded as UTF-8 (BOM dropped), or ``DocumentParseError`` if it is not text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DocumentParseError("it is UTF-16 text; save it as UTF-8", code="not_text")
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=final)
    except UnicodeDecodeError as exc:
        raise DocumentParseError(
            f"byte 0x{data[exc.start]:02x} at position {exc.start} is not valid UTF-8",
            code="not_text",
        ) from None
    if "\x00" in text:
        raise DocumentParseError("it contains NUL bytes, so it is binary data", code="not_text")
    # A stray control character happens in real text; many mean binary data.
    if len(_CONTROL_CHARS.findall(text)) > len(text) // 20:
        raise DocumentParseError("it is mostly control characters", code="not_text")
    return text


def _text(data: bytes, result: ParsedDocument, *, max_chars: int) -> str:
    limit = 4 * max_chars  # a character is at most 4 bytes: nothing further can be needed
    try:
        text = _decode_utf8(data[:limit], final=len(data) <= limit)
    except DocumentParseError as exc:
        raise DocumentParseError(f"The text is not readable: {exc}.", code=exc.code) from None
    if len(data) > limit or len(text) > max_chars:
        text, result.truncated = _cut_at_line(text, max_chars), True
    return text


def _pdf_text(
    data: bytes, result: ParsedDocument, *, max_pages: int, max_chars: int
) -> tuple[str, list[int]]:
    """The text of the first ``max_pages`` pages, and the line number each page starts at."""
    reader = _open_pdf(data)
    result.page_count = len(reader.pages)
    texts: list[str] = []
    page_starts: list[int] = []
    chars, line = 0, 1
    for number, page in enumerate(reader.pages, start=1):
        if number > max_pages:
            result.truncated = True
            break
        page_text = _page_text(page, number, result)
        if chars + len(page_text) > max_chars:
            page_text, result.truncated = _cut_at_line(page_text, max_chars - chars), True
        texts.append(page_text)
        page_starts.append(line)
        chars += len(page_text)
        line += page_text.count("\n") + 2  # pages are joined by a blank line
        if result.truncated:
            break
    return "\n\n".join(texts), page_starts


def _cut_at_line(text: str, limit: int) -> str:
    """The first ``limit`` characters, less a last line cut in two (half a todo title)."""
    cut = text[:limit]
    return cut[: cut.rfind("\n") + 1] if "\n" in cut else cut


def _open_pdf(data: bytes) -> PdfReader:
    # pypdf raises many kinds of exception on damaged files (its PdfReadError, KeyError,
    # ValueError …): any failure to open is the file's fault, so every one is caught.
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise DocumentParseError(
                "The PDF is password-protected; upload a copy without a password.",
                code="encrypted_pdf",
            )
        page_count = len(reader.pages)
    except DocumentParseError:
        raise
    except DependencyError as exc:
        raise _unsupported_encryption(exc) from None
    except Exception as exc:
        raise DocumentParseError(
            f"The PDF is damaged or incomplete and cannot be read ({_describe(exc)}).",
            code="corrupt_pdf",
        ) from None
    if page_count == 0:
        raise DocumentParseError("The PDF has no pages.", code="corrupt_pdf")
    return reader


def _page_text(page: Any, number: int, result: ParsedDocument) -> str:
    """One page's text; a page that fails is skipped with a warning, the others still count."""
    try:
        text = page.extract_text() or ""
    except DependencyError as exc:
        raise _unsupported_encryption(exc) from None
    except Exception as exc:  # as in _open_pdf: any failure here is the page's content
        result.warnings.append(f"page {number}: text could not be extracted ({_describe(exc)})")
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # line numbers count "\n"
    return text.replace("\x00", "")  # PostgreSQL text cannot hold NUL


def _unsupported_encryption(exc: Exception) -> DocumentParseError:
    logger.warning("Cannot decrypt an uploaded PDF: %s", exc)  # e.g. AES without cryptography
    return DocumentParseError(
        "The PDF is encrypted in a way this server cannot open; upload a copy without encryption.",
        code="encrypted_pdf",
    )


def _describe(exc: Exception) -> str:
    message = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


# --- Reading the text ---------------------------------------------------------------------


def _read_text(
    text: str, result: ParsedDocument, *, markdown: bool, page_starts: list[int]
) -> None:
    """Fill ``result``'s todos, headings, summary and counts from ``text``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    result.has_text = bool(text.strip())
    result.word_count = len(text.split())
    result.text_excerpt = _clip(text.strip(), EXCERPT_MAX_CHARS)
    reader = _TextReader(markdown=markdown, page_starts=page_starts)
    lines = list(_content_lines(text, markdown=markdown))
    index = 0
    while index < len(lines):
        following = lines[index + 1][1] if index + 1 < len(lines) else ""
        index += 1 + reader.feed(*lines[index], following)
    reader.end_paragraph()
    result.todos, result.headings = reader.todos, reader.headings
    result.summary = _summary(reader.paragraphs)


class _TextReader:
    """Walks the lines once, collecting todos, headings and prose paragraphs."""

    def __init__(self, *, markdown: bool, page_starts: list[int]) -> None:
        self.markdown, self.page_starts = markdown, page_starts
        self.todos: list[ParsedTodo] = []
        self.headings: list[Heading] = []
        self.paragraphs: list[str] = []
        self._current: list[str] = []  # the prose lines of the paragraph being read
        self._indents: list[int] = []  # the indentation of the enclosing checkbox items
        self._seen: set[str] = set()

    def feed(self, number: int, line: str, following: str) -> int:
        """Take one line; returns how many of the next lines it used (a heading's underline)."""
        heading = _heading(line, following, self.markdown, starts_paragraph=not self._current)
        if heading:
            self.end_paragraph()
            self._indents.clear()
            level, text, underlined = heading
            self.headings.append(Heading(level=level, text=text, line=number))
            return int(underlined)
        if box := _CHECKBOX.match(line):
            self.end_paragraph()
            self._add_todo(box, number)
        elif _is_break(line):
            self.end_paragraph()
        else:
            self._indents.clear()
            self._current.append(_plain(line, self.markdown))
        return 0

    def end_paragraph(self) -> None:
        if self._current:
            self.paragraphs.append(" ".join(self._current))
            self._current = []

    def _add_todo(self, box: re.Match[str], number: int) -> None:
        width = len(box.group("indent").expandtabs(4))
        while self._indents and self._indents[-1] >= width:
            self._indents.pop()
        depth = len(self._indents)
        self._indents.append(width)
        title, priority, category = _split_markers(box.group("title"))
        title = _clip(title, TODO_TITLE_MAX_CHARS)
        if todo_key(title) in self._seen:
            return
        self._seen.add(todo_key(title))
        mark = box.group("mark")
        self.todos.append(
            ParsedTodo(
                title=title,
                done=box.group("glyph") != "☐" if mark is None else mark in "xX",
                line=number,
                depth=depth,
                priority=priority,
                category=category,
                page=bisect.bisect_right(self.page_starts, number) or None,
            )
        )


def _split_markers(title: str) -> tuple[str, str | None, str | None]:
    """``(title, priority, category)`` with trailing ``(priority)`` and ``#category`` lifted."""
    words, priority, category = title.split(), None, None
    while len(words) > 1:
        if marker := _PRIORITY_MARKER.fullmatch(words[-1]):
            priority = marker.group(1).lower()
        elif marker := _CATEGORY_MARKER.fullmatch(words[-1]):
            category = marker.group(1).lower()
        else:
            break  # "(someday)" or "#12" is part of the title
        words.pop()
    return " ".join(words), priority, category


def _content_lines(text: str, *, markdown: bool) -> Iterator[tuple[int, str]]:
    """(1-based number, line) for each line; code fences and front matter read as blank."""
    lines = text.split("\n")
    front_matter_end = 0
    if markdown and lines[0].rstrip() == "---":
        ends = (n for n, line in enumerate(lines[1:200], 2) if line.rstrip() in {"---", "..."})
        front_matter_end = next(ends, 0)
    fence: str | None = None
    for number, full_line in enumerate(lines, start=1):
        line = full_line[:MAX_LINE_CHARS]
        if number <= front_matter_end:
            line = ""
        elif fence is None and (opening := _FENCE_OPEN.match(line)):
            fence, line = opening.group(1), ""
        elif fence is not None:
            closing = _FENCE_CLOSE.match(line)
            fence = None if closing and closing.group(1).startswith(fence) else fence
            line = ""
        yield number, line


def _heading(
    line: str, following: str, markdown: bool, *, starts_paragraph: bool
) -> tuple[int, str, bool] | None:
    """``(level, text, underlined)`` if ``line`` is a heading, else None."""
    if markdown and (atx := _ATX.match(line)):
        text = line[atx.end() :].rstrip()
        if (unclosed := text.rstrip("#")) != text and (not unclosed or unclosed[-1] in " \t"):
            text = unclosed  # "## Title ##": the closing hashes are not part of it
        if text.strip():
            return len(atx.group(1)), _plain(text, markdown), False
    underline = _UNDERLINE.match(following)
    if starts_paragraph and underline and line.strip() and not _is_break(line):
        return (1 if underline.group(1)[0] == "=" else 2), _plain(line, markdown), True
    return None


def _is_break(line: str) -> bool:
    """Lines that end a paragraph and are not prose: blank, list items, rules, table rows."""
    stripped = line.strip()
    return not stripped or stripped[0] == "|" or bool(_LIST_ITEM.match(line) or _RULE.match(line))


def _plain(line: str, markdown: bool) -> str:
    text = line.strip()
    if markdown:
        for pattern, replacement in _MARKDOWN_INLINE:
            text = pattern.sub(replacement, text)
    return " ".join(text.split())


def _summary(paragraphs: list[str]) -> str:
    """The first paragraph with letters in it, and the next ones while all fit the limit."""
    meaningful = (paragraph for paragraph in paragraphs if any(c.isalpha() for c in paragraph))
    summary = next(meaningful, "")
    for paragraph in meaningful:
        if len(summary) + 2 + len(paragraph) > SUMMARY_MAX_CHARS:
            break
        summary += "\n\n" + paragraph
    return _clip(summary, SUMMARY_MAX_CHARS)  # a long first paragraph is cut


def _clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, marked with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    boundary = max(cut.rfind(" "), cut.rfind("\n"))
    if boundary > limit // 2:
        cut = cut[:boundary]
    return cut.rstrip(" \n\t,;:-") + "…"
