"""Fields the stored events take from the whole document, after any grouping into incidents
(which must not read what no mention of an incident tells): the day the report named before an
incident told without one, ACLED's unnamed perpetrator where the report names no actor, the
named group a description stands for where the report calls one group so, and the target the
incident's own toll names ("killed 13 people": civilians).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import replace

from spacy.tokens import Span, Token

from sitroom.extract import event_fields as fields
from sitroom.extract.actors import HeadNouns, by_kind, described_parties, members_groups
from sitroom.extract.dates import resolve_date
from sitroom.extract.events import Candidate
from sitroom.extract.facts import CasualtyHit, DateHit, DocFacts
from sitroom.extract.places import SPOT_FEATURES, location_of
from sitroom.knowledge import loader
from sitroom.knowledge.actors import ActorKB
from sitroom.records import DATE_TOLD_BEFORE, Event

# Label sets of syntax.yaml that ``one_dead`` reads.
_VERBAL = loader.labels("syntax.yaml", "verbal_pos")
_NOMINAL = loader.labels("syntax.yaml", "nominal_pos")
_SUBJECTS = loader.labels("syntax.yaml", "subject_deps")
_PATIENTS = loader.labels("syntax.yaml", "direct_object_deps")
_PLURAL_TAGS = loader.labels("syntax.yaml", "plural_noun_tags")
_PROPER_TAGS = loader.labels("syntax.yaml", "proper_noun_tags")
_NEGATIONS = loader.labels("syntax.yaml", "negation_deps")
_COUNTING_DEPS = loader.labels("syntax.yaml", "counting_deps")
_DEFINITE_DEPS = loader.labels("syntax.yaml", "definite_deps")
_CURRENT = frozenset({"reported", "claimed"})  # statuses (records.EVENT_STATUSES) of a current act
# ACLED's event types of political violence (the codes' own labels, not English words).
_VIOLENT = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})


def complete(candidates: list[Candidate], facts: DocFacts, *, kb: ActorKB) -> list[Candidate]:
    """The stored events with a day and an actor1 read from the document where their own
    mentions give none."""
    dated = self_acting(dated_by_context(dated_by_latest_day(candidates, facts), facts), facts)
    parties = described_by_document(unnamed_parties(dated, facts, kb=kb), facts, kb=kb)
    parties = members_as_groups(parties, facts)
    tolled = one_dead(tolls_told_after(named_victims(parties, facts, kb=kb), facts), facts)
    return placed_in_town(tolled, facts)


def dated_by_latest_day(candidates: list[Candidate], facts: DocFacts) -> list[Candidate]:
    """In a report without a publication date, incidents whose sentence names a day only
    relative to it ("on Tuesday", "last week", "May 22") are dated against the latest day the
    report names with its year, the nearest thing to a publication date it gives. Grouping has
    read these days as text only; this fills the field."""
    if facts.document.published is not None:
        return candidates
    latest = max(
        (d.date for d in facts.dates if d.date is not None and d.precision == "day"), default=None
    )
    if latest is None:
        return candidates
    sentences = list(facts.doc.sents)
    out = []
    for cand in candidates:
        event = cand.event
        if event.event_date is None and event.event_type is not None:
            sent = sentences[cand.sentence]
            anchor = facts.doc[cand.trigger]
            told = [
                (d, r)
                for d in facts.dates
                if sent.start <= d.start < sent.end and d.date is None
                if (r := resolve_date(d.text, published=latest, overrides=facts.overrides))
                and r.date is not None
                and r.date <= latest
            ]
            if told:
                day, resolved = min(told, key=lambda x: abs(x[0].start - anchor.i))
                note = f"date from '{day.text}', before {latest.isoformat()}, the latest day named"
                cand = _redated(cand, resolved.date, resolved.precision, note)
        out.append(cand)
    return out


def dated_by_context(candidates: list[Candidate], facts: DocFacts) -> list[Candidate]:
    """Incidents whose sentences name no date (dated to the publication's week, or undated in a
    report without a publication date) take the day the report named last before them
    (``event_fields.context_date``); one dated by a week of its own ("last week") keeps it. An
    act told in a participle clause whose sentence names a date only for the clause it hangs
    from ("schoolgirls kidnapped in Zamfara were freed Tuesday") takes that date first: grouping
    has not found it a day of its own, and the act was done by then."""
    sentences = list(facts.doc.sents)
    out = []
    for cand in candidates:
        event = cand.event
        sent = sentences[cand.sentence]
        undated = event.event_date is None and not any(
            sent.start <= d.start < sent.end for d in facts.dates
        )
        by_then = _date_of_governing_clause(cand, facts, sent)
        if (_this_week(event, facts) or event.event_date is None) and by_then is not None:
            undated = True
        if (_this_week(event, facts) or undated) and event.event_type is not None:
            told = by_then or fields.context_date(facts, sent)
            if told is not None:
                how = "the date its sentence names" if by_then else DATE_TOLD_BEFORE
                note = f"date from '{told.text}', {how}"
                cand = _redated(cand, told.date, told.precision, note)
        out.append(cand)
    return out


def _redated(cand: Candidate, day: dt.date | None, precision: str, note: str) -> Candidate:
    """The candidate with its event dated ``day`` to ``precision``, and a note saying why."""
    event = replace(cand.event, event_date=day, date_precision=precision)
    return replace(cand, event=replace(event, notes=f"{event.notes}; {note}"))


def _date_of_governing_clause(cand: Candidate, facts: DocFacts, sent: Span) -> DateHit | None:
    """The date of the news the incident's sentence names outside the participle clause that
    tells the act (``event_fields.outside_participle``), nearest the trigger: a day, or a
    longer period ("earlier this month")."""
    anchor = facts.doc[cand.trigger]
    days = [
        d
        for d in facts.dates
        if sent.start <= d.start < sent.end
        and d.date is not None
        and not d.background
        and fields.outside_participle(facts.doc[d.start], anchor)
    ]
    return min(days, key=lambda d: abs(d.start - anchor.i), default=None)


def _this_week(event: Event, facts: DocFacts) -> bool:
    """Whether the event is dated to the publication's week: the stand-in for no date, or a
    period of it ("over the past two days"), which a day told before makes precise; a week
    before it ("last week") is the incident's own."""
    published = facts.document.published
    if event.date_precision != "week" or event.event_date is None or published is None:
        return False
    return event.event_date >= published - dt.timedelta(days=published.weekday())


