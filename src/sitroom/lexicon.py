"""The event cue lexicon (``data/event_cues.yaml``): loading it and matching its cues in a doc."""

from __future__ import annotations

import importlib.resources
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from spacy.tokens import Doc

from sitroom.errors import KnowledgeBaseError

ROLES = ("trigger", "secondary", "context")
_ROLE_KEYS = {"triggers": "trigger", "secondary": "secondary", "context": "context"}


@dataclass(frozen=True, slots=True)
class CueMatch:
    """A cue found in a doc: tokens [start, end) carry ``concept`` in ``role``."""

    start: int
    end: int
    concept: str
    role: str
    phrase: str


@dataclass(frozen=True, slots=True)
class EventType:
    """One event type: its ACLED and PLOVER codes and how concepts score it."""

    label: str
    acled: tuple[str, str] | None
    plover: tuple[str, str | None] | None
    rank: int
    requires: tuple[str, ...]
    needs_all: tuple[str, ...]
    weights: dict[str, float]
    by_actor_kind: dict[str, str]  # actor1's kind -> the type label to use instead
    # Triggers of these concepts may anchor this type when its own concept is in the clause
    # ("warplanes *struck*": the weapon names the sub-event, the verb only says it happened).
    anchored_by: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Cue:
    words: tuple[str, ...]
    concept: str
    role: str


class CueLexicon:
    """Cue words by concept, event types by label, and the status cues."""

    def __init__(self, data: dict[str, Any], *, source: str = "event_cues.yaml") -> None:
        try:
            self._index: dict[str, list[_Cue]] = defaultdict(list)
            for concept, spec in data["concepts"].items():
                for key, role in _ROLE_KEYS.items():
                    for phrase in spec.get(key) or ():
                        words = tuple(str(phrase).lower().split())
                        self._index[words[0]].append(_Cue(words, concept, role))
            # Phrases that look like cues but are not ("according to" is not an accord).
            self._blockers = [
                tuple(str(phrase).lower().split()) for phrase in data.get("blockers") or ()
            ]
            for cues in self._index.values():
                cues.sort(key=lambda c: -len(c.words))
            self.types: dict[str, EventType] = {
                label: EventType(
                    label=label,
                    acled=tuple(spec["acled"]) if spec.get("acled") else None,
                    plover=tuple(spec["plover"]) if spec.get("plover") else None,
                    rank=int(spec["rank"]),
                    requires=tuple(spec.get("requires") or ()),
                    needs_all=tuple(spec.get("needs_all") or ()),
                    weights={k: float(v) for k, v in spec["weights"].items()},
                    anchored_by=tuple(spec.get("anchored_by") or ()),
                    by_actor_kind={
                        str(k): str(v) for k, v in (spec.get("by_actor_kind") or {}).items()
                    },
                )
                for label, spec in data["types"].items()
            }
            self.plover_by_trigger: dict[str, tuple[str, str | None]] = {
                k: (v[0], v[1]) for k, v in (data.get("plover_by_trigger") or {}).items()
            }
            # Prepositions that introduce the actor of an event noun ("the fall of X *to* Y").
            self.agent_preps: dict[str, frozenset[str]] = {
                str(k).lower(): frozenset(str(w).lower() for w in v)
                for k, v in (data.get("agent_preps") or {}).items()
            }
            self.status_cues: dict[str, frozenset[str]] = {
                k: frozenset(str(w).lower() for w in v)
                for k, v in (data.get("status_cues") or {}).items()
            }
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as e:
            raise KnowledgeBaseError(f"{source}: malformed event cue lexicon: {e!r}") from e
        concepts = set(data["concepts"])
        for event_type in self.types.values():
            missing = set(event_type.by_actor_kind.values()) - set(self.types)
            if missing:
                raise KnowledgeBaseError(
                    f"{source}: type {event_type.label} switches to unknown types {sorted(missing)}"
                )
            unknown = (set(event_type.weights) | set(event_type.requires)) - concepts
            if unknown:
                raise KnowledgeBaseError(
                    f"{source}: type {event_type.label} names unknown concepts {sorted(unknown)}"
                )

    @classmethod
    def load(cls, path: Path | None = None) -> CueLexicon:
        """The shipped lexicon, or one read from ``path``."""
        if path is None:
            resource = importlib.resources.files("sitroom") / "data" / "event_cues.yaml"
            text, source = resource.read_text(encoding="utf-8"), "event_cues.yaml"
        else:
            text, source = path.read_text(encoding="utf-8"), str(path)
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as e:
            raise KnowledgeBaseError(f"{source}: not valid YAML: {e}") from e
        return cls(data, source=source)

    def match(self, doc: Doc | Sequence[Any]) -> list[CueMatch]:
        """Every cue occurrence in the doc; overlapping cues of different concepts all count."""
        lowers = [t.lower_ for t in doc]
        lemmas = [t.lemma_.lower() for t in doc]
        found: list[CueMatch] = []
        n = len(lowers)
        blocked: set[int] = set()
        for words in self._blockers:
            size = len(words)
            for i in range(n - size + 1):
                if all(words[j] in (lowers[i + j], lemmas[i + j]) for j in range(size)):
                    blocked.update(range(i, i + size))
        for i in range(n):
            if i in blocked:
                continue
            seen: set[tuple[str, str]] = set()
            for key in {lowers[i], lemmas[i]}:
                for cue in self._index.get(key, ()):
                    if (cue.concept, cue.role) in seen:
                        continue
                    size = len(cue.words)
                    if i + size > n:
                        continue
                    if all(cue.words[j] in (lowers[i + j], lemmas[i + j]) for j in range(1, size)):
                        seen.add((cue.concept, cue.role))
                        found.append(
                            CueMatch(i, i + size, cue.concept, cue.role, " ".join(cue.words))
                        )
        return found
