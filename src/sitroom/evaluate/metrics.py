"""Classification metrics shared by the scorers: per-label P/R/F1, macro and weighted F1."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LabelScore:
    """Precision, recall and F1 of one label, with its gold count (support)."""

    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class ClassificationScores:
    """Accuracy, macro-F1 and support-weighted F1 over the gold labels, and each label's scores."""

    n: int
    accuracy: float
    macro_f1: float
    weighted_f1: float
    labels: tuple[LabelScore, ...]


def classification_scores(
    gold: Sequence[str], predicted: Sequence[str], *, labels: Sequence[str] | None = None
) -> ClassificationScores:
    """Scores over ``labels`` (default: the gold labels); other predictions count as errors."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    wanted = sorted(set(gold)) if labels is None else list(labels)
    support = Counter(gold)
    true_pos = Counter(g for g, p in zip(gold, predicted, strict=True) if g == p)
    pred_count = Counter(predicted)
    per_label = []
    for label in wanted:
        tp = true_pos[label]
        precision = tp / pred_count[label] if pred_count[label] else 0.0
        recall = tp / support[label] if support[label] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label.append(LabelScore(label, precision, recall, f1, support[label]))
    scored = [s for s in per_label if s.support]
    total = sum(s.support for s in scored)
    n = len(gold)
    return ClassificationScores(
        n=n,
        accuracy=sum(true_pos.values()) / n if n else 0.0,
        macro_f1=sum(s.f1 for s in scored) / len(scored) if scored else 0.0,
        weighted_f1=sum(s.f1 * s.support for s in scored) / total if total else 0.0,
        labels=tuple(per_label),
    )