def self_acting(candidates: list[Candidate], facts: DocFacts) -> list[Candidate]:
    """Incidents of a sub-event type whose one party is the one that changes (argument_cues.yaml
    ``self_acting_sub_events``) told of a party with no actor ("French soldiers were deployed")
    have that party as actor1."""
    movers = loader.words("argument_cues.yaml", "self_acting_sub_events", facts.overrides)
    out = []
    for cand in candidates:
        event = cand.event
        sub_event = (event.sub_event_type or "").lower()
        if event.actor1 is None and event.actor2 is not None and sub_event in movers:
            note = "actor1: the party whose activity changes"
            cand = _amended(cand, replace(event, actor1=event.actor2, actor2=None), note)
        out.append(cand)
    return out


def unnamed_parties(
    candidates: list[Candidate], facts: DocFacts, *, kb: ActorKB
) -> list[Candidate]:
    """Current incidents with no actor1 take the party ACLED codes where a report names none,
    in the incident's country: by sub-event type (argument_cues.yaml ``unnamed_agents``: the
    police make an arrest), else by event type (``unnamed_parties``): "Unidentified Armed Group
    (Nigeria)" for violence."""
    cues = loader.load("argument_cues.yaml", facts.overrides)
    parties, agents = cues["unnamed_parties"], cues["unnamed_agents"]
    out = []
    for cand in candidates:
        event = cand.event
        term = parties.get(event.event_type or "")
        kind = agents.get((event.sub_event_type or "").lower())
        if event.actor1 is None and (term or kind) and event.status in _CURRENT:
            country = event.location.country if event.location else facts.country
            if kind:
                party = by_kind(kb, country, str(kind)) if country else None
            else:
                party = kb.generic(str(term), country=country)
            if party is not None and party.id != event.actor2:
                note = f"actor1: {party.name} (the report names none)"
                cand = _amended(cand, replace(event, actor1=party.id), note)
        out.append(cand)
    return out


def described_by_document(
    candidates: list[Candidate], facts: DocFacts, *, kb: ActorKB
) -> list[Candidate]:
    """Incidents whose party is a description their own evidence uses ("the militants") take
    the one group the document calls so ("Seven Taliban militants were killed", "militants
    linked with the BLA": ``actors.described_parties``). A stand-in the report never uses for
    the incident ("No group said it had carried out the bombing") stays unnamed."""
    groups = described_parties(facts.actors, facts.doc, kb=kb, country=facts.country)
    if not groups:
        return candidates
    out = []
    for cand in candidates:
        event = cand.event
        told = _descriptions(cand, facts)
        actor1 = (
            groups.get(event.actor1 or "", event.actor1) if event.actor1 in told else event.actor1
        )
        actor2 = (
            groups.get(event.actor2 or "", event.actor2) if event.actor2 in told else event.actor2
        )
        note = "parties: the group the report calls by their description"
        out.append(_with_parties(cand, actor1, actor2, note))
    return out


