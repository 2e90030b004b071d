"""Tests for sitroom.extract.incident_fields: fields the stored events read from the document."""

from __future__ import annotations

import datetime as dt

import pytest

from factories import event, facts, place, tree
from sitroom.extract.events import Candidate
from sitroom.extract.facts import DateHit
from sitroom.extract.incident_fields import dated_by_context, unnamed_parties
from sitroom.extract.places import location_of
from sitroom.knowledge.actors import ActorKB
from sitroom.knowledge.cues import CueLexicon

PARSED = tree("""
    Rebels   NOUN:NNS  nsubj 1 rebel
    attacked VERB:VBD  ROOT  1 attack
    Tuesday  PROPN:NNP npadvmod 1
    .        PUNCT:.   punct 1
    Shells   NOUN:NNS  nsubj 5 shell
    fell     VERB:VBD  ROOT  5 fall
""")
LEXICON = CueLexicon.load()
TUESDAY = DateHit(2, 3, "Tuesday", dt.date(2024, 11, 26), "day", False)


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return ActorKB.load()


def candidate(sentence: int, **fields: object) -> Candidate:
    told = event("doc", **fields)
    return Candidate(told, 3.0, sentence, LEXICON.types["ARMED_CLASH"], 5)


def test_an_incident_told_without_a_day_takes_the_one_told_before() -> None:
    f = facts(PARSED, dates=[TUESDAY])
    week = candidate(
        1, event_type="Battles", event_date=dt.date(2024, 11, 25), date_precision="week"
    )
    [dated] = dated_by_context([week], f)
    assert (dated.event.event_date, dated.event.date_precision) == (TUESDAY.date, "day")
    assert "date from 'Tuesday', told before" in dated.event.notes
    # In a report with no publication date, an incident told with no date takes it too.
    [undated] = dated_by_context([candidate(1, event_type="Battles")], f)
    assert (undated.event.event_date, undated.event.date_precision) == (TUESDAY.date, "day")
    # A verbal act, an incident with a day of its own, or one whose own date expression does
    # not resolve ("on Sunday" with no publication date), keeps its date.
    for kept in (
        candidate(0, event_type="Battles"),
        candidate(1, event_date=dt.date(2024, 11, 25), date_precision="week"),
        candidate(1, event_type="Battles", event_date=dt.date(2024, 11, 20), date_precision="day"),
    ):
        assert dated_by_context([kept], f) == [kept]


def test_an_incident_with_no_actor_has_acled_s_unnamed_party(kb: ActorKB) -> None:
    f = facts(PARSED, country="SY")
    hama = location_of(place("Hama", 170017), precision=1)
    violent = candidate(1, event_type="Explosions/Remote violence", location=hama)
    protest = candidate(1, event_type="Protests", location=hama)
    verbal = candidate(1)
    planned = candidate(1, event_type="Battles", status="planned")
    out = unnamed_parties([violent, protest, verbal, planned], f, kb=kb)
    names = [kb.get(c.event.actor1).name if c.event.actor1 else None for c in out]  # type: ignore[union-attr]
    # A protest keeps none: a shared "Protesters (Syria)" would read as agreement in the merge.
    assert names == ["Unidentified Armed Group (Syria)", None, None, None]
