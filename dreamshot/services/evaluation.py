"""Asking a model how impossible a dream is: the prompt, the providers, the defensive parse.

The model rates four factors 0-100 (comprehension, quality, innovation, feasibility) with a
confidence and its reasoning, as JSON; overall = their mean and impossibility = 100 - overall.
Remote models answer through ``config.chat`` (any OpenAI-compatible API, or Anthropic's);
the ``LOCAL`` catalogue entry without a chat provider is a transparent heuristic that needs
nothing remote and costs nothing, so a fresh install runs the whole loop offline.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.chat import ChatError, ChatProvider, chat_provider
from dreamshot.models import AiModel

logger = logging.getLogger(__name__)

EVALUATION_VERSION = "2025.1"
FACTORS = ("comprehension", "quality", "innovation", "feasibility")
REASONING_MAX_CHARS = 5000
CENTS = Decimal("0.01")
MICRO = Decimal("0.000001")

SYSTEM_PROMPT = (
    "You rate how achievable a person's dream is. Answer with one JSON object and nothing "
    'else: {"comprehension": 0-100, "quality": 0-100, "innovation": 0-100, '
    '"feasibility": 0-100, "confidence": 0-100, "reasoning": "two or three sentences"}. '
    "comprehension: how well-defined the dream is; quality: how sound the plan it implies is; "
    "innovation: how novel it is; feasibility: how achievable with today's means; "
    "confidence: how sure you are of your rating."
)


class EvaluationFailed(Exception):
    """The model's answer could not be had or read; ``kind`` says which (``malformed``, or
    a ``config.chat.ChatError`` kind); tokens spent so far still count toward the cost."""

    def __init__(
        self, message: str, *, kind: str, input_tokens: int = 0, output_tokens: int = 0
    ) -> None:
        super().__init__(message)
        self.kind, self.input_tokens, self.output_tokens = kind, input_tokens, output_tokens


@dataclass(frozen=True)
class Evaluation:
    factors: dict[str, Decimal]
    confidence: Decimal
    reasoning: str
    response: str
    answered_by: str
    input_tokens: int
    output_tokens: int
    duration_ms: int
    heuristic_signals: dict[str, Any] = field(default_factory=dict)

    @property
    def overall(self) -> Decimal:
        return (sum(self.factors.values()) / len(self.factors)).quantize(CENTS, ROUND_HALF_UP)

    @property
    def impossibility(self) -> Decimal:
        return (Decimal(100) - self.overall).quantize(CENTS, ROUND_HALF_UP)


def evaluation_prompt(*, title: str, prompt: str, category: str) -> str:
    return f"Dream ({category.lower()}): {title}\n\n{prompt}"


def test_parameters(prompt: str) -> dict[str, Any]:
    """What the evaluation asked with: kept on the test to compare like with like."""
    return {
        "temperature": settings.DREAMSHOT_EVALUATION_TEMPERATURE,
        "max_tokens": settings.DREAMSHOT_EVALUATION_MAX_TOKENS,
        "evaluation_version": EVALUATION_VERSION,
        "prompt_hash": hashlib.sha256(f"{SYSTEM_PROMPT}\n{prompt}".encode()).hexdigest()[:16],
    }


def estimated_tokens(prompt: str) -> tuple[int, int]:
    """A ceiling on one evaluation's input and output tokens (about four characters a token),
    for refusing a batch that would break a budget before anything is sent."""
    return (len(SYSTEM_PROMPT) + len(prompt)) // 3 + 16, settings.DREAMSHOT_EVALUATION_MAX_TOKENS


def cost_of(model: AiModel, *, input_tokens: int, output_tokens: int) -> Decimal:
    """Tokens x the catalogue's price per 1k (input and output priced apart where they differ)."""
    cost = (
        Decimal(input_tokens) * model.cost_per_1k_tokens
        + Decimal(output_tokens) * model.output_price
    ) / 1000
    return cost.quantize(MICRO, ROUND_HALF_UP)


def runnable(model: AiModel) -> bool:
    """Whether ``model`` can be asked: the heuristic always, others when their chat provider
    is configured (and configured correctly)."""
    return model.is_heuristic or _provider(model) is not None


def _provider(model: AiModel) -> ChatProvider | None:
    try:
        return chat_provider(chat_provider_name(model))
    except ImproperlyConfigured:
        logger.exception("chat provider %r is misconfigured", chat_provider_name(model))
        return None


def chat_provider_name(model: AiModel) -> str:
    return model.chat_provider or model.provider.lower()


def evaluate(model: AiModel, *, prompt: str) -> Evaluation:
    """Ask ``model`` to rate ``prompt``; raises ``EvaluationFailed``."""
    if model.is_heuristic:
        return heuristic_evaluation(prompt)
    provider = _provider(model)
    if provider is None:
        raise EvaluationFailed(
            f"no chat provider {chat_provider_name(model)!r} is configured (CHAT_PROVIDERS)",
            kind="refused",
        )
    try:
        reply = provider.complete(
            [{"role": "user", "content": prompt}],
            model=model.name,
            max_tokens=settings.DREAMSHOT_EVALUATION_MAX_TOKENS,
            temperature=settings.DREAMSHOT_EVALUATION_TEMPERATURE,
            system=SYSTEM_PROMPT,
            json_reply=True,
        )
    except ChatError as exc:
        retry = f" (retry after {exc.retry_after:g} s)" if exc.retry_after else ""
        raise EvaluationFailed(f"{exc.kind}: {exc}{retry}", kind=exc.kind) from exc
    try:
        factors, confidence, reasoning = parse_rating(reply.text)
    except ValueError as exc:
        raise EvaluationFailed(
            f"malformed answer: {exc}",
            kind="malformed",
            input_tokens=reply.input_tokens,
            output_tokens=reply.output_tokens,
        ) from exc
    return Evaluation(
        factors=factors,
        confidence=confidence,
        reasoning=reasoning,
        response=reply.text,
        answered_by=reply.model,
        input_tokens=reply.input_tokens,
        output_tokens=reply.output_tokens,
        duration_ms=reply.duration_ms,
    )


