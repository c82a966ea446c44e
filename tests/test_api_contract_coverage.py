"""Every route under /api/v1/ has a contract test class: viewsets an ``ApiContract``, plain
``APIView`` routes an ``ApiViewContract`` (``config.testing``)."""

import importlib
from pathlib import Path

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from config.testing import ApiContract, ApiViewContract

ROOT = Path(settings.BASE_DIR)


def registered_api_routes() -> set[str]:
    """A viewset by its route (``api:<app>:<basename>``), an APIView by its URL name."""
    routes = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, ":".join(filter(None, [namespace, pattern.namespace])))
            elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "cls"):
                if getattr(pattern.callback, "actions", None) is None:
                    routes.add(f"{namespace}:{pattern.name}")
                elif pattern.name.endswith("-list"):
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

    contracts = [*subclasses(ApiContract), *subclasses(ApiViewContract)]
    return {sub.route for sub in contracts if hasattr(sub, "route")}


def test_every_api_route_has_a_contract_test():
    routes = registered_api_routes()
    # The walk itself finds both kinds of route.
    assert {"api:personakit:api-key", "api:me", "api:dreamcatcher:activity"} <= routes
    missing = routes - contract_routes()
    assert not missing, f"API routes without a contract test class: {sorted(missing)}"
