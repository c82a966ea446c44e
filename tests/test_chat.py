"""config.chat against real HTTP servers on loopback: both wire formats, every failure kind."""

import pytest

from config.chat import ChatError, ChatProvider, chat_provider, phrasing_provider
from tests.loopback import AnthropicChatService, OpenAIChatService, Reply


@pytest.fixture
def openai_server():
    server = OpenAIChatService("a plain answer")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def anthropic_server():
    server = AnthropicChatService("bonjour")
    server.start()
    yield server
    server.stop()


def provider_for(server, *, attempts=3, timeout=5.0, waits=None):
    return ChatProvider(
        name="test",
        api=server.api,
        base_url=server.url,
        api_key="sk-test",
        timeout=timeout,
        attempts=attempts,
        sleep=(waits.append if waits is not None else lambda seconds: None),
    )


def test_openai_compatible_completion(openai_server):
    reply = provider_for(openai_server).complete(
        [{"role": "user", "content": "rate this dream"}],
        model="gpt-test",
        system="be brief",
        json_reply=True,
        max_tokens=64,
    )

    assert (reply.text, reply.model) == ("a plain answer", "gpt-test")
    assert (reply.input_tokens, reply.output_tokens) == (5, 3)
    assert reply.duration_ms >= 0
    [request] = openai_server.requests
    assert (request["method"], request["path"]) == ("POST", "/chat/completions")
    assert request["headers"]["authorization"] == "Bearer sk-test"
    assert request["body"]["messages"] == [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "rate this dream"},
    ]
    assert request["body"]["response_format"] == {"type": "json_object"}
    assert request["body"]["max_tokens"] == 64


def test_anthropic_messages_completion(anthropic_server):
    reply = provider_for(anthropic_server).complete(
        [{"role": "user", "content": "hello there"}], model="claude-test", system="french"
    )

    assert (reply.text, reply.input_tokens, reply.output_tokens) == ("bonjour", 2, 1)
    [request] = anthropic_server.requests
    assert request["path"] == "/messages"
    assert request["headers"]["x-api-key"] == "sk-test"
    assert request["headers"]["anthropic-version"] == "2023-06-01"
    assert request["body"]["system"] == "french"
    assert "authorization" not in request["headers"]


def test_rate_limit_is_retried_after_the_wait_the_server_asks(openai_server):
    openai_server.script = [Reply(status=429, headers={"Retry-After": "2"}, body={})]
    waits = []

    reply = provider_for(openai_server, waits=waits).complete(
        [{"role": "user", "content": "hi"}], model="m"
    )

    assert reply.text == "a plain answer"
    assert waits == [2.0]
    assert len(openai_server.requests) == 2


def test_rate_limit_that_persists_says_so_and_when_to_come_back(openai_server):
    openai_server.script = [Reply(status=429, headers={"Retry-After": "7"}, body={})] * 2

    with pytest.raises(ChatError) as failure:
        provider_for(openai_server, attempts=2).complete(
            [{"role": "user", "content": "hi"}], model="m"
        )

    assert (failure.value.kind, failure.value.retry_after) == ("rate_limited", 7.0)
    assert failure.value.transient


def test_server_error_is_unavailable_and_transient(openai_server):
    openai_server.script = [Reply(status=503, body={"error": {"message": "overloaded"}})] * 2

    with pytest.raises(ChatError) as failure:
        provider_for(openai_server, attempts=2).complete(
            [{"role": "user", "content": "hi"}], model="m"
        )

    assert (failure.value.kind, failure.value.status, failure.value.transient) == (
        "unavailable",
        503,
        True,
    )
    assert "overloaded" in str(failure.value)


def test_timeout(openai_server):
    openai_server.script = [Reply(hang=3)]

    with pytest.raises(ChatError) as failure:
        provider_for(openai_server, attempts=1, timeout=0.3).complete(
            [{"role": "user", "content": "hi"}], model="m"
        )

    assert failure.value.kind == "timeout"
    assert failure.value.transient


def test_refusal_is_not_retried(openai_server):
    openai_server.script = [Reply(status=401, body={"error": {"message": "bad key"}})]

    with pytest.raises(ChatError) as failure:
        provider_for(openai_server).complete([{"role": "user", "content": "hi"}], model="m")

    assert (failure.value.kind, failure.value.transient) == ("refused", False)
    assert len(openai_server.requests) == 1


@pytest.mark.parametrize(
    "reply",
    [
        Reply(raw=b"<html>gateway says hi</html>"),
        Reply(body={"choices": []}),
        Reply(body={"choices": [{"message": {"content": None}}]}),
    ],
    ids=["not-json", "no-choices", "no-text"],
)
def test_malformed_reply(openai_server, reply):
    openai_server.script = [reply]

    with pytest.raises(ChatError) as failure:
        provider_for(openai_server).complete([{"role": "user", "content": "hi"}], model="m")

    assert failure.value.kind == "bad_reply"
    assert not failure.value.transient


def test_providers_come_from_settings(settings, openai_server):
    settings.CHAT_PROVIDERS = {}
    assert chat_provider("openai") is None
    assert phrasing_provider() is None

    settings.CHAT_PROVIDERS = {"local-llm": {"api": "openai", "base_url": openai_server.url}}
    settings.CHAT_PHRASING_PROVIDER, settings.CHAT_PHRASING_MODEL = "local-llm", "llama3"

    provider, model = phrasing_provider()
    assert provider is chat_provider("local-llm")
    assert model == "llama3"
    assert provider.complete([{"role": "user", "content": "hi"}], model=model).text == (
        "a plain answer"
    )
    assert "authorization" not in openai_server.requests[0]["headers"]
