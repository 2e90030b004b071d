"""The pipeline's choice of the event that types a short text (``main_mention``)."""

from __future__ import annotations

import dataclasses

from factories import doc, event
from sitroom.pipeline import main_mention
from sitroom.records import Analysis

REPORT = doc("Police said attacks on convoys have risen. Rebels attacked Hama.")
ATTACK = ("Violence against civilians", "Attack", "ASSAULT")
CLASH = ("Battles", "Armed clash", "FIGHT")


def test_the_main_incident_types_a_text_that_tells_one() -> None:
    clash = event(REPORT, kind=CLASH, id="e1")
    generic = event(REPORT, kind=ATTACK, id="e2")
    analysis = Analysis(
        REPORT,
        events=(clash,),
        main_event="e1",
        event_mentions=(generic, clash),
        strongest_mention="e2",
    )
    assert main_mention(analysis) == clash


def test_a_text_that_tells_no_incident_is_typed_by_its_strongest_mention() -> None:
    said = event(REPORT, plover_type="DISAPPROVE", id="e1")
    generic = event(REPORT, kind=ATTACK, id="e2")
    analysis = Analysis(
        REPORT,
        events=(said,),
        main_event="e1",
        event_mentions=(said, generic),
        strongest_mention="e2",
    )
    assert main_mention(analysis) == generic
    # A verbal act that is the strongest mention stays the text's event.
    assert main_mention(Analysis(REPORT, events=(said,), main_event="e1")) == said


def test_the_main_incident_s_own_strongest_telling_types_the_text() -> None:
    # Grouping types an incident by ACLED's precedence over its tellings; a snippet is typed by
    # what it tells most strongly, when that is a telling of the incident.
    attack = event(REPORT, kind=ATTACK, id="e2", quote="Rebels attacked Hama.", start=43)
    incident = dataclasses.replace(event(REPORT, kind=CLASH, id="e1"), evidence=attack.evidence)
    analysis = Analysis(
        REPORT,
        events=(incident,),
        main_event="e1",
        event_mentions=(attack,),
        strongest_mention="e2",
    )
    assert main_mention(analysis) == attack
    # A strongest mention that is no telling of the main incident does not type it.
    other = dataclasses.replace(analysis, events=(dataclasses.replace(incident, evidence=()),))
    assert main_mention(other) == other.events[0]


def test_no_mention_no_event() -> None:
    assert main_mention(Analysis(REPORT)) is None
