"""Events: triggers from the cue lexicon, typed ACLED and PLOVER, with who, whom, where, when.

One clause yields at most one event: its triggers are pooled and the type that best fits the
concepts around them wins (ACLED's precedence breaks ties), so one incident gets one type.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from sitroom.extract.actors import ActorMention
from sitroom.extract.arguments import arguments
from sitroom.extract.event_places import in_other_adverbial, locate, report_country
from sitroom.extract.facts import DateHit, DocFacts
from sitroom.extract.genericity import attempt_only, circumstance, trend
from sitroom.extract.status import act_status, governed_by
from sitroom.ids import content_id
from sitroom.knowledge import loader
from sitroom.knowledge.cues import CueLexicon, CueMatch, EventType
from sitroom.records import Event

# Below this score a clause's cues are too weak to call an event.
MIN_SCORE = 2.8
# Where climbing to a trigger's clause head stops (differs from control.py's on purpose).
_CLAUSE_DEPS = loader.words("syntax.yaml", "clause_heads")
# Clause heads read with the clause they hang from ("tried to *enter*"); relative clauses.
_GOVERNED_CLAUSE_DEPS = loader.words("syntax.yaml", "governed_clause_deps")
_NOUN_CLAUSE_DEPS = loader.words("syntax.yaml", "noun_clause_deps")
# Actor kinds that bear arms: an attack on one of them is a battle. Kinds are the code's own
# vocabulary (records.ACTOR_KINDS, which the actor file is checked against), not English words.
_ARMED_KINDS = frozenset({"state_forces", "armed_group", "militia"})


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
    return _at_the_report_country(_resolve_anaphoric_acts(kept, facts, lexicon), facts)


def _at_the_report_country(candidates: list[Candidate], facts: DocFacts) -> list[Candidate]:
    """ACLED's rule: an incident whose sentence names no place is coded at the most specific
    level known, here the country the report is about (geo-precision 3, marked inferred so it
    never places two events together). Done last, so that two acts of one sentence are not
    merged for sharing it."""
    country = report_country(facts)
    if country is None:
        return candidates
    out = []
    for cand in candidates:
        event = cand.event
        if event.location is None and event.event_type is not None:
            note = "place: the report's country (none in the sentence)"
            event = replace(event, location=country, notes=f"{event.notes}; {note}")
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


def _clause_head(token: Token) -> Token:
    if _in_passing(token):
        return token  # "the *retreating* army": a participle tells an act of its own
    while token.dep_ not in _CLAUSE_DEPS and token.head.i != token.i:
        token = token.head
    if token.dep_ in _GOVERNED_CLAUSE_DEPS and token.head.i != token.i:
        return _clause_head(token.head)
    return token


def _sentence_events(
    facts: DocFacts, sent: Span, n: int, cues: list[CueMatch], lexicon: CueLexicon
) -> list[Candidate]:
    doc = facts.doc
    cues = [c for c in cues if not _in_modifier(facts, c) and not _in_name(facts, c)]
    triggers = [c for c in cues if c.role == "trigger"]
    if not triggers:
        triggers = [c for c in cues if c.role == "secondary"]
    groups: dict[int, list[CueMatch]] = defaultdict(list)
    for cue in triggers:
        groups[_clause_head(doc[cue.start]).i].append(cue)
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
        if not sentence_concepts & lexicon.remote_concepts:
            present.update(_armed_patient(facts, group, lexicon))
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


def _in_modifier(facts: DocFacts, cue: CueMatch) -> bool:
    """A cue word inside a hyphenated modifier ("Iran-backed", "rebel-held"), a participle
    used as an adjective ("destroyed homes") or a noun naming a kind of party ("invasion
    forces", "combat troops") names a state, not an act."""
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
        and facts.actor_index[token.head.i] is not None
    )
    return hyphenated or participle or kind


