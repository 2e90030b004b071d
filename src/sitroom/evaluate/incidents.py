"""Incident scorer: is each extracted event a real incident, told once, with the right fields?

Follows ``shared/data/README.md`` ("Incidents"). Every extracted event with an ACLED type and
status reported or claimed is scored. It matches a current gold incident (reported or claimed)
when one of its evidence spans overlaps one of that incident's mention quotes; among several it
takes an incident no event has matched yet, then one of its own sub-event type, then the first
listed. The first event matched to an incident is a *hit*, a further one a *duplicate*; an event
matching none is *spurious*: on a background incident, on a listed non-incident, or other.
Precision = hits / scored events; recall = incidents hit / current incidents; the duplicate and
spurious rates are over scored events too. Fields are scored over hits, each where the gold
gives it; an actor is right when one of its names shares a distinctive word with the gold label
(``distinctive_words``), a place when it lies within 50 km of the gold point.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitroom.api import document_from_text
from sitroom.errors import InputError
from sitroom.evaluate.metrics import LabelScore
from sitroom.geometry import haversine_km
from sitroom.pipeline import Resources, analyze_docs
from sitroom.records import Analysis

SCORED_STATUSES = frozenset({"reported", "claimed"})
PLACE_KM = 50.0
FIELDS = (
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "place_50km",
    "country",
    "date",
    "fatalities",
)
SPURIOUS_KINDS = ("non_incident", "background", "other")
ERRORS_PER_KIND = 2
# Words that tell no party from another. ACLED's labels are built of role and form words around
# a proper part ("Military Forces of Pakistan", "Unidentified armed group (Nigeria)", "Civilians
# (Somalia)", "Police Forces of Haiti (Prison Guards)"); sharing "forces" or "of" says nothing,
# so only the proper part counts: a country, a group's own name ("Shabaab"), a person's name.
# Role words go too, as the issue that set this convention asks ("military"): the actor figures
# then say whether the right side was named, and are lenient about a state's branch (army for
# police) and about a country's civilians for its forces. Numbers go (years in "Government of
# Syria (2000-2024)"), as do one-letter pieces of initials.
GENERIC_ACTOR_WORDS = frozenset(
    {
        # articles, prepositions, conjunctions, name particles
        "a",
        "an",
        "and",
        "the",
        "of",
        "in",
        "on",
        "at",
        "for",
        "to",
        "from",
        "with",
        "by",
        "al",
        "el",
        "de",
        "du",
        "des",
        "del",
        "la",
        "le",
        "bin",
        "ibn",
        # form words of ACLED's labels
        "forces",
        "force",
        "armed",
        "group",
        "groups",
        "unidentified",
        "unknown",
        "members",
        "organization",
        "organisation",
        "movement",
        "front",
        "special",
        "international",
        # roles a label names around its proper part
        "military",
        "army",
        "troops",
        "soldiers",
        "police",
        "security",
        "intelligence",
        "government",
        "authorities",
        "regime",
        "civilians",
        "civilian",
        "people",
        "protesters",
        "protestors",
        "demonstrators",
        "rioters",
        "prisoners",
        "guards",
        "militia",
        "militias",
        "militants",
        "rebel",
        "rebels",
        "fighters",
        "gang",
        "gunmen",
        "insurgents",
    }
)
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class GoldIncident:
    """One coded incident; ``spans`` are where its mention quotes lie in the text (chars)."""

    id: str
    status: str  # reported, claimed or background
    event_type: str | None
    sub_event_type: str | None
    actor1: str | None
    actor2: str | None
    place: str | None
    country: str | None  # ISO 3166-1 alpha-2
    lat: float | None
    lon: float | None
    date: str | None  # YYYY-MM-DD, YYYY-MM or YYYY
    fatalities: int | None
    spans: tuple[tuple[int, int], ...]
    quote: str  # the main mention

    @property
    def current(self) -> bool:
        """Whether the incident is scored (not background)."""
        return self.status in SCORED_STATUSES


@dataclass(frozen=True, slots=True)
class NonIncident:
    """A listed trap: a quote (span in chars) that tells no incident, and why."""

    start: int
    end: int
    quote: str
    why: str


@dataclass(frozen=True, slots=True)
class IncidentDoc:
    """One gold document: its text and metadata, incidents and non-incidents."""

    id: str
    text: str
    title: str | None
    published: dt.date | None
    incidents: tuple[GoldIncident, ...]
    non_incidents: tuple[NonIncident, ...] = ()


@dataclass(frozen=True, slots=True)
class ScoredEvent:
    """What the scorer reads of one extracted event; actor names canonical name first."""

    event_type: str
    sub_event_type: str | None
    spans: tuple[tuple[int, int], ...]  # evidence spans, chars
    quote: str
    trigger: str = ""
    actor1: tuple[str, ...] = ()
    actor2: tuple[str, ...] = ()
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    date: dt.date | None = None
    date_precision: str = "unknown"
    fatalities: int | None = None


@dataclass(frozen=True, slots=True)
class FieldScore:
    """How many hits have a field right, out of the hits whose gold gives it."""

    name: str
    right: int
    n: int

    @property
    def accuracy(self) -> float:
        return self.right / self.n if self.n else 0.0


@dataclass(frozen=True, slots=True)
class IncidentScores:
    """Counts behind precision, recall, duplicate and spurious rates; field accuracy over hits."""

    n_documents: int
    n_scored: int
    n_hits: int
    n_duplicates: int
    spurious: tuple[tuple[str, int], ...]  # by SPURIOUS_KINDS
    n_current: int
    n_found: int  # current incidents hit
    n_unscored: int  # events without an ACLED type, or of another status
    fields: tuple[FieldScore, ...]
    types: tuple[LabelScore, ...]  # by ACLED event type
    errors: tuple[str, ...] = ()

    def _share(self, n: int) -> float:
        return n / self.n_scored if self.n_scored else 0.0

    @property
    def precision(self) -> float:
        return self._share(self.n_hits)

    @property
    def recall(self) -> float:
        return self.n_found / self.n_current if self.n_current else 0.0

    @property
    def duplicate_rate(self) -> float:
        return self._share(self.n_duplicates)

    @property
    def spurious_rate(self) -> float:
        return self._share(sum(n for _, n in self.spurious))

    def spurious_share(self, kind: str) -> float:
        """The share of scored events spurious of one kind (SPURIOUS_KINDS)."""
        return self._share(dict(self.spurious).get(kind, 0))

    def field(self, name: str) -> FieldScore:
        return next(f for f in self.fields if f.name == name)


# --- reading the gold ---------------------------------------------------------------------------


def read_documents(path: Path, *, limit: int | None = None) -> list[IncidentDoc]:
    """The gold documents (the first ``limit``); every quote is located with ``text.find``."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read: {e}", source=str(path)) from e
    docs: list[IncidentDoc] = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if limit is not None and len(docs) >= limit:
            break
        try:
            docs.append(_gold_doc(json.loads(line)))
        except (ValueError, KeyError, TypeError) as e:
            raise InputError(f"malformed incidents document: {e}", source=str(path), line=n) from e
    return docs


