"""Count the geoparsing errors of sitroom by the classes of issue 17, per set and half.

    python scripts/geo_errors.py [DATASET ...] [--stored] [--list CLASS]

DATASET: geoparsing (GeoWebNews dev) and/or trnews (both by default). Scores
``find_places(every_toponym=True)`` as scripts/evaluate.py does (``--stored``: the place mentions
a picture stores), and sorts every miss into one class:

- missed: a gold toponym no prediction overlaps (recognition)
- not a place: a prediction no gold toponym overlaps, split by the spaCy label of its words
  (person, organisation, a place entity the gold does not count, other entity, none)
- unresolved: a matched name left without a place although one of its readings is right
- wrong namesake: a town picked where another reading of the name is right (same country or not)
- area over a town: a country, region or first-level region picked where a town or a state of
  the name is right ("Georgia" the country for the state), or the reverse
- not in the gazetteer: no reading of the name lies within 161 km of the gold point; a US
  county, a first-level region at its point (the pick is that region, too far from the gold),
  or another name (districts, facilities, villages below cities500)

``--list CLASS`` prints the errors of one class (read the tune half's: ``--half tune``).
"""

# ruff: noqa: E402  (thread limits must be set before numpy is imported)
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from typing import Any

from sitroom.api import resources_for
from sitroom.config import Config
from sitroom.evaluate.geoparsing import ACCURACY_KM, gold_toponyms, read_records
from sitroom.evaluate.harness import default_path
from sitroom.evaluate.split import HALVES, half_of
from sitroom.extract.places import find_places
from sitroom.extract.toponyms import recognise
from sitroom.geometry import haversine_km
from sitroom.nlp import parse
from sitroom.pipeline import Resources, stored_places
from sitroom.records import Mention, Place

SETS = ("geoparsing", "trnews")
CLASSES = (
    "missed",
    "not a place: person",
    "not a place: organisation",
    "not a place: place entity",
    "not a place: other entity",
    "not a place: no entity",
    "unresolved",
    "wrong namesake: same country",
    "wrong namesake: other country",
    "area over a town",
    "not in the gazetteer: US county",
    "not in the gazetteer: first-level region at its point",
    "not in the gazetteer: other",
)
_LABELS = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place entity",
    "LOC": "place entity",
    "FAC": "place entity",
}
_AREAS = frozenset({"country", "admin1", "region"})


def classify(
    doc: Any, record: dict[str, Any], mentions: Sequence[Mention], readings: dict[int, list[Place]]
) -> list[tuple[str, str]]:
    """(class, what) of every error in one article; ``readings``: a span start's readings."""
    gold = sorted(gold_toponyms(record), key=lambda g: (g.start, g.end))
    used: set[int] = set()
    pairs = []
    out: list[tuple[str, str]] = []
    for g in gold:
        k = next(
            (
                k
                for k, m in enumerate(mentions)
                if k not in used and m.start < g.end and g.start < m.end
            ),
            None,
        )
        if k is None:
            out.append(("missed", g.text))
            continue
        used.add(k)
        pairs.append((g, mentions[k]))
    for k, m in enumerate(mentions):
        if k in used:
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        labels = {t.ent_type_ for t in span} - {""} if span is not None else set()
        kind = next((_LABELS[x] for x in sorted(labels) if x in _LABELS), None)
        kind = kind or ("other entity" if labels else "no entity")
        out.append((f"not a place: {kind}", m.text))
    for g, m in pairs:
        p = m.place
        if p is not None and haversine_km(g.lat, g.lon, p.latitude, p.longitude) <= ACCURACY_KM:
            continue
        cands = readings.get(m.start) or []
        right = [
            c for c in cands if haversine_km(g.lat, g.lon, c.latitude, c.longitude) <= ACCURACY_KM
        ]
        what = f"{m.text} -> {_where(p)}"
        if not right:
            if "county" in m.text.lower() or "parish" in m.text.lower():
                out.append(("not in the gazetteer: US county", what))
            elif p is not None and p.feature == "admin1":
                out.append(("not in the gazetteer: first-level region at its point", what))
            else:
                out.append(("not in the gazetteer: other", what))
        elif p is None:
            out.append(("unresolved", what))
        elif (p.feature in _AREAS) != all(c.feature in _AREAS for c in right) or (
            p.feature != "city" and not any(c.feature == p.feature for c in right)
        ):
            out.append(("area over a town", f"{what}; right: {_where(right[0])}"))
        else:
            same = any(c.country == p.country for c in right)
            kind = "same country" if same else "other country"
            out.append((f"wrong namesake: {kind}", f"{what}; right: {_where(right[0])}"))
    return out


def _where(p: Place | None) -> str:
    return "None" if p is None else f"{p.name} ({p.feature}, {p.admin1 or '-'}, {p.country})"


def errors_of(
    dataset: str, resources: Resources, *, stored: bool
) -> list[tuple[str, str, str, str]]:
    """(half, class, document id, what) of every error in one set."""
    records = read_records(default_path(dataset))
    texts = ((str(r["text"]), r) for r in records)
    out = []
    for doc, record in parse(resources.nlp, texts, is_name=resources.is_name, batch_size=16):
        doc_id = str(record["id"])
        demonyms = resources.kb.demonym_country
        if stored:
            mentions = stored_places(doc, doc_id, resources=resources)
        else:
            mentions = find_places(
                doc,
                document_id=doc_id,
                gazetteer=resources.gazetteer,
                demonyms=demonyms,
                every_toponym=True,
            )
        found = recognise(doc, resources.gazetteer, demonyms=demonyms)
        readings = {t.span.start_char: list(t.readings) for t in found}
        for cls, what in classify(doc, record, mentions, readings):
            out.append((half_of(doc_id), cls, doc_id, what))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="*", choices=[*SETS, []], metavar="DATASET")
    parser.add_argument("--stored", action="store_true", help="score the stored place mentions")
    parser.add_argument("--list", choices=CLASSES, help="print the errors of this class")
    parser.add_argument("--half", choices=HALVES, default="tune", help="whose errors --list shows")
    args = parser.parse_args()
    resources = resources_for(Config())
    for dataset in args.datasets or SETS:
        errors = errors_of(dataset, resources, stored=args.stored)
        counts = {h: Counter(c for half, c, _, _ in errors if half == h) for h in HALVES}
        mode = "stored places" if args.stored else "every toponym"
        print(f"{dataset} ({mode}): errors by class      all  {'  '.join(HALVES)}")
        for cls in CLASSES:
            n = [counts[h][cls] for h in HALVES]
            print(f"  {cls:<54} {sum(n):4d}  {n[0]:4d}  {n[1]:5d}")
        if args.list:
            for half, cls, doc_id, what in errors:
                if cls == args.list and half == args.half:
                    print(f"    {doc_id}: {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
