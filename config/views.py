from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import defaults

from config.api.errors import json_not_found, json_server_error


def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "landing.html")


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return json_not_found(request, exception)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return json_server_error(request)
    return defaults.server_error(request)
