"""The event cue lexicon (``data/event_cues.yaml``): loading it and matching its cues in a doc."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from sitroom.config import DataOverride
from sitroom.errors import KnowledgeBaseError
from sitroom.knowledge import loader

ROLES = ("trigger", "secondary", "context")
# The word lists under ``incident_cues`` that sitroom.extract.incidents reads.
INCIDENT_CUES = (
    "remention_dets",
    "remention_preps",
    "new_incident_words",
    "new_referent_words",
    "habitual_modifiers",
    "habitual_adverbs",
    "past_auxiliaries",
    "ongoing_auxiliaries",
    "collective_nouns",
    "accusation_verbs",
    "prospect_verbs",
    "prospect_nouns",
    "prospect_preps",
    "implicative_verbs",
    "agent_nouns",
    "agent_act_verbs",
    "outcome_sub_events",
    "territory_sub_events",
    "territory_nouns",
    "held_objects",
    "recipient_preps",
    "holding_preps",
    "holding_nouns",
    "war_concepts",
    "taking_concepts",
    "taking_contexts",
    "state_words",
    "manner_preps",
    "aim_verbs",
    "aimed_at_concepts",
    "aid_verbs",
    "within_preps",
    "incident_nouns",
    "assembly_words",
    "copulas",
    "elsewhere_words",
    "uncertain_words",
    "not_perpetrator_kinds",
    "mobilize_concepts",
    "mission_concepts",
    "side_verbs",
    "allegiance_preps",
    "fight_concepts",
    "patient_nouns",
    "civil_doers",
    "figurative_modifiers",
    "figurative_opponents",
    "figurative_objects",
    "caption_openers",
    "archive_captions",
    "telling_verbs",
    "campaign_nouns",
    "campaign_preps",
    "patient_act_verbs",
    "period_words",
    "period_phrases",
    "group_concepts",
    "group_verbs",
    "group_noun_preps",
    "person_pronouns",
    "accord_concepts",
    "accord_verbs",
    "held_preps",
    "held_concepts",
    "lasting_words",
    "duration_nouns",
    "loose_fight_words",
    "fight_side_preps",
    "present_auxiliaries",
    "recall_preps",
    "recall_nouns",
    "neutral_crowds",
    "target_preps",
    "violent_concepts",
)
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
    # Added when the type's own trigger heads its clause: a verbal act governs what it is about
    # ("Iran *threatened* to shell Iraqi towns" is a threat, not shelling).
    governs: float = 0.0
    # The PLOVER type of the act negated ("did not accept" rejects) instead of no event.
    negated_plover: tuple[str, str | None] | None = None
    # The PLOVER type when the anchor is of one of these concepts ("captured a helicopter" is
    # property seized, COERCE/confiscate, where looting is COERCE/destroy).
    plover_by_concept: dict[str, tuple[str, str | None]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Cue:
    words: tuple[str, ...]
    concept: str
    role: str
    pos: tuple[str | None, ...] = ()  # a word's required coarse part of speech, or None


@dataclass(frozen=True, slots=True)
class Frame:
    """A verb (or event noun) whose object names a concept the words alone do not:
    "seized weapons" disrupts weapons use where "seized" alone would take a town."""

    concept: str
    verbs: tuple[tuple[str, ...], ...]  # lemma first, then particles ("set up")
    objects: frozenset[str]
    # Where the words are looked for: "object" (what is acted on) or "parties" (who takes part:
    # the subject and "with"/"between" phrases, as in "protesters clashed with police").
    slot: str = "object"


# Dependencies and labels the frames read (data/syntax.yaml; each is commented there).
_OBJECT_DEPS = loader.labels("syntax.yaml", "frame_object_deps")
_PARTICLE_DEPS = loader.labels("syntax.yaml", "particle_deps")
_CONJUNCT_DEPS = loader.labels("syntax.yaml", "conjunct_deps")
_SUBJECT_DEPS = loader.labels("syntax.yaml", "subject_deps")
# A part of speech named in a cue ("sign/VERB") also accepts these tags.
_POS_ALIASES = {
    "NOUN": loader.labels("syntax.yaml", "nominal_pos"),
    "VERB": frozenset({"VERB"}),
    "ADJ": frozenset({"ADJ"}),
}


def _parse_phrase(phrase: object) -> tuple[tuple[str, ...], tuple[str | None, ...]]:
    """Words and their required parts of speech from "sign/VERB deal"."""
    words: list[str] = []
    tags: list[str | None] = []
    for piece in str(phrase).split():
        word, _, tag = piece.partition("/")
        if tag and tag.upper() not in _POS_ALIASES:
            raise ValueError(f"unknown part of speech {tag!r} in cue {phrase!r}")
        words.append(word.lower())
        tags.append(tag.upper() or None)
    return tuple(words), tuple(tags)


class CueLexicon:
    """Cue words by concept, event types by label, and the status cues."""

    def __init__(self, data: dict[str, Any], *, source: str = "event_cues.yaml") -> None:
        try:
            self._index: dict[str, list[_Cue]] = defaultdict(list)
            for concept, spec in data["concepts"].items():
                for key, role in _ROLE_KEYS.items():
                    for phrase in spec.get(key) or ():
                        words, tags = _parse_phrase(phrase)
                        self._index[words[0]].append(_Cue(words, concept, role, tags))
            # Phrases that look like cues but are not ("according to" is not an accord).
            self._blockers = [
                tuple(str(phrase).lower().split()) for phrase in data.get("blockers") or ()
            ]
            for cues in self._index.values():
                cues.sort(key=lambda c: -len(c.words))
            self.frames: tuple[Frame, ...] = tuple(
                Frame(
                    str(spec["concept"]),
                    tuple(tuple(str(v).lower().split()) for v in spec["verbs"]),
                    frozenset(str(o).lower() for o in spec["objects"]),
                    str(spec.get("slot", "object")),
                )
                for spec in data.get("frames") or ()
            )
            bad_slots = {f.slot for f in self.frames} - set(_SLOTS)
            if bad_slots:
                raise ValueError(f"unknown frame slots {sorted(bad_slots)}")
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
                    governs=float(spec.get("governs", 0.0)),
                    negated_plover=(
                        (spec["negated_plover"][0], spec["negated_plover"][1])
                        if spec.get("negated_plover")
                        else None
                    ),
                    by_actor_kind={
                        str(k): str(v) for k, v in (spec.get("by_actor_kind") or {}).items()
                    },
                    plover_by_concept={
                        str(k): (v[0], v[1])
                        for k, v in (spec.get("plover_by_concept") or {}).items()
                    },
                )
                for label, spec in data["types"].items()
            }
            self.plover_by_trigger: dict[str, tuple[str, str | None]] = {
                k: (v[0], v[1]) for k, v in (data.get("plover_by_trigger") or {}).items()
            }
            # What a planned act is in PLOVER: a threat to fight, a promise to help.
            self.plover_when_planned: dict[str, tuple[str, str | None]] = {
                str(k): (v[0], v[1]) for k, v in (data.get("plover_when_planned") or {}).items()
            }
            # Prepositions that introduce the actor of an event noun ("the fall of X *to* Y").
            self.agent_preps: dict[str, frozenset[str]] = {
                str(k).lower(): frozenset(str(w).lower() for w in v)
                for k, v in (data.get("agent_preps") or {}).items()
            }
            # Prepositions that introduce the other side of an act ("clashed *with* X",
            # "recaptured P *from* X"); they win over the same word as an agent preposition.
            self.patient_preps: dict[str, frozenset[str]] = {
                str(k).lower(): frozenset(str(w).lower() for w in v)
                for k, v in (data.get("patient_preps") or {}).items()
            }
            self.attempt_verbs = _words(data.get("attempt_verbs"))
            self.circumstance_verbs = _words(data.get("circumstance_verbs"))
            self.circumstance_nouns = _words(data.get("circumstance_nouns"))
            self.trend_verbs = _words(data.get("trend_verbs"))
            self.cause_preps = _words(data.get("cause_preps"))
            self.party_preps = _words(data.get("party_preps"))
            # Words and concepts of sitroom.extract.events' rules (each commented in the file).
            self.negating_dets = _words(data.get("negating_dets"))
            self.conditional_marks = _words(data.get("conditional_marks"))
            self.anaphoric_dets = _words(data.get("anaphoric_dets"))
            self.thing_nouns = _words(data.get("thing_nouns"))
            self.armed_patient_concepts = _words(data.get("armed_patient_concepts"))
            self.remote_concepts = _words(data.get("remote_concepts"))
            self.onward_concepts = _words(data.get("onward_concepts"))
            self.tolled_types = frozenset(str(t) for t in data.get("tolled_types") or ())
            self.opponent_preps: dict[str, frozenset[str]] = {
                str(k).lower(): _words(v) for k, v in (data.get("opponent_preps") or {}).items()
            }
            self.status_cues: dict[str, frozenset[str]] = {
                k: frozenset(str(w).lower() for w in v)
                for k, v in (data.get("status_cues") or {}).items()
            }
            # Word lists of sitroom.extract.incidents; a lexicon without the section has none.
            given = data.get("incident_cues")
            self.incident_cues: dict[str, frozenset[str]] = {
                k: _words(v) for k, v in (given or dict.fromkeys(INCIDENT_CUES)).items()
            }
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as e:
            raise KnowledgeBaseError(f"{source}: malformed event cue lexicon: {e!r}") from e
        missing_cues = set(INCIDENT_CUES) - set(self.incident_cues)
        if missing_cues:
            raise KnowledgeBaseError(f"{source}: incident_cues lacks {sorted(missing_cues)}")
        concepts = set(data["concepts"])
        unknown_frames = {f.concept for f in self.frames} - concepts
        if unknown_frames:
            raise KnowledgeBaseError(
                f"{source}: frames name unknown concepts {sorted(unknown_frames)}"
            )
        ruled = self.armed_patient_concepts | self.remote_concepts | self.onward_concepts
        if ruled - concepts:
            raise KnowledgeBaseError(
                f"{source}: rules name unknown concepts {sorted(ruled - concepts)}"
            )
        if self.tolled_types - set(self.types):
            unknown_types = sorted(self.tolled_types - set(self.types))
            raise KnowledgeBaseError(f"{source}: tolled_types names unknown types {unknown_types}")
        for event_type in self.types.values():
            missing = set(event_type.by_actor_kind.values()) - set(self.types)
            if missing:
                raise KnowledgeBaseError(
                    f"{source}: type {event_type.label} switches to unknown types {sorted(missing)}"
                )
            named = set(event_type.weights) | set(event_type.requires)
            unknown = (named | set(event_type.plover_by_concept)) - concepts
            if unknown:
                raise KnowledgeBaseError(
                    f"{source}: type {event_type.label} names unknown concepts {sorted(unknown)}"
                )

    @classmethod
    def load(
        cls, path: Path | None = None, *, overrides: Iterable[DataOverride] = ()
    ) -> CueLexicon:
        """The shipped lexicon with the overrides of event_cues.yaml, or the one at ``path``."""
        if path is not None:
            overrides = (DataOverride("event_cues.yaml", path, replace=True),)
        lexicon = loader.load("event_cues.yaml", overrides)
        return cls(dict(lexicon.data), source=lexicon.source)

    def match(self, doc: Doc | Sequence[Any]) -> list[CueMatch]:
        """Every cue occurrence in the doc; overlapping cues of different concepts all count,
        except a word inside a longer trigger phrase ("open fire" is no accidental fire)."""
        lowers = [t.lower_ for t in doc]
        lemmas = _headline_lemmas(doc) if isinstance(doc, Doc) else [t.lemma_.lower() for t in doc]
        tags = [getattr(t, "pos_", "") for t in doc]
        found: list[CueMatch] = []
        n = len(lowers)
        blocked: set[int] = set()
        for words in self._blockers:
            size = len(words)
            for i in range(n - size + 1):
                if all(words[j] in (lowers[i + j], lemmas[i + j]) for j in range(size)):
                    blocked.update(range(i, i + size))
        # A month name is a date, not a march ("March 12"): names inside dates are no cues.
        blocked.update(
            i
            for i, t in enumerate(doc)
            if getattr(t, "ent_type_", "") == "DATE" and tags[i] == "PROPN"
        )

        def fits(cue: _Cue, i: int) -> bool:
            for j, word in enumerate(cue.words):
                if word not in (lowers[i + j], lemmas[i + j]):
                    return False
                tag = cue.pos[j] if cue.pos else None
                if tag is not None and tags[i + j] not in _POS_ALIASES[tag]:
                    return False
            return True

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
                    if fits(cue, i):
                        seen.add((cue.concept, cue.role))
                        found.append(
                            CueMatch(i, i + size, cue.concept, cue.role, " ".join(cue.words))
                        )
        found = [c for c in found if not _inside_longer_trigger(c, found)]
        if isinstance(doc, Doc) and self.frames:
            found = self._apply_frames(doc, found)
        return found

    def _apply_frames(self, doc: Doc, found: list[CueMatch]) -> list[CueMatch]:
        """Frame triggers at their verbs; the verb's other triggers give way, and the object's
        own triggers only colour the type ("seized grenades" is no grenade attack)."""
        demoted: set[int] = set()
        frame_at: dict[int, CueMatch] = {}
        for token in doc:
            for frame in self.frames:
                if token.i in frame_at or not _is_verb_of(token, frame.verbs):
                    continue
                objects = _SLOTS[frame.slot](token, self.party_preps)
                hit = next((t for t in objects if _names(t, frame.objects)), None)
                if hit is None:
                    continue
                frame_at[token.i] = CueMatch(
                    token.i,
                    token.i + 1,
                    frame.concept,
                    "trigger",
                    f"{token.lemma_.lower()} {hit.lemma_.lower()}",
                )
                demoted.update(t.i for head in objects for t in _phrase(head))
        if not frame_at:
            return found
        out: list[CueMatch] = []
        for cue in found:
            if cue.role != "context" and cue.start in frame_at:
                continue
            if cue.role != "context" and cue.start in demoted:
                cue = CueMatch(cue.start, cue.end, cue.concept, "context", cue.phrase)
            out.append(cue)
        out.extend(frame_at.values())
        out.sort(key=lambda c: (c.start, c.end))
        return out


# The object word that stands for any place name ("took Raqqa"): a proper noun that is not a
# person's or a people's name (the small model tags many towns ORG, so ORG counts too).
PLACE_OBJECT = "@place"
_NOT_PLACE_ENTS = loader.labels("syntax.yaml", "not_place_labels")
# The object word that stands for any person, told by a personal pronoun ("she was captured": a
# person taken, no town).
PERSON_OBJECT = "@person"
_PERSON_PRONOUNS = loader.labels("syntax.yaml", "person_pronouns")


def _words(items: Any) -> frozenset[str]:
    return frozenset(str(w).lower() for w in items or ())


def _headline_lemmas(doc: Doc) -> list[str]:
    """Lowercase lemmas; in a title-case headline the tagger reads every capitalised word as a
    name and leaves it unlemmatised ("Assad Seeks Support"), so a plural or third-person "-s"
    of such a word is dropped."""
    lemmas = [t.lemma_.lower() for t in doc]
    for sent in doc.sents:
        words = [t for t in sent if t.is_alpha and len(t) > 3]
        if len(words) < 4 or sum(t.is_title for t in words) < 0.6 * len(words):
            continue
        for t in words:
            unread = t.pos_ == "PROPN" and t.lemma_ == t.text and not t.ent_type_
            if unread and t.lower_.endswith("s") and not t.lower_.endswith("ss"):
                lemmas[t.i] = t.lower_[:-1]
    return lemmas


def _names(token: Any, words: frozenset[str]) -> bool:
    # The lemmatiser reads "bases" as "basis": the plain singular is tried too.
    lower = token.lower_
    return (
        (PLACE_OBJECT in words and token.pos_ == "PROPN" and token.ent_type_ not in _NOT_PLACE_ENTS)
        or (PERSON_OBJECT in words and token.pos_ == "PRON" and lower in _PERSON_PRONOUNS)
        or lower in words
        or token.lemma_.lower() in words
        or (lower.endswith("s") and lower[:-1] in words)
    )


def _phrase(head: Any) -> list[Any]:
    """The object's phrase without its relative clauses and participles, which tell acts of
    their own ("the city, which rebels had swept into"; "from the *retreating* army")."""
    out = [head]
    for child in head.children:
        if child.dep_ != "relcl" and not (child.dep_ == "amod" and child.tag_ == "VBG"):
            out.extend(_phrase(child))
    return out


def _inside_longer_trigger(cue: CueMatch, found: list[CueMatch]) -> bool:
    if cue.role == "context":
        return False
    return any(
        other.role == "trigger"
        and other.concept != cue.concept
        and other.start <= cue.start
        and cue.end <= other.end
        and other.end - other.start > cue.end - cue.start
        for other in found
    )


def _is_verb_of(token: Any, verbs: tuple[tuple[str, ...], ...]) -> bool:
    lemma = token.lemma_.lower()
    for words in verbs:
        if words[0] != lemma and words[0] != token.lower_:
            continue
        rest = words[1:]
        if not rest:
            return True
        particles = {c.lower_ for c in token.children if c.dep_ in _PARTICLE_DEPS}
        following = [t.lower_ for t in token.doc[token.i + 1 : token.i + 1 + len(rest)]]
        if all(w in particles for w in rest) or following == list(rest):
            return True
    return False


def _objects(token: Any) -> list[Any]:
    """What a verb acts on, or the "of" phrase of an event noun ("seizure of"): the object's
    head, its conjuncts and what it is an amount of ("a cache of rifles"), not its modifiers
    ("a rocket-launching site" is a site)."""
    heads = [c for c in token.children if c.dep_ in _OBJECT_DEPS]
    if token.pos_ in _POS_ALIASES["NOUN"]:
        heads += _of_phrase(token)
    found: list[Any] = []
    while heads:
        head = heads.pop()
        if head in found:
            continue
        found.append(head)
        heads += [c for c in head.children if c.dep_ in _CONJUNCT_DEPS]
        heads += _of_phrase(head)
        # "packages containing explosive devices": what the object holds counts as the object.
        heads += [
            g for c in head.children if c.dep_ == "acl" for g in c.children if g.dep_ == "dobj"
        ]
    return found


def _parties(token: Any, preps: frozenset[str]) -> list[Any]:
    """Who takes part in a verb or event noun: its subject and its ``preps`` phrases ("with",
    "between")."""
    heads = [c for c in token.children if c.dep_ in _SUBJECT_DEPS]
    heads += [
        g
        for c in token.children
        if c.dep_ == "prep" and c.lower_ in preps
        for g in c.children
        if g.dep_ == "pobj"
    ]
    found: list[Any] = []
    while heads:
        head = heads.pop()
        if head not in found:
            found.append(head)
            heads += [c for c in head.children if c.dep_ == "conj"]
    return found


# Where a frame looks for its words, by slot: (token, party prepositions) -> tokens.
_SLOTS: dict[str, Callable[[Any, frozenset[str]], list[Any]]] = {
    "object": lambda token, _preps: _objects(token),
    "parties": _parties,
}


def _of_phrase(token: Any) -> list[Any]:
    return [
        g
        for c in token.children
        if c.dep_ == "prep" and c.lower_ == "of"
        for g in c.children
        if g.dep_ == "pobj"
    ]
