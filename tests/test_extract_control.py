"""Tests for sitroom.extract.control: who took, holds, lost or is advancing on which place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from factories import actor, event, facts, place, tree
from sitroom.extract.control import (
    _capture_status,
    advance_subjects,
    advances,
    captures,
    extract_control,
    holder,
    holdings,
)
from sitroom.extract.events import Candidate
from sitroom.knowledge.cues import CueLexicon, CueMatch
from sitroom.records import CONTROL_STATUSES, Analysis, ControlClaim

Analyse = Callable[..., Analysis]  # the conftest fixture: text -> Analysis


PUBLISHED = dt.date(2024, 12, 2)
HAMA, HOMS, SARAQIB = 170017, 169577, 164816  # GeoNames ids


def claims(analysis: Analysis) -> set[tuple[str, str, str]]:
    """(place name, controller, status) for each claim."""
    return {(c.place.name, c.controller, c.status) for c in analysis.control}


def claims_by_id(analysis: Analysis) -> set[tuple[int | None, str, str]]:
    """(geonameid, controller, status) for each claim."""
    return {(c.place.geonameid, c.controller, c.status) for c in analysis.control}


def only_claim(analysis: Analysis) -> ControlClaim:
    assert len(analysis.control) == 1, analysis.control
    return analysis.control[0]


@pytest.mark.slow
def test_a_capture_is_a_captured_claim_dated_like_its_event(analyse: Analyse) -> None:
    text = "Rebels captured the town of Saraqib on Tuesday."
    claim = only_claim(analyse(text))
    assert (claim.place.name, claim.controller, claim.status) == (
        "Saraqib",
        "SYR-REBELS",
        "captured",
    )
    assert claim.place.country == "SY"
    assert (claim.date, claim.date_precision) == (dt.date(2024, 11, 26), "day")
    [evidence] = claim.evidence
    assert text[evidence.start : evidence.end] == evidence.quote == text


@pytest.mark.slow
def test_a_government_retaking_a_town(analyse: Analyse) -> None:
    claim = only_claim(analyse("Government forces recaptured Palmyra from the Islamic State."))
    assert (claim.controller, claim.status) == ("MIL-SY", "captured")
    assert claim.place.country == "SY"
    assert (claim.date, claim.date_precision) == (PUBLISHED, "week")


@pytest.mark.slow
def test_a_withdrawal_is_a_loss(analyse: Analyse) -> None:
    analysis = analyse("The Wagner Group withdrew from Bakhmut.")
    assert claims(analysis) == {("Bakhmut", "WAGNER", "lost")}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Civilians fled rebel-held Idlib.", ("Idlib", "SYR-REBELS", "held")),
        ("Idlib is held by Hayat Tahrir al-Sham.", ("Idlib", "HTS", "held")),
    ],
)
def test_held_by(analyse: Analyse, text: str, expected: tuple[str, str, str]) -> None:
    assert claims(analyse(text)) == {expected}


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "Rebels advanced towards Hama.",
        "Rebels are advancing on Hama.",
        "The rebels' advance towards Hama has escalated fears in the capital.",
        "Rebel groups are pushing closer to Hama.",
    ],
)
def test_an_advance(analyse: Analyse, text: str) -> None:
    claim = only_claim(analyse(text))
    assert (claim.controller, claim.status) == ("SYR-REBELS", "advancing")
    assert claim.place.country == "SY"


@pytest.mark.slow
def test_an_advance_keeps_its_own_date(analyse: Analyse) -> None:
    claim = only_claim(analyse("Rebels advanced towards Hama on Sunday."))
    assert (claim.date, claim.date_precision) == (dt.date(2024, 12, 1), "day")


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "The army denied that it had withdrawn from Hama.",
        "The army denied that rebels had captured Hama.",
        "The Syrian army will capture Idlib next week.",
    ],
)
def test_denied_and_planned_acts_claim_no_control(analyse: Analyse, text: str) -> None:
    analysis = analyse(text)
    assert analysis.events  # the act is an event, with its status ...
    assert analysis.control == ()  # ... but says nothing about who holds the town


@pytest.mark.slow
def test_a_planned_advance_claims_no_control(analyse: Analyse) -> None:
    assert analyse("Rebel commanders vowed to march on Homs and then on Damascus.").control == ()


@pytest.mark.slow
def test_an_advance_in_a_past_year_claims_no_control(analyse: Analyse) -> None:
    assert analyse("Rebels advanced towards Hama in 2012.").control == ()


@pytest.mark.slow
def test_the_held_status_of_control_that_goes_on(analyse: Analyse) -> None:
    claim = only_claim(analyse("The Syrian army remains in full control of Hama."))
    assert (claim.place.geonameid, claim.controller, claim.status) == (HAMA, "MIL-SY", "held")
    claim = only_claim(analyse("The army lost control of Hama on Sunday."))
    assert (claim.controller, claim.status, claim.date) == ("MIL-SY", "lost", dt.date(2024, 12, 1))


@pytest.mark.slow
def test_the_city_stands_for_the_town_named_before_it(analyse: Analyse) -> None:
    # example report 08: the claim is about Hama, named earlier in the sentence
    text = (
        "The Syrian army pushed back a rebel assault on the city of Hama on Wednesday and "
        "remains in full control of the city, the Syrian defence ministry said."
    )
    claim = only_claim(analyse(text))
    assert (claim.place.geonameid, claim.controller, claim.status) == (HAMA, "MIL-SY", "held")
    assert (claim.date, claim.date_precision) == (dt.date(2024, 11, 27), "day")
    two_sentences = "Rebels reached Hama on Tuesday. On Wednesday the rebels took the city."
    claim = only_claim(analyse(two_sentences))
    assert (claim.place.geonameid, claim.status) == (HAMA, "captured")
    two_paragraphs = "Rebels reached Hama on Tuesday.\n\nOn Wednesday the rebels took the city."
    assert analyse(two_paragraphs).control == ()


@pytest.mark.slow
def test_its_neighbourhoods_are_the_town_s_and_a_nested_clause_keeps_its_place(
    analyse: Analyse,
) -> None:
    # example report 07: Hama, not Aleppo (the place of the nested "they seized Aleppo")
    text = (
        "Opposition fighters entered the city of Hama on Wednesday and took control of several "
        "of its northern and eastern neighbourhoods, according to rebel commanders and "
        "residents, less than a week after they seized Aleppo."
    )
    claim = only_claim(analyse(text))
    assert (claim.place.geonameid, claim.controller, claim.status) == (
        HAMA,
        "SYR-REBELS",
        "captured",
    )


@pytest.mark.slow
def test_a_withdrawal_from_the_city_and_a_road_toward_another(analyse: Analyse) -> None:
    # example report 09: Homs is where the road leads, not a town taken or lost
    text = (
        "Opposition fighters took full control of Hama on Thursday after the Syrian army "
        "withdrew from the city, handing President Bashar al-Assad his second major defeat in "
        "a week and opening the road south toward Homs."
    )
    assert claims_by_id(analyse(text)) == {
        (HAMA, "SYR-REBELS", "captured"),
        (HAMA, "MIL-SY", "lost"),
    }


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        # a place that only locates the one named: report 10
        "Further west, rebel fighters pushed toward Rastan, a town on the motorway north of Homs.",
        # the villages were taken, not the town whose countryside they lie in: report 01
        "The fighters overran a dozen villages in the western countryside of Homs.",
        # a past act named as a time reference; its actor is the sentence's: report 08
        "Government forces have been trying to halt the rebels' advance since the fall of Homs.",
        # a facility of a town is not the town
        "Rebels captured Homs's military airport on Tuesday.",
    ],
)
def test_no_claim_on_a_town_that_is_not_the_act_s_place(analyse: Analyse, text: str) -> None:
    assert HOMS not in {c.place.geonameid for c in analyse(text).control}


@pytest.mark.slow
def test_each_town_taken_is_a_claim(analyse: Analyse) -> None:
    analysis = analyse("Rebels captured Hama and Idlib on Tuesday.")
    assert {(c.controller, c.status, c.date) for c in analysis.control} == {
        ("SYR-REBELS", "captured", dt.date(2024, 11, 26))
    }
    assert len(analysis.control) == 2
    assert "Idlib" in {c.place.name for c in analysis.control}


@pytest.mark.slow
def test_a_multi_word_town_is_geocoded_in_the_report_s_country(analyse: Analyse) -> None:
    analysis = analyse("Rebels captured Saraqib and Maarat al-Numan on Tuesday.")
    assert len(analysis.control) == 2
    assert {c.place.country for c in analysis.control} == {"SY"}


@pytest.mark.slow
def test_claims_are_well_formed(analyse: Analyse) -> None:
    text = (
        "Rebels captured the town of Saraqib on Tuesday.\n"
        "Civilians fled rebel-held Idlib. The Wagner Group withdrew from Bakhmut.\n"
        "Rebels advanced towards Hama."
    )
    analysis = analyse(text)
    assert len(analysis.control) == 4
    actor_ids = {a.id for a in analysis.actors}
    for claim in analysis.control:
        assert claim.status in CONTROL_STATUSES
        assert claim.controller in actor_ids
        assert claim.place.latitude is not None and claim.place.longitude is not None
        for evidence in claim.evidence:
            assert evidence.document_id == analysis.document.id
            assert text[evidence.start : evidence.end] == evidence.quote


@pytest.mark.slow
def test_the_town_of_a_name_is_that_town_not_the_one_named_before(analyse: Analyse) -> None:
    analysis = analyse(
        "Rebels completed their capture of Aleppo and took the SDF-held town of Tal Rifaat."
    )
    claims = {(c.place.name, c.controller, c.status) for c in analysis.control}
    assert ("Aleppo", "SYR-REBELS", "captured") in claims
    assert not any(c.controller == "SDF" and c.place.name == "Aleppo" for c in analysis.control)


@pytest.mark.slow
def test_two_captures_in_one_sentence_are_two_claims_each_at_its_own_place(
    analyse: Analyse,
) -> None:
    # Control finds each capture by its trigger's token, not by the word "captured": found by
    # its text, the army's capture was the first "captured", and took Saraqib instead of Hama.
    text = "HTS fighters captured Saraqib on Monday, and the Syrian army captured Hama on Tuesday."
    analysis = analyse(text)
    places = {(e.actor1, e.location.geonameid if e.location else None) for e in analysis.events}
    assert places == {("HTS", SARAQIB), ("MIL-SY", HAMA)}
    assert {(c.place.geonameid, c.controller, c.status, c.date) for c in analysis.control} == {
        (SARAQIB, "HTS", "captured", PUBLISHED),  # "on Monday", published on a Monday
        (HAMA, "MIL-SY", "captured", dt.date(2024, 11, 26)),
    }


# -- each rule on a hand-built parse (no model) ----------------------------------------------

REBELS, ARMY, HTS_ACTOR = actor("SYR-REBELS"), actor("MIL-SY", "state_forces"), actor("HTS")
HAMA_PLACE = place("Hama", HAMA)


@pytest.fixture(scope="module")
def lexicon() -> CueLexicon:
    return CueLexicon.load()


def capture(lexicon: CueLexicon, trigger: int, **fields: object) -> Candidate:
    """A capture event at token ``trigger`` by the rebels, reported on the publication day."""
    kind = lexicon.types["NON_STATE_ACTOR_OVERTAKES_TER"]
    told = {"actor1": "SYR-REBELS", "event_date": PUBLISHED, "date_precision": "day", **fields}
    return Candidate(event("d", **told), 3.0, 0, kind, trigger)


def told(claims: list[Any]) -> set[tuple[int | None, str | None, str]]:
    return {(c.hit.mention.place.geonameid, c.controller, c.status) for c in claims}


CAPTURED_HAMA = """
    Rebels    NOUN:NNS   nsubj 1 rebel
    {verb}    VERB:VBD   ROOT  1 {lemma}
    {prep}    ADP:IN     prep  1
    Hama      PROPN:NNP  pobj  2
