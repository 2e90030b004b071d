"""WikiEvents scorer: conflict event detection F1 and argument (attacker/target/place) F1.

Gold KAIROS types and roles, and sitroom's ACLED/PLOVER types, meet on five evaluation types set
out in ``data/eval_mappings.yaml``. A predicted event matches a gold one of the same type when its
trigger word overlaps the gold trigger. Arguments are scored as in OneIE: a predicted
(type, slot, head) matches a gold (type, slot, span) of the same document when the head word's
first char lies in the span; the 'coref' variant also accepts any mention of the gold entity.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from sitroom.api import document_from_text
from sitroom.config import DataOverride
from sitroom.errors import InputError, KnowledgeBaseError
from sitroom.evaluate.metrics import LabelScore
from sitroom.knowledge import loader
from sitroom.pipeline import Resources, analyze_docs
from sitroom.records import Analysis, Event, Evidence, Mention

SLOTS = ("attacker", "target", "place")
ERRORS_PER_KIND = 5
_WORD = re.compile(r"\w+(?:-\w+)*")
_HEAD_CUT = re.compile(r"\s(?:of|in|from|at|on|with|who|which|that)\s|,|\(")


@dataclass(frozen=True, slots=True)
class TypeRule:
    """Sitroom events of ``type``: by trigger word, ACLED or PLOVER type (any key fits)."""

    type: str
    trigger_words: frozenset[str] = frozenset()
    event_types: frozenset[str] = frozenset()
    sub_event_types: frozenset[str] = frozenset()
    plover_types: frozenset[str] = frozenset()
    plover_modes: frozenset[str] = frozenset()
    unless_sub_event_types: frozenset[str] = frozenset()
    casualties: bool = False  # casualty figures holding a trigger word count as events too

    def fits(self, event: Event) -> bool:
        if event.sub_event_type in self.unless_sub_event_types:
            return False
        return (
            event.trigger.lower() in self.trigger_words
            or event.event_type in self.event_types
            or event.sub_event_type in self.sub_event_types
            or event.plover_type in self.plover_types
            or event.plover_mode in self.plover_modes
        )


@dataclass(frozen=True, slots=True)
class EventMapping:
    """Gold type prefix -> evaluation type; gold role -> slot per type; rules for sitroom events."""

    gold_types: dict[str, str]
    gold_roles: dict[str, dict[str, str]]
    rules: tuple[TypeRule, ...]
    # Words of a casualty phrase that name no victim, and number words (a victim only alone).
    not_victims: frozenset[str] = frozenset()
    number_words: frozenset[str] = frozenset()

    @classmethod
    def load(
        cls,
        text: str | None = None,
        *,
        overrides: Sequence[DataOverride] = (),
        section: str = "wikievents",
    ) -> EventMapping:
        """``data/eval_mappings.yaml`` with the user's overrides of it, or YAML ``text``: the
        gold types and roles of ``section`` (another gold set scored the same way, such as
        ``rams``), whose sitroom types and casualty words default to those of ``wikievents``."""
        try:
            every = (
                loader.load("eval_mappings.yaml", overrides)
                if text is None
                else yaml.safe_load(text)
            )
            spec = {**every.get("wikievents", {}), **every[section]}
            rules = tuple(
                TypeRule(
                    str(r["type"]),
                    casualties=bool(r.get("casualties", False)),
                    **{
                        k: frozenset(map(str, v))
                        for k, v in r.items()
                        if k not in ("type", "casualties")
                    },
                )
                for r in spec["predicted_types"]
            )
            return cls(
                dict(spec["gold_types"]),
                dict(spec["gold_roles"]),
                rules,
                frozenset(str(w).lower() for w in spec.get("not_victims") or ()),
                frozenset(str(w).lower() for w in spec.get("number_words") or ()),
            )
        except (yaml.YAMLError, KeyError, TypeError, AttributeError) as e:
            raise KnowledgeBaseError(f"eval_mappings.yaml: bad {section} mapping: {e}") from e

    def gold_type(self, kairos: str) -> str | None:
        """The evaluation type of a gold type: a key equal to it or a prefix ending at a dot."""
        return next(
            (t for p, t in self.gold_types.items() if kairos == p or kairos.startswith(p + ".")),
            None,
        )

    def fitting(self, kind: str, args: tuple[PredArg, ...]) -> tuple[PredArg, ...]:
        """The arguments whose slot the gold type has (a transport has no target)."""
        slots = set(self.gold_roles.get(kind, {}).values())
        return tuple(a for a in args if a.slot in slots)

    def predicted_type(self, event: Event) -> str | None:
        return next((r.type for r in self.rules if r.fits(event)), None)


@dataclass(frozen=True, slots=True)
class GoldArg:
    """A gold argument: slot and char span; ``spans`` also holds its entity's other mentions."""

    slot: str
    start: int
    end: int
    text: str
    spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class GoldEvent:
    """A gold event of an evaluation type, trigger span in chars."""

    type: str
    start: int
    end: int
    trigger: str
    args: tuple[GoldArg, ...] = ()