def _in_name(facts: DocFacts, cue: CueMatch) -> bool:
    """A cue word inside an actor's name ("Government of National *Accord*") names no act."""
    if cue.role == "context":  # "Russian jets" is a name and says how they struck
        return False
    mention = facts.actor_index[cue.start]
    return (
        mention is not None
        and mention.how == "name"
        and mention.end - mention.start > cue.end - cue.start
    )


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


def _armed_patient(facts: DocFacts, group: list[CueMatch], lexicon: CueLexicon) -> dict[str, float]:
    """A pseudo-concept for an attack on an armed actor (by its kind in the knowledge base):
    ACLED codes fighting between armed parties a battle, whoever struck first."""
    for cue in group:
        if cue.concept not in lexicon.armed_patient_concepts:
            continue
        _, patients = arguments(facts.doc[cue.start : cue.end].root, facts, lexicon)
        if any(m.actor.kind in _ARMED_KINDS for m in patients):
            return {"armed_patient": 1.0}
    return {}


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
    negated = _negated(anchor, lexicon) and not governed_by(
        anchor, lexicon.status_cues.get("denied", frozenset())
    )
    refusal = event_type.negated_plover if negated else None  # before any retyping
    if negated and refusal is None:
        return None  # "no clashes were reported": not an event
    if _no_act(anchor, event_type, lexicon):
        return None
    agents, patients = _pooled_arguments(anchor, group, facts, lexicon)
    if not agents and not patients and circumstance(anchor, lexicon):
        return None
    event_type = _by_actor(event_type, agents, lexicon)
    actor1, assoc1 = _lead(agents)
    patients = [m for m in patients if m.actor.id != actor1]
    actor2, assoc2 = _lead(patients)
    document = facts.document
    date_hit = _nearest(facts.dates, anchor.i, sent, clause)
    event_date, precision, date_note = _event_date(date_hit, document.published)
    status, claimed_by = act_status(anchor, sent, facts, lexicon, date_hit)
    named = _not_the_scene(facts, anchor, sent, clause, event_type, agents, patients)
    location = locate(facts, anchor, sent, clause, group, named)
    fatalities, fatalities_text = _fatalities(
        facts, anchor, sent, event_type, clause, others, lexicon
    )
    told = agents or patients or location is not None or fatalities is not None
    if not told and date_hit is None and trend(anchor, lexicon):
        return None  # "attacks have intensified": a trend, no incident
    codes = _codes(event_type, anchor, group, secondaries, lexicon, refusal=refusal, status=status)
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


def _by_actor(event_type: EventType, agents: list[ActorMention], lexicon: CueLexicon) -> EventType:
    """The type to use for the first agent's kind of actor where the type names one: "the army
    *captured* Saraqib" is a government regaining territory, not a non-state group's gain."""
    kind = agents[0].actor.kind if agents else None
    if kind in event_type.by_actor_kind:
        return lexicon.types[event_type.by_actor_kind[kind]]
    return event_type


def _codes(
    event_type: EventType,
    anchor: Token,
    group: list[CueMatch],
    secondaries: list[CueMatch],
    lexicon: CueLexicon,
    *,
    refusal: tuple[str, str | None] | None,
    status: str,
) -> tuple[str | None, str | None, str, str | None]:
    """(ACLED type, sub-type, PLOVER type, mode). An act told in passing ("the *retreating*
    army") is no ACLED incident of its own, which codes the event the sentence reports (PLOVER
    keeps the act); a negated one is ``refusal``, its type's refusal ("will *not accept*
    refugees"); a planned one the PLOVER type's planned form."""
    plover = _plover(event_type, anchor, group, secondaries, lexicon)
    acled = None if _in_passing(anchor) else event_type.acled
    if refusal is not None:
        plover, acled = refusal, None
    if status == "planned" and plover is not None:
        plover = lexicon.plover_when_planned.get(plover[0], plover)
    acled_type, sub_type = acled or (None, None)
    plover_type, mode = plover or ("OTHER", None)
    return acled_type, sub_type, plover_type, mode


