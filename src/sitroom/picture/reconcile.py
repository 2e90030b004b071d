"""The claim ledger: what each independent source says about an event, and whether they agree.

Also who controls each place over time (the alliance graph is ``sitroom.picture.alliances``).
Two reports are one source when their texts are near-identical (wire copies); a party's claim
("the rebels said they...") is one voice however many outlets repeat it. Only values from
different voices can corroborate or contradict each other: a report that gives two figures is
not a contradiction of itself.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sitroom.numbers import is_vague
from sitroom.picture.ledger import (
    CLAIM_FIELDS,
    DEFAULT_RULES,
    ControlConflict,
    ControlEntry,
    ControlTimeline,
    FatalityRange,
    FieldClaim,
    MergeRules,
    SourceValue,
    date_gap,
    fold_name,
    place_match,
    related,
)
from sitroom.records import (
    DATE_PRECISIONS,
    DATE_TOLD_BEFORE,
    Actor,
    ControlClaim,
    Document,
    Event,
    Evidence,
    Location,
)

_WORD = re.compile(r"\w+")
# What a status says about whether the event took place; background is told as past fact.
_STANCE = {
    "reported": "happened",
    "claimed": "happened",
    "background": "happened",
    "denied": "denied",
    "planned": "planned",
}
# Control statuses that say the controller holds the place, or that it no longer does.
# "contested" says neither. "advancing" clashes with nothing either: an advance on a town told
# beside its capture by the same side is a progression (or a report lagging behind), and an
# advance on a town another side holds is the normal course of a front.
_HOLDS = frozenset({"captured", "held"})
# Date precisions read from a time expression; "week" also stands for an undated event's report.
_READ_PRECISIONS = frozenset({"day", "month", "year"})
# The sub-event type whose two actors are two sides, neither of them the one who acted first.
_TWO_SIDED = "Armed clash"
# Positive links (named place, read day, actors) a pair needs for its disagreement to count.
_CONFIDENT_LINKS = 2
_NOT_HOLDS = frozenset({"lost"})


# -- independent sources -------------------------------------------------------------------


def _doc_key(document: Document) -> tuple[dt.date, str]:
    return (document.published or dt.date.max, document.id)


def shingles_of(text: str, rules: MergeRules) -> frozenset[str]:
    """The text's word shingles (``rules.shingle_words`` words, case folded)."""
    n = rules.shingle_words
    words = _WORD.findall(text.casefold())
    if len(words) < n:
        return frozenset({" ".join(words)}) if words else frozenset()
    return frozenset(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))


def text_key(text: str) -> str:
    """A text up to case and punctuation: two texts with one key are copies."""
    return " ".join(_WORD.findall(text.casefold()))


def prefix_tokens(shingles: frozenset[str], rules: MergeRules) -> list[str]:
    """The shingles a copy must share one of (prefix filtering, alphabetical order)."""
    if not shingles:
        return []
    prefix = len(shingles) - math.ceil(rules.wire_jaccard * len(shingles)) + 1
    return sorted(shingles)[:prefix]


def copies(own: frozenset[str], theirs: frozenset[str], rules: MergeRules) -> bool:
    """Whether two texts' shingles overlap by Jaccard ≥ ``rules.wire_jaccard``."""
    return bool(own) and len(own & theirs) >= rules.wire_jaccard * len(own | theirs)


def independent_sources(
    documents: Mapping[str, Document] | Iterable[Document], *, rules: MergeRules = DEFAULT_RULES
) -> dict[str, str]:
    """Document id -> source group id, the earliest-published document of its group of copies.

    Documents whose word shingles overlap by Jaccard ≥ ``rules.wire_jaccard`` (or whose texts
    are equal up to case and punctuation) are copies of one text.
    """
    pool = documents.values() if isinstance(documents, Mapping) else documents
    docs = sorted({d.id: d for d in sorted(pool, key=repr)}.values(), key=_doc_key)
    rank = {d.id: i for i, d in enumerate(docs)}
    parent = {d.id: d.id for d in docs}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:  # the earlier document stays the root, so group ids are canonical
            first, second = sorted((ra, rb), key=rank.__getitem__)
            parent[second] = first

    shingles = {d.id: shingles_of(d.text, rules) for d in docs}
    same_text: dict[str, str] = {}
    # Prefix filtering: sets with Jaccard ≥ t share a token among their first
    # |s| - ceil(t·|s|) + 1 tokens in any fixed order, so only those need comparing.
    index: defaultdict[str, list[str]] = defaultdict(list)
    for d in docs:
        key = text_key(d.text)
        if key in same_text:
            union(same_text[key], d.id)
        same_text.setdefault(key, d.id)
        own = shingles[d.id]
        candidates: set[str] = set()
        for token in prefix_tokens(own, rules):
            candidates.update(index[token])
            index[token].append(d.id)
        for other in candidates:
            if copies(own, shingles[other], rules):
                union(other, d.id)
    return {d.id: find(d.id) for d in docs}