@dataclass(frozen=True, slots=True)
class GoldDoc:
    """A WikiEvents document rebuilt with one sentence per line, and its scored gold events."""

    id: str
    text: str
    events: tuple[GoldEvent, ...]


@dataclass(frozen=True, slots=True)
class PredArg:
    """A predicted argument: slot, head word's first char, and the mention text."""

    slot: str
    head: int
    text: str


@dataclass(frozen=True, slots=True)
class PredEvent:
    """A sitroom event mapped to an evaluation type, its trigger span in chars."""

    type: str
    start: int
    end: int
    trigger: str
    args: tuple[PredArg, ...] = ()


@dataclass(frozen=True, slots=True)
class WikiEventsScores:
    """Trigger P/R/F1 (typed, and identification only), argument P/R/F1, per type and slot."""

    trigger: LabelScore
    trigger_id: LabelScore
    argument: LabelScore
    argument_coref: LabelScore
    types: tuple[LabelScore, ...]
    slots: tuple[LabelScore, ...]
    n_documents: int
    errors: tuple[str, ...] = ()
    seconds: float = 0.0


def read_documents(
    path: Path, *, mapping: EventMapping, coref: Path | None = None, limit: int | None = None
) -> list[GoldDoc]:
    """Gold documents; sentences are joined by newlines because the shipped text runs them on."""
    clusters: dict[str, list[str]] = {}
    if coref is not None and coref.exists():
        for item in _jsonl(coref):
            for cluster in item.get("clusters", ()):
                clusters.update({m: cluster for m in cluster})
    docs = []
    for n, item in enumerate(_jsonl(path)):
        if limit is not None and n >= limit:
            break
        try:
            docs.append(_gold_doc(item, mapping, clusters))
        except (KeyError, IndexError, TypeError, ValueError) as e:
            raise InputError(
                f"malformed WikiEvents document: {e!r}", source=str(path), line=n + 1
            ) from e
    return docs


def _jsonl(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]
    except (OSError, ValueError) as e:
        raise InputError(f"cannot read: {e}", source=str(path)) from e


def _gold_doc(
    item: dict[str, Any], mapping: EventMapping, clusters: dict[str, list[str]]
) -> GoldDoc:
    # Token offsets in the file assume a separator the shipped text lacks, and drift in some
    # documents; offsets relative to each sentence's first token are sound, so rebuild from those.
    spans: list[tuple[int, int]] = []
    pieces: list[str] = []
    base = 0
    for tokens, sentence in item["sentences"]:
        first = int(tokens[0][1])
        spans.extend((base + int(a) - first, base + int(b) - first) for _, a, b in tokens)
        pieces.append(sentence)
        base += len(sentence) + 1
    text = "\n".join(pieces)
    entities = {
        m["id"]: (spans[m["start"]][0], spans[m["end"] - 1][1], str(m["text"]))
        for m in item["entity_mentions"]
    }
    events = []
    for mention in item["event_mentions"]:
        kind = mapping.gold_type(str(mention["event_type"]))
        if kind is None:
            continue
        roles = mapping.gold_roles.get(kind, {})
        args = []
        for arg in mention["arguments"]:
            slot = roles.get(str(arg["role"]))
            if slot is None or arg["entity_id"] not in entities:
                continue
            start, end, said = entities[arg["entity_id"]]
            others = clusters.get(arg["entity_id"], [arg["entity_id"]])
            corefs = tuple(entities[e][:2] for e in others if e in entities)
            args.append(GoldArg(slot, start, end, said, corefs or ((start, end),)))
        trig = mention["trigger"]
        start, end = spans[trig["start"]][0], spans[trig["end"] - 1][1]
        events.append(GoldEvent(kind, start, end, text[start:end], tuple(args)))
    return GoldDoc(str(item["doc_id"]), text, tuple(events))


