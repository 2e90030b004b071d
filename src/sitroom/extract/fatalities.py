"""Casualty figures in text: how many were killed, injured, missing or captured, and who.

Numbers follow ACLED's fatality conventions, the lowest credible figure a report supports:
"at least 25" and "more than 25" give 25, "between 10 and 15" and "10-15" give 10, "tens" 10,
"dozens" 12, "hundreds" 100, and plural counts without a figure ("several", "many") give 10.
A hedge that bounds from above ("up to 40", "nearly 40") keeps its figure, 40: it is the only
figure the report gives, and the hedge stays in ``Casualty.number_text``. A lone indefinite victim
("killed a soldier") counts 1; a definite one ("killed the commander") counts nothing, because it
usually names someone already counted. "No casualties" is a figure of 0 killed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sitroom.errors import KnowledgeBaseError
from sitroom.knowledge.loader import Overrides
from sitroom.numbers import (
    alt,
    number_words,
    numbers_data,
    parse_quantity,
    words,
)
from sitroom.numbers import patterns as number_patterns

CASUALTY_KINDS = ("killed", "injured", "missing", "captured")

_MONTH_BEFORE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+$", re.IGNORECASE
)
_MARKER_BEFORE = re.compile(
    r"(?:[$€£#№]|\bno\.|\bnumber|\baged?|\broute|\bunit)\s*$", re.IGNORECASE
)
_YEAR = re.compile(r"(?:1[89]|20|21)\d\d")


@dataclass(frozen=True, slots=True)
class Casualty:
    """A casualty figure: the whole phrase's span in the text (chars), the quantity and its kind."""

    start: int
    end: int
    number_text: str  # the quantity phrase as written: "at least 25", "dozens", "no"
    number: int
    kind: str  # one of CASUALTY_KINDS; only 'killed' feeds fatalities
    victims: str | None  # head of the victims' noun phrase: "civilians", "soldiers"


@dataclass(frozen=True, slots=True)
class _Lexicon:
    """numbers.yaml, checked and indexed for matching."""

    cue_kind: Mapping[str, str]  # cue phrase -> kind
    after: tuple[str, ...]
    before: tuple[str, ...]
    auxiliaries: tuple[str, ...]
    adverbs: tuple[str, ...]
    determiners: tuple[str, ...]
    count_openers: tuple[str, ...]
    aside_openers: tuple[str, ...]
    plural: frozenset[str]
    singular: tuple[str, ...]
    non_victims: frozenset[str]
    question_words: tuple[str, ...]
    function_words: tuple[str, ...]
    zero: Mapping[str, str]  # zero phrase -> kind
    left_verbs: tuple[str, ...]
    left_states: Mapping[str, str]  # state word after "left 5" -> kind
    toll_nouns: tuple[str, ...]
    toll_links: tuple[str, ...]
    zero_words: tuple[str, ...]
    nobody_words: tuple[str, ...]
    active_auxiliaries: tuple[str, ...]
    singular_endings: tuple[str, ...]


@functools.cache
def _lexicon(overrides: Overrides = ()) -> _Lexicon:
    data = numbers_data(overrides)
    try:
        cue_kind: dict[str, str] = {}
        after: list[str] = []
        before: list[str] = []
        for kind, cues in data["casualty_cues"].items():
            if kind not in CASUALTY_KINDS:
                raise KnowledgeBaseError(f"numbers.yaml: unknown casualty kind {kind!r}")
            for side, bucket in (("after", after), ("before", before)):
                for cue in words(cues.get(side, []), f"casualty_cues.{kind}.{side}"):
                    cue_kind.setdefault(cue, kind)
                    bucket.append(cue)
        zero: dict[str, str] = {}
        for kind, phrases in data["zero_cues"].items():
            for phrase in words(phrases, f"zero_cues.{kind}"):
                zero.setdefault(phrase, kind)
        victims = data["victims"]
        left_states = {
            " ".join(str(k).lower().split()): str(v) for k, v in data["left_states"].items()
        }
        unknown = sorted(set(left_states.values()) - set(CASUALTY_KINDS))
        if unknown:
            raise KnowledgeBaseError(f"numbers.yaml: unknown casualty kind {unknown[0]!r}")
        return _Lexicon(
            cue_kind=cue_kind,
            after=tuple(after),
            before=tuple(before),
            auxiliaries=words(data["auxiliaries"], "auxiliaries"),
            adverbs=words(data["adverbs"], "adverbs"),
            determiners=words(data["determiners"], "determiners"),
            count_openers=words(data["count_openers"], "count_openers"),
            aside_openers=words(data["aside_openers"], "aside_openers"),
            plural=frozenset(words(victims["plural"], "victims.plural")),
            singular=words(victims["singular"], "victims.singular"),
            non_victims=frozenset(words(data["non_victims"], "non_victims")),
            question_words=words(data["question_words"], "question_words"),
            function_words=words(data["function_words"], "function_words"),
            zero=zero,
            left_verbs=words(data["left_verbs"], "left_verbs"),
            left_states=left_states,
            toll_nouns=words(data["toll_nouns"], "toll_nouns"),
            toll_links=words(data["toll_links"], "toll_links"),
            zero_words=words(data["zero_words"], "zero_words"),
            nobody_words=words(data["nobody_words"], "nobody_words"),
            active_auxiliaries=words(data["active_auxiliaries"], "active_auxiliaries"),
            singular_endings=words(data["singular_endings"], "singular_endings"),
        )
    except (KeyError, AttributeError, TypeError) as e:
        raise KnowledgeBaseError(f"numbers.yaml: missing or malformed section: {e}") from e


