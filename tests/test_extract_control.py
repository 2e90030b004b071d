"""Tests for sitroom.extract.control: who took, holds, lost or is advancing on which place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from sitroom.records import CONTROL_STATUSES, Analysis, ControlClaim

Analyse = Callable[..., Analysis]  # the conftest fixture: text -> Analysis

pytestmark = pytest.mark.slow

PUBLISHED = dt.date(2024, 12, 2)


def claims(analysis: Analysis) -> set[tuple[str, str, str]]:
    """(place name, controller, status) for each claim."""
    return {(c.place.name, c.controller, c.status) for c in analysis.control}


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


@pytest.mark.parametrize("text", ["Rebels advanced towards Hama.", "Rebels are advancing on Hama."])
def test_an_advance(analyse: Analyse, text: str) -> None:
    claim = only_claim(analyse(text))
    assert (claim.controller, claim.status) == ("SYR-REBELS", "advancing")
    assert claim.place.country == "SY"


@pytest.mark.xfail(
    reason="an advance or 'held' claim always takes the publication date, ignoring the "
    "sentence's own date ('on Sunday')",
    strict=True,
)
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


def test_each_town_taken_is_a_claim(analyse: Analyse) -> None:
    analysis = analyse("Rebels captured Hama and Idlib on Tuesday.")
    assert {(c.controller, c.status, c.date) for c in analysis.control} == {
        ("SYR-REBELS", "captured", dt.date(2024, 11, 26))
    }
    assert len(analysis.control) == 2
    assert "Idlib" in {c.place.name for c in analysis.control}


@pytest.mark.xfail(
    reason="'Maarat al-Numan' is geocoded as Numan, Nigeria, even next to Saraqib in Syria",
    strict=True,
)
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