# -- the claim ledger of a merged event ----------------------------------------------------


def _evidence(event: Event) -> Evidence:
    return event.evidence[0] if event.evidence else Evidence(event.document_id, 0, 0, "")


def _voice(value: SourceValue) -> str:
    return f"party:{value.claimed_by}" if value.by_party else f"source:{value.source_group}"


def _value(name: str, event: Event, use_acled: bool) -> str | None:
    if name == "event_date":
        return event.event_date.isoformat() if event.event_date else None
    if name == "location":
        # An inferred place is sitroom's guess, not what the source says.
        located = event.location is not None and not event.location.inferred
        return event.location.name if located and event.location else None
    if name == "fatalities":
        return None if event.fatalities is None else str(event.fatalities)
    if name == "event_type":
        return event.event_type if use_acled else event.plover_type
    value = getattr(event, name)
    return None if value is None else str(value)


def _agree(
    name: str, a: Event, b: Event, *, actors: Mapping[str, Actor], rules: MergeRules
) -> bool:
    """Whether two members' different values for a field can both be true."""
    if name == "event_date":
        gap = date_gap(a.event_date, a.date_precision, b.event_date, b.date_precision)
        return gap is None or gap <= rules.day_window
    if name == "location":
        return place_match(a.location, b.location, max_km=rules.max_km) is not None
    if name in ("actor1", "actor2"):
        # "Syrian warplanes" and "Russian and Syrian warplanes" are one claim: a source's
        # associated actors are part of what it says about who acted. An armed clash told from
        # the other side ("the army fought rebels" / "rebels fought the army") names the same two.
        ours, theirs = _side(a, name), _side(b, name)
        other = "actor2" if name == "actor1" else "actor1"
        two_sided = a.sub_event_type == b.sub_event_type == _TWO_SIDED
        return (
            not ours
            or not theirs
            or _related_sides(ours, theirs, actors)
            or (two_sided and _related_sides(ours, _side(b, other), actors))
        )
    if name == "status":
        return _STANCE.get(a.status) == _STANCE.get(b.status)
    return False  # event_type, fatalities: different values are different claims


def _same(name: str, a: Event, b: Event, *, actors: Mapping[str, Actor], rules: MergeRules) -> bool:
    """Whether two members tell the same value of a field: what corroboration needs."""
    if name == "event_date":
        # A week date is the report's own week standing in for a date the text did not give.
        read = a.date_precision in _READ_PRECISIONS and b.date_precision in _READ_PRECISIONS
        gap = date_gap(a.event_date, a.date_precision, b.event_date, b.date_precision)
        return read and gap == 0
    if name == "location":
        return place_match(a.location, b.location, max_km=rules.max_km) == "same"
    if name in ("actor1", "actor2"):
        return _related_sides(_side(a, name), _side(b, name), actors)
    if name == "status":
        return _STANCE.get(a.status) == _STANCE.get(b.status)
    return False  # event_type, fatalities: only equal values are the same


def _related_sides(ours: set[str], theirs: set[str], actors: Mapping[str, Actor]) -> bool:
    return any(related(x, y, actors) for x in ours for y in theirs)


def _side(event: Event, name: str) -> set[str]:
    """The actor field's id with the associated actors of that side."""
    main, assoc = (
        (event.actor1, event.assoc_actor_1)
        if name == "actor1"
        else (event.actor2, event.assoc_actor_2)
    )
    return {x for x in (main, *assoc) if x is not None}


# ACLED's name for a party a report does not identify ("Unidentified Armed Group (Syria)"): it
# says nobody in particular acted, so it cannot contradict a named party.
_UNIDENTIFIED = "Unidentified "


