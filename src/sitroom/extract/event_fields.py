"""The fields of one event, read from its trigger's clause: who acted (and the type their kind
calls for), whether the act is negated or no act at all, its date, its fatalities and its ACLED
and PLOVER codes. ``sitroom.extract.events`` decides which clauses tell events and applies these
rules to each; each is small, named and tested on hand-built parses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from spacy.tokens import Span, Token

from sitroom.extract.actors import ActorMention, described_parties
from sitroom.extract.arguments import arguments
from sitroom.extract.event_places import in_other_adverbial
from sitroom.extract.facts import CasualtyHit, DateHit, DocFacts
from sitroom.extract.genericity import attempt_only
from sitroom.knowledge import loader
from sitroom.knowledge.cues import CueLexicon, CueMatch, EventType
from sitroom.records import Location

# Where climbing to a trigger's clause head stops (differs from control.py's on purpose).
_CLAUSE_DEPS = loader.labels("syntax.yaml", "clause_heads")
# Clause heads read with the clause they hang from ("tried to *enter*"); relative clauses.
_GOVERNED_CLAUSE_DEPS = loader.labels("syntax.yaml", "governed_clause_deps")
_NOUN_CLAUSE_DEPS = loader.labels("syntax.yaml", "noun_clause_deps")
_SUBJECTS = loader.labels("syntax.yaml", "subject_deps")
_ARGUMENTS = _SUBJECTS | loader.labels("syntax.yaml", "direct_object_deps")
# A past participle that modifies a noun ("schoolgirls *kidnapped* in Zamfara"): its act is told
# as done before the clause it hangs from.
_PARTICIPLE_CLAUSE_DEPS = loader.labels("syntax.yaml", "participle_clause_deps")
_PAST_PARTICIPLE_TAGS = loader.labels("syntax.yaml", "past_participle_tags")
_FINITE_MARKS = _SUBJECTS | loader.labels("syntax.yaml", "auxiliary_deps")


def clause_head(token: Token) -> Token:
    if in_passing(token):
        return token  # "the *retreating* army": a participle tells an act of its own
    while token.dep_ not in _CLAUSE_DEPS and token.head.i != token.i:
        token = token.head
    if token.dep_ in _GOVERNED_CLAUSE_DEPS and token.head.i != token.i:
        return clause_head(token.head)
    return token


def by_actor(event_type: EventType, agents: list[ActorMention], lexicon: CueLexicon) -> EventType:
    """The type to use for the first agent's kind of actor where the type names one: "the army
    *captured* Saraqib" is a government regaining territory, not a non-state group's gain."""
    kind = agents[0].actor.kind if agents else None
    if kind in event_type.by_actor_kind:
        return lexicon.types[event_type.by_actor_kind[kind]]
    return event_type


def codes(
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
    plover = plover_codes(event_type, anchor, group, secondaries, lexicon)
    acled = None if in_passing(anchor) else event_type.acled
    if refusal is not None:
        plover, acled = refusal, None
    if status == "planned" and plover is not None:
        plover = lexicon.plover_when_planned.get(plover[0], plover)
    acled_type, sub_type = acled or (None, None)
    plover_type, mode = plover or ("OTHER", None)
    return acled_type, sub_type, plover_type, mode


def negated(anchor: Token, lexicon: CueLexicon) -> bool:
    """Whether the trigger is negated: "did *not* attack", "*no* clashes" (a determiner negates
    an event noun as "not" a verb), "does not intend to *intervene*" (an infinitive by its
    governing verb's "not"), "isn't participating *in* any airstrikes", "is not engaged *in*
    combat" (a noun by the "not" of the verb its phrase completes)."""
    if any(
        child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ in lexicon.negating_dets)
        for child in anchor.children
    ):
        return True
    if anchor.dep_ == "xcomp":
        return any(c.dep_ == "neg" for c in anchor.head.children)
    if anchor.dep_ != "pobj" or anchor.pos_ not in ("NOUN", "PROPN"):
        return False
    verb = anchor.head.head
    return verb.pos_ in ("VERB", "AUX", "ADJ") and any(c.dep_ == "neg" for c in verb.children)


def none_taken(verb: Token, facts: DocFacts, lexicon: CueLexicon) -> bool:
    """Whether a verb's act is done by or to none: its subject or object is negated by "no"
    ("*no* working Marine weapons were seized or handed over"); a conjunct without a subject of
    its own shares its head's. An act's noun so negated negates itself, not the verb that
    reports it ("*no* clashes were reported")."""
    if verb.pos_ != "VERB":
        return False
    holders = [verb]
    if verb.dep_ == "conj" and not any(c.dep_ in _SUBJECTS for c in verb.children):
        holders.append(verb.head)
    return any(
        c.dep_ in _ARGUMENTS
        and any(d.dep_ == "det" and d.lower_ in lexicon.negating_dets for d in c.children)
        and not facts.names_act(c.i)
        for holder in holders
        for c in holder.children
    )


