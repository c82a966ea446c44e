"""Every viewset route registered under /api/v1/ has an ``ApiContract`` test class."""

import importlib
from pathlib import Path

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from config.testing import ApiContract

ROOT = Path(settings.BASE_DIR)


def registered_viewset_routes() -> set[str]:
    routes = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, ":".join(filter(None, [namespace, pattern.namespace])))
            elif (
                isinstance(pattern, URLPattern)
                and hasattr(pattern.callback, "cls")
                and pattern.name
                and pattern.name.endswith("-list")
            ):
                routes.add(f"{namespace}:{pattern.name.removesuffix('-list')}")

    walk(get_resolver().url_patterns, "")
    return {route for route in routes if route.startswith("api:")}


def contract_routes() -> set[str]:
    for package in ["tests", *settings.LUCID_APPS]:
        for path in sorted((ROOT / package).rglob("test_*.py")):
            importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return {sub.route for sub in subclasses(ApiContract) if hasattr(sub, "route")}


def test_every_api_route_has_a_contract_test():
    routes = registered_viewset_routes()
    assert "api:personakit:api-key" in routes  # the walk itself works
    missing = routes - contract_routes()
    assert not missing, f"API routes without an ApiContract test class: {sorted(missing)}"
