"""Fields the stored events take from the whole document, after any grouping into incidents
(which must not read what no mention of an incident tells): the day the report named before an
incident told without one, and ACLED's unnamed perpetrator where the report names no actor.
"""

from __future__ import annotations

from dataclasses import replace

from sitroom.extract import event_fields as fields
from sitroom.extract.events import Candidate
from sitroom.extract.facts import DocFacts
from sitroom.knowledge import loader
from sitroom.knowledge.actors import ActorKB
from sitroom.records import DATE_TOLD_BEFORE


def complete(candidates: list[Candidate], facts: DocFacts, *, kb: ActorKB) -> list[Candidate]:
    """The stored events with a day and an actor1 read from the document where their own
    mentions give none."""
    return unnamed_parties(dated_by_context(candidates, facts), facts, kb=kb)


def dated_by_context(candidates: list[Candidate], facts: DocFacts) -> list[Candidate]:
    """Incidents whose sentences name no date (dated to the publication's week, or undated in a
    report without a publication date) take the day the report named last before them
    (``event_fields.context_date``)."""
    sentences = list(facts.doc.sents)
    out = []
    for cand in candidates:
        event = cand.event
        sent = sentences[cand.sentence]
        undated = event.event_date is None and not any(
            sent.start <= d.start < sent.end for d in facts.dates
        )
        if (event.date_precision == "week" or undated) and event.event_type is not None:
            told = fields.context_date(facts, sent)
            if told is not None:
                note = f"date from '{told.text}', {DATE_TOLD_BEFORE}"
                event = replace(
                    event,
                    event_date=told.date,
                    date_precision=told.precision,
                    notes=f"{event.notes}; {note}",
                )
                cand = replace(cand, event=event)
        out.append(cand)
    return out


def unnamed_parties(
    candidates: list[Candidate], facts: DocFacts, *, kb: ActorKB
) -> list[Candidate]:
    """Current incidents with no actor1 take the party ACLED codes where a report names none,
    by event type (argument_cues.yaml ``unnamed_parties``): "Unidentified Armed Group (Nigeria)"
    for violence, in the incident's country."""
    parties = loader.load("argument_cues.yaml", facts.overrides)["unnamed_parties"]
    out = []
    for cand in candidates:
        event = cand.event
        term = parties.get(event.event_type or "")
        if event.actor1 is None and term and event.status in ("reported", "claimed"):
            country = event.location.country if event.location else facts.country
            party = kb.generic(str(term), country=country)
            if party is not None and party.id != event.actor2:
                note = f"actor1: {party.name} (the report names none)"
                event = replace(event, actor1=party.id, notes=f"{event.notes}; {note}")
                cand = replace(cand, event=event)
        out.append(cand)
    return out