def _read_with_confidence(name: str, event: Event, actors: Mapping[str, Actor]) -> bool:
    """Whether a member's value of a field was read from the text firmly enough to contradict."""
    if name == "event_date":
        return event.date_precision in _READ_PRECISIONS
    if name == "fatalities":
        return event.fatalities_text is None or not is_vague(event.fatalities_text)
    if name in ("actor1", "actor2"):
        party = actors.get(getattr(event, name) or "")
        return party is None or not party.name.startswith(_UNIDENTIFIED)
    return True


def _inferred(event: Event) -> bool:
    """Whether the event's place was inferred from the report (not named where it is told): a
    place the merge may use, but no proof that two tellings are one incident."""
    return event.location is not None and event.location.inferred


def _date_told_before(event: Event) -> bool:
    """Whether the event's day is one its report named before it, not one its own sentence
    gives (``records.DATE_TOLD_BEFORE``): like an inferred place, no proof of one incident."""
    return DATE_TOLD_BEFORE in event.notes


def _confident_pair(
    name: str, a: Event, b: Event, *, actors: Mapping[str, Actor], rules: MergeRules
) -> bool:
    """Whether two members surely tell one incident, judged without the contested field.

    A contradiction is only as sure as the merge behind it: the two must be of one event type
    and sub-event type and positively linked by at least two of place (same or near, named by
    both), day (both read, in the window) and actors (overlapping), not counting the field they
    disagree on. A place inferred or a day told before the member's sentence links nothing.
    """
    if (a.event_type, a.sub_event_type, a.plover_type) != (
        b.event_type,
        b.sub_event_type,
        b.plover_type,
    ):
        return False  # a clash and the capture it ended in may name different sides
    links = 0
    if name != "location" and not _inferred(a) and not _inferred(b):
        place = place_match(a.location, b.location, max_km=rules.max_km)
        links += place in ("same", "near")
    if name != "event_date" and not _date_told_before(a) and not _date_told_before(b):
        gap = date_gap(a.event_date, a.date_precision, b.event_date, b.date_precision)
        links += (
            a.date_precision == b.date_precision == "day"
            and gap is not None
            and (gap <= rules.day_window)
        )
    if name not in ("actor1", "actor2"):
        ours = _side(a, "actor1") | _side(a, "actor2")
        theirs = _side(b, "actor1") | _side(b, "actor2")
        links += _related_sides(ours, theirs, actors)
    return links >= _CONFIDENT_LINKS


def field_claims(
    members: Sequence[Event],
    *,
    groups: Mapping[str, str],
    actors: Mapping[str, Actor] | None = None,
    rules: MergeRules = DEFAULT_RULES,
    known: tuple[int, Sequence[FieldClaim]] | None = None,
) -> tuple[FieldClaim, ...]:
    """One FieldClaim per field of CLAIM_FIELDS that some member gives a value for.

    A field is corroborated when two independent voices give the same value (``agreed`` holds
    those values), and contradicted when two give values that cannot both be true, read with
    confidence, on a pair of members that surely tell one incident. ``groups`` maps document
    id -> source group (see ``independent_sources``).

    ``known``: (k, the claims these rules gave the first k members, with the same actors), for
    members appended to a group: a field whose sources among the first k are the ones those
    claims hold (values, evidence, source groups) starts from their verdict and agreed values
    and tries only the pairs with an appended member. Any other field is computed in full.
    """
    actors = actors or {}
    use_acled = any(e.event_type is not None for e in members)
    before = {c.field: c for c in known[1]} if known is not None else {}
    prefix = {m.id for m in members[: known[0]]} if known is not None else set()
    claims = []
    for name in CLAIM_FIELDS:
        rows: list[tuple[SourceValue, Event]] = []
        for event in members:
            value = _value(name, event, use_acled)
            if value is None:
                continue  # a report that does not say is not a source for this field
            source = SourceValue(
                value=value,
                evidence=_evidence(event),
                event_id=event.id,
                source_group=groups.get(event.document_id, event.document_id),
                claimed_by=event.claimed_by,
                by_party=event.claimed_by is not None,
            )
            rows.append((source, event))
        if not rows:
            continue
        agreed: set[int] = set()
        contradicted = False
        pairs: Iterable[tuple[tuple[int, tuple[SourceValue, Event]], ...]]
        pairs = itertools.combinations(enumerate(rows), 2)
        start = sum(1 for _, e in rows if e.id in prefix)
        held = before.get(name)
        told = tuple(v for v, _ in rows[:start])
        if known is not None and told == (held.values if held is not None else ()):
            index = {v: i for i, v in enumerate(told)}
            agreed = {index[v] for v in held.agreed} if held is not None else set()
            contradicted = held is not None and held.verdict == "contradicted"
            pairs = (
                ((i, rows[i]), (j, rows[j])) for j in range(start, len(rows)) for i in range(j)
            )
        for (i, (v1, e1)), (j, (v2, e2)) in pairs:
            if _voice(v1) == _voice(v2):
                continue
            if v1.value == v2.value or _same(name, e1, e2, actors=actors, rules=rules):
                agreed.update((i, j))
            elif (
                not _agree(name, e1, e2, actors=actors, rules=rules)
                and _read_with_confidence(name, e1, actors)
                and _read_with_confidence(name, e2, actors)
                and _confident_pair(name, e1, e2, actors=actors, rules=rules)
            ):
                contradicted = True
        verdict = "contradicted" if contradicted else "corroborated" if agreed else "single-source"
        values = tuple(v for v, _ in rows)
        claims.append(
            FieldClaim(name, values, verdict, agreed=tuple(values[i] for i in sorted(agreed)))
        )
    return tuple(claims)


