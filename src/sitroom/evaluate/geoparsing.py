"""Geoparsing scorer: toponym recognition P/R/F1 and resolution accuracy within 161 km.

Follows ``shared/data/README.md``: spans match when they overlap; GeoWebNews gold keeps toponyms
with coordinates whose type is not a demonym, non-toponym or (non-)literal expression.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitroom.errors import InputError
from sitroom.extract.places import Demonyms, find_places
from sitroom.geometry import haversine_km
from sitroom.knowledge.gazetteer import Gazetteer
from sitroom.nlp import NameTest, parse
from sitroom.pipeline import Resources, stored_places
from sitroom.records import Mention

if TYPE_CHECKING:
    from spacy.language import Language

ACCURACY_KM = 161.0  # 100 miles, the field's usual threshold
EXCLUDED_TYPES = frozenset({"Demonym", "Non_Toponym", "Literal_Expression", "Non_Lit_Expression"})
ERRORS_PER_KIND = 5


@dataclass(frozen=True, slots=True)
class GeoError:
    """One typical mistake: 'missed' gold, 'spurious' prediction or 'far' resolution (km)."""

    kind: str
    document_id: str
    start: int
    end: int
    text: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class GeoScores:
    """Recognition P/R/F1 over spans; resolution accuracy within 161 km and median error (km)."""

    precision: float
    recall: float
    f1: float
    acc_161: float
    median_km: float | None
    n_gold: int
    n_pred: int
    n_matched: int
    n_documents: int
    seconds: float = 0.0
    errors: tuple[GeoError, ...] = ()


@dataclass(frozen=True, slots=True)
class _Gold:
    start: int
    end: int
    text: str
    lat: float
    lon: float


def _read(path: Path, limit: int | None) -> Iterator[dict[str, Any]]:
    try:
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, start=1):
                if limit is not None and n > limit:
                    return
                if line.strip():
                    try:
                        yield json.loads(line)
                    except json.JSONDecodeError as e:
                        raise InputError(f"bad JSON: {e}", source=str(path), line=n) from e
    except OSError as e:
        raise InputError(f"cannot read: {e}", source=str(path)) from e


def gold_toponyms(record: dict[str, Any]) -> list[_Gold]:
    """The gold toponyms that count: with coordinates, and not of an excluded GeoWebNews type."""
    return [
        _Gold(int(t["start"]), int(t["end"]), str(t["text"]), float(t["lat"]), float(t["lon"]))
        for t in record.get("toponyms", ())
        if t.get("lat") is not None
        and t.get("lon") is not None
        and t.get("type") not in EXCLUDED_TYPES
    ]


def _no_name(words: str) -> bool:
    return False


def _match(gold: list[_Gold], pred: list[Mention]) -> list[tuple[_Gold, Mention]]:
    """One-to-one pairs of overlapping spans, taken in text order."""
    pairs: list[tuple[_Gold, Mention]] = []
    used: set[int] = set()
    for g in sorted(gold, key=lambda g: (g.start, g.end)):
        for k, m in enumerate(pred):
            if k not in used and m.start < g.end and g.start < m.end:
                used.add(k)
                pairs.append((g, m))
                break
    return pairs


def read_records(path: Path, *, limit: int | None = None) -> list[dict[str, Any]]:
    """The articles of a geoparsing JSONL file (the first ``limit``)."""
    return list(_read(path, limit))


def predict(
    records: Sequence[dict[str, Any]],
    *,
    nlp: Language,
    gazetteer: Gazetteer,
    demonyms: Demonyms | None = None,
    is_name: NameTest | None = None,
) -> list[list[Mention]]:
    """Every toponym ``find_places`` finds in each article.

    ``is_name`` is the pipeline's test of known names for recasing headlines (none: none known).
    """
    texts = ((str(r["text"]), r) for r in records)
    return [
        find_places(
            doc,
            document_id=str(record.get("id", "")),
            gazetteer=gazetteer,
            demonyms=demonyms,
            every_toponym=True,
        )
        for doc, record in parse(nlp, texts, is_name=is_name or _no_name, batch_size=16)
    ]


def predict_both(
    records: Sequence[dict[str, Any]], *, resources: Resources
) -> tuple[list[list[Mention]], list[list[Mention]]]:
    """Per article, from one parse: every toponym ``find_places`` finds (the gold sets' notion
    of a toponym), and the place mentions and place modifiers the pipeline stores in a picture
    and exports (no region resolved where a name is the place, as no event is located there)."""
    every: list[list[Mention]] = []
    stored: list[list[Mention]] = []
    texts = ((str(r["text"]), r) for r in records)
    for doc, record in parse(resources.nlp, texts, is_name=resources.is_name, batch_size=16):
        doc_id = str(record.get("id", ""))
        every.append(
            find_places(
                doc,
                document_id=doc_id,
                gazetteer=resources.gazetteer,
                demonyms=resources.kb.demonym_country,
                every_toponym=True,
            )
        )
        stored.append(stored_places(doc, doc_id, resources=resources))
    return every, stored


def score_predictions(
    records: Sequence[dict[str, Any]],
    predictions: Sequence[Sequence[Mention]],
    *,
    errors_per_kind: int | None = ERRORS_PER_KIND,
) -> GeoScores:
    """Score predicted toponyms against the articles' gold, pairwise; ``errors_per_kind`` None
    keeps every error."""
    if len(records) != len(predictions):
        raise ValueError("articles and predictions differ in length")
    n_gold = n_pred = n_matched = n_correct = 0
    errors_km: list[float] = []
    errors: dict[str, list[GeoError]] = {"missed": [], "spurious": [], "far": []}

    def note(kind: str, doc_id: str, start: int, end: int, text: str, detail: str = "") -> None:
        if errors_per_kind is None or len(errors[kind]) < errors_per_kind:
            errors[kind].append(GeoError(kind, doc_id, start, end, text, detail))

    for record, pred in zip(records, predictions, strict=True):
        doc_id = str(record.get("id", ""))
        gold = gold_toponyms(record)
        pairs = _match(gold, list(pred))
        n_gold += len(gold)
        n_pred += len(pred)
        n_matched += len(pairs)
        matched_gold = {id(g) for g, _ in pairs}
        matched_pred = {id(m) for _, m in pairs}
        for g in gold:
            if id(g) not in matched_gold:
                note("missed", doc_id, g.start, g.end, g.text)
        for m in pred:
            if id(m) not in matched_pred:
                note("spurious", doc_id, m.start, m.end, m.text)
        for g, m in pairs:
            if m.place is None:
                note("far", doc_id, g.start, g.end, g.text, "unresolved")
                continue
            km = haversine_km(g.lat, g.lon, m.place.latitude, m.place.longitude)
            errors_km.append(km)
            if km <= ACCURACY_KM:
                n_correct += 1
            else:
                where = f"{m.place.name}, {m.place.admin1 or '-'}, {m.place.country}"
                note("far", doc_id, g.start, g.end, g.text, f"{where}: {km:.0f} km off")
    precision = n_matched / n_pred if n_pred else 0.0
    recall = n_matched / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return GeoScores(
        precision=precision,
        recall=recall,
        f1=f1,
        acc_161=n_correct / n_matched if n_matched else 0.0,
        median_km=statistics.median(errors_km) if errors_km else None,
        n_gold=n_gold,
        n_pred=n_pred,
        n_matched=n_matched,
        n_documents=len(records),
        errors=tuple(e for kind in ("missed", "spurious", "far") for e in errors[kind]),
    )


def score(
    path: Path,
    *,
    nlp: Language,
    gazetteer: Gazetteer,
    demonyms: Demonyms | None = None,
    is_name: NameTest | None = None,
    limit: int | None = None,
) -> GeoScores:
    """Score ``find_places`` on a geoparsing JSONL file (first ``limit`` documents).

    ``is_name`` is the pipeline's test of known names for recasing headlines (none: none known).
    """
    started = time.perf_counter()
    records = read_records(path, limit=limit)
    predictions = predict(records, nlp=nlp, gazetteer=gazetteer, demonyms=demonyms, is_name=is_name)
    scores = score_predictions(records, predictions)
    return replace(scores, seconds=time.perf_counter() - started)