def head_offset(mention: Mention) -> int:
    """First char of a mention's head word: the last word before 'of', 'in', a comma ...."""
    cut = _HEAD_CUT.search(mention.text)
    core = mention.text[: cut.start()] if cut and cut.start() > 0 else mention.text
    words = core.rstrip().split()
    if not words:
        return mention.start
    return mention.start + core.rstrip().rfind(words[-1])


def _nearest(
    mentions: list[Mention], at: int, lo: int, hi: int, *, inside_only: bool = False
) -> Mention | None:
    inside = [m for m in mentions if lo <= m.start and m.end <= hi]
    pool = inside if inside or inside_only else mentions
    return min(pool, key=lambda m: abs(m.start - at)) if pool else None


def predicted_events(analysis: Analysis, *, mapping: EventMapping) -> list[PredEvent]:
    """Sitroom's event mentions that map to an evaluation type, with trigger and argument
    offsets: WikiEvents annotates each telling of an act, with its own arguments."""
    out = []
    placed: list[tuple[Event, int]] = []  # every event with its trigger's char offset
    text = analysis.document.text
    for event in analysis.event_mentions:
        if not event.evidence:
            continue
        kind = mapping.predicted_type(event)
        # An incident told several times is scored at each telling's own trigger word.
        for n, ev in enumerate(event.evidence):
            if ev.trigger is not None:
                word = _WORD.match(text, ev.trigger)
                start, end = ev.trigger, word.end() if word else ev.trigger
            elif n == 0:
                pattern = rf"(?<!\w){re.escape(event.trigger)}(?!\w)"
                found = re.search(pattern, ev.quote) if event.trigger else None
                # A trigger not in the quote gets an empty span: it can match no gold trigger.
                start = ev.start + (found.start() if found else 0)
                end = start + len(event.trigger) if found else start
            else:
                continue
            if n == 0:
                placed.append((event, start))
            if kind is None:
                continue
            # A further telling has the incident's who and where only where its quote names them.
            args = _event_args(event, analysis, start, ev, inside_only=n > 0)
            trigger = text[start:end]
            out.append(PredEvent(kind, start, end, trigger, mapping.fitting(kind, args)))
    # ACLED folds deaths and injuries into an event's toll; WikiEvents types them apart.
    for m in analysis.mentions:
        if m.kind != "quantity" or m.value == "0":
            continue
        for word in re.finditer(r"\w+", m.text):
            rule = next(
                (
                    r
                    for r in mapping.rules
                    if r.casualties and word.group().lower() in r.trigger_words
                ),
                None,
            )
            start, end = m.start + word.start(), m.start + word.end()
            if rule and not any(p.start < end and start < p.end for p in out):
                victim = victim_word(m.text, word.start(), word.end(), mapping=mapping)
                hit_args: tuple[PredArg, ...] = (
                    (PredArg("target", m.start + victim[0], victim[1]),) if victim else ()
                )
                # The toll's event says who killed and where ("IS launched attacks across
                # Paris, killing 130 people"); its victims stay the figure's own.
                cause = _cause(placed, start)
                if cause is not None:
                    hit_args += tuple(
                        a
                        for a in _event_args(cause[0], analysis, cause[1], cause[0].evidence[0])
                        if a.slot == "attacker"
                    )
                out.append(
                    PredEvent(
                        rule.type, start, end, word.group(), mapping.fitting(rule.type, hit_args)
                    )
                )
                break
    return out


def _event_args(
    event: Event, analysis: Analysis, start: int, ev: Evidence, *, inside_only: bool = False
) -> tuple[PredArg, ...]:
    """An event's attacker, target and place as the mentions nearest its trigger at ``start``
    in the quote ``ev``."""
    args = []
    for slot, actor_id in (("attacker", event.actor1), ("target", event.actor2)):
        said = [m for m in analysis.mentions if m.kind == "actor" and m.actor_id == actor_id]
        m = _nearest(said, start, ev.start, ev.end, inside_only=inside_only) if actor_id else None
        if m is not None:
            args.append(PredArg(slot, head_offset(m), m.text))
    # An inferred place (the report's country) is sitroom's guess, not an argument in the text.
    if event.location is not None and not event.location.inferred:
        name = event.location.name
        said = [
            m
            for m in analysis.mentions
            if m.kind == "place"
            and (m.text == name or (m.place is not None and m.place.name == name))
        ]
        m = _nearest(said, start, ev.start, ev.end, inside_only=inside_only)
        if m is not None:
            args.append(PredArg("place", head_offset(m), m.text))
    return tuple(args)