def _negated(anchor: Token, lexicon: CueLexicon) -> bool:
    """Whether the trigger is negated: "did *not* attack", "*no* clashes" (a determiner negates
    an event noun as "not" a verb), "does not intend to *intervene*" (an infinitive by its
    governing verb's "not")."""
    return any(
        child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ in lexicon.negating_dets)
        for child in anchor.children
    ) or (anchor.dep_ == "xcomp" and any(c.dep_ == "neg" for c in anchor.head.children))


def _no_act(anchor: Token, event_type: EventType, lexicon: CueLexicon) -> bool:
    """Whether the trigger tells no act at all: a type with no codes ("a flood", "a crash"),
    a condition ("will provide advisers *if* asked") or a mere attempt ("tried to *enter*")."""
    if event_type.acled is None and event_type.plover is None:
        return True  # typed only so that it is not coded as an attack
    if any(c.dep_ == "mark" and c.lower_ in lexicon.conditional_marks for c in anchor.children):
        return True
    return attempt_only(anchor, lexicon)


def _pooled_arguments(
    anchor: Token, group: list[CueMatch], facts: DocFacts, lexicon: CueLexicon
) -> tuple[list[ActorMention], list[ActorMention]]:
    """The anchor's agents and patients, each side filled from the clause's other triggers
    where the anchor has none: "launched *attacks* and *shelled* Idlib" shares its rebels."""
    agents, patients = arguments(anchor, facts, lexicon)
    for cue in group:
        if agents and patients:
            break
        other_agents, other_patients = arguments(
            facts.doc[cue.start : cue.end].root, facts, lexicon
        )
        agents = agents or [m for m in other_agents if m not in patients]
        patients = patients or [m for m in other_patients if m not in agents]
    return agents, patients


def _lead(mentions: list[ActorMention]) -> tuple[str | None, tuple[str, ...]]:
    """The first mention's actor and the others' (once each, the first's left out): "rebels
    and their allies" -> rebels, (allies,)."""
    lead = mentions[0].actor.id if mentions else None
    return lead, tuple(dict.fromkeys(m.actor.id for m in mentions[1:] if m.actor.id != lead))


def _event_date(
    date_hit: DateHit | None, published: dt.date | None
) -> tuple[dt.date | None, str, str]:
    """(date, precision, note): the sentence's date where it has one (or one that sets the act
    in the past, "early in the war"), else the publication date to the week."""
    if date_hit is not None and (date_hit.date is not None or date_hit.background):
        return date_hit.date, date_hit.precision, f"date from '{date_hit.text}'"
    if published is None:
        return None, "unknown", ""
    return published, "week", "date: publication date (no date in the sentence)"


def _not_the_scene(
    facts: DocFacts,
    anchor: Token,
    sent: Span,
    clause: set[int],
    event_type: EventType,
    agents: list[ActorMention],
    patients: list[ActorMention],
) -> set[int]:
    """Token indices of names that are not where the act was. Who acts is not where ("Israel
    struck Hezbollah" is not in Israel); in what one party says about another (a type that
    governs what it is about) the other is not where either ("expressed concern over Syria").
    A country entered or visited is the scene."""
    parties = agents + patients if event_type.governs else agents
    named = {i for m in parties for i in range(m.start, m.end)}
    if event_type.governs:
        named |= _asked_of(facts, anchor, sent)
    if event_type.acled is None:
        named |= _outside_own_clause(facts, anchor, sent, clause)
    return named


def _asked_of(facts: DocFacts, anchor: Token, sent: Span) -> set[int]:
    """Starts of the countries a "from" phrase of the trigger names: "seeks support *from
    Russia*" asks it of Russia, not there ("evacuate civilians from Tal Rifaat" keeps its town,
    not being a country)."""
    asked = {
        t.i
        for prep in anchor.children
        if prep.dep_ == "prep" and prep.lower_ == "from"
        for t in prep.subtree
    }
    return {
        h.start
        for h in facts.places_in(sent.start, sent.end)
        if h.start in asked and h.mention.place is not None and h.mention.place.feature == "country"
    }


