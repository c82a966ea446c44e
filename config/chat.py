"""Chat-completion providers for the AI features: any OpenAI-compatible chat API (OpenAI, Azure,
Ollama, vLLM, gateways) and Anthropic's messages API, behind one call.

``settings.CHAT_PROVIDERS`` maps a provider name to ``{"api": "openai" | "anthropic",
"base_url": ..., "api_key": ...}`` (from ``CHAT_PROVIDERS=openai,ollama`` and
``CHAT_<NAME>_API`` / ``_BASE_URL`` / ``_API_KEY``). ``chat_provider(name)`` is ``None`` for a
name that is not configured, so a feature falls back to its local, deterministic text.

Requests go through ``config.http.RetryingClient``: timeouts, connection errors, 429 (honouring
``Retry-After``) and 5xx are retried ``CHAT_MAX_RETRIES`` times. A completion changes nothing
on the provider's side, so it is safe to send again. What still fails raises ``ChatError``,
whose ``kind`` says what happened, so callers can record it and decide whether to try later.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.http import RemoteServiceError, RetryingClient

ChatErrorKind = Literal["timeout", "rate_limited", "unavailable", "refused", "bad_reply"]

DEFAULT_BASE_URLS = {
    "openai": "https://api.openai.com/v1",
    "anthropic": "https://api.anthropic.com/v1",
}
ANTHROPIC_VERSION = "2023-06-01"


class ChatError(Exception):
    """A chat request failed. ``kind``: ``timeout``, ``rate_limited``, ``unavailable`` (5xx or
    no connection), ``refused`` (another 4xx: a bad key, an unknown model) or ``bad_reply``
    (a 2xx whose body is not a completion). ``transient``: whether trying later may help;
    ``retry_after``: the wait in seconds the provider asked for, if it did."""

    def __init__(
        self,
        message: str,
        *,
        kind: ChatErrorKind,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.kind, self.status, self.retry_after = kind, status, retry_after

    @property
    def transient(self) -> bool:
        return self.kind in ("timeout", "rate_limited", "unavailable")


@dataclass(frozen=True)
class ChatReply:
    """A completion: its text, the model that answered and what it cost in tokens and time."""

    text: str
    model: str
    input_tokens: int
    output_tokens: int
    duration_ms: int


class ChatProvider:
    """One configured provider. ``api`` is the wire format: ``openai`` or ``anthropic``."""

    def __init__(
        self,
        *,
        name: str,
        api: str,
        base_url: str,
        api_key: str,
        timeout: float,
        attempts: int,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if api not in DEFAULT_BASE_URLS:
            raise ImproperlyConfigured(
                f"chat provider {name!r}: api must be 'openai' or 'anthropic', got {api!r}"
            )
        self.name, self.api = name, api
        if api == "anthropic":
            headers = {"x-api-key": api_key, "anthropic-version": ANTHROPIC_VERSION}
        else:
            headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        try:
            self.http = RetryingClient(
                service=f"chat provider {name}",
                base_url=base_url,
                headers={**headers, "Accept": "application/json", "User-Agent": "lucid-chat"},
                timeout=timeout,
                attempts=attempts,
                sleep=sleep,
            )
        except ValueError as exc:
            raise ImproperlyConfigured(str(exc)) from exc

    def complete(
        self,
        messages: list[dict[str, str]],
        *,
        model: str,
        max_tokens: int = 512,
        temperature: float = 0.0,
        system: str | None = None,
        json_reply: bool = False,
    ) -> ChatReply:
        """Send ``messages`` (``{"role": "user" | "assistant", "content": ...}``) and return
        the reply. ``json_reply`` asks an OpenAI-compatible server for a JSON object (Anthropic
        has no such switch: say so in the prompt). Raises ``ChatError``."""
        if self.api == "anthropic":
            path = "/messages"
            body: dict[str, Any] = {"model": model, "max_tokens": max_tokens}
            body |= {"temperature": temperature, "messages": messages}
            if system:
                body["system"] = system
        else:
            path = "/chat/completions"
            prompt = [{"role": "system", "content": system}] if system else []
            body = {"model": model, "messages": prompt + messages}
            body |= {"max_tokens": max_tokens, "temperature": temperature}
            if json_reply:
                body["response_format"] = {"type": "json_object"}
        started = time.perf_counter()
        try:
            response = self.http.request("POST", path, json=body, idempotent=True)
        except RemoteServiceError as exc:
            raise _chat_error(exc) from exc
        duration_ms = round((time.perf_counter() - started) * 1000)
        try:
            reply = response.json()
            read = _read_anthropic if self.api == "anthropic" else _read_openai
            text, input_tokens, output_tokens = read(reply)
            answered_by = str(reply.get("model") or model)
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            raise ChatError(
                f"chat provider {self.name} answered {response.status_code} with something "
                f"that is not a completion ({type(exc).__name__}: {exc})",
                kind="bad_reply",
                status=response.status_code,
            ) from exc
        return ChatReply(text, answered_by, input_tokens, output_tokens, duration_ms)

    def close(self) -> None:
        self.http.close()


def _read_openai(reply: dict[str, Any]) -> tuple[str, int, int]:
    content = reply["choices"][0]["message"]["content"]
    if not isinstance(content, str):
        raise TypeError("choices[0].message.content is not text")
    usage = reply.get("usage") or {}
    return content, int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)


def _read_anthropic(reply: dict[str, Any]) -> tuple[str, int, int]:
    blocks = [block["text"] for block in reply["content"] if block.get("type") == "text"]
    if not blocks:
        raise KeyError("content has no text block")
    usage = reply.get("usage") or {}
    return (
        "".join(blocks),
        int(usage.get("input_tokens") or 0),
        int(usage.get("output_tokens") or 0),
    )


def _chat_error(exc: RemoteServiceError) -> ChatError:
    if isinstance(exc.__cause__, httpx.TimeoutException):
        kind: ChatErrorKind = "timeout"
    elif exc.status == 429:
        kind = "rate_limited"
    elif exc.transient:
        kind = "unavailable"
    else:
        kind = "refused"
    return ChatError(str(exc), kind=kind, status=exc.status, retry_after=exc.retry_after)


_providers: dict[tuple[str, tuple[tuple[str, Any], ...]], ChatProvider] = {}


def chat_provider(name: str) -> ChatProvider | None:
    """The provider configured as ``name`` in ``settings.CHAT_PROVIDERS``, or ``None``."""
    config = settings.CHAT_PROVIDERS.get(name)
    if not config:
        return None
    options = {
        "api": config.get("api", "openai"),
        "api_key": config.get("api_key", ""),
        "timeout": float(config.get("timeout", settings.CHAT_TIMEOUT)),
        "attempts": int(config.get("attempts", settings.CHAT_MAX_RETRIES + 1)),
    }
    options["base_url"] = config.get("base_url") or DEFAULT_BASE_URLS.get(options["api"], "")
    # One pooled client per configuration; a changed setting (tests, a reload) makes a new one.
    key = (name, tuple(sorted(options.items())))
    if key not in _providers:
        _providers[key] = ChatProvider(name=name, **options)
    return _providers[key]


def phrasing_provider() -> tuple[ChatProvider, str] | None:
    """The provider and model that phrase summaries and answers (``CHAT_PHRASING_PROVIDER``,
    ``CHAT_PHRASING_MODEL``), or ``None`` when not configured: then features use their own
    deterministic text."""
    name, model = settings.CHAT_PHRASING_PROVIDER, settings.CHAT_PHRASING_MODEL
    provider = chat_provider(name) if name else None
    return (provider, model) if provider and model else None
