"""``config.api.parsers.NDJSONParser``: one JSON value a line, held to the API's limits."""

import io

import pytest
from rest_framework.exceptions import ParseError, ValidationError

from config.api.parsers import NDJSONParser


def parse(text: bytes):
    return NDJSONParser().parse(io.BytesIO(text), "application/x-ndjson", {})


def test_lines_become_a_list_and_blank_lines_are_skipped():
    assert parse(b'{"a": 1}\n\n{"b": [2]}\r\n') == [{"a": 1}, {"b": [2]}]
    assert parse(b"") == []


def test_a_bad_line_names_its_number():
    with pytest.raises(ParseError, match="Line 2"):
        parse(b'{"a": 1}\n{nope\n')
    with pytest.raises(ParseError):
        parse(b"\xff\xfe\n")


def test_limits_hold_per_line(settings):
    settings.API_STRING_MAX_LENGTH = 5
    with pytest.raises(ValidationError) as refused:
        parse(b'{"a": "ok"}\n{"a": "too long"}\n')
    assert set(refused.value.detail) == {"1.a"}  # the line index, then the place in it
    with pytest.raises(ValidationError):
        parse(b'"\\u0000"\n')