@dataclass(frozen=True, slots=True)
class _Patterns:
    after: re.Pattern[str]
    before: re.Pattern[str]
    left: re.Pattern[str]
    toll: re.Pattern[str]
    single_active: re.Pattern[str]
    single_passive: re.Pattern[str]
    zero: re.Pattern[str]
    object_after: re.Pattern[str]
    # A second count joined to a figure, whose victims the same verb tells: "killed 12
    # civilians *and three soldiers*", "*21 passengers and* four troops died".
    and_after: re.Pattern[str]
    and_before: re.Pattern[str]


@functools.cache
def _patterns(overrides: Overrides = ()) -> _Patterns:
    lex = _lexicon(overrides)
    numbers = number_patterns(overrides)
    word, quantity = numbers.word, numbers.quantity
    func = rf"(?:{alt(lex.function_words)}|{alt(lex.after)}|{word}|\d)\b"
    # The function words inside these patterns ("of the", "in", "a"/"an") are English grammar, and
    # the order of their alternatives decides which reading a pattern finds; the cue words come
    # from numbers.yaml.
    of_group = r"(?:\s+of(?:\s+(?:the|their|its|his|her|them|those|whom|these))?)?"
    noun_words = rf"(?P<np>(?:\s+(?!{func})[A-Za-z][\w'’-]*){{0,4}})"
    # An aside set off by commas between the victims and their verb: "31 people*, including 23
    # security personnel,* lost their lives".
    aside = rf"(?:,\s+(?:{alt(lex.aside_openers)})\b[^,.;:!?]{{1,80}},)?"
    place = r"(?:\s+(?:in|from|at|near)\s+(?-i:[A-Z])[\w'’-]*(?:\s+(?-i:[A-Z])[\w'’-]*)?)?"
    adv = rf"(?:\s+(?:{alt(lex.adverbs)}))*"
    aux = rf"(?:,?{adv}\s+(?P<aux>{alt(lex.auxiliaries)}))?"
    plural_head = rf"(?:{alt(lex.plural)}|(?-i:[A-Z])[a-z]+s)"
    victim_tail = (
        rf"(?:{of_group}(?:\s+(?!{func})[A-Za-z][\w'’-]*){{0,2}}?\s+(?P<head>{plural_head})\b)?"
    )
    flags = re.IGNORECASE
    return _Patterns(
        after=re.compile(
            rf"(?P<q>{quantity}){of_group}{noun_words}{place}{aside}{aux}{adv}(?:\s+been{adv})?"
            rf"\s+(?P<cue>{alt(lex.after)})\b",
            flags,
        ),
        before=re.compile(
            rf"\b(?P<cue>{alt(lex.before)})(?:\s+(?:{alt(lex.count_openers)}))?"
            rf"\s+(?P<q>{quantity}){victim_tail}",
            flags,
        ),
        left=re.compile(
            rf"\b(?:{alt(lex.left_verbs)})\s+(?P<q>{quantity})"
            rf"(?P<np>(?:\s+[A-Za-z][\w'’-]*){{0,2}}?)\s+(?P<cue>{alt(lex.left_states)})\b",
            flags,
        ),
        toll=re.compile(
            rf"\b(?:{alt(lex.toll_nouns)})\s+toll\b(?:\s+[\w,'’-]+){{0,8}}?"
            rf"\s+(?:{alt(lex.toll_links)})\s+(?P<q>{quantity})(?:\s+(?P<head>{plural_head})\b)?",
            flags,
        ),
        single_active=re.compile(
            rf"\b(?P<cue>{alt(lex.before)})\s+(?P<q>an?)\s+(?:(?!{func})[\w'’-]+\s+){{0,2}}?"
            rf"(?P<head>{alt(lex.singular)})\b",
            flags,
        ),
        single_passive=re.compile(
            rf"\b(?P<q>an?)\s+(?:(?!{func})[\w'’-]+\s+){{0,2}}?(?P<head>{alt(lex.singular)})"
            rf"\s+(?:{alt(lex.auxiliaries)}){adv}\s+(?P<cue>{alt(lex.after)})\b",
            flags,
        ),
        zero=re.compile(
            rf"\b(?P<q>{alt(lex.zero)})\b|\b(?P<q2>{alt(lex.nobody_words)})(?:\s+of\s+(?:them|the\s+\w+))?"
            rf"(?:\s+(?P<aux>{alt(lex.auxiliaries)})){adv}\s+(?P<cue>{alt(lex.after)})\b",
            flags,
        ),
        object_after=re.compile(rf"\s+(?:(?:{alt(lex.determiners)})\b|{quantity})", flags),
        and_after=re.compile(rf",?\s+and\s+(?P<q>{quantity}){victim_tail}", flags),
        and_before=re.compile(rf"(?P<q>{quantity}){of_group}{noun_words},?\s+and\s+$", flags),
    )