def _gold_doc(item: dict[str, Any]) -> IncidentDoc:
    text = str(item["text"])

    def span(quote: str) -> tuple[int, int]:
        at = text.find(quote)
        if at < 0:
            raise ValueError(f"quote not in the text: {quote[:60]!r}")
        return at, at + len(quote)

    incidents = []
    for x in item.get("incidents") or ():
        quotes = [str(q) for q in x["mentions"]]
        incidents.append(
            GoldIncident(
                id=str(x["id"]),
                status=str(x["status"]),
                event_type=x.get("event_type"),
                sub_event_type=x.get("sub_event_type"),
                actor1=x.get("actor1"),
                actor2=x.get("actor2"),
                place=x.get("place"),
                country=x.get("country"),
                lat=None if x.get("lat") is None else float(x["lat"]),
                lon=None if x.get("lon") is None else float(x["lon"]),
                date=x.get("date"),
                fatalities=None if x.get("fatalities") is None else int(x["fatalities"]),
                spans=tuple(span(q) for q in quotes),
                quote=quotes[0] if quotes else "",
            )
        )
    non_incidents = [
        NonIncident(*span(str(x["quote"])), str(x["quote"]), str(x.get("why", "")))
        for x in item.get("non_incidents") or ()
    ]
    published = item.get("published")
    return IncidentDoc(
        id=str(item["id"]),
        text=text,
        title=item.get("title"),
        published=dt.date.fromisoformat(published) if published else None,
        incidents=tuple(incidents),
        non_incidents=tuple(non_incidents),
    )


# --- what sitroom extracted ---------------------------------------------------------------------