_JSON_OBJECT = re.compile(r"\{.*\}", re.S)


def parse_rating(text: str) -> tuple[dict[str, Decimal], Decimal, str]:
    """The four factors, the confidence and the reasoning from a model's answer: a JSON
    object, possibly inside a code fence or prose. Raises ``ValueError`` saying what is
    wrong: no object, a factor missing, not a number, or outside 0-100."""
    match = _JSON_OBJECT.search(text or "")
    if match is None:
        raise ValueError("no JSON object in the answer")
    try:
        rating = json.loads(match[0])
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg})") from None
    if not isinstance(rating, dict):
        raise ValueError("the answer is not a JSON object")
    factors = {name: _score(rating, name) for name in FACTORS}
    reasoning = rating.get("reasoning", "")
    if not isinstance(reasoning, str):
        raise ValueError("reasoning is not text")
    return factors, _score(rating, "confidence"), reasoning.strip()[:REASONING_MAX_CHARS]


def _score(rating: dict[str, Any], name: str) -> Decimal:
    value = rating.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"{name} is missing or not a number")
    try:
        score = Decimal(str(value).strip().rstrip("%"))
    except ArithmeticError:
        raise ValueError(f"{name} is not a number: {value!r}") from None
    if not score.is_finite() or not 0 <= score <= 100:
        raise ValueError(f"{name} is outside 0-100: {value!r}")
    return score.quantize(CENTS, ROUND_HALF_UP)


# --- the local heuristic ---------------------------------------------------------------------

# Words that make a dream harder or easier; each hit moves feasibility by its weight.
HARDER = {
    "teleport": 40, "immortal": 40, "time travel": 45, "faster than light": 45,
    "perpetual": 40, "mars": 25, "moon": 20, "space": 12, "cure": 20, "world": 10,
    "global": 10, "billion": 12, "everyone": 8, "forever": 15, "fusion": 15,
}  # fmt: skip
EASIER = {
    "learn": 12, "write": 10, "garden": 10, "run": 8, "start": 8, "build": 5, "open": 6,
    "save": 6, "visit": 8, "read": 10, "cook": 10, "paint": 10, "walk": 8,
}  # fmt: skip
NOVEL = ("ai", "quantum", "robot", "new", "first", "invent", "space", "gene", "fusion")


def heuristic_evaluation(prompt: str) -> Evaluation:
    """A transparent, deterministic rating from the text alone, not an AI model's: the same
    prompt always scores the same, and ``signals`` says which words moved which factor."""
    started = time.perf_counter()
    text = prompt.lower()
    words = re.findall(r"[a-z']+", text)
    harder = {phrase: weight for phrase, weight in HARDER.items() if _mentions(text, phrase)}
    easier = {phrase: weight for phrase, weight in EASIER.items() if _mentions(text, phrase)}
    novel = [word for word in NOVEL if _mentions(text, word)]
    # Detail helps comprehension up to about 60 words; a deadline ("by 2040") helps quality.
    comprehension = min(95, 40 + len(words))
    quality = min(
        90, 45 + 3 * len(set(words)) // 4 + (10 if re.search(r"\b(19|20)\d\d\b", text) else 0)
    )
    innovation = min(95, 35 + 12 * len(novel))
    feasibility = max(2, min(95, 60 - sum(harder.values()) + sum(easier.values())))
    factors = {
        name: Decimal(value).quantize(CENTS)
        for name, value in zip(
            FACTORS, (comprehension, quality, innovation, feasibility), strict=True
        )
    }
    signals = {"harder": harder, "easier": easier, "novel": novel, "words": len(words)}
    confidence = Decimal(min(60, 20 + 5 * (len(harder) + len(easier)) + len(words) // 10))
    reasoning = (
        "Local heuristic, not an AI model: feasibility "
        + (f"lowered by {', '.join(harder)}" if harder else "not lowered by any hard goal")
        + (f" and raised by {', '.join(easier)}" if easier else "")
        + f"; comprehension from {len(words)} words of detail."
    )
    response = json.dumps({**{k: float(v) for k, v in factors.items()},
                           "confidence": float(confidence), "reasoning": reasoning})  # fmt: skip
    return Evaluation(
        factors=factors,
        confidence=confidence.quantize(CENTS),
        reasoning=reasoning,
        response=response,
        answered_by="local-heuristic",
        input_tokens=0,
        output_tokens=0,
        duration_ms=round((time.perf_counter() - started) * 1000),
        heuristic_signals=signals,
    )


def _mentions(text: str, phrase: str) -> bool:
    return re.search(rf"\b{re.escape(phrase)}", text) is not None
