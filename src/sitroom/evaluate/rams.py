"""RAMS scorer: who did it, to whom and where, on five-sentence windows of news nobody tuned on.

RAMS 1.0 (Ebner et al. 2020) annotates one event per window of five sentences, with its
arguments wherever they lie in the window. Its violent types and roles meet sitroom's events on
the WikiEvents evaluation types (``rams`` in ``data/eval_mappings.yaml``), and the window is
scored as a WikiEvents document is, with one difference: only the annotated event is gold, so
sitroom's events elsewhere in the window are neither right nor wrong and are left out. What is
scored is whether sitroom finds an event of the gold type at the gold trigger (trigger recall;
precision over the events found there is the share typed alike), and, over the windows where it
does, the attacker, target and place it gives that event (argument P/R/F1, the head word inside
the gold span). Many RAMS events are no incident an ACLED coder would code (homicide rates, a
"coup" in a politician's mouth, a rape charge), so a low trigger recall is expected: the figure
that measures sitroom is the arguments of the events it found.

The windows are split into halves by their article's address, so that windows of one article
fall in one half.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitroom.errors import InputError
from sitroom.evaluate.wikievents import (
    EventMapping,
    GoldArg,
    GoldDoc,
    GoldEvent,
    PredEvent,
    WikiEventsScores,
    predict,
    score_documents,
)
from sitroom.pipeline import Resources

SECTION = "rams"  # the section of data/eval_mappings.yaml with RAMS' types and roles
_ROLE_PREFIX = re.compile(r"^evt\d+arg\d+")
# Tokens written against the word before them ("U.S. 's", "do n't", "said :").
_CLOSING = re.compile(r"^(?:[.,:;!?%)\]}]+|['’](?:s|re|ve|m|d|ll)|n['’]t|''|”)$")
_OPENING = frozenset({"(", "[", "{", "$", "``", "“"})


@dataclass(frozen=True, slots=True)
class Window:
    """A RAMS window read as a gold document, and the article it comes from (its split id)."""

    doc: GoldDoc
    article: str


def read_windows(path: Path, *, mapping: EventMapping, limit: int | None = None) -> list[Window]:
    """The windows whose event is of an evaluation type (the others are not read further), the
    first ``limit`` of them."""
    windows: list[Window] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise InputError(f"cannot read: {e}", source=str(path)) from e
    for n, line in enumerate(lines):
        if limit is not None and len(windows) >= limit:
            break
        if not line.strip():
            continue
        try:
            window = _window(json.loads(line), mapping)
        except (KeyError, IndexError, TypeError, ValueError) as e:
            raise InputError(f"malformed RAMS window: {e!r}", source=str(path), line=n + 1) from e
        if window is not None:
            windows.append(window)
    return windows


def detokenize(sentences: Sequence[Sequence[str]]) -> tuple[str, list[tuple[int, int]]]:
    """The window as text, one sentence per line, and each token's char span in it: tokens are
    joined by a space except before closing punctuation and clitics and after opening marks."""
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    at = 0
    for s, tokens in enumerate(sentences):
        if s:
            pieces.append("\n")
            at += 1
        previous = None
        for token in tokens:
            if previous is not None and not _CLOSING.match(token) and previous not in _OPENING:
                pieces.append(" ")
                at += 1
            pieces.append(token)
            spans.append((at, at + len(token)))
            at += len(token)
            previous = token
    return "".join(pieces), spans


def _window(item: dict[str, Any], mapping: EventMapping) -> Window | None:
    (trigger_start, trigger_end, ((kind_name, _),)), *_ = item["evt_triggers"]
    kind = mapping.gold_type(str(kind_name))
    if kind is None:
        return None
    text, spans = detokenize(item["sentences"])
    roles = mapping.gold_roles.get(kind, {})
    args = []
    for _trigger, (start, end), role in item["gold_evt_links"]:
        slot = roles.get(_ROLE_PREFIX.sub("", str(role)))
        if slot is None:
            continue
        a, b = spans[start][0], spans[end][1]
        args.append(GoldArg(slot, a, b, text[a:b], ((a, b),)))
    a, b = spans[trigger_start][0], spans[trigger_end][1]
    event = GoldEvent(kind, a, b, text[a:b], tuple(args))
    return Window(GoldDoc(str(item["doc_key"]), text, (event,)), str(item["source_url"]))


def at_gold_triggers(doc: GoldDoc, events: Sequence[PredEvent]) -> list[PredEvent]:
    """The predicted events whose trigger overlaps a gold trigger: the only ones RAMS judges."""
    return [p for p in events if any(p.start < g.end and g.start < p.end for g in doc.events)]


def predict_windows(
    windows: Sequence[Window], *, resources: Resources, mapping: EventMapping
) -> list[list[PredEvent]]:
    """Analyse each window's text; keep the events at its gold trigger."""
    docs = [w.doc for w in windows]
    found = predict(docs, resources=resources, mapping=mapping)
    return [at_gold_triggers(doc, events) for doc, events in zip(docs, found, strict=True)]


def found(window: Window, preds: Sequence[PredEvent]) -> bool:
    """Whether an event of the gold type was found at the window's gold trigger."""
    return any(
        p.type == g.type and p.start < g.end and g.start < p.end
        for g in window.doc.events
        for p in preds
    )


def score_windows(
    windows: Sequence[Window],
    preds: Sequence[Sequence[PredEvent]],
    *,
    errors_per_kind: int | None = None,
) -> WikiEventsScores:
    """Score the events found at the gold triggers as WikiEvents scores a document."""
    return score_documents([w.doc for w in windows], preds, errors_per_kind=errors_per_kind)
