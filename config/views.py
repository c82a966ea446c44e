from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.encoding import escape_uri_path
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt

from config.api.errors import json_not_found, json_server_error, single_error


def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "landing.html")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _toggle_slash(path: str) -> str:
    return path.removesuffix("/") if path.endswith("/") else f"{path}/"


@csrf_exempt
def api_fallback(request: HttpRequest) -> HttpResponse:
    """Any ``/api/`` path no route matched, whatever the method and whether ``DEBUG`` is on.

    The same path with or without its trailing slash is a 308 to the route (method and body
    kept: canonical API paths have none, ``/api/v1/`` and the docs have one); anything else
    is the API's JSON 404, never Django's HTML page.
    """
    try:
        match = resolve(_toggle_slash(request.path_info))
    except Resolver404:
        match = None
    if match is None or match.url_name == "api-fallback":
        return json_not_found(request)
    query = request.META.get("QUERY_STRING", "")
    location = escape_uri_path(_toggle_slash(request.path)) + (f"?{query}" if query else "")
    return HttpResponsePermanentRedirect(location, preserve_request=True)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(single_error("bad_request", "Bad request."), status=400)
    return defaults.bad_request(request, exception)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return json_not_found(request, exception)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return json_server_error(request)
    return defaults.server_error(request)