def members_as_groups(candidates: list[Candidate], facts: DocFacts) -> list[Candidate]:
    """Incidents whose party is a person the document makes a member or leader of one armed
    group ("Abu Bakr al-Baghdadi, the leader of ISIS, was wounded in an airstrike") have the
    group as that party (``actors.members_groups``): ACLED codes the group an individual acts
    or is struck for."""
    groups = members_groups(facts.actors, facts.doc, HeadNouns.load(facts.overrides))
    if not groups:
        return candidates
    note = "parties: the group the person named belongs to"
    return [
        _with_parties(
            cand,
            groups.get(cand.event.actor1 or "", cand.event.actor1),
            groups.get(cand.event.actor2 or "", cand.event.actor2),
            note,
        )
        for cand in candidates
    ]


def _with_parties(cand: Candidate, actor1: str | None, actor2: str | None, note: str) -> Candidate:
    """A current incident with its parties changed to ``actor1`` and ``actor2`` where they
    differ from its own and from each other, and a note saying why."""
    event = cand.event
    changed = (actor1, actor2) != (event.actor1, event.actor2)
    if changed and event.status in _CURRENT and actor1 != actor2:
        return _amended(cand, replace(event, actor1=actor1, actor2=actor2), note)
    return cand


def _descriptions(cand: Candidate, facts: DocFacts) -> set[str]:
    """The generic actors a description in the incident's evidence stands for."""
    return {
        m.actor.id
        for m in facts.actors
        if m.how == "generic" and _in_evidence(cand, facts.doc[m.start].idx)
    }


def named_victims(candidates: list[Candidate], facts: DocFacts, *, kb: ActorKB) -> list[Candidate]:
    """Current incidents with no actor2 take the party their own toll names ("killed 13
    *people*": civilians; "killed 23 *soldiers*": the forces) in the incident's country, where
    their event type has such a target (argument_cues.yaml ``toll_targets``: a battle is fought
    by armed parties, never against civilians), else the target ACLED codes by event type
    (``unnamed_targets``: civilians for violence against civilians)."""
    heads = HeadNouns.load(facts.overrides)
    cues = loader.load("argument_cues.yaml", facts.overrides)
    by_type, by_toll = cues["unnamed_targets"], cues["toll_targets"]
    out = []
    for cand in candidates:
        event = cand.event
        country = event.location.country if event.location else facts.country
        if event.actor2 is None and event.status in _CURRENT and country:
            kinds = [str(k) for k in by_toll.get(event.event_type or "", ())]
            kind = _victims_kind(cand, facts, heads, kinds) or by_type.get(event.event_type or "")
            victim = by_kind(kb, country, str(kind)) if kind else None
            if victim is not None and victim.id != event.actor1:
                note = f"actor2: {victim.name} (the victims the report tells)"
                cand = _amended(cand, replace(event, actor2=victim.id), note)
        out.append(cand)
    return out


def _victims_kind(
    cand: Candidate, facts: DocFacts, heads: HeadNouns, kinds: list[str]
) -> str | None:
    """The kind of party (``HeadNouns``, one of ``kinds``) the first toll told in the incident's
    evidence, else in the tolls told right after it, names as its victims: "13 *people* killed"
    civilians, "23 *soldiers*" forces."""
    told = [h for h in facts.casualties if _in_evidence(cand, h.start_char)]
    for hit in (*told, *_tolls_after(cand, facts)):
        word = (hit.victims or "").lower()
        for kind in kinds:
            if word in getattr(heads, kind):
                return kind
    return None


def tolls_told_after(candidates: list[Candidate], facts: DocFacts) -> list[Candidate]:
    """Violent incidents with no toll of their own take the tolls of the sentences right after
    their first quote so followed that tell a toll and no act ("...attacked Camp Shorabak.
    They killed 23 Afghan soldiers. Twenty insurgents were killed."): ACLED sums the dead of
    every side. A later quote's run is not added: it re-tells the toll."""
    out = []
    for cand in candidates:
        event = cand.event
        if event.fatalities is None and event.event_type in _VIOLENT and event.status in _CURRENT:
            tolls = _tolls_after(cand, facts)
            if tolls:
                text = " + ".join(h.number_text for h in tolls)
                total = sum(h.number for h in tolls)
                note = f"fatalities: {text}, told after it"
                cand = _amended(cand, replace(event, fatalities=total, fatalities_text=text), note)
        out.append(cand)
    return out


def one_dead(candidates: list[Candidate], facts: DocFacts) -> list[Candidate]:
    """Violent incidents still without a toll whose quotes tell the death of one person named
    or definite ("the driver of the train has died", "al-Rufay'i was killed", "the attack
    killed his close aide") count one: ``fatalities`` leaves such a death uncounted lest it
    count someone a figure counts already, but an incident with no figure has no one else to
    count. A death told as hearsay ("rumours spread that he had been killed") counts nobody."""
    words = {
        key: loader.words("numbers.yaml", key, facts.overrides)
        for key in ("dying_words", "killing_words", "hearsay_words", "zero_words")
    }
    out = []
    for cand in candidates:
        event = cand.event
        if event.fatalities is None and event.event_type in _VIOLENT and event.status in _CURRENT:
            dead = [t for t in _evidence_tokens(cand, facts) if _one_dies(t, words)]
            if dead:
                note = f"fatalities: 1, '{dead[0].text}' of one person"
                told = replace(event, fatalities=1, fatalities_text=dead[0].text)
                cand = _amended(cand, told, note)
        out.append(cand)
    return out


