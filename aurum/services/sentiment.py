"""Journal sentiment: a score in [-1, 1] from a small lexicon, and its category.

Deterministic and local: words carry ±1 (strong ones ±2), a negation within the three words
before flips a word, an intensifier before it scales it by 1.5, and the sum is squashed into
(-1, 1) as VADER does (``s / sqrt(s² + 15)``), so a longer happy entry reads happier than a
one-word one without ever reaching 1.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

POSITIVE = {
    "accomplished", "achieved", "calm", "celebrate", "clear", "confident", "content", "done",
    "energized", "energised", "enjoy", "enjoyed", "excited", "finished", "focused", "fun",
    "glad", "good", "grateful", "great", "happy", "hope", "hopeful", "inspired", "joy",
    "kind", "laugh", "learned", "love", "loved", "motivated", "nice", "peaceful", "productive",
    "progress", "proud", "relaxed", "rested", "satisfied", "smooth", "success", "successful",
    "thankful", "win", "won", "better", "best", "well", "easy", "helpful",
}  # fmt: skip
STRONG_POSITIVE = {"amazing", "awesome", "excellent", "fantastic", "thrilled", "wonderful",
                   "brilliant", "delighted", "ecstatic", "perfect"}  # fmt: skip
NEGATIVE = {
    "afraid", "angry", "annoyed", "anxious", "bad", "behind", "bored", "broke", "confused",
    "difficult", "disappointed", "distracted", "doubt", "drained", "exhausted", "failed",
    "fail", "frustrated", "guilty", "hard", "hate", "hurt", "lonely", "lost", "missed",
    "nervous", "overwhelmed", "pain", "problem", "procrastinated", "regret", "sad", "scared",
    "sick", "slow", "stressed", "stuck", "struggle", "struggled", "tired", "upset", "unhappy",
    "worried", "worry", "worse", "worst", "wrong", "late", "stress", "blocked",
}  # fmt: skip
STRONG_NEGATIVE = {"awful", "terrible", "horrible", "miserable", "devastated", "hopeless",
                   "furious", "disaster", "burnout", "depressed"}  # fmt: skip
NEGATIONS = {"not", "no", "never", "nothing", "hardly", "without", "isn't", "wasn't", "don't",
             "didn't", "can't", "couldn't", "won't", "nor", "neither"}  # fmt: skip
INTENSIFIERS = {"very", "really", "so", "extremely", "incredibly", "super", "truly", "deeply"}
NEGATION_REACH = 3
SQUASH = 15.0

CATEGORIES = (
    (Decimal("0.6"), "very_positive"),
    (Decimal("0.2"), "positive"),
    (Decimal("-0.2"), "neutral"),
    (Decimal("-0.6"), "negative"),
)
WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class Sentiment:
    score: Decimal  # in [-1, 1], two places (the DECIMAL(3,2) column)
    category: str
    matched: tuple[str, ...]  # the lexicon words that counted, in order


def _word_value(word: str) -> float:
    if word in STRONG_POSITIVE:
        return 2.0
    if word in POSITIVE:
        return 1.0
    if word in STRONG_NEGATIVE:
        return -2.0
    if word in NEGATIVE:
        return -1.0
    return 0.0


def sentiment_category(score: Decimal | float) -> str:
    """≥ 0.6 very positive, ≥ 0.2 positive, ≥ -0.2 neutral, ≥ -0.6 negative, else very negative."""
    value = Decimal(str(score))
    for threshold, name in CATEGORIES:
        if value >= threshold:
            return name
    return "very_negative"


def journal_sentiment(text: str) -> Sentiment:
    """The sentiment of a journal entry's text; empty or neutral text scores 0."""
    words = WORD.findall((text or "").lower().replace("\u2019", "'"))
    total = 0.0
    matched: list[str] = []
    for index, word in enumerate(words):
        value = _word_value(word)
        if not value:
            continue
        before = words[max(0, index - NEGATION_REACH) : index]
        if any(w in NEGATIONS or w.endswith("n't") for w in before):
            value = -value * 0.75  # "not happy" is less negative than "sad"
        if index and words[index - 1] in INTENSIFIERS:
            value *= 1.5
        total += value
        matched.append(word)
    squashed = total / math.sqrt(total * total + SQUASH) if total else 0.0
    score = Decimal(str(squashed)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return Sentiment(score=score, category=sentiment_category(score), matched=tuple(matched))