def scored_events(analysis: Analysis) -> tuple[list[ScoredEvent], int]:
    """The events that are scored (an ACLED type, reported or claimed), and how many are not."""
    actors = {a.id: a for a in analysis.actors}

    def names(actor_id: str | None) -> tuple[str, ...]:
        if actor_id is None:
            return ()
        actor = actors.get(actor_id)
        return (actor.name, *actor.aliases) if actor else (actor_id,)

    out = []
    for event in analysis.events:
        if event.event_type is None or event.status not in SCORED_STATUSES:
            continue
        where = event.location
        out.append(
            ScoredEvent(
                event_type=event.event_type,
                sub_event_type=event.sub_event_type,
                spans=tuple((ev.start, ev.end) for ev in event.evidence),
                quote=event.evidence[0].quote if event.evidence else "",
                trigger=event.trigger,
                actor1=names(event.actor1),
                actor2=names(event.actor2),
                place=where.name if where else None,
                lat=where.latitude if where else None,
                lon=where.longitude if where else None,
                country=where.country if where else None,
                date=event.event_date,
                date_precision=event.date_precision,
                fatalities=event.fatalities,
            )
        )
    return out, len(analysis.events) - len(out)


def distinctive_words(label: str) -> frozenset[str]:
    """The words of an actor's name that tell it apart: folded to lower case without accents,
    less ``GENERIC_ACTOR_WORDS``, numbers and single letters."""
    folded = unicodedata.normalize("NFKD", label.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return frozenset(
        w
        for w in _WORD.findall(plain)
        if len(w) > 1 and not w.isdigit() and w not in GENERIC_ACTOR_WORDS
    )


def actor_matches(gold: str, names: Iterable[str]) -> bool:
    """Whether one of an actor's names shares a distinctive word with the gold label."""
    wanted = distinctive_words(gold)
    return any(wanted & distinctive_words(name) for name in names)


# --- scoring ------------------------------------------------------------------------------------


def _overlaps(spans: Iterable[tuple[int, int]], others: Iterable[tuple[int, int]]) -> bool:
    others = list(others)
    return any(s < oe and os < e for s, e in spans for os, oe in others)


def _field_checks(incident: GoldIncident, event: ScoredEvent) -> list[tuple[str, bool, str, str]]:
    """(field, right, gold, predicted) for each field the gold gives."""
    checks = [
        ("event_type", incident.event_type, event.event_type),
        ("sub_event_type", incident.sub_event_type, event.sub_event_type),
    ]
    out = [(f, g == p, str(g), str(p)) for f, g, p in checks if g is not None]
    for field, gold, names in (
        ("actor1", incident.actor1, event.actor1),
        ("actor2", incident.actor2, event.actor2),
    ):
        if gold is not None:
            out.append((field, actor_matches(gold, names), gold, names[0] if names else "-"))
    if incident.lat is not None and incident.lon is not None:
        where = f"{incident.place} ({incident.lat:.2f}, {incident.lon:.2f})"
        if event.lat is None or event.lon is None:
            out.append(("place_50km", False, where, f"{event.place or '-'}, no coordinates"))
        else:
            km = haversine_km(incident.lat, incident.lon, event.lat, event.lon)
            out.append(("place_50km", km <= PLACE_KM, where, f"{event.place}: {km:.0f} km off"))
    if incident.country is not None:
        right = event.country == incident.country
        out.append(("country", right, incident.country, str(event.country)))
    if incident.date is not None and len(incident.date) == len("YYYY-MM-DD"):
        # A date of coarser precision (the week before publication) does not name the day.
        right = event.date_precision == "day" and str(event.date) == incident.date
        out.append(("date", right, incident.date, f"{event.date} ({event.date_precision})"))
    if incident.fatalities is not None:
        right = event.fatalities == incident.fatalities
        out.append(("fatalities", right, str(incident.fatalities), str(event.fatalities)))
    return out


def _clip(text: str, width: int | None = 90) -> str:
    flat = " ".join(text.split())
    return flat if width is None or len(flat) <= width else flat[: width - 1] + "…"


def score_documents(
    docs: Sequence[IncidentDoc],
    events: Sequence[Sequence[ScoredEvent]],
    *,
    unscored: Sequence[int] = (),
    errors_per_kind: int | None = ERRORS_PER_KIND,
) -> IncidentScores:
    """Score each document's events against its gold, pairwise; ``errors_per_kind`` None keeps
    every error, quotes whole (for error analysis), else that many of each kind, spread through
    the list."""
    if len(docs) != len(events):
        raise ValueError("gold documents and predictions differ in length")
    count: Counter[str] = Counter()
    fields: Counter[tuple[str, bool]] = Counter()
    by_type: Counter[tuple[str, str]] = Counter()
    errors: defaultdict[str, list[str]] = defaultdict(list)
    width = None if errors_per_kind is None else 90  # of quotes in errors, chars
    for doc, found in zip(docs, events, strict=True):
        current = [i for i in doc.incidents if i.current]
        first: dict[str, ScoredEvent] = {}  # incident id -> the event that hit it
        count["current"] += len(current)
        for incident in current:
            by_type["gold", str(incident.event_type)] += 1
        for event in found:
            count["scored"] += 1
            by_type["pred", event.event_type] += 1
            said = f"'{event.trigger}' [{event.sub_event_type}] «{_clip(event.quote, width)}»"
            on = [i for i in current if _overlaps(event.spans, i.spans)]
            if not on:
                kind, why = _spurious(doc, event)
                count[f"spurious:{kind}"] += 1
                errors[f"spurious ({kind})"].append(f"spurious ({why}): {doc.id} {said}")
                continue
            incident = min(
                on, key=lambda i: (i.id in first, i.sub_event_type != event.sub_event_type)
            )
            if incident.id in first:
                count["duplicates"] += 1
                again = first[incident.id]
                errors["duplicate"].append(
                    f"duplicate: {incident.id} again (hit by '{again.trigger}'): {said}"
                )
                continue
            first[incident.id] = event
            count["hits"] += 1
            by_type["hit", event.event_type] += 1
            by_type["found", str(incident.event_type)] += 1
            for field, right, gold, got in _field_checks(incident, event):
                fields[field, right] += 1
                if not right:
                    errors[field].append(f"{field}: {incident.id} gold '{gold}', got '{got}'")
        for incident in current:
            if incident.id not in first:
                errors["missed"].append(
                    f"missed: {incident.id} {incident.sub_event_type} "
                    f"«{_clip(incident.quote, width)}»"
                )
    kinds = ["duplicate", *(f"spurious ({k})" for k in SPURIOUS_KINDS), "missed", *FIELDS]
    types = sorted({t for _, t in by_type})
    return IncidentScores(
        n_documents=len(docs),
        n_scored=count["scored"],
        n_hits=count["hits"],
        n_duplicates=count["duplicates"],
        spurious=tuple((k, count[f"spurious:{k}"]) for k in SPURIOUS_KINDS),
        n_current=count["current"],
        n_found=count["hits"],
        n_unscored=sum(unscored),
        fields=tuple(
            FieldScore(f, fields[f, True], fields[f, True] + fields[f, False]) for f in FIELDS
        ),
        types=tuple(_type_score(t, by_type) for t in types),
        errors=tuple(e for kind in kinds for e in _spread(errors[kind], errors_per_kind)),
    )


def _spurious(doc: IncidentDoc, event: ScoredEvent) -> tuple[str, str]:
    """Which kind of spurious event this is (SPURIOUS_KINDS), and a few words on why."""
    for incident in doc.incidents:
        if not incident.current and _overlaps(event.spans, incident.spans):
            return "background", f"background {incident.id}"
    for trap in doc.non_incidents:
        if _overlaps(event.spans, [(trap.start, trap.end)]):
            return "non_incident", f"non-incident: {trap.why}"
    return "other", "other"


def _type_score(event_type: str, by_type: Counter[tuple[str, str]]) -> LabelScore:
    """P over the events typed so (hits of any incident), R over the incidents gold types so."""
    pred, hit = by_type["pred", event_type], by_type["hit", event_type]
    gold, found = by_type["gold", event_type], by_type["found", event_type]
    p = hit / pred if pred else 0.0
    r = found / gold if gold else 0.0
    return LabelScore(event_type, p, r, 2 * p * r / (p + r) if p + r else 0.0, gold)


def _spread(items: Sequence[str], k: int | None) -> list[str]:
    """``k`` items taken evenly through the list (all of them when ``k`` is None)."""
    if k is None:
        return list(items)
    step = max(1, len(items) // k) if k else 1
    return list(items[::step][:k])


def predict(
    docs: Sequence[IncidentDoc], *, resources: Resources
) -> tuple[list[list[ScoredEvent]], list[int]]:
    """Analyse each document's text (title and publication date as metadata): the scored events
    of each, and how many events each has that are not scored."""
    documents = [
        document_from_text(d.text, ref=d.id, title=d.title, published=d.published) for d in docs
    ]
    events: list[list[ScoredEvent]] = []
    unscored: list[int] = []
    for analysis in analyze_docs(documents, resources=resources):
        scored, rest = scored_events(analysis)
        events.append(scored)
        unscored.append(rest)
    return events, unscored


def score(
    path: Path,
    *,
    resources: Resources,
    limit: int | None = None,
    errors_per_kind: int | None = ERRORS_PER_KIND,
) -> IncidentScores:
    """Run the pipeline over the gold documents (the first ``limit``) and score it."""
    docs = read_documents(path, limit=limit)
    events, unscored = predict(docs, resources=resources)
    return score_documents(docs, events, unscored=unscored, errors_per_kind=errors_per_kind)
