"""The alliance graph: one edge per (subject, predicate, object) that relations report, with
the dates and documents that report it (the claim ledger and control timelines are
``reconcile``'s).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from sitroom.picture.ledger import AllianceEdge
from sitroom.records import Evidence, Relation

# allied_with reads the same both ways; supports/opposes/part_of have a direction.
_SYMMETRIC = frozenset({"allied_with"})


def edge_key(relation: Relation) -> tuple[str, str, str]:
    """(subject, predicate, object) of the edge a relation reports; a symmetric predicate
    puts the smaller id first."""
    subject, obj = relation.subject, relation.object
    if relation.predicate in _SYMMETRIC and obj < subject:
        subject, obj = obj, subject
    return subject, relation.predicate, obj


def alliance_graph(relations: Sequence[Relation]) -> tuple[AllianceEdge, ...]:
    """One edge per (subject, predicate, object), with the dates and documents that report it."""
    grouped: defaultdict[tuple[str, str, str], list[Relation]] = defaultdict(list)
    for relation in relations:
        grouped[edge_key(relation)].append(relation)
    return tuple(_edge(key, grouped[key]) for key in sorted(grouped))


def extend_edge(edge: AllianceEdge, relations: Sequence[Relation]) -> AllianceEdge:
    """The edge ``alliance_graph`` gives for the relations ``edge`` was made of and
    ``relations`` (more reports of it), without the former: an edge's dates and evidence are
    the least, the greatest and the union over its relations."""
    if any(edge_key(r) != (edge.subject, edge.predicate, edge.object) for r in relations):
        raise ValueError("relations of another edge")
    seen = [d for d in (edge.first_seen, edge.last_seen) if d is not None]
    return _edge((edge.subject, edge.predicate, edge.object), relations, edge.evidence, seen)


def _edge(
    key: tuple[str, str, str],
    relations: Sequence[Relation],
    evidence: Iterable[Evidence] = (),
    dates: Iterable[dt.date] = (),
) -> AllianceEdge:
    subject, predicate, obj = key
    days = [*dates, *(r.date for r in relations if r.date is not None)]
    ordered = sorted(
        {*evidence, *(ev for r in relations for ev in r.evidence)},
        key=lambda ev: (ev.document_id, ev.start, ev.end, ev.quote),
    )
    return AllianceEdge(
        subject=subject,
        predicate=predicate,
        object=obj,
        first_seen=min(days) if days else None,
        last_seen=max(days) if days else None,
        document_ids=tuple(sorted({ev.document_id for ev in ordered})),
        evidence=tuple(ordered),
    )