def _cause(placed: list[tuple[Event, int]], at: int) -> tuple[Event, int] | None:
    """The violent event whose sentence holds the casualty figure at char ``at``, nearest it."""
    around = [
        (event, start)
        for event, start in placed
        if event.event_type is not None and event.evidence[0].start <= at < event.evidence[0].end
    ]
    return min(around, key=lambda p: abs(p[1] - at)) if around else None


def victim_word(
    text: str, trigger_start: int, trigger_end: int, *, mapping: EventMapping
) -> tuple[int, str] | None:
    """Who a casualty phrase says was killed or hurt, as (offset in ``text``, word): the noun
    before the trigger ("two soldiers were killed"), else the last one after it ("killing 130
    people"); a bare number ("scores died", "wounded 71") only when nothing else is there."""
    # Figures count too ("wounded 71"), as number words do: the victim only when alone.
    words = list(re.finditer(r"[A-Za-z][\w'-]*|\d[\d,]*", text))
    before = [w for w in words if w.end() <= trigger_start][::-1]
    after = [w for w in words if w.start() >= trigger_end][::-1]
    for pool in (before, after):
        content = [w for w in pool if w.group().lower() not in mapping.not_victims]
        named = [
            w
            for w in content
            if w.group().lower() not in mapping.number_words and not w.group()[0].isdigit()
        ]
        best = named[0] if named else (content[0] if content else None)
        if best is not None:
            return best.start(), best.group()
    return None


def _prf(label: str, matched: int, n_pred: int, n_gold: int) -> LabelScore:
    """P/R/F1 from one-to-one matches; support is the gold count."""
    p = matched / n_pred if n_pred else 0.0
    r = matched / n_gold if n_gold else 0.0
    return LabelScore(label, p, r, 2 * p * r / (p + r) if p + r else 0.0, n_gold)


def _pairs(
    gold: Sequence[Any], pred: Sequence[Any], ok: Callable[[Any, Any], bool]
) -> list[tuple[int, int]]:
    """One-to-one matches (gold index, predicted index), gold taken in order."""
    used: set[int] = set()
    pairs = []
    for i, g in enumerate(gold):
        j = next((j for j, p in enumerate(pred) if j not in used and ok(g, p)), None)
        if j is not None:
            used.add(j)
            pairs.append((i, j))
    return pairs


def _arg_matches(gold: tuple[str, GoldArg], pred: tuple[str, PredArg], *, coref: bool) -> bool:
    (kind, g), (pred_kind, p) = gold, pred
    spans = g.spans if coref else ((g.start, g.end),)
    return kind == pred_kind and g.slot == p.slot and any(s <= p.head < e for s, e in spans)


