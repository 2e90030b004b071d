"""One picture from many reports: the merge and reconcile stages over stored per-report records.

``merge`` joins the reports of one real-world event into a ``MergedEvent``; ``reconcile`` builds
the claim ledger (what each independent source says of each field, and where they clash), control
of places over time and the alliance graph; ``ledger`` holds the records of both. This module
builds the ledger of a stored picture and compares two reports.

The ledger is computed from the stored per-report events, control claims and relations each time
the picture is read; nothing merged is stored. Merging is deterministic and does not depend on the
order in which reports were stored, so adding a report needs no re-analysis of the others: the
next read merges it in. That is how the picture grows incrementally.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from pathlib import PurePath

from sitroom.errors import InputError
from sitroom.picture.alliances import alliance_graph
from sitroom.picture.ledger import DEFAULT_RULES, Comparison, Ledger, MergedEvent, MergeRules
from sitroom.picture.merge import merge_events
from sitroom.picture.reconcile import control_timeline, independent_sources
from sitroom.records import Actor, Analysis, Document, Evidence, Picture

# A document id prefix shorter than this is too easy to match by accident.
_MIN_ID_PREFIX = 6


def _event_key(event: MergedEvent) -> tuple[bool, dt.date, str]:
    return (event.event_date is None, event.event_date or dt.date.min, event.id)


def build_ledger(picture: Picture, *, rules: MergeRules = DEFAULT_RULES) -> Ledger:
    """Merged events (claims included), control timelines and alliance edges of a picture."""
    documents = {d.id: d for d in picture.documents}
    actors = {a.id: a for a in picture.actors}
    groups = independent_sources(documents, rules=rules)
    merged = merge_events(
        picture.events, documents=documents, actors=actors, groups=groups, rules=rules
    )
    return Ledger(
        events=tuple(sorted(merged, key=_event_key)),
        control=control_timeline(picture.control, groups=groups, actors=actors, rules=rules),
        alliances=alliance_graph(picture.relations),
        source_groups=groups,
    )


def _from(evidence: Iterable[Evidence], ids: Collection[str]) -> bool:
    return any(e.document_id in ids for e in evidence)


def restrict(picture: Picture, document_ids: Collection[str]) -> Picture:
    """The part of a picture that the given documents report; every actor is kept."""
    ids = frozenset(document_ids)
    return Picture(
        documents=tuple(d for d in picture.documents if d.id in ids),
        actors=picture.actors,
        mentions=tuple(m for m in picture.mentions if m.document_id in ids),
        events=tuple(e for e in picture.events if e.document_id in ids),
        relations=tuple(r for r in picture.relations if _from(r.evidence, ids)),
        control=tuple(c for c in picture.control if _from(c.evidence, ids)),
        main_events={k: v for k, v in picture.main_events.items() if k in ids},
    )


def picture_from_analyses(analyses: Iterable[Analysis]) -> Picture:
    """A picture of analyses held in memory (not stored); an actor id seen twice is kept once."""
    found = list(analyses)
    actors: dict[str, Actor] = {}
    for actor in sorted((a for x in found for a in x.actors), key=repr):
        actors.setdefault(actor.id, actor)
    return Picture(
        documents=tuple(x.document for x in found),
        actors=tuple(actors[k] for k in sorted(actors)),
        mentions=tuple(m for x in found for m in x.mentions),
        events=tuple(e for x in found for e in x.events),
        relations=tuple(r for x in found for r in x.relations),
        control=tuple(c for x in found for c in x.control),
        main_events={x.document.id: x.main_event for x in found},
    )


def find_document(documents: Iterable[Document], key: str) -> Document:
    """The document whose id or ref is ``key``, else whose file name, stem or id prefix it is."""
    pool = list(documents)
    exact = [d for d in pool if key in (d.id, d.ref)]
    if not exact:
        exact = [d for d in pool if key in (PurePath(d.ref).name, PurePath(d.ref).stem)]
    if not exact and len(key) >= _MIN_ID_PREFIX:
        exact = [d for d in pool if d.id.startswith(key)]
    unique = {d.id: d for d in exact}
    if not unique:
        raise InputError("no stored report has this id or ref", source=key)
    if len(unique) > 1:
        refs = ", ".join(sorted(d.ref for d in unique.values()))
        raise InputError(f"matches several stored reports: {refs}", source=key)
    return next(iter(unique.values()))


def compare_reports(
    picture: Picture, first: str, second: str, *, rules: MergeRules = DEFAULT_RULES
) -> Comparison:
    """Merge and reconcile the events of two documents (ids) of a picture, and only those."""
    documents = {d.id: d for d in picture.documents}
    for doc_id in (first, second):
        if doc_id not in documents:
            raise InputError("no such document in the picture", source=doc_id)
    ledger = build_ledger(restrict(picture, {first, second}), rules=rules)
    shared, only_first, only_second = [], [], []
    for event in ledger.events:
        told = set(event.document_ids)
        if first in told and second in told:
            shared.append(event)
        elif first in told:
            only_first.append(event)
        else:
            only_second.append(event)
    groups = ledger.source_groups
    return Comparison(
        first=documents[first],
        second=documents[second],
        same_source=groups.get(first, first) == groups.get(second, second),
        shared=tuple(shared),
        only_first=tuple(only_first),
        only_second=tuple(only_second),
        control=ledger.control,
    )
