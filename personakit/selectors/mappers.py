"""Mapper configs: which version of a config is in use."""

from __future__ import annotations

from personakit.choices import MapperStatus
from personakit.models import MapperConfig


def mapper_active(*, config_id: str) -> MapperConfig | None:
    """The active version of ``config_id``, if any."""
    return MapperConfig.objects.filter(config_id=config_id, status=MapperStatus.ACTIVE).first()