def _head(words: str | None, lex: _Lexicon) -> str | None:
    """The victims' head noun: the last word of the phrase, when it reads as a victim noun."""
    if not words:
        return None
    last = words.split()[-1]
    lowered = last.lower()
    if lowered in lex.plural or lowered in lex.singular or last[:1].isupper():
        return last
    # An unlisted plural ("elders", "schoolgirls") still reads as the victims' head.
    if len(lowered) > 3 and lowered.endswith("s") and not lowered.endswith(lex.singular_endings):
        return last
    return None


def _bad_figure(text: str, start: int, q: str, following: str | None, lex: _Lexicon) -> bool:
    """True when a figure reads as a date, year, age, label or measure, not a head count, or
    is asked for ("how many")."""
    asked = re.search(r"([A-Za-z]+)\s*$", text[max(0, start - 12) : start])
    if asked is not None and asked.group(1).lower() in lex.question_words:
        return True
    if q[:1].isdigit():
        before = text[max(0, start - 12) : start]
        if _MONTH_BEFORE.search(before) or _MARKER_BEFORE.search(before):
            return True
        if _YEAR.fullmatch(q) and (following is None or following.lower() not in lex.plural):
            return True
    return following is not None and following.lower() in lex.non_victims


def _next_word(text: str, end: int) -> str | None:
    match = re.match(r"\s+([A-Za-z][\w.'’-]*)", text[end:])
    return match.group(1).rstrip(".") if match else None


def _joined(
    text: str, start: int, end: int, q: str, kind: str, victims: str | None, overrides: Overrides
) -> tuple[int, int, str, str, str | None, int | None]:
    """A killed figure with the count joined to it by "and" whose victims its verb also tells
    (ACLED's toll of one incident is their sum): (start, end, the phrase, kind, victims, the
    sum), or the figure alone with no sum."""
    lex, pats = _lexicon(overrides), _patterns(overrides)
    alone = (start, end, q, kind, victims, None)
    if kind != "killed" or victims is None:
        return alone
    # Only a figure whose phrase ends with its victims ("killed 12 *civilians*") shares its verb
    # with a count after it; "two soldiers were killed and three others wounded" does not.
    after = pats.and_after.match(text, end) if text[start:end].endswith(victims) else None
    if after is not None and after.group("head"):
        other = after.group("q")
        if not _bad_figure(text, after.start("q"), other, after.group("head"), lex):
            total = _sum(q, other, overrides)
            if total is not None:
                return start, after.end(), f"{q} and {other}", kind, victims, total
    # Only a figure that opens its phrase ("four troops died") has a count before it that
    # shares its verb; "rescued 190 passengers and killed 30" does not.
    subject = text.startswith(q, start)
    before = pats.and_before.search(text, max(0, start - 80), start) if subject else None
    if before is not None and _head(before.group("np"), lex):
        other = before.group("q")
        head = _head(before.group("np"), lex)
        if not _bad_figure(text, before.start("q"), other, head, lex):
            total = _sum(other, q, overrides)
            if total is not None:
                return before.start(), end, f"{other} and {q}", kind, victims, total
    return alone


