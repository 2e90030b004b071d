"""Tests for sitroom.extract.control: who took, holds, lost or is advancing on which place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from sitroom.records import CONTROL_STATUSES, Analysis, ControlClaim

Analyse = Callable[..., Analysis]  # the conftest fixture: text -> Analysis

pytestmark = pytest.mark.slow

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


def test_a_government_retaking_a_town(analyse: Analyse) -> None:
    claim = only_claim(analyse("Government forces recaptured Palmyra from the Islamic State."))
    assert (claim.controller, claim.status) == ("MIL-SY", "captured")
    assert claim.place.country == "SY"
    assert (claim.date, claim.date_precision) == (PUBLISHED, "week")


def test_a_withdrawal_is_a_loss(analyse: Analyse) -> None:
    analysis = analyse("The Wagner Group withdrew from Bakhmut.")
    assert claims(analysis) == {("Bakhmut", "WAGNER", "lost")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Civilians fled rebel-held Idlib.", ("Idlib", "SYR-REBELS", "held")),
        ("Idlib is held by Hayat Tahrir al-Sham.", ("Idlib", "HTS", "held")),
    ],
)
def test_held_by(analyse: Analyse, text: str, expected: tuple[str, str, str]) -> None:
    assert claims(analyse(text)) == {expected}


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


def test_an_advance_keeps_its_own_date(analyse: Analyse) -> None:
    claim = only_claim(analyse("Rebels advanced towards Hama on Sunday."))
    assert (claim.date, claim.date_precision) == (dt.date(2024, 12, 1), "day")


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


def test_a_planned_advance_claims_no_control(analyse: Analyse) -> None:
    assert analyse("Rebel commanders vowed to march on Homs and then on Damascus.").control == ()


def test_an_advance_in_a_past_year_claims_no_control(analyse: Analyse) -> None:
    assert analyse("Rebels advanced towards Hama in 2012.").control == ()


def test_the_held_status_of_control_that_goes_on(analyse: Analyse) -> None:
    claim = only_claim(analyse("The Syrian army remains in full control of Hama."))
    assert (claim.place.geonameid, claim.controller, claim.status) == (HAMA, "MIL-SY", "held")
    claim = only_claim(analyse("The army lost control of Hama on Sunday."))
    assert (claim.controller, claim.status, claim.date) == ("MIL-SY", "lost", dt.date(2024, 12, 1))


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


def test_each_town_taken_is_a_claim(analyse: Analyse) -> None:
    analysis = analyse("Rebels captured Hama and Idlib on Tuesday.")
    assert {(c.controller, c.status, c.date) for c in analysis.control} == {
        ("SYR-REBELS", "captured", dt.date(2024, 11, 26))
    }
    assert len(analysis.control) == 2
    assert "Idlib" in {c.place.name for c in analysis.control}


def test_a_multi_word_town_is_geocoded_in_the_report_s_country(analyse: Analyse) -> None:
    analysis = analyse("Rebels captured Saraqib and Maarat al-Numan on Tuesday.")
    assert len(analysis.control) == 2
    assert {c.place.country for c in analysis.control} == {"SY"}


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


def test_the_town_of_a_name_is_that_town_not_the_one_named_before(analyse: Analyse) -> None:
    analysis = analyse(
        "Rebels completed their capture of Aleppo and took the SDF-held town of Tal Rifaat."
    )
    claims = {(c.place.name, c.controller, c.status) for c in analysis.control}
    assert ("Aleppo", "SYR-REBELS", "captured") in claims
    assert not any(c.controller == "SDF" and c.place.name == "Aleppo" for c in analysis.control)


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
