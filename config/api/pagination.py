"""Pagination: numbered pages by default, cursors for big tables; never more than 1000 rows."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

_WHOLE_NUMBER = re.compile(r"[0-9]+")


def _once(request: Request, name: str) -> list[str]:
    """A paging parameter's values, refused when given twice: which one would we obey?"""
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise ValidationError({name: ["Give this parameter once."]}, code="repeated")
    return values


class PageSizeMixin:
    """``?page_size=`` is a whole number from 1 (above the maximum: the maximum), else a 400;
    DRF alone would quietly answer a default page for ``page_size=null``. Paging parameters
    come once each."""

    page_size_query_param = "page_size"
    max_page_size = settings.API_PAGE_SIZE_MAX

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        _once(request, getattr(self, "page_query_param", None) or self.cursor_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request: Request) -> int | None:
        for value in _once(request, self.page_size_query_param):
            if not _WHOLE_NUMBER.fullmatch(value) or int(value) < 1:
                raise ValidationError(
                    {self.page_size_query_param: ["Must be a whole number from 1."]}
                )
        return super().get_page_size(request)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters


class PageNumberPagination(PageSizeMixin, pagination.PageNumberPagination):
    def get_page_number(self, request: Request, paginator: Any) -> Any:
        # DRF reads ``?page=`` as page 1; the schema says an integer.
        if "" in request.query_params.getlist(self.page_query_param):
            raise ValidationError({self.page_query_param: ["Give a page number or leave it out."]})
        return super().get_page_number(request, paginator)


class CursorPagination(PageSizeMixin, pagination.CursorPagination):
    """For big or append-heavy tables: no COUNT(*), stable under inserts.

    Orders by ``?ordering=`` when the view allows it, else by ``ordering`` here
    (override per view with ``cursor_ordering``).
    """

    ordering = "-created_at"

    def get_ordering(self, request, queryset, view):
        self.ordering = getattr(view, "cursor_ordering", type(self).ordering)
        return super().get_ordering(request, queryset, view)
