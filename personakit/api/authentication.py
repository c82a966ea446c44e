"""``Authorization: Api-Key <key>`` for the API."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from personakit.models import ApiKey
from personakit.services.api_keys import api_key_verify

KEYWORD = "Api-Key"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """Authenticates by API key; a present but wrong, expired or revoked key is a 401."""

    def authenticate(self, request: Request) -> tuple[object, ApiKey] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _, raw_key = header.partition(" ")
        if keyword.lower() != KEYWORD.lower():
            return None
        raw_key = raw_key.strip()
        if not raw_key or " " in raw_key:
            raise exceptions.AuthenticationFailed(
                "Malformed Api-Key header.", code="invalid_api_key"
            )
        api_key = api_key_verify(raw_key)
        if api_key is None:
            raise exceptions.AuthenticationFailed(
                "Invalid, expired or revoked API key.", code="invalid_api_key"
            )
        return api_key.user, api_key

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`; issue one in the admin or with "
            "`manage.py create_api_key <username>`.",
        }
