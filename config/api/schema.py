"""OpenAPI generation: every app's components carry the app's name.

Dreamshot has ``dreams`` as Dreamcatcher does, Dreamscape ``user_personas`` as PersonaKit has
personas: a ``DreamSerializer`` in two apps would otherwise be one ``Dream`` component that
silently describes only one of them. Serializers of an app are named ``<App><Name>``
(``DreamcatcherDream``); inline and proxy serializers take the app of the view that uses
them; the platform's own (``config``) keep their plain names.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import is_list_serializer

_GENERATED = ("drf_spectacular", "rest_framework")  # inline_serializer, PolymorphicProxy …


def app_prefix(serializer: Any, view: Any) -> str:
    """``Dreamcatcher`` for a serializer of the dreamcatcher app, "" for the platform's."""
    if is_list_serializer(serializer):
        serializer = serializer.child
    package = type(serializer).__module__.split(".")[0]
    if package in _GENERATED:
        package = type(view).__module__.split(".")[0]
    return package.capitalize() if package in settings.LUCID_APPS else ""


class AutoSchema(SpectacularAutoSchema):
    def _get_serializer_name(
        self, serializer: Any, direction: str, bypass_extensions: bool = False
    ) -> str:
        name = super()._get_serializer_name(serializer, direction, bypass_extensions)
        prefix = app_prefix(serializer, self.view)
        return name if name.startswith(prefix) else prefix + name