def no_act(anchor: Token, event_type: EventType, lexicon: CueLexicon) -> bool:
    """Whether the trigger tells no act at all: a type with no codes ("a flood", "a crash"),
    a condition ("will provide advisers *if* asked") or a mere attempt ("tried to *enter*")."""
    if event_type.acled is None and event_type.plover is None:
        return True  # typed only so that it is not coded as an attack
    # "will provide advisers *if* asked"; a noun by its verb's: "*if* a ceasefire is implemented"
    clause = [anchor]
    if anchor.pos_ in ("NOUN", "PROPN") and anchor.dep_ in ("nsubj", "nsubjpass", "dobj"):
        clause.append(anchor.head)
    if any(
        c.dep_ == "mark" and c.lower_ in lexicon.conditional_marks
        for t in clause
        for c in t.children
    ):
        return True
    return attempt_only(anchor, lexicon)


def pooled_arguments(
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


def localised(
    mentions: list[ActorMention], location: Location | None, facts: DocFacts
) -> list[ActorMention]:
    """The mentions, where a description took the report's country ("civilians", "gunmen" in a
    report that names the United States most) and the act is placed in another country, scoped
    to that country, as ACLED codes civilians and unidentified armed groups by where they were
    hit: "28 civilians" killed in "the latest airstrike" near Manbij are Syria's. A description
    that names its country ("Syrian civilians") keeps it, and so does one the document calls one
    named group ("Isis militants ... the militants": ``actors.described_parties``, which names
    the party later); an inferred place changes nothing."""
    if location is None or location.inferred or location.country is None or facts.kb is None:
        return mentions
    if facts.described is None:
        facts.described = described_parties(
            facts.actors, facts.doc, kb=facts.kb, country=facts.country
        )
    out = []
    for m in mentions:
        if (
            m.how == "generic"
            and m.actor.country not in (None, location.country)
            and m.actor.id not in facts.described
        ):
            text = facts.doc[m.start : m.end].text
            scoped = facts.kb.generic(text, country=location.country)
            if scoped is not None and scoped.country == location.country:
                facts.rescope(m, replace(m, actor=scoped))
                m = replace(m, actor=scoped)
        out.append(m)
    return out


def lead(mentions: list[ActorMention]) -> tuple[str | None, tuple[str, ...]]:
    """The first mention's actor and the others' (once each, the first's left out): "rebels
    and their allies" -> rebels, (allies,)."""
    lead = mentions[0].actor.id if mentions else None
    return lead, tuple(dict.fromkeys(m.actor.id for m in mentions[1:] if m.actor.id != lead))


def event_date(
    date_hit: DateHit | None, published: dt.date | None
) -> tuple[dt.date | None, str, str]:
    """(date, precision, note): the sentence's date where it has one (or one that sets the act
    in the past, "early in the war"), else the publication date to the week."""
    if date_hit is not None and (date_hit.date is not None or date_hit.background):
        return date_hit.date, date_hit.precision, f"date from '{date_hit.text}'"
    if published is None:
        return None, "unknown", ""
    return published, "week", "date: publication date (no date in the sentence)"


# ACLED event types (the codes' own labels) of acts a state's own word tells in the passive
# ("police said 12 people were arrested"): the speaking force is the one that acted.
_SPEAKER_ACT_EVENTS = frozenset({"Strategic developments"})
# Actor kinds (records.ACTOR_KINDS, the code's own vocabulary) that act as the state.
_STATE_KINDS = frozenset({"state", "state_forces", "police"})


def speaker_acts(
    anchor: Token, event_type: EventType, claimant: str | None, facts: DocFacts
) -> str | None:
    """The claimant of an agentless passive act of the state ("Both forces say huge quantities
    of ammunition *were seized*", "officials said troops *were deployed*"), as its actor: who
    announces an arrest or a deployment in the passive made it. None otherwise."""
    if claimant is None or event_type.acled is None:
        return None
    if event_type.acled[0] not in _SPEAKER_ACT_EVENTS:
        return None
    passive = any(c.dep_ == "auxpass" for c in anchor.children)
    if not passive or any(c.dep_ == "agent" for c in anchor.children):
        return None
    kinds = {m.actor.id: m.actor.kind for m in facts.actors}
    return claimant if kinds.get(claimant) in _STATE_KINDS else None


def context_date(facts: DocFacts, sent: Span) -> DateHit | None:
    """For an incident whose sentence names no date: the last day the report named before the
    sentence, where it names one of the current news (not a background period), as ACLED dates an
    incident told without a day by the day of the report's lead."""
    return next(
        (
            d
            for d in reversed(facts.dates)
            if d.start < sent.start
            and d.date is not None
            and d.precision == "day"
            and not d.background
        ),
        None,
    )


def not_the_scene(
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
        named |= asked_of(facts, anchor, sent)
    if event_type.acled is None:
        named |= outside_own_clause(facts, anchor, sent, clause)
    return named


def asked_of(facts: DocFacts, anchor: Token, sent: Span) -> set[int]:
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


def outside_own_clause(facts: DocFacts, anchor: Token, sent: Span, clause: set[int]) -> set[int]:
    """Starts of the places outside the trigger's own clause, or in an adverbial clause around
    it: what one party says or does to another is where its own clause says ("as the threat to
    Damascus grows, Assad turned to his allies" was not in Damascus). A conjoined verb shares
    its first's places ("*reached* Moscow and been *granted* asylum")."""
    head = clause_head(anchor)
    shared = {t.i for t in head.head.subtree} if head.dep_ == "conj" else set()
    return {
        h.start
        for h in facts.places_in(sent.start, sent.end)
        if (h.start not in clause and h.start not in shared)
        or in_other_adverbial(facts.doc[h.start], anchor)
    }


def toll_denied(facts: DocFacts, hit: CasualtyHit) -> bool:
    """Whether a toll's own verb is negated: "she did*n't* kill 100 fighters" tells no toll."""
    return any(c.dep_ == "neg" for t in facts.doc[hit.start : hit.end] for c in t.children)


def in_passing(token: Token) -> bool:
    """Whether a participle tells an act in passing, as an adjective: "the *retreating* army"."""
    return token.dep_ == "amod" and token.tag_ == "VBG"


def plover_codes(
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


def nearest(dates: list[DateHit], i: int, sent: Span, clause: set[int]) -> DateHit | None:
    doc = sent.doc
    inside = [
        d
        for d in dates
        if sent.start <= d.start < sent.end
        and not describes_other(doc[d.start], doc[i])
        and not (outside_participle(doc[d.start], doc[i]) and not d.background)
    ]
    if not inside:
        return None
    return min(inside, key=lambda d: (d.start not in clause, abs(d.start - i)))


def describes_other(token: Token, anchor: Token) -> bool:
    """Whether ``token`` lies in a relative clause that does not hold the anchor: "captured Hama,
    which the army had held since 2011" dates the holding, not the capture."""
    for ancestor in (token, *token.ancestors):
        if ancestor.dep_ in _NOUN_CLAUSE_DEPS:
            return not (ancestor.left_edge.i <= anchor.i <= ancestor.right_edge.i)
    return False


def outside_participle(token: Token, anchor: Token) -> bool:
    """Whether ``token`` lies outside the participle clause that modifies a noun and holds the
    anchor: "schoolgirls *kidnapped* in Zamfara were freed Tuesday", "the case of a journalist
    *arrested* over his interviews" tell an act done before the day of the clause they hang
    from (``incident_fields.dated_by_context`` falls back to that day)."""
    for ancestor in (anchor, *anchor.ancestors):
        if _participle_clause(ancestor):
            return not (ancestor.left_edge.i <= token.i <= ancestor.right_edge.i)
        if ancestor.dep_ in _CLAUSE_DEPS:
            return False
    return False


def _participle_clause(token: Token) -> bool:
    """Whether ``token`` heads a past participle clause that modifies a noun, with no subject
    or auxiliary of its own ("that Ukraine *had agreed*" is a finite clause)."""
    return (
        token.dep_ in _PARTICIPLE_CLAUSE_DEPS
        and token.tag_ in _PAST_PARTICIPLE_TAGS
        and not any(c.dep_ in _FINITE_MARKS for c in token.children)
    )


def fatalities(
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
        if sent.start <= c.start < sent.end
        and c.kind == "killed"
        and c.start not in others
        and not toll_denied(facts, c)
    ]
    if any(c.start in clause for c in killed):
        killed = [c for c in killed if c.start in clause]
    if not killed or (event_type.acled is None and event_type.label not in lexicon.tolled_types):
        return None, None
    best = min(killed, key=lambda c: abs(c.start - anchor.i))
    return best.number, best.number_text