def fatality_range(members: Sequence[Event]) -> FatalityRange | None:
    """Lowest, best and highest fatality figure; best is the lowest not claimed by a party."""
    figures = [
        (e.fatalities, e.document_id, e.claimed_by) for e in members if e.fatalities is not None
    ]
    if not figures:
        return None
    # ACLED codes the lowest credible figure; a party's count of its enemy's dead is not credible.
    credible = [f for f in figures if f[2] is None] or figures
    low = min(f[0] for f in figures)
    best = min(f[0] for f in credible)
    high = max(f[0] for f in figures)

    def docs(n: int, pool: list[tuple[int, str, str | None]]) -> tuple[str, ...]:
        return tuple(sorted({d for f, d, _ in pool if f == n}))

    return FatalityRange(
        low, best, high, docs(low, figures), docs(best, credible), docs(high, figures)
    )


# -- control of places ---------------------------------------------------------------------


@dataclass(slots=True)
class _Run:
    """Claims of one controller and status on consecutive dates, before they become an entry."""

    claims: list[ControlClaim]
    contradicted: bool = False


def _claim_docs(claim: ControlClaim) -> frozenset[str]:
    return frozenset(ev.document_id for ev in claim.evidence)


def _claim_key(claim: ControlClaim) -> tuple[dt.date, str, str, str]:
    return (claim.date or dt.date.max, claim.controller, claim.status, repr(claim))


def _control_clash(a: ControlClaim, b: ControlClaim, actors: Mapping[str, Actor]) -> bool:
    """Whether two claims cannot both hold at one time: two unrelated holders, one side said
    to hold a place and to have lost it, or one side said to hold a place and to be still
    advancing on it ("advancing towards Hama" against "took Hama")."""
    side = related(a.controller, b.controller, actors)
    if a.status in _HOLDS and b.status in _HOLDS:
        return not side
    statuses = {a.status, b.status}
    if not side or not statuses & _HOLDS:
        return False
    return bool(statuses & _NOT_HOLDS) or "advancing" in statuses


def _place_key(place: Location, gid_by_name: Mapping[str, set[int]]) -> str:
    if place.geonameid is not None:
        return f"geonameid:{place.geonameid}"
    gids = gid_by_name.get(fold_name(place.name), set())
    if len(gids) == 1:  # an unresolved "Hama" beside a resolved one is that one
        return f"geonameid:{next(iter(gids))}"
    return f"name:{fold_name(place.name)}"


def _same_run(last: ControlClaim, claim: ControlClaim, rules: MergeRules) -> bool:
    if last.date is None or claim.date is None:
        return last.date is None and claim.date is None
    gap = date_gap(last.date, last.date_precision, claim.date, claim.date_precision)
    return gap is not None and gap <= rules.day_window


def _runs(claims: list[ControlClaim], rules: MergeRules) -> list[_Run]:
    """Claims grouped by (controller, status), split where dates lie a window apart."""
    by_kind: defaultdict[tuple[str, str], list[ControlClaim]] = defaultdict(list)
    for claim in sorted(claims, key=_claim_key):
        by_kind[(claim.controller, claim.status)].append(claim)
    runs: list[_Run] = []
    for kind in sorted(by_kind):
        current: list[ControlClaim] = []
        for claim in by_kind[kind]:
            if current and not _same_run(current[-1], claim, rules):
                runs.append(_Run(current))
                current = []
            current.append(claim)
        runs.append(_Run(current))
    return runs


