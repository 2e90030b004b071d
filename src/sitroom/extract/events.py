"""Events: triggers from the cue lexicon, typed ACLED and PLOVER, with who, whom, where, when.

One clause yields at most one event: its triggers are pooled and the type that best fits the
concepts around them wins (ACLED's precedence breaks ties), so one incident gets one type.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from sitroom.extract import event_fields as fields
from sitroom.extract.arguments import argument_mentions, argument_words
from sitroom.extract.event_places import context_place, locate
from sitroom.extract.facts import DocFacts
from sitroom.extract.genericity import circumstance, trend
from sitroom.extract.responsibility import claimed_incidents
from sitroom.extract.status import act_status, governed_by, opens_period, prevented
from sitroom.ids import content_id
from sitroom.knowledge import loader
from sitroom.knowledge.cues import CueLexicon, CueMatch, EventType
from sitroom.records import ARMED_KINDS, Event

# Below this score a clause's cues are too weak to call an event.
MIN_SCORE = 2.8
ARMED_TARGET = "armed_target"  # the concept of what armed parties hold or man
_ORG_LABELS = loader.labels("syntax.yaml", "organisation_labels")
_PROPER_TAGS = loader.labels("syntax.yaml", "proper_noun_tags")
_FINITE_TAGS = loader.labels("syntax.yaml", "finite_tags")


@dataclass(frozen=True, slots=True)
class Candidate:
    """An extracted event with its typing score (for choosing a report's main event) and the
    index of its trigger token, by which later stages find the act again (not by its text: two
    captures in one sentence are two triggers)."""

    event: Event
    score: float
    sentence: int
    event_type: EventType
    trigger: int  # token index of the anchor word


def extract_events(facts: DocFacts, *, lexicon: CueLexicon) -> list[Candidate]:
    """Events in reading order, one per clause that carries a strong enough trigger."""
    by_sentence: dict[int, list[CueMatch]] = defaultdict(list)
    sentence_of = {}
    sentences = list(facts.doc.sents)
    for n, sent in enumerate(sentences):
        for i in range(sent.start, sent.end):
            sentence_of[i] = n
    for cue in facts.cues:
        if not facts.echoed(cue.start):
            by_sentence[sentence_of[cue.start]].append(cue)
    candidates: list[Candidate] = []
    for n, cues in sorted(by_sentence.items()):
        candidates.extend(_sentence_events(facts, sentences[n], n, cues, lexicon))
    kept = [c for c in candidates if not _anonymous_verbal_act(c, facts, sentences)]
    kept = claimed_incidents(_resolve_anaphoric_acts(kept, facts, lexicon), facts, lexicon=lexicon)
    return _at_the_place_told_before(kept, facts)


def _at_the_place_told_before(candidates: list[Candidate], facts: DocFacts) -> list[Candidate]:
    """ACLED's rule: an incident whose sentence names no place is coded at the most specific
    place the report ties to it, here the town or province of the report's country named last
    before it, else that country (marked inferred so it never places two events together).
    Done last, so that two acts of one sentence are not merged for sharing it."""
    sentences = list(facts.doc.sents)
    out = []
    for cand in candidates:
        event = cand.event
        if event.location is None and event.event_type is not None:
            where = context_place(facts, sentences[cand.sentence])
            if where is not None:
                note = f"place: {where.name}, inferred (none in the sentence)"
                event = replace(event, location=where, notes=f"{event.notes}; {note}")
                cand = replace(cand, event=event)

        out.append(cand)
    return out


# "these reinforcements arrived", "that attack": an event noun with a demonstrative (the
# lexicon's anaphoric_dets) names an act told up to this many sentences before; its actor is
# that act's.
_ANAPHORA_SENTENCES = 2


def _resolve_anaphoric_acts(
    candidates: list[Candidate], facts: DocFacts, lexicon: CueLexicon
) -> list[Candidate]:
    out: list[Candidate] = []
    for cand in candidates:
        event = cand.event
        anchor = facts.doc[cand.trigger]
        if (
            event.actor1 is None
            and anchor.pos_ == "NOUN"
            and any(c.dep_ == "det" and c.lower_ in lexicon.anaphoric_dets for c in anchor.children)
        ):
            earlier = next(
                (
                    o.event
                    for o in reversed(out)
                    if o.event.actor1 is not None
                    and o.event.plover_type == event.plover_type
                    and 0 < cand.sentence - o.sentence <= _ANAPHORA_SENTENCES
                ),
                None,
            )
            if earlier is not None:
                event = replace(event, actor1=earlier.actor1, assoc_actor_1=earlier.assoc_actor_1)
                cand = replace(cand, event=event)
        out.append(cand)
    return out


def _anonymous_verbal_act(candidate: Candidate, facts: DocFacts, sentences: list[Span]) -> bool:
    """A verbal act (no ACLED type) in a sentence that names no actor at all: "limit their
    ability to provide full support" says nothing about who does what to whom."""
    event = candidate.event
    if event.event_type is not None or event.actor1 is not None or event.actor2 is not None:
        return False
    return not facts.actors_in(sentences[candidate.sentence])


def _sentence_events(
    facts: DocFacts, sent: Span, n: int, cues: list[CueMatch], lexicon: CueLexicon
) -> list[Candidate]:
    doc = facts.doc
    cues = [c for c in cues if not _in_modifier(facts, c, lexicon) and not _in_name(facts, c)]
    triggers = [c for c in cues if c.role == "trigger"]
    if not triggers:
        triggers = [c for c in cues if c.role == "secondary"]
    groups: dict[int, list[CueMatch]] = defaultdict(list)
    for cue in triggers:
        groups[fields.clause_head(doc[cue.start]).i].append(cue)
    secondaries = [c for c in cues if c.role == "secondary"]
    sentence_concepts = {c.concept for c in cues}
    out: list[Candidate] = []
    anchors: list[Token] = []
    clauses = {head_i: {t.i for t in doc[head_i].subtree} for head_i in groups}
    for head_i, group in sorted(groups.items()):
        clause = clauses[head_i]
        others = set().union(*(c for h, c in clauses.items() if h != head_i)) - clause
        present: dict[str, float] = {}
        for cue in cues:
            in_clause = cue.start in clause
            factor = (1.0 if cue.role != "context" else 0.7) if in_clause else 0.5
            if cue in group:
                factor = 1.0
            present[cue.concept] = max(present.get(cue.concept, 0.0), factor)
        present.update(_scene(facts, sent, clause))
        # A weapon of remote violence makes the act remote whoever does it, anywhere in its
        # finite clause ("gunmen set off a bomb to target security forces"); one in another
        # finite clause ("a bomb killed 11 miners, while the BLA took credit for attacking a
        # military vehicle") leaves this one's parties to tell what it is.
        scope = {t.i for t in _finite_clause(doc[head_i]).subtree}
        remote = {c.concept for c in cues if c.start in scope} & lexicon.remote_concepts
        if not remote:
            present.update(_armed_parties(facts, group, cues, lexicon))
        # A type must be named by one of this clause's own triggers, not only coloured by
        # context words or by a trigger that anchors a clause of its own.
        anchored = {c.concept for c in group}
        best = _best_type(present, anchored, lexicon, heads=_head_concepts(group, doc))
        if best is None:
            continue
        event_type, score = best
        if score < MIN_SCORE:
            continue
        anchor = _anchor(group, event_type, doc)
        event = _build_event(
            facts, sent, anchor, group, secondaries, event_type, lexicon, clause, others
        )
        if event is not None:
            out.append(Candidate(event, score, n, event_type, anchor.i))
            anchors.append(anchor)
    out = _governing_first(out, anchors)
    del sentence_concepts
    return _one_per_type(out)


def _finite_clause(token: Token) -> Token:
    """The head of the nearest finite clause holding the token (itself if finite): "the BLA
    *took* credit for attacking", not the clause of the bomb it hangs from."""
    current = token
    while current.tag_ not in _FINITE_TAGS and current.head.i != current.i:
        current = current.head
    return current


def _governing_first(candidates: list[Candidate], anchors: list[Token]) -> list[Candidate]:
    """A verbal act that governs another event of its sentence is what the sentence reports
    ("rejected a call for troops to be *deployed*"): it gains its type's ``governs`` weight."""
    out = []
    material = [a for c, a in zip(candidates, anchors, strict=True) if not c.event_type.governs]
    for cand, anchor in zip(candidates, anchors, strict=True):
        governs = cand.event_type.governs
        if governs and any(anchor.is_ancestor(other) for other in material):
            cand = replace(cand, score=cand.score + governs)
        out.append(cand)
    return out


def _in_modifier(facts: DocFacts, cue: CueMatch, lexicon: CueLexicon) -> bool:
    """A cue word inside a hyphenated modifier ("Iran-backed", "rebel-held"), a participle
    used as an adjective ("destroyed homes") or a noun naming a kind of party ("invasion
    forces", "combat troops") or of thing ("the detention center", "an arrest warrant") names a
    state, not an act."""
    if cue.role == "context":
        return False
    doc = facts.doc
    token = doc[cue.start]
    single = cue.end - cue.start == 1
    hyphenated = cue.start > 0 and doc[cue.start - 1].text == "-"
    participle = single and token.dep_ == "amod" and token.tag_ == "VBN"
    kind = (
        single
        and token.dep_ == "compound"
        and token.pos_ == "NOUN"
        and (
            facts.actor_index[token.head.i] is not None or token.head.lower_ in lexicon.thing_nouns
        )
    )
    return hyphenated or participle or kind


def _in_name(facts: DocFacts, cue: CueMatch) -> bool:
    """A cue word inside an actor's name ("Government of National *Accord*") or another
    organisation's or a person's that the model names ("told the Northern *Dispatch*", "said
    Mike *Lynch*") names no act."""
    if cue.role == "context":  # "Russian jets" is a name and says how they struck
        return False
    mention = facts.actor_index[cue.start]
    if mention is not None and mention.how == "name":
        return mention.end - mention.start > cue.end - cue.start
    token = facts.doc[cue.start]
    if mention is not None and mention.how == "new" and token.tag_ in _PROPER_TAGS:
        return True  # a name the knowledge base lacks, told again ("*Lynch* said")
    if token.ent_type_ not in _ORG_LABELS or token.tag_ not in _PROPER_TAGS:
        return False
    name = next(e for e in facts.doc.ents if e.start <= token.i < e.end)
    return sum(t.tag_ in _PROPER_TAGS for t in name) > 1


def _scene(facts: DocFacts, sent: Span, clause: set[int]) -> dict[str, float]:
    """Pseudo-concepts from what the clause is about: a town, or only a whole country."""
    features = [
        h.mention.place.feature
        for h in facts.places_in(sent.start, sent.end)
        if h.mention.place is not None and h.start in clause
    ]
    if not features:
        return {}
    if any(f != "country" for f in features):  # a province is taken like a town
        return {"scene_town": 1.0}
    return {"scene_country": 1.0}


def _armed_parties(
    facts: DocFacts, group: list[CueMatch], cues: list[CueMatch], lexicon: CueLexicon
) -> dict[str, float]:
    """Pseudo-concepts for an attack by an armed actor ("gunmen attacked a village": it is
    political violence though nothing else says so), on one (ACLED codes fighting between
    armed parties a battle, whoever struck first), on what armed parties hold or man ("militants
    attacked a checkpoint", "a military convoy": the words of ``armed_target``) and on civilians
    ("militants killed 20 villagers"), by the actors' kinds in the knowledge base."""
    found: dict[str, float] = {}
    held = {i for c in cues if c.concept == ARMED_TARGET for i in range(c.start, c.end)}
    for cue in group:
        if cue.concept not in lexicon.armed_patient_concepts:
            continue
        agent_words, patient_words = argument_words(
            facts.doc[cue.start : cue.end].root, facts, lexicon
        )
        agents, patients = argument_mentions(agent_words, patient_words, facts)
        armed = any(m.actor.kind in ARMED_KINDS for m in agents)
        if armed:
            found["armed_agent"] = 1.0
        if any(m.actor.kind in ARMED_KINDS for m in patients):
            found["armed_patient"] = 1.0
        elif armed and not patients and _names_held(patient_words, held):
            found["armed_on_target"] = 1.0
        if armed and any(m.actor.kind == "civilians" for m in patients):
            found["armed_on_civilians"] = 1.0
    return found


def _names_held(patients: list[Token], held: set[int]) -> bool:
    """Whether a patient's own words (its head and the words before it: "a *military*
    vehicle", "an army *base*") name what armed parties hold or man."""
    return any(t.i in held for word in patients for t in word.subtree if t.i <= word.i)


def _one_per_type(candidates: list[Candidate]) -> list[Candidate]:
    """Clauses of one sentence that tell the same kind of act by the same actor are one event,
    unless a material act is put in different places ("entered Hama ... after they seized
    Aleppo"); what one party says in two clauses stays one statement."""
    best: dict[tuple[str, str, str | None, int | None], Candidate] = {}
    for cand in candidates:
        where = cand.event.location if cand.event.event_type is not None else None
        key = (
            cand.event_type.label,
            cand.event.plover_type,
            cand.event.actor1,
            where.geonameid if where else None,
        )
        if key not in best or cand.score > best[key].score:
            best[key] = cand
    kept = {id(c) for c in best.values()}
    return [c for c in candidates if id(c) in kept]


def _head_concepts(group: list[CueMatch], doc) -> set[str]:
    """Concepts of the clause's triggers that govern all its other triggers in the dependency
    tree ("*threatened* to shell": the threat governs the shelling)."""
    roots = [(c.concept, doc[c.start : c.end].root) for c in group]
    return {
        concept
        for concept, token in roots
        if any(other != concept for other, _ in roots)
        and all(other == concept or token.is_ancestor(t) for other, t in roots)
    }


def _best_type(
    present: dict[str, float],
    anchored: set[str],
    lexicon: CueLexicon,
    *,
    heads: frozenset[str] | set[str] = frozenset(),
) -> tuple[EventType, float] | None:
    best: tuple[float, int, EventType] | None = None
    for event_type in lexicon.types.values():
        named = any(c in anchored for c in event_type.requires) or (
            any(c in anchored for c in event_type.anchored_by)
            and any(present.get(c, 0.0) >= 0.7 for c in event_type.requires)
        )
        if event_type.requires and not named:
            continue
        if event_type.needs_all and not all(c in present for c in event_type.needs_all):
            continue
        score = sum(w * present[c] for c, w in event_type.weights.items() if c in present)
        if event_type.governs and any(c in heads for c in event_type.requires):
            score += event_type.governs
        key = (score, -event_type.rank, event_type)
        if best is None or key[:2] > best[:2]:
            best = key
    return None if best is None else (best[2], best[0])


def _anchor(group: list[CueMatch], event_type: EventType, doc) -> Token:
    """The trigger token that names the chosen type best: its own concept first, then a verb
    ("stressed his allies' *support*, with Russia *expressing concern*": the verb is the act,
    the noun what is talked about)."""
    wanted = set(event_type.requires) | set(event_type.weights)
    roots = [doc[c.start : c.end].root for c in group]
    verbs = [t for t in roots if t.pos_ == "VERB"]

    def mere_noun(token: Token) -> bool:
        # A noun that governs the verb is the act ("demands that the government *grant*").
        return token.pos_ == "NOUN" and any(not token.is_ancestor(v) for v in verbs)

    ranked = sorted(
        group,
        key=lambda c: (
            c.concept not in event_type.requires,
            c.concept not in wanted,
            mere_noun(doc[c.start : c.end].root),
            c.start,
        ),
    )
    cue = ranked[0]
    span = doc[cue.start : cue.end]
    return span.root


def _build_event(
    facts: DocFacts,
    sent: Span,
    anchor: Token,
    group: list[CueMatch],
    secondaries: list[CueMatch],
    event_type: EventType,
    lexicon: CueLexicon,
    clause: set[int],
    others: set[int],
) -> Event | None:
    """``clause``: token indices of the event's clause; ``others``: those of the sentence's
    other event clauses, whose tolls are not this event's."""
    negated = (
        fields.negated(anchor, lexicon) or fields.none_taken(anchor, facts, lexicon)
    ) and not governed_by(anchor, lexicon.status_cues.get("denied", frozenset()))
    refusal = event_type.negated_plover if negated else None  # before any retyping
    if negated and refusal is None:
        return None  # "no clashes were reported": not an event
    if fields.no_act(anchor, event_type, lexicon) or prevented(anchor, lexicon.status_cues):
        return None
    agents, patients = fields.pooled_arguments(anchor, group, facts, lexicon)
    if not agents and not patients and circumstance(anchor, lexicon):
        return None
    event_type = fields.by_actor(event_type, agents, lexicon)
    actor1, assoc1 = fields.lead(agents)
    patients = [m for m in patients if m.actor.id != actor1]
    actor2, assoc2 = fields.lead(patients)
    document = facts.document
    date_hit = fields.nearest(facts.dates, anchor.i, sent, clause)
    if date_hit is not None and opens_period(anchor, date_hit, sent, lexicon.status_cues):
        date_hit = None  # "the fourth such incident since December" is not of December
    event_date, precision, date_note = fields.event_date(date_hit, document.published)
    status, claimed_by = act_status(anchor, sent, facts, lexicon, date_hit)
    if actor1 is None:
        actor1 = fields.speaker_acts(anchor, event_type, claimed_by, facts)
        if actor1 is not None and actor1 == actor2:
            actor2, assoc2 = fields.lead([m for m in patients if m.actor.id != actor1])
    named = fields.not_the_scene(facts, anchor, sent, clause, event_type, agents, patients)
    location = locate(facts, anchor, sent, clause, group, named)
    # Descriptions take the country where the act is, but who leaves a place is not of it.
    leaving = loader.words("event_cues.yaml", "leaving_concepts", facts.overrides)
    left = any(c.concept in leaving for c in group)
    foreign = location is not None and location.country != facts.country
    if facts.country is not None and foreign and not left:
        agents = fields.localised(agents, location, facts)
        patients = fields.localised(patients, location, facts)
        actor1, assoc1 = fields.lead(agents) if agents else (actor1, assoc1)
        actor2, assoc2 = fields.lead([m for m in patients if m.actor.id != actor1])
    fatalities, fatalities_text = fields.fatalities(
        facts, anchor, sent, event_type, clause, others, lexicon
    )
    told = agents or patients or location is not None or fatalities is not None
    if not told and date_hit is None and trend(anchor, lexicon):
        return None  # "attacks have intensified": a trend, no incident
    codes = fields.codes(
        event_type, anchor, group, secondaries, lexicon, refusal=refusal, status=status
    )
    evidence = replace(facts.sentence_evidence(sent), trigger=anchor.idx)
    notes = "; ".join(x for x in (f"trigger '{anchor.text}'", date_note) if x)
    event_id = content_id("event", document.id, sent.start_char, anchor.idx)
    return Event(
        id=event_id,
        document_id=document.id,
        status=status,
        event_date=event_date,
        date_precision=precision,
        event_type=codes[0],
        sub_event_type=codes[1],
        plover_type=codes[2],
        plover_mode=codes[3],
        actor1=actor1,
        actor2=actor2,
        assoc_actor_1=assoc1,
        assoc_actor_2=assoc2,
        location=location,
        fatalities=fatalities,
        fatalities_text=fatalities_text,
        trigger=anchor.text,
        claimed_by=claimed_by,
        evidence=(evidence,),
        notes=notes,
    )
