"""Document parsing against real files committed under ``files/``.

The PDFs there were written once by a throwaway script (Helvetica text drawn with ``Tj``, so
pypdf extracts the ``[ ]`` lines as typed) and encrypted with pypdf's own writer;
``truncated.pdf`` is the first third of ``checklist.pdf``.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from dreamcatcher.services.parsing import (
    ALLOWED_TYPES,
    KIND_CONTENT_TYPES,
    MAX_LINE_CHARS,
    SUMMARY_MAX_CHARS,
    DocumentParseError,
    Heading,
    ParsedDocument,
    ParsedTodo,
    detect_kind,
    parse_document,
    parse_upload,
    todo_key,
)

FILES = Path(__file__).parent / "files"


def read(name: str) -> bytes:
    return (FILES / name).read_bytes()


def parse(name: str, content_type: str | None = None, **limits: int) -> ParsedDocument:
    data = read(name)
    kind = detect_kind(name, content_type, data[:4096])
    return parse_document(data, kind=kind, **limits)


def todo_rows(document: ParsedDocument) -> list[tuple]:
    return [
        (todo.title, todo.done, todo.depth, todo.priority, todo.category) for todo in document.todos
    ]


# --- Detecting the kind -----------------------------------------------------------------------


def test_allowed_types_map_content_types_to_kinds():
    assert dict(ALLOWED_TYPES) == {
        "text/plain": "text",
        "text/markdown": "markdown",
        "text/x-markdown": "markdown",
        "application/pdf": "pdf",
    }
    assert set(KIND_CONTENT_TYPES) == set(ALLOWED_TYPES.values())


@pytest.mark.parametrize(
    ("name", "content_type", "kind"),
    [
        ("checklist.pdf", "application/pdf", "pdf"),
        ("checklist.pdf", "text/plain", "pdf"),  # the bytes say PDF, whatever the claim
        ("notes.txt", "application/pdf", "text"),  # and these say text
        ("notes.txt", "text/plain; charset=utf-8", "text"),
        ("notes.txt", "text/markdown; charset=utf-8", "markdown"),
        ("notes.txt", None, "text"),
        ("plan.md", "text/markdown", "markdown"),
        ("plan.md", "text/x-markdown", "markdown"),
        ("plan.md", "application/octet-stream", "markdown"),  # what browsers send for .md
        ("plan.md", "", "markdown"),
    ],
)
def test_content_decides_over_the_declared_type(name, content_type, kind):
    assert detect_kind(name, content_type, read(name)[:4096]) == kind


def test_a_utf8_bom_and_a_head_cut_inside_a_character_are_still_text():
    head = "\ufeffRêve: café".encode()
    assert detect_kind("dream.TXT", "text/plain", head[:-1]) == "text"
    assert detect_kind("C:\\notes\\dream.MD", None, head) == "markdown"


def test_binary_data_declared_as_text_is_refused():
    with pytest.raises(DocumentParseError) as err:
        detect_kind("garbage.txt", "text/plain", read("garbage.txt"))
    assert err.value.code == "not_text"
    assert str(err.value) == (
        "garbage.txt is neither a PDF nor UTF-8 text (byte 0x89 at position 0 is not valid "
        "UTF-8); upload plain text, Markdown or PDF."
    )


@pytest.mark.parametrize(
    ("head", "reason"),
    [
        ("notes".encode("utf-16"), "it is UTF-16 text; save it as UTF-8"),
        (b"PK\x03\x04\x14\x00\x00\x00", "it contains NUL bytes"),
        (bytes(range(1, 9)) * 4 + b"text", "mostly control characters"),
    ],
)
def test_other_non_text_is_refused_with_the_reason(head, reason):
    with pytest.raises(DocumentParseError, match=reason) as err:
        detect_kind("upload.txt", "text/plain", head)
    assert err.value.code == "not_text"


def test_an_empty_file_is_refused():
    with pytest.raises(DocumentParseError, match=r"^empty.txt is empty\.$") as err:
        detect_kind("empty.txt", "text/plain", read("empty.txt"))
    assert err.value.code == "empty"
    with pytest.raises(DocumentParseError, match="The document is empty") as err:
        parse_document(read("empty.txt"), kind="text")
    assert err.value.code == "empty"


# --- Markdown ---------------------------------------------------------------------------------


def test_markdown_todos_nested_numbered_checked_and_marked():
    document = parse("plan.md", "text/markdown")
    assert todo_rows(document) == [
        ("Sketch the capture screen", False, 0, "high", "design"),
        ("Pick a name", True, 0, None, None),
        ("Build the sync backend", False, 0, "urgent", "coding"),
        ("Choose a database", False, 1, None, None),
        ("Write the API contract", True, 1, None, None),  # [X]
        ("Review it with Priya", False, 2, None, None),
        ("Set up beta testing", False, 0, None, None),  # "*"
        ("Write the privacy policy", False, 0, "low", None),  # "+"
        ("Draft the landing page", False, 0, None, None),  # "1."
        ("Publish the landing page", False, 0, None, None),  # "2)"
        ("Ask about #12 in the tracker", False, 0, None, None),  # "#12" is no category
    ]
    lines = read("plan.md").decode().splitlines()
    for todo in document.todos:
        assert todo.title.split()[0] in lines[todo.line - 1]
        assert todo.page is None


def test_code_blocks_front_matter_and_plain_list_items_are_not_todos():
    titles = " ".join(todo.title for todo in parse("plan.md").todos)
    assert "not a todo" not in titles
    assert "still code" not in titles
    assert "plain list items" not in titles
    assert "Launch" not in titles


def test_a_repeated_or_empty_checkbox_makes_no_extra_todo():
    titles = [todo.title for todo in parse("plan.md").todos]
    assert titles.count("Pick a name") == 1
    assert "" not in titles


def test_markdown_headings_atx_and_underlined_outside_code():
    assert parse("plan.md").headings == [
        Heading(level=1, text="Dream Journal App", line=6),
        Heading(level=2, text="Milestones", line=14),
        Heading(level=3, text="Code notes", line=29),
        Heading(level=2, text="Open questions", line=41),
        Heading(level=2, text="Closing", line=47),  # "## Closing ##"
    ]


def test_markdown_summary_is_the_first_paragraphs_without_markup():
    document = parse("plan.md")
    assert document.summary == (
        "A small mobile app for writing down dreams right after waking, with a calm night mode "
        "and reminders that do not nag.\n\n"
        "The first release targets friends and family, so we can learn what people actually "
        "record before building any sharing features."
    )
    assert document.kind == "markdown"
    assert document.has_text
    assert not document.truncated
    assert document.page_count is None
    assert document.word_count == len(read("plan.md").decode().split())
    assert document.warnings == []


# --- Plain text -------------------------------------------------------------------------------


def test_plain_text_todos_headings_and_summary():
    document = parse("notes.txt", "text/plain")
    assert todo_rows(document) == [
        ("Book the cabin", False, 0, "high", None),
        ("Agree on dates", True, 0, None, None),
        ("Buy groceries", False, 0, None, "food"),
        ("Check who is vegetarian", False, 1, None, None),  # tab-indented
        ("Pack the board games", False, 0, None, None),
    ]
    # Only underlined headings: "# …" in plain text is just a line.
    assert document.headings == [
        Heading(level=1, text="Weekend Cabin Trip", line=1),
        Heading(level=2, text="Before we leave", line=9),
    ]
    assert document.summary == (
        "Three friends, two nights, one cabin by the lake. This list keeps the trip from "
        "turning into a scramble on Friday afternoon.\n\n"
        "# this line is not a heading in plain text"
    )


def test_windows_line_endings_and_checkbox_glyphs():
    text = "Packing\r\n=======\r\n☐ Passport\r\n☑ Tickets\r\n- [ ] Charger (someday)\r\n"
    document = parse_document(text.encode(), kind="text")
    assert document.headings == [Heading(level=1, text="Packing", line=1)]
    assert todo_rows(document) == [
        ("Passport", False, 0, None, None),
        ("Tickets", True, 0, None, None),
        ("Charger (someday)", False, 0, None, None),  # not a priority: stays in the title
    ]


def test_an_unclosed_fence_hides_the_rest_and_unclosed_front_matter_is_text():
    document = parse_document(b"- [ ] before\n```\n- [ ] after\n", kind="markdown")
    assert [todo.title for todo in document.todos] == ["before"]
    document = parse_document(b"---\n- [ ] kept\n", kind="markdown")
    assert [todo.title for todo in document.todos] == ["kept"]


def test_a_long_first_paragraph_is_cut_at_a_word_boundary():
    words = [f"word{i}" for i in range(200)]
    document = parse_document(" ".join(words).encode(), kind="text")
    assert len(document.summary) <= SUMMARY_MAX_CHARS
    assert document.summary.endswith("…")
    assert document.summary[:-1].split() == words[: len(document.summary[:-1].split())]


def test_very_long_lines_are_read_only_up_to_the_line_limit():
    title = "x" * 600
    data = f"- [ ] {title}{' ' * 1_000_000}(high)\n{'[' * 1_000_000}\n".encode()
    document = parse_document(data, kind="markdown")
    [todo] = document.todos
    assert todo.priority is None  # the marker lies past MAX_LINE_CHARS
    assert len(todo.title) <= 500
    assert todo.title.endswith("…")
    assert len(document.summary) <= SUMMARY_MAX_CHARS
    assert MAX_LINE_CHARS < 1_000_000


def test_text_beyond_the_character_cap_is_truncated():
    data = read("notes.txt")
    cut_inside_the_second_todo = data.index(b"- [x] Agree") + 9
    document = parse_document(data, kind="text", max_chars=cut_inside_the_second_todo)
    assert document.truncated
    # A line cut in two is dropped, rather than become a todo called "Agr".
    assert [todo.title for todo in document.todos] == ["Book the cabin"]
    assert not parse_document(data, kind="text").truncated


def test_invalid_utf8_further_into_the_file_is_refused():
    data = read("notes.txt") + b"\xff\xfe trailing junk"
    with pytest.raises(DocumentParseError, match=r"^The text is not readable: byte 0xff") as err:
        parse_document(data, kind="text")
    assert err.value.code == "not_text"


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown document kind 'docx'"):
        parse_document(b"hello", kind="docx")


# --- PDF --------------------------------------------------------------------------------------


PDF_TODOS = [
    ("Ask the council for a lease on the lot", False, 0, "high", None),
    ("Measure the beds", True, 0, None, None),
    ("Order raised bed kits", False, 0, None, "supplies"),
    ("Recruit ten volunteers", False, 0, None, None),
    ("Print flyers for the library board", False, 1, None, None),
]


def test_pdf_checkbox_lines_become_todos_with_their_page():
    document = parse("checklist.pdf", "application/pdf")
    assert document.kind == "pdf"
    assert todo_rows(document) == PDF_TODOS
    assert [todo.page for todo in document.todos] == [1, 1, 1, 2, 2]
    assert document.page_count == 2
    assert document.has_text
    assert not document.truncated
    assert document.summary.startswith(
        "Community Garden Plan We want to turn the empty lot behind the library"
    )
    assert "[ ]" not in document.summary


def test_pdf_pages_beyond_the_cap_are_not_read():
    document = parse("checklist.pdf", max_pages=1)
    assert document.truncated
    assert document.page_count == 2  # the file's, not the pages read
    assert todo_rows(document) == PDF_TODOS[:3]


def test_pdf_text_beyond_the_character_cap_is_not_read():
    # Page 1 has 270 characters; page 2 is cut after its first line, before any checkbox.
    document = parse("checklist.pdf", max_chars=300)
    assert document.truncated
    assert todo_rows(document) == PDF_TODOS[:3]
    assert document.summary.endswith("Second page")


def test_a_pdf_without_text_is_not_an_error():
    document = parse("blank.pdf", "application/pdf")
    assert not document.has_text
    assert document.todos == []
    assert document.headings == []
    assert document.summary == ""
    assert document.page_count == 1
    assert not document.truncated


def test_a_pdf_with_only_an_owner_password_opens():
    assert todo_rows(parse("owner_password_only.pdf")) == PDF_TODOS


def test_a_password_protected_pdf_is_refused():
    with pytest.raises(DocumentParseError, match="password-protected") as err:
        parse("encrypted.pdf", "application/pdf")
    assert err.value.code == "encrypted_pdf"


def test_an_aes_encrypted_pdf_opens():  # pypdf[crypto] is a dependency
    assert todo_rows(parse("aes_owner_password_only.pdf")) == PDF_TODOS


def test_a_truncated_pdf_is_refused():
    with pytest.raises(DocumentParseError, match="damaged or incomplete") as err:
        parse("truncated.pdf", "application/pdf")
    assert err.value.code == "corrupt_pdf"


def test_damaged_pdfs_raise_only_document_parse_errors():
    original = read("checklist.pdf")
    outcomes = set()
    for seed in range(40):
        rng = random.Random(seed)
        damaged = bytearray(original)
        for _ in range(8):
            damaged[rng.randrange(5, len(damaged))] = rng.randrange(256)
        try:
            document = parse_document(bytes(damaged), kind="pdf")
        except DocumentParseError as exc:
            outcomes.add(exc.code)
        else:
            outcomes.add("parsed")
            assert document.page_count is not None, seed
    assert outcomes <= {"corrupt_pdf", "parsed"}


# --- Identity and storage ---------------------------------------------------------------------


def test_todo_key_ignores_case_spacing_and_compatibility_forms():
    assert todo_key("  Book   the\tCabin ") == "book the cabin"
    assert todo_key("STRASSE") == todo_key("straße")
    assert todo_key("ﬁle taxes") == todo_key("File Taxes")
    assert todo_key("Book the cabin") != todo_key("Book the cabins")
    assert ParsedTodo(title="Book  The Cabin", done=False, line=1).key == "book the cabin"


def test_reparsing_an_edited_document_keeps_every_todo_key():
    before = parse("notes.txt")
    edited = read("notes.txt").replace(b"- [ ] Book the cabin", b"- [x] book the  CABIN")
    after = parse_document(b"Intro line\n\n" + edited, kind="text")
    assert [todo.key for todo in after.todos] == [todo.key for todo in before.todos]
    assert after.todos[0].done
    assert after.todos[0].line == before.todos[0].line + 2


def test_as_json_is_ready_for_the_parsed_data_column():
    document = parse_upload(read("checklist.pdf"), file_name="plan.pdf", content_type=None)
    data = json.loads(json.dumps(document.as_json()))
    assert data["kind"] == "pdf"
    assert data["todos"][0] == {
        "title": "Ask the council for a lease on the lot",
        "done": False,
        "line": 4,
        "depth": 0,
        "priority": "high",
        "category": None,
        "page": 1,
    }
    assert data["has_text"] is True
    assert data["page_count"] == 2
    assert data["text_excerpt"].startswith("Community Garden Plan\n")
