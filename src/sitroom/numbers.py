"""Numbers as news reports write them: figures in digits or words, ranges and vague quantities.

The words (units, scales, vague quantities, qualifiers) are in ``data/numbers.yaml``; casualty
figures (``sitroom.extract.fatalities``) and date counts (``sitroom.extract.dates``) read them
through this module. Values follow ACLED's convention of the lowest credible figure.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sitroom.errors import KnowledgeBaseError
from sitroom.knowledge import loader
from sitroom.knowledge.loader import Overrides


def numbers_data(overrides: Overrides = ()) -> Mapping[str, Any]:
    """``data/numbers.yaml`` with the user's overrides of it (a mapping, read once per process).

    ``overrides`` here and below: ``Config.overrides()``, a tuple so that the caches key on it.
    """
    return loader.load("numbers.yaml", overrides).data


def words(raw: Any, key: str) -> tuple[str, ...]:
    """A numbers.yaml list of phrases, lowercased with single spaces."""
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise KnowledgeBaseError(f"numbers.yaml: '{key}' must be a list of strings")
    return tuple(" ".join(item.lower().split()) for item in raw)


def _table(raw: Any, key: str) -> dict[str, int]:
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, int) for k, v in raw.items()
    ):
        raise KnowledgeBaseError(f"numbers.yaml: '{key}' must map words to integers")
    return {" ".join(k.lower().split()): v for k, v in raw.items()}


@dataclass(frozen=True, slots=True)
class NumberWords:
    """The number words of numbers.yaml: "twenty" 20, "hundred" x100, "dozens" 12, "at least"."""

    units: Mapping[str, int]
    scales: Mapping[str, int]
    vague: Mapping[str, int]
    qualifiers: tuple[str, ...]


@functools.cache
def number_words(overrides: Overrides = ()) -> NumberWords:
    """The number words, checked (cached)."""
    data = numbers_data(overrides)
    try:
        return NumberWords(
            units=_table(data["units"], "units"),
            scales=_table(data["scales"], "scales"),
            vague=_table(data["vague"], "vague"),
            qualifiers=words(data["qualifiers"], "qualifiers"),
        )
    except (KeyError, AttributeError, TypeError) as e:
        raise KnowledgeBaseError(f"numbers.yaml: missing or malformed section: {e}") from e


def alt(phrases: Iterable[str]) -> str:
    """A regex alternation of phrases, longest first, any whitespace between words."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in ordered)


@dataclass(frozen=True, slots=True)
class NumberPatterns:
    """Regexes over number phrases; ``quantity`` and ``word`` are sources for others to embed."""

    number: re.Pattern[str]  # one figure, digits or words, anchored with fullmatch
    range_: re.Pattern[str]
    quantity: str  # a whole quantity phrase: "at least 25", "dozens of", "between 10 and 15"
    word: str  # one number word: "twenty", "hundred"


@functools.cache
def patterns(overrides: Overrides = ()) -> NumberPatterns:
    """The number patterns built from the number words (cached)."""
    lex = number_words(overrides)
    word = alt([*lex.units, *lex.scales])
    # "and" joins words only after hundred/thousand ("two hundred and fifty"), so that
    # "two and three" stays two figures.
    joiner = r"(?:(?<=hundred)\s+and\s+|(?<=thousand)\s+and\s+|\s+|-)"
    words_ = rf"(?:\ban?\s+(?:{alt(lex.scales)})|\b(?:{word}))(?:{joiner}(?:{word}))*\b(?!-?[\w])"
    digits = (
        r"(?<![\w.,/])(?<![A-Za-z]-)(?:\d+\.\d+\s+(?:million|thousand)"
        r"|(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+)"
        r"(?:\s+(?:million|thousand))?)(?![\w%]|[.,]\d|-[^\W\d])"
    )
    num = rf"(?:{digits}|{words_})"
    vague = rf"\b(?:{alt(lex.vague)})\b(?:\s+of\b)?"
    qual = rf"\b(?:{alt(lex.qualifiers)})\s+"
    quantity = (
        rf"(?:(?:{qual})?(?:\bbetween\s+{num}\s+and\s+{num}|{num}(?:\s*(?:-|–|to\b|or\b)\s*{num})?)"
        rf"|(?:{qual})?{vague})"
    )
    flags = re.IGNORECASE
    return NumberPatterns(
        number=re.compile(num, flags),
        range_=re.compile(rf"(?:\bbetween\s+)?({num})\s*(?:-|–|to\b|or\b|and\b)\s*({num})", flags),
        quantity=quantity,
        word=word,
    )


def figure(phrase: str, overrides: Overrides = ()) -> int | None:
    """Value of one figure: "1,200", "3 000", "1.5 million", "twenty-five", "a dozen"."""
    lex = number_words(overrides)
    text = " ".join(phrase.lower().split())
    if text in lex.vague:
        return lex.vague[text]
    if text and text[0].isdigit():
        scale = 1
        for name, value in (("million", 1_000_000), ("thousand", 1000)):
            if text.endswith(name):
                scale, text = value, text[: -len(name)].strip()
        plain = re.sub(r"[,\s\u00a0\u202f]", "", text)
        try:
            return int(float(plain) * scale) if "." in plain else int(plain) * scale
        except ValueError:
            return None
    total = current = 0
    seen = False
    for token in re.split(r"[\s-]+", text):
        if token in ("a", "an"):
            current = max(current, 1)
        elif token == "and":
            continue
        elif token in lex.units:
            current += lex.units[token]
            seen = True
        elif token in lex.scales:
            scale = lex.scales[token]
            current = max(current, 1) * scale
            seen = True
            if scale >= 1000:
                total, current = total + current, 0
        else:
            return None
    return total + current if seen else None


def parse_quantity(phrase: str, overrides: Overrides = ()) -> int | None:
    """Lowest credible value of a quantity phrase ("at least 25" 25, "10-15" 10); None if none."""
    lex = number_words(overrides)
    pats = patterns(overrides)
    text = " ".join(phrase.lower().split())
    for qualifier in sorted(lex.qualifiers, key=len, reverse=True):
        if text.startswith(qualifier + " "):
            text = text[len(qualifier) + 1 :]
            break
    if text.endswith(" of") and text not in lex.vague:
        text = text[:-3]
    if pats.number.fullmatch(text) or text in lex.vague:
        return figure(text, overrides)
    ranged = pats.range_.fullmatch(text)
    if ranged:
        low, high = figure(ranged.group(1), overrides), figure(ranged.group(2), overrides)
        if low is None or high is None:
            return None
        return min(low, high)
    return None


def is_vague(phrase: str, overrides: Overrides = ()) -> bool:
    """True for a quantity without a figure ("several", "dozens of"), as numbers.yaml lists them."""
    text = " ".join(phrase.lower().split())
    vague = number_words(overrides).vague
    return text in vague or text.removesuffix(" of") in vague