def _outside_own_clause(facts: DocFacts, anchor: Token, sent: Span, clause: set[int]) -> set[int]:
    """Starts of the places outside the trigger's own clause, or in an adverbial clause around
    it: what one party says or does to another is where its own clause says ("as the threat to
    Damascus grows, Assad turned to his allies" was not in Damascus). A conjoined verb shares
    its first's places ("*reached* Moscow and been *granted* asylum")."""
    head = _clause_head(anchor)
    shared = {t.i for t in head.head.subtree} if head.dep_ == "conj" else set()
    return {
        h.start
        for h in facts.places_in(sent.start, sent.end)
        if (h.start not in clause and h.start not in shared)
        or in_other_adverbial(facts.doc[h.start], anchor)
    }


def _in_passing(token: Token) -> bool:
    """Whether a participle tells an act in passing, as an adjective: "the *retreating* army"."""
    return token.dep_ == "amod" and token.tag_ == "VBG"


def _plover(
    event_type: EventType,
    anchor: Token,
    group: list[CueMatch],
    secondaries: list[CueMatch],
    lexicon: CueLexicon,
) -> tuple[str, str | None] | None:
    """The PLOVER type: the anchor word's own where the lexicon names one ("surrender" is a
    retreat though ACLED codes it an agreement), else the type's."""
    own = next(
        (
            c.phrase
            for c in group
            if c.start <= anchor.i < c.end and c.concept in event_type.requires
        ),
        None,
    )
    concept = next((c.concept for c in group if c.start <= anchor.i < c.end), None)
    if concept in event_type.plover_by_concept:
        return event_type.plover_by_concept[concept]
    if own in lexicon.plover_by_trigger and event_type.plover is not None:
        return lexicon.plover_by_trigger[own]
    if event_type.label == "DIPLO":
        key = next((c.phrase for c in group + secondaries if c.concept == "diplomacy"), "")
        return lexicon.plover_by_trigger.get(key, event_type.plover)
    return event_type.plover


def _nearest(dates: list[DateHit], i: int, sent: Span, clause: set[int]) -> DateHit | None:
    doc = sent.doc
    inside = [
        d
        for d in dates
        if sent.start <= d.start < sent.end and not _describes_other(doc[d.start], doc[i])
    ]
    if not inside:
        return None
    return min(inside, key=lambda d: (d.start not in clause, abs(d.start - i)))


def _describes_other(token: Token, anchor: Token) -> bool:
    """Whether ``token`` lies in a relative clause that does not hold the anchor: "captured Hama,
    which the army had held since 2011" dates the holding, not the capture."""
    for ancestor in (token, *token.ancestors):
        if ancestor.dep_ in _NOUN_CLAUSE_DEPS:
            return not (ancestor.left_edge.i <= anchor.i <= ancestor.right_edge.i)
    return False


def _fatalities(
    facts: DocFacts,
    anchor: Token,
    sent: Span,
    event_type: EventType,
    clause: set[int],
    others: set[int],
    lexicon: CueLexicon,
) -> tuple[int | None, str | None]:
    """The toll in the event's clause, else one in its sentence outside the other events'
    clauses: "having seized the city" does not take the "over 300 killed in clashes"."""
    killed = [
        c
        for c in facts.casualties
        if sent.start <= c.start < sent.end and c.kind == "killed" and c.start not in others
    ]
    if any(c.start in clause for c in killed):
        killed = [c for c in killed if c.start in clause]
    if not killed or (event_type.acled is None and event_type.label not in lexicon.tolled_types):
        return None, None
    best = min(killed, key=lambda c: abs(c.start - anchor.i))
    return best.number, best.number_text