"""


def test_captures_claims_the_trigger_phrase_s_place_for_the_event_s_actor(
    lexicon: CueLexicon,
) -> None:
    parsed = tree("""
        Rebels    NOUN:NNS   nsubj 1 rebel
        captured  VERB:VBD   ROOT  1 capture
        Hama      PROPN:NNP  dobj  1
    """)
    f = facts(parsed, actors={(0, 1): REBELS}, places={(2, 3): HAMA_PLACE})
    assert told(captures(f, [capture(lexicon, 1)])) == {(HAMA, "SYR-REBELS", "captured")}
    # A planned, denied or background act says nothing of who holds the town now.
    assert captures(f, [capture(lexicon, 1, status="planned")]) == []


def test_capture_status_of_a_withdrawal_and_of_control_kept() -> None:
    withdrew = tree(CAPTURED_HAMA.format(verb="withdrew", lemma="withdraw", prep="from"))
    assert _capture_status(withdrew[1]) == "lost"
    remains = tree("""
        army      NOUN:NN    nsubj 1
        remains   VERB:VBZ   ROOT  1 remain
        in        ADP:IN     prep  1
        control   NOUN:NN    pobj  2
    """)
    assert _capture_status(remains[3]) == "held"
    entered = tree(CAPTURED_HAMA.format(verb="entered", lemma="enter", prep="into"))
    assert _capture_status(entered[1]) == "captured"


def test_advance_subjects_from_verb_possessor_or_governing_clause() -> None:
    verb = tree(CAPTURED_HAMA.format(verb="advanced", lemma="advance", prep="towards"))
    assert [t.text for t in advance_subjects(verb[1])] == ["Rebels"]
    noun = tree("""
        rebels    NOUN:NNS   poss  2 rebel
        '         PART:POS   case  0
        advance   NOUN:NN    ROOT  2
    """)
    assert [t.text for t in advance_subjects(noun[2])] == ["rebels"]
    participle = tree("""
        fighters  NOUN:NNS   ROOT  0 fighter
        advancing VERB:VBG   acl   0 advance
        on        ADP:IN     prep  1
        Hama      PROPN:NNP  pobj  2
    """)
    assert [t.text for t in advance_subjects(participle[1])] == ["fighters"]


def test_advances_claim_advancing_dated_by_the_publication(lexicon: CueLexicon) -> None:
    parsed = tree(CAPTURED_HAMA.format(verb="advanced", lemma="advance", prep="towards"))
    f = facts(
        parsed,
        actors={(0, 1): REBELS},
        places={(3, 4): HAMA_PLACE},
        cues=[CueMatch(1, 2, "advance", "trigger", "advanced")],
        published=PUBLISHED,
    )
    [claim] = advances(f, {}, lexicon)
    assert (claim.controller, claim.status, claim.when) == ("SYR-REBELS", "advancing",
                                                           (PUBLISHED, "week"))  # fmt: skip


def test_holder_of_a_prefix_or_a_passive_agent() -> None:
    prefix = tree("""
        fled      VERB:VBD   ROOT  0 flee
        rebel     NOUN:NN    npadvmod 3
        -         PUNCT:HYPH punct 3
        held      VERB:VBN   amod  4 hold
        Idlib     PROPN:NNP  dobj  0
    """)
    assert holder(prefix[3], facts(prefix, actors={(1, 2): REBELS})) == "SYR-REBELS"
    passive = tree("""
        Idlib     PROPN:NNP  nsubjpass 2
        is        AUX:VBZ    auxpass   2 be
        held      VERB:VBN   ROOT      2 hold
        by        ADP:IN     agent     2
        HTS       PROPN:NNP  pobj      3
    """)
    assert holder(passive[2], facts(passive, actors={(4, 5): HTS_ACTOR})) == "HTS"
    assert holder(passive[2], facts(passive)) is None


def test_holdings_claim_the_place_the_holding_word_modifies(lexicon: CueLexicon) -> None:
    parsed = tree("""
        Civilians NOUN:NNS   nsubj 1 civilian
        fled      VERB:VBD   ROOT  1 flee
        rebel     NOUN:NN    npadvmod 4
        -         PUNCT:HYPH punct 4
        held      VERB:VBN   amod  5 hold
        Idlib     PROPN:NNP  dobj  1
    """)
    idlib = place("Idlib", 169389)
    f = facts(parsed, actors={(2, 3): REBELS}, places={(5, 6): idlib}, published=PUBLISHED)
    assert told(holdings(f, {}, lexicon)) == {(169389, "SYR-REBELS", "held")}
    [claim] = extract_control(f, events=[], lexicon=lexicon)
    assert (claim.place.geonameid, claim.controller, claim.status) == (169389, "SYR-REBELS", "held")
