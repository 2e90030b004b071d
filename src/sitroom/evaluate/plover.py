"""PLOVER scorer: event typing and source/target assignment on the PLOVER gold records.

A record's prediction is its text's main event (``pipeline.main_mention``, as in CASE 2021
scoring), or ``NONE`` when sitroom finds none. Gold actors are strings; a predicted actor1
(actor2) matches a gold source (target) when one of its names -- canonical name, aliases, or the
text of its mentions in the record -- contains or is contained in a part of the gold string,
case-insensitively and on word bounds.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sitroom.api import document_from_text
from sitroom.errors import InputError
from sitroom.evaluate.metrics import ClassificationScores, classification_scores
from sitroom.pipeline import Resources, analyze_docs, main_mention
from sitroom.records import Analysis

NO_EVENT = "NONE"
ERRORS_PER_KIND = 5
_PART_BREAK = re.compile(r"\.{2,}|…")  # "Bosnian Serbs ... forces": two pieces of one actor
_NON_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True, slots=True)
class PloverRecord:
    """One gold record: its text, PLOVER event type and the source/target actor strings."""

    id: str
    text: str
    event: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PloverPrediction:
    """What sitroom said about a record: main event's PLOVER type and its actors' names."""

    plover_type: str
    actor1: tuple[str, ...] = ()  # canonical name first, then aliases and mention texts
    actor2: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PloverError:
    """One typical mistake: kind is 'type', 'source', 'target' or 'swapped'."""

    kind: str
    record_id: str
    gold: str
    predicted: str
    text: str


@dataclass(frozen=True, slots=True)
class PloverScores:
    """Typing accuracy/macro-F1 over gold types; share of sources and targets assigned right."""

    typing: ClassificationScores
    source_accuracy: float
    target_accuracy: float
    n_source: int  # records with a gold source
    n_target: int  # records with a gold target
    confusions: tuple[tuple[str, str, int], ...]  # (gold, predicted, count), most frequent first
    errors: tuple[PloverError, ...]
    seconds: float = 0.0


def _actor_texts(value: Any) -> tuple[str, ...]:
    # Gold 'target' is sometimes '' or a stray word ('diplomatic') instead of a list: no actor.
    if not isinstance(value, list):
        return ()
    texts = (str(a.get("actorText", "")).strip() for a in value if isinstance(a, dict))
    return tuple(t for t in texts if t)


def read_records(path: Path) -> list[PloverRecord]:
    """The records that have a text (one JSON array, despite the README's 'JSON lines')."""
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise InputError(f"cannot read PLOVER records: {e}", source=str(path)) from e
    if not isinstance(items, list):
        raise InputError("expected a JSON array of records", source=str(path))
    records = []
    for item in items:
        if not isinstance(item, dict) or not str(item.get("text") or "").strip():
            continue  # the leading DOCUMENT record documents the file
        records.append(
            PloverRecord(
                id=str(item.get("id", "")),
                text=str(item["text"]).strip().strip("{}"),
                event=str(item.get("event", "")),
                sources=_actor_texts(item.get("source")),
                targets=_actor_texts(item.get("target")),
            )
        )
    return records


def _norm(text: str) -> str:
    return " ".join(_NON_WORD.sub(" ", text.lower()).split())


def actor_matches(gold: str, names: Iterable[str]) -> bool:
    """Whether a name contains, or is contained in, a part of the gold string (word bounds)."""
    parts = [f" {p} " for p in (_norm(x) for x in _PART_BREAK.split(gold)) if p]
    for name in names:
        n = _norm(name)
        if n and any(f" {n} " in p or p in f" {n} " for p in parts):
            return True
    return False


def prediction_from(analysis: Analysis) -> PloverPrediction:
    """The main event's PLOVER type (``pipeline.main_mention``) and the names its actor1 and
    actor2 go by in the analysis."""
    main = main_mention(analysis)
    if main is None:
        return PloverPrediction(NO_EVENT)
    actors = {a.id: a for a in analysis.actors}

    def names(actor_id: str | None) -> tuple[str, ...]:
        if actor_id is None:
            return ()
        actor = actors.get(actor_id)
        own = (actor.name, *actor.aliases) if actor else (actor_id,)
        said = (m.text for m in analysis.mentions if m.kind == "actor" and m.actor_id == actor_id)
        return tuple(dict.fromkeys((*own, *said)))

    return PloverPrediction(main.plover_type or NO_EVENT, names(main.actor1), names(main.actor2))


def score_predictions(
    records: Sequence[PloverRecord],
    predictions: Sequence[PloverPrediction],
    *,
    errors_per_kind: int | None = ERRORS_PER_KIND,
) -> PloverScores:
    """Score predictions against gold records, pairwise; typing is over the gold types.
    ``errors_per_kind`` None keeps every error and confusion."""
    if len(records) != len(predictions):
        raise ValueError("records and predictions differ in length")
    gold = [r.event for r in records]
    guessed = [p.plover_type for p in predictions]
    typing = classification_scores(gold, guessed, labels=sorted(set(gold)))
    n_source = n_target = source_ok = target_ok = 0
    errors: dict[str, list[PloverError]] = {k: [] for k in ("type", "source", "target", "swapped")}

    def note(kind: str, record: PloverRecord, gold_text: str, predicted: str) -> None:
        errors[kind].append(PloverError(kind, record.id, gold_text, predicted, record.text))

    for record, pred in zip(records, predictions, strict=True):
        if pred.plover_type != record.event:
            note("type", record, record.event, pred.plover_type)
        said1 = pred.actor1[0] if pred.actor1 else "-"
        said2 = pred.actor2[0] if pred.actor2 else "-"
        source_hit = any(actor_matches(g, pred.actor1) for g in record.sources)
        target_hit = any(actor_matches(g, pred.actor2) for g in record.targets)
        if record.sources:
            n_source += 1
            source_ok += source_hit
        if record.targets:
            n_target += 1
            target_ok += target_hit
        swapped = (
            any(actor_matches(g, pred.actor1) for g in record.targets)
            and any(actor_matches(g, pred.actor2) for g in record.sources)
            and not (source_hit or target_hit)
        )
        if swapped:
            gold_pair = f"{'; '.join(record.sources)} -> {'; '.join(record.targets)}"
            note("swapped", record, gold_pair, f"{said1} -> {said2}")
            continue
        if record.sources and not source_hit:
            note("source", record, "; ".join(record.sources), said1)
        if record.targets and not target_hit:
            note("target", record, "; ".join(record.targets), said2)
    confusions = Counter((g, p) for g, p in zip(gold, guessed, strict=True) if g != p)
    return PloverScores(
        typing=typing,
        source_accuracy=source_ok / n_source if n_source else 0.0,
        target_accuracy=target_ok / n_target if n_target else 0.0,
        n_source=n_source,
        n_target=n_target,
        confusions=tuple(
            (g, p, c)
            for (g, p), c in confusions.most_common(None if errors_per_kind is None else 12)
        ),
        errors=tuple(e for kind in errors.values() for e in _spread(kind, errors_per_kind)),
    )


def _spread(items: Sequence[PloverError], k: int | None) -> list[PloverError]:
    """``k`` items taken evenly through the list, so examples are not all from its start (all
    of them when ``k`` is None)."""
    if k is None:
        return list(items)
    step = max(1, len(items) // k)
    return list(items[::step][:k])


def predict(records: Sequence[PloverRecord], *, resources: Resources) -> list[PloverPrediction]:
    """Analyse each record's text: its main event's type and actors."""
    docs = [document_from_text(r.text, ref=r.id) for r in records]
    return [prediction_from(a) for a in analyze_docs(docs, resources=resources)]


def score(path: Path, *, resources: Resources, limit: int | None = None) -> PloverScores:
    """Run the pipeline over the PLOVER records (the first ``limit``) and score it."""
    started = time.perf_counter()
    records = read_records(path)[:limit]
    scores = score_predictions(records, predict(records, resources=resources))
    return replace(scores, seconds=time.perf_counter() - started)