def score_documents(
    golds: Sequence[GoldDoc],
    preds: Sequence[Sequence[PredEvent]],
    *,
    errors_per_kind: int | None = ERRORS_PER_KIND,
) -> WikiEventsScores:
    """Score predicted events against gold documents, pairwise; ``errors_per_kind`` None keeps
    every error, else that many of each kind taken evenly through the list."""
    if len(golds) != len(preds):
        raise ValueError("gold documents and predictions differ in length")
    count: Counter[tuple[str, ...]] = Counter()
    errors: dict[str, list[str]] = {"missed": [], "spurious": [], "argument": []}

    def note(kind: str, line: str) -> None:
        errors[kind].append(f"{kind}: {line}")

    for doc, events in zip(golds, preds, strict=True):
        typed = _pairs(
            doc.events,
            events,
            lambda g, p: g.type == p.type and p.start < g.end and g.start < p.end,
        )
        untyped = _pairs(doc.events, events, lambda g, p: p.start < g.end and g.start < p.end)
        count["id", "match"] += len(untyped)
        hit_gold = {i for i, _ in typed}
        hit_pred = {j for _, j in typed}
        for i, g in enumerate(doc.events):
            count["gold", g.type] += 1
            count["match", g.type] += i in hit_gold
            if i not in hit_gold:
                note("missed", f"{doc.id} {g.type} '{g.trigger}' {_context(doc.text, g.start)}")
        for j, p in enumerate(events):
            count["pred", p.type] += 1
            if j not in hit_pred:
                note("spurious", f"{doc.id} {p.type} '{p.trigger}' {_context(doc.text, p.start)}")
        gold_args = [(g.type, a) for g in doc.events for a in g.args]
        pred_args = [(p.type, a) for p in events for a in p.args]
        matched = _pairs(gold_args, pred_args, lambda g, p: _arg_matches(g, p, coref=False))
        count["arg", "match"] += len(matched)
        count["coref", "match"] += len(
            _pairs(gold_args, pred_args, lambda g, p: _arg_matches(g, p, coref=True))
        )
        for _, j in matched:
            count["slot_match", pred_args[j][1].slot] += 1
        found = {i for i, _ in matched}
        for i, (kind, g_arg) in enumerate(gold_args):
            count["slot_gold", g_arg.slot] += 1
            if i not in found:
                note("argument", f"{doc.id} {kind}/{g_arg.slot} missed '{g_arg.text}'")
        used = {j for _, j in matched}
        for j, (kind, p_arg) in enumerate(pred_args):
            count["slot_pred", p_arg.slot] += 1
            if j not in used:
                note("argument", f"{doc.id} {kind}/{p_arg.slot} wrong '{p_arg.text}'")
        count["n", "gold_args"] += len(gold_args)
        count["n", "pred_args"] += len(pred_args)
    types = sorted({k[1] for k in count if k[0] in ("gold", "pred")})
    n_gold = sum(count["gold", t] for t in types)
    n_pred = sum(count["pred", t] for t in types)
    n_match = sum(count["match", t] for t in types)
    ga, pa = count["n", "gold_args"], count["n", "pred_args"]
    return WikiEventsScores(
        trigger=_prf("trigger", n_match, n_pred, n_gold),
        trigger_id=_prf("trigger_id", count["id", "match"], n_pred, n_gold),
        argument=_prf("argument", count["arg", "match"], pa, ga),
        argument_coref=_prf("argument_coref", count["coref", "match"], pa, ga),
        types=tuple(_prf(t, count["match", t], count["pred", t], count["gold", t]) for t in types),
        slots=tuple(
            _prf(s, count["slot_match", s], count["slot_pred", s], count["slot_gold", s])
            for s in SLOTS
        ),
        n_documents=len(golds),
        errors=tuple(
            e
            for kind in errors.values()
            for e in (
                kind
                if errors_per_kind is None
                else kind[:: max(1, len(kind) // errors_per_kind)][:errors_per_kind]
            )
        ),
    )


def _context(text: str, at: int, width: int = 40) -> str:
    return "«" + " ".join(text[max(0, at - width) : at + width].split()) + "»"


def coref_path(path: Path, coref: Path | None = None) -> Path:
    """The coreference file: ``coref``, else ``coref/dev.jsonlines`` beside ``path``."""
    return coref if coref is not None else path.parent / "coref" / "dev.jsonlines"


def predict(
    golds: Sequence[GoldDoc], *, resources: Resources, mapping: EventMapping
) -> list[list[PredEvent]]:
    """Analyse each gold document's text: the events that map to an evaluation type."""
    docs = [document_from_text(g.text, ref=g.id) for g in golds]
    return [predicted_events(a, mapping=mapping) for a in analyze_docs(docs, resources=resources)]


def score(
    path: Path, *, resources: Resources, limit: int | None = None, coref: Path | None = None
) -> WikiEventsScores:
    """Run the pipeline over WikiEvents documents (the first ``limit``) and score it.

    ``coref`` defaults to ``coref/dev.jsonlines`` beside ``path`` when that file exists.
    """
    started = time.perf_counter()
    mapping = EventMapping.load(overrides=resources.overrides)
    golds = read_documents(path, mapping=mapping, coref=coref_path(path, coref), limit=limit)
    preds = predict(golds, resources=resources, mapping=mapping)
    return replace(score_documents(golds, preds), seconds=time.perf_counter() - started)