def _one_dies(token: Token, words: dict[str, frozenset[str]]) -> bool:
    """Whether ``token`` is a verb of death, not negated nor told as hearsay, whose victim (what
    a killing verb acts on, the subject of a dying one) is one person named or definite: a
    singular noun or name with no figure, no conjunct and no word that counts nobody."""
    if token.pos_ not in _VERBAL or any(c.dep_ in _NEGATIONS for c in token.children):
        return False
    if token.lower_ in words["killing_words"]:
        victims = [c for c in token.children if c.dep_ in _PATIENTS]
    elif token.lower_ in words["dying_words"]:
        victims = [c for c in token.children if c.dep_ in _SUBJECTS]
    else:
        return False
    if len(victims) != 1:
        return False
    before = token.doc[token.sent.start : token.i]
    if any(t.lower_ in words["hearsay_words"] for t in before):
        return False
    [victim] = victims
    if victim.pos_ not in _NOMINAL or victim.tag_ in _PLURAL_TAGS:
        return False
    deps = {c.dep_ for c in victim.children}
    if deps & _COUNTING_DEPS or any(c.lower_ in words["zero_words"] for c in victim.children):
        return False
    return victim.tag_ in _PROPER_TAGS or bool(deps & _DEFINITE_DEPS)


def _evidence_tokens(cand: Candidate, facts: DocFacts) -> list[Token]:
    """The tokens of the incident's quotes, in reading order, once each."""
    seen: dict[int, Token] = {}
    for ev in cand.event.evidence:
        span = facts.doc.char_span(ev.start, ev.end, alignment_mode="expand")
        if span is not None:
            seen.update((t.i, t) for t in span)
    return [seen[i] for i in sorted(seen)]


def _tolls_after(cand: Candidate, facts: DocFacts) -> list[CasualtyHit]:
    """The killed tolls of the sentences right after the incident's first quote so followed,
    while each tells one and neither an act (a trigger cue) nor a quote of the incident."""
    sentences = list(facts.doc.sents)
    starts = [s.start_char for s in sentences]

    def sentence_of(char: int) -> int:
        return bisect_right(starts, char) - 1

    told = {sentence_of(ev.start) for ev in cand.event.evidence}
    taken = told | {sentence_of(facts.doc[c.start].idx) for c in facts.cues if c.role == "trigger"}
    for n in sorted(told):
        tolls: list[CasualtyHit] = []
        for after in range(n + 1, len(sentences)):
            sent = sentences[after]
            killed = [
                h
                for h in facts.casualties
                if sent.start <= h.start < sent.end
                and h.kind == "killed"
                and not fields.toll_denied(facts, h)
            ]
            if after in taken or not killed:
                break
            tolls += killed
        if tolls:
            return tolls
    return []


def placed_in_town(candidates: list[Candidate], facts: DocFacts) -> list[Candidate]:
    """Current incidents placed at a region or a country (their own or inferred) take the one
    town their quotes name inside it ("militants stormed a hotel in the central town of
    Beledweyne" told with "security forces in Somalia"): ACLED codes the most specific place the
    report ties to the incident."""
    out = []
    for cand in candidates:
        event = cand.event
        where = event.location
        if event.status in _CURRENT and where is not None and (where.geo_precision or 3) >= 3:
            towns = {
                h.mention.place
                for h in facts.places
                if h.mention.place is not None
                and h.mention.place.feature in SPOT_FEATURES
                and _in_evidence(cand, h.mention.start)
                and h.mention.place.country == where.country
                and (where.admin1 is None or h.mention.place.admin1 == where.admin1)
            }
            if len(towns) == 1:
                [town] = towns
                note = f"place: {town.name}, the one town its quotes name in {where.name}"
                located = location_of(town, precision=1)
                cand = _amended(cand, replace(event, location=located), note)
        out.append(cand)
    return out


def _in_evidence(cand: Candidate, char: int) -> bool:
    """Whether the text's char offset lies in a quote of the incident."""
    return any(ev.start <= char < ev.end for ev in cand.event.evidence)


def _amended(cand: Candidate, event: Event, note: str) -> Candidate:
    """The candidate with its event changed to ``event``, and a note saying why."""
    return replace(cand, event=replace(event, notes=f"{cand.event.notes}; {note}"))
