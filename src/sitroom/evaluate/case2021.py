"""CASE 2021 event typing: a snippet's prediction is the sub-event type of its main event
(``pipeline.main_mention``: its main incident, or its strongest mention if it tells none)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sitroom.api import document_from_text
from sitroom.errors import InputError
from sitroom.evaluate.metrics import ClassificationScores, classification_scores
from sitroom.pipeline import Resources, analyze_docs, main_mention

NO_EVENT = "NONE"
EXAMPLES = 8  # errors shown
CONFUSIONS = 12  # most frequent confusions shown
NON_CONFLICT = ("NATURAL_DISASTER", "MAN_MADE_DISASTER", "ORG_CRIME")
# ACLED event types a conflict monitor must not code for a flood or a bank robbery.
_VIOLENT_OR_DEMO = frozenset(
    {"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots"}
)


@dataclass(frozen=True, slots=True)
class Case2021Scores:
    """Typing scores over the ACLED-labelled snippets and the non-conflict rejection share."""

    typing: ClassificationScores
    rejection: float
    n_non_conflict: int
    confusions: tuple[tuple[str, str, int], ...]  # (gold, predicted, count), most frequent first
    examples: tuple[tuple[str, str, str], ...]  # (gold, predicted, text) of typical errors


def read_snippets(path: Path) -> list[tuple[str, str, str]]:
    """(id, text, label) triples from the CASE 2021 JSONL file."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                rows.append((str(item["id"]), str(item["text"]), str(item["label"])))
            except (ValueError, KeyError, TypeError) as e:
                raise InputError(f"malformed CASE 2021 line: {e}", source=str(path), line=n) from e
    return rows


@dataclass(frozen=True, slots=True)
class Case2021Prediction:
    """What sitroom said about a snippet: its main event's label, and whether it coded any
    violent or demonstration event."""

    label: str
    violent: bool


def acled_labels(resources: Resources) -> dict[str, str]:
    """CASE 2021 label by ACLED sub-event type, from the lexicon's event types: the first type
    that codes a sub-event type names it (ARMED_KILLING codes armed clashes too)."""
    labels: dict[str, str] = {}
    for label, t in resources.lexicon.types.items():
        if t.acled:
            labels.setdefault(t.acled[1], label)
    return labels


def predict(
    rows: Sequence[tuple[str, str, str]], *, resources: Resources
) -> list[Case2021Prediction]:
    """Analyse each snippet: its main event's CASE 2021 label (or NONE), any violent event."""
    label_of = acled_labels(resources)
    docs = [document_from_text(text, ref=i) for i, text, _ in rows]
    out = []
    for analysis in analyze_docs(docs, resources=resources):
        main = main_mention(analysis)
        guess = label_of.get(main.sub_event_type or "", NO_EVENT) if main else NO_EVENT
        # Any mention: a generic "attacks on convoys" is still violence, a flood that "hits" none.
        violent = any(e.event_type in _VIOLENT_OR_DEMO for e in analysis.event_mentions)
        out.append(Case2021Prediction(guess, violent))
    return out


def score_predictions(
    rows: Sequence[tuple[str, str, str]],
    predictions: Sequence[Case2021Prediction],
    *,
    labels: Sequence[str],
    examples: int | None = EXAMPLES,
) -> Case2021Scores:
    """Score predictions against the (id, text, label) rows, pairwise; typing is over ``labels``
    (the ACLED ones); ``examples`` None keeps every error and confusion."""
    if len(rows) != len(predictions):
        raise ValueError("snippets and predictions differ in length")
    gold: list[str] = []
    predicted: list[str] = []
    rejected = 0
    n_non_conflict = 0
    errors: list[tuple[str, str, str]] = []
    for (_, text, label), pred in zip(rows, predictions, strict=True):
        if label in NON_CONFLICT:
            n_non_conflict += 1
            rejected += not pred.violent
        if label in labels:
            gold.append(label)
            predicted.append(pred.label)
            if pred.label != label:
                errors.append((label, pred.label, text))
    typing = classification_scores(gold, predicted, labels=sorted(labels))
    confusions = Counter((g, p) for g, p in zip(gold, predicted, strict=True) if g != p)
    return Case2021Scores(
        typing=typing,
        rejection=rejected / n_non_conflict if n_non_conflict else 0.0,
        n_non_conflict=n_non_conflict,
        confusions=tuple(
            (g, p, c)
            for (g, p), c in confusions.most_common(None if examples is None else CONFUSIONS)
        ),
        examples=tuple(errors[:examples]),
    )


def score(path: Path, *, resources: Resources, limit: int | None = None) -> Case2021Scores:
    """Score event typing on a CASE 2021 file; labels come from the lexicon's ACLED types."""
    rows = read_snippets(path)[:limit]
    predictions = predict(rows, resources=resources)
    labels = sorted(acled_labels(resources).values())
    return score_predictions(rows, predictions, labels=labels)
