"""The API's body parsers: DRF's, with ``config.api.limits`` checked on everything parsed.

A refused body is a 400 naming the place (``preferences.theme``, ``3.title``), before any
serializer, service or database sees it.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import QueryDict
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

from config.api.limits import check_json, printable, text_problem, too_deep


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            # Nested deeper than the interpreter parses: far past API_JSON_MAX_DEPTH.
            raise ValidationError([too_deep()]) from None
        check_json(data)
        return data


def _check_form(data: QueryDict) -> None:
    for key, values in data.lists():
        if (problem := text_problem(key)) is not None:
            raise ValidationError({printable(key): [problem]})
        for value in values:
            if (problem := text_problem(value)) is not None:
                raise ValidationError({key: [problem]})


class FormParser(parsers.FormParser):
    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Any = None
    ) -> QueryDict:
        data = super().parse(stream, media_type, parser_context)
        _check_form(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Any = None
    ) -> parsers.DataAndFiles:
        parsed = super().parse(stream, media_type, parser_context)
        _check_form(parsed.data)
        return parsed


class NDJSONParser(parsers.BaseParser):
    """Newline-delimited JSON (``application/x-ndjson``): one JSON value a line, parsed into a
    list; blank lines are skipped. A bad line is a 400 at its index (``3``), as a JSON list's
    item would be, and every line is held to ``config.api.limits``."""

    media_type = "application/x-ndjson"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        encoding = (parser_context or {}).get("encoding") or "utf-8"
        items: list[Any] = []
        for line in stream.read().split(b"\n") if stream is not None else []:
            if not line.strip():
                continue
            try:
                items.append(json.loads(line.decode(encoding)))
            except RecursionError:
                raise ValidationError({str(len(items)): [too_deep()]}) from None
            except (UnicodeDecodeError, ValueError) as error:
                raise ParseError(f"Line {len(items) + 1} is not JSON: {error}") from None
        check_json(items)
        return items
