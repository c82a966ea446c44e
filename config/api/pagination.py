"""Pagination: numbered pages by default, cursors for big tables; never more than 1000 rows."""

from django.conf import settings
from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = settings.API_PAGE_SIZE_MAX


class CursorPagination(pagination.CursorPagination):
    """For big or append-heavy tables: no COUNT(*), stable under inserts.

    Orders by ``?ordering=`` when the view allows it, else by ``ordering`` here
    (override per view with ``cursor_ordering``).
    """

    page_size_query_param = "page_size"
    max_page_size = settings.API_PAGE_SIZE_MAX
    ordering = "-created_at"

    def get_ordering(self, request, queryset, view):
        self.ordering = getattr(view, "cursor_ordering", type(self).ordering)
        return super().get_ordering(request, queryset, view)
