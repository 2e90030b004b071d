"""Place-name folding: the lookup key of a name (``fold``) and its light form (``light_fold``),
by the rules of ``data/place_folding.yaml`` (characters, articles, words, spellings). A user's
folding file installed for the process (``loader.install``) clears the cached keys.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from sitroom.errors import GazetteerError
from sitroom.knowledge import loader


@dataclass(frozen=True, slots=True)
class _Folding:
    char_map: dict[str, str]
    drop: str
    separators: str
    articles: frozenset[str]
    word_map: dict[str, str]
    substitutions: tuple[tuple[re.Pattern[str], str], ...]


@lru_cache(maxsize=1)
def _folding() -> _Folding:
    try:
        raw = loader.load("place_folding.yaml")
        return _Folding(
            char_map={str(k): str(v) for k, v in raw["char_map"].items()},
            drop=str(raw["drop_chars"]),
            separators=str(raw["separators"]),
            articles=frozenset(str(a) for a in raw["articles"]),
            word_map={str(k): str(v) for k, v in raw["word_map"].items()},
            substitutions=tuple(
                (re.compile(str(pat)), str(rep)) for pat, rep in raw["substitutions"]
            ),
        )
    except (KeyError, TypeError, ValueError, re.error) as e:
        raise GazetteerError(f"place_folding.yaml is malformed: {e}") from e


def _forget_folding() -> None:
    for cached in (_folding, light_fold, fold):
        cached.cache_clear()


def _words(name: str) -> list[str]:
    rules = _folding()
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for src, dst in rules.char_map.items():
        text = text.replace(src, dst)
    text = text.translate({ord(c): None for c in rules.drop})
    text = text.translate({ord(c): " " for c in rules.separators})
    return text.split()


@lru_cache(maxsize=65536)
def light_fold(name: str) -> str:
    """Lowercase, diacritics, punctuation and spacing unified; spelling otherwise kept."""
    return " ".join(_words(name))


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """The lookup key of a place name: ``light_fold`` plus article, word and spelling rules."""
    rules = _folding()
    words = _words(name)
    out: list[str] = []
    for i, word in enumerate(words):
        if word in rules.articles and i + 1 < len(words):
            continue
        word = rules.word_map.get(word, word)
        for pattern, repl in rules.substitutions:
            word = pattern.sub(repl, word)
        out.append(word)
    return " ".join(out)


loader.on_install(_forget_folding)  # a user's place_folding.yaml changes every key
