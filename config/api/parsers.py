"""The API's body parsers: DRF's, with ``config.api.limits`` checked on everything parsed.

A refused body is a 400 naming the place (``preferences.theme``, ``3.title``), before any
serializer, service or database sees it.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from rest_framework import parsers
from rest_framework.exceptions import ValidationError

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