def _sum(first: str, second: str, overrides: Overrides) -> int | None:
    a, b = parse_quantity(first, overrides), parse_quantity(second, overrides)
    return None if a is None or b is None else a + b


def _candidates(text: str, overrides: Overrides) -> Iterable[tuple[int, int, str, str, str | None]]:
    """Yield (start, end, quantity phrase, kind, victims) for every pattern that fires."""
    lex = _lexicon(overrides)
    pats = _patterns(overrides)
    for m in pats.zero.finditer(text):
        if m["q"]:
            phrase = " ".join(m["q"].lower().split())
            yield m.start(), m.end(), m["q"].split()[0], lex.zero[phrase], None
        else:
            cue = " ".join(m["cue"].lower().split())
            yield m.start(), m.end(), m["q2"].split()[0], lex.cue_kind[cue], None
    for m in pats.after.finditer(text):
        q, cue = m.group("q"), " ".join(m.group("cue").lower().split())
        words = m.group("np")
        first = words.split()[0] if words.strip() else None
        if _bad_figure(text, m.start("q"), q.strip(), first, lex):
            continue
        aux = (m.group("aux") or "").lower()
        passive = aux and aux not in lex.active_auxiliaries
        if not passive and cue in lex.before and pats.object_after.match(text, m.end()):
            continue  # "militants killed three soldiers": the cue is the active verb
        yield m.start(), m.end(), q, lex.cue_kind[cue], _head(words, lex)
    for m in pats.before.finditer(text):
        q = m.group("q")
        head = m.group("head")
        following = head if head else _next_word(text, m.end("q"))
        if _bad_figure(text, m.start("q"), q.strip(), following, lex):
            continue
        cue = " ".join(m.group("cue").lower().split())
        yield m.start(), m.end(), q, lex.cue_kind[cue], head
    for m in pats.left.finditer(text):
        if _bad_figure(text, m.start("q"), m.group("q"), _next_word(text, m.end("q")), lex):
            continue
        kind = lex.left_states[" ".join(m.group("cue").lower().split())]
        yield m.start(), m.end(), m.group("q"), kind, _head(m.group("np"), lex)
    for m in pats.toll.finditer(text):
        q = m.group("q")
        if _bad_figure(text, m.start("q"), q, m.group("head"), lex):
            continue
        yield m.start(), m.end(), q, "killed", m.group("head")
    for pattern in (pats.single_active, pats.single_passive):
        for m in pattern.finditer(text):
            cue = " ".join(m.group("cue").lower().split())
            yield m.start(), m.end(), m.group("q"), lex.cue_kind[cue], m.group("head")


def find_casualties(text: str, *, overrides: Overrides = ()) -> list[Casualty]:
    """Casualty figures in ``text``, in reading order; overlapping readings keep the longest.

    ``overrides``: the user's data files (``Config.overrides()``), for numbers.yaml."""
    zero_words = _lexicon(overrides).zero_words
    found: list[Casualty] = []
    seen: set[tuple[int, int]] = set()
    for candidate in _candidates(text, overrides):
        start, end, q, kind, victims, total = _joined(text, *candidate, overrides)
        if (start, end) in seen:
            continue
        seen.add((start, end))
        if total is not None:
            number: int | None = total
        elif q.split()[0].lower() in zero_words:
            number = 0
        elif q.lower() in ("a", "an"):  # the indefinite article (grammar) counts one
            number = 1
        else:
            number = parse_quantity(q, overrides)
        if number is None:
            continue
        trimmed = re.sub(r"\s+of$", "", q, flags=re.IGNORECASE)
        if " ".join(trimmed.lower().split()) in number_words(overrides).vague:
            q = trimmed  # "dozens of people": the quantity is "dozens"
        found.append(Casualty(start, end, q, number, kind, victims))
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[Casualty] = []
    for casualty in found:
        if kept and casualty.start < kept[-1].end:
            continue
        kept.append(casualty)
    return kept