def _entry(run: _Run, groups: Mapping[str, str]) -> ControlEntry:
    claims = run.claims
    dates = [c.date for c in claims if c.date is not None]
    docs = sorted({d for c in claims for d in _claim_docs(c)})
    voices = {groups.get(d, d) for d in docs}
    verdict = (
        "contradicted"
        if run.contradicted
        else ("corroborated" if len(voices) > 1 else "single-source")
    )
    precision = min((c.date_precision for c in claims), key=_precision_rank)
    evidence = tuple(dict.fromkeys(ev for c in claims for ev in c.evidence))
    return ControlEntry(
        controller=claims[0].controller,
        status=claims[0].status,
        since=min(dates) if dates else None,
        until=max(dates) if dates else None,
        date_precision=precision,
        document_ids=tuple(docs),
        evidence=evidence,
        verdict=verdict,
    )


def _precision_rank(precision: str) -> int:
    return (
        DATE_PRECISIONS.index(precision) if precision in DATE_PRECISIONS else len(DATE_PRECISIONS)
    )


def _runs_clash(a: _Run, b: _Run, actors: Mapping[str, Actor]) -> bool:
    """Whether claims of two runs, from different documents at overlapping dates, clash."""
    for x, y in itertools.product(a.claims, b.claims):
        if not _control_clash(x, y, actors) or _claim_docs(x) == _claim_docs(y):
            continue
        # An undated claim cannot be set against a dated one: it may be older or newer. Two
        # undated reports both tell the present, so they are set against each other.
        both_undated = x.date is None and y.date is None
        if both_undated or date_gap(x.date, x.date_precision, y.date, y.date_precision) == 0:
            return True
    return False


def control_place_keys(claims: Sequence[ControlClaim]) -> list[str]:
    """Each claim's place key ('geonameid:<id>' or 'name:<folded name>'); an unresolved name
    takes the geonameid that every resolved claim of that name has."""
    gid_by_name: defaultdict[str, set[int]] = defaultdict(set)
    for claim in claims:
        if claim.place.geonameid is not None:
            gid_by_name[fold_name(claim.place.name)].add(claim.place.geonameid)
    return [_place_key(claim.place, gid_by_name) for claim in claims]


def control_timeline(
    claims: Sequence[ControlClaim],
    *,
    groups: Mapping[str, str] | None = None,
    actors: Mapping[str, Actor] | None = None,
    rules: MergeRules = DEFAULT_RULES,
) -> tuple[ControlTimeline, ...]:
    """Per place (by geonameid, else folded name): who reportedly held, took or advanced on it.

    Claims from different documents that clash at overlapping dates are flagged as conflicts.
    ``groups`` maps document id -> source group, so that wire copies do not corroborate.
    """
    groups = groups or {}
    actors = actors or {}
    by_place: defaultdict[str, list[ControlClaim]] = defaultdict(list)
    for claim, key in zip(claims, control_place_keys(claims), strict=True):
        by_place[key].append(claim)
    timelines = []
    for key in sorted(by_place):
        place_claims = by_place[key]
        runs = _runs(place_claims, rules)
        pairs = [(a, b) for a, b in itertools.combinations(runs, 2) if _runs_clash(a, b, actors)]
        for a, b in pairs:
            a.contradicted = b.contradicted = True
        entries = {id(run): _entry(run, groups) for run in runs}
        conflicts = tuple(
            ControlConflict(
                entries[id(a)],
                entries[id(b)],
                f"{a.claims[0].controller} {a.claims[0].status} vs "
                f"{b.claims[0].controller} {b.claims[0].status}",
            )
            for a, b in pairs
        )
        ordered = sorted(
            entries.values(), key=lambda e: (e.since or dt.date.max, e.controller, e.status)
        )
        place = min(
            (c.place for c in place_claims),
            key=lambda p: (p.geonameid is None, p.geo_precision or 9, p.name, repr(p)),
        )
        timelines.append(ControlTimeline(key, place, tuple(ordered), conflicts))
    return tuple(timelines)
