"""Tests for sitroom.picture.reconcile: claim ledger, wire copies, control of places, alliances."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import factories
from factories import doc
from sitroom.picture.alliances import alliance_graph, extend_edge
from sitroom.picture.ledger import VERDICTS, MergedEvent, date_gap, place_match
from sitroom.picture.merge import merge_events
from sitroom.picture.reconcile import (
    control_timeline,
    fatality_range,
    field_claims,
    independent_sources,
)
from sitroom.records import (
    Actor,
    ControlClaim,
    Document,
    Event,
    Evidence,
    Location,
    Relation,
)

ALEPPO = Location("Aleppo", 170063, 36.2021, 37.1343, "SY", "Aleppo", 1)
HAMA = Location("Hama", 170017, 35.1318, 36.7578, "SY", "Hama", 1)
HAMA_UNRESOLVED = Location("Hama", None, None, None, None, None, None)
SYRIA = Location("Syria", 163843, 35.0, 38.0, "SY", None, 3)
IDLIB_REGION = Location("Idlib Governorate", 169388, 35.75, 36.6, "SY", "Idlib", 3)
DAMASCUS = Location("Damascus", 170654, 33.5102, 36.2913, "SY", "Damascus", 1)

DEC = {day: dt.date(2024, 12, day) for day in range(1, 32)}
CAPTURE = ("Battles", "Non-state actor overtakes territory", "FIGHT")
CLASH = ("Battles", "Armed clash", "FIGHT")
AIRSTRIKE = ("Explosions/Remote violence", "Air/drone strike", "AERIAL")

WIRE = (
    "BEIRUT (Reuters) - Syrian rebels captured the city of Aleppo on Friday after a lightning "
    "offensive that drove government forces out of the country's second city for the first time "
    "since the start of the war, residents and a war monitor said."
)


REUTERS = doc(WIRE, DEC[5], "Reuters")
# A newspaper running the wire story with its own headline line: one source, not two.
REUTERS_COPY = doc("Rebels take Aleppo\n\n" + WIRE + " Reporting by staff.", DEC[6], "Daily")
AFP = doc("Jihadist-led rebels have seized most of Aleppo, a monitor told AFP on Saturday.", DEC[6])
SANA = doc("The army says it repelled terrorist attacks and holds its positions in Hama.", DEC[5])
MONITOR = doc("Rebels are advancing towards Hama after taking Aleppo, the monitor said.", DEC[5])
HISTORY = doc("In 2015 the army retook parts of Aleppo province after heavy fighting.", DEC[5])
DOCS = {d.id: d for d in (REUTERS, REUTERS_COPY, AFP, SANA, MONITOR, HISTORY)}


def event(document: Document, **fields: Any) -> Event:
    """A capture of Aleppo as one report tells it; the id hashes every field."""
    capture = dict(kind=CAPTURE, event_date=DEC[5], date_precision="day", location=ALEPPO)
    sides = dict(actor1="HTS", actor2="SYR-MIL", quote=document.text[:60])
    return factories.event(document, **{**capture, **sides, **fields})


def only(merged: tuple[MergedEvent, ...]) -> MergedEvent:
    assert len(merged) == 1, merged
    return merged[0]


def verdicts(merged: MergedEvent) -> dict[str, str]:
    return {c.field: c.verdict for c in merged.claims}


# -- independent sources -------------------------------------------------------------------


def test_wire_copies_form_one_source_group_named_by_the_earliest() -> None:
    groups = independent_sources(DOCS)
    assert groups[REUTERS.id] == groups[REUTERS_COPY.id] == REUTERS.id
    assert len(set(groups.values())) == len(DOCS) - 1
    same_text = doc(WIRE.upper() + "!", DEC[1], "Shouty")
    assert independent_sources([REUTERS, same_text])[REUTERS.id] == same_text.id


def test_short_and_empty_texts_are_grouped_only_when_equal() -> None:
    a, b, c = doc("Clashes.", DEC[1]), doc("clashes", DEC[2]), doc("Airstrikes.", DEC[2])
    empty = doc("", DEC[3])
    groups = independent_sources([a, b, c, empty])
    assert groups == {a.id: a.id, b.id: a.id, c.id: c.id, empty.id: empty.id}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(sorted(DOCS)), unique=True), st.randoms(use_true_random=False))
def test_source_groups_do_not_depend_on_order(ids: list[str], rnd: Any) -> None:
    shuffled = list(ids)
    rnd.shuffle(shuffled)
    assert independent_sources([DOCS[i] for i in ids]) == independent_sources(
        [DOCS[i] for i in shuffled]
    )


# -- the claim ledger ----------------------------------------------------------------------


def test_two_independent_reports_corroborate_the_capture_of_aleppo() -> None:
    merged = only(merge_events([event(REUTERS), event(AFP, actor2=None)], documents=DOCS))
    assert verdicts(merged) == {
        "event_date": "corroborated",
        "location": "corroborated",
        "actor1": "corroborated",
        "actor2": "single-source",
        "status": "corroborated",
        "event_type": "corroborated",
    }
    location = merged.claim("location")
    assert location is not None
    assert [v.evidence.document_id for v in location.values] == [REUTERS.id, AFP.id]
    assert all(v.value == "Aleppo" and not v.by_party for v in location.values)
    assert merged.claim("fatalities") is None and merged.fatality_range is None


def test_a_wire_copy_is_not_corroboration() -> None:
    merged = only(merge_events([event(REUTERS), event(REUTERS_COPY)], documents=DOCS))
    assert set(verdicts(merged).values()) == {"single-source"}
    location = merged.claim("location")
    assert location is not None
    assert {v.source_group for v in location.values} == {REUTERS.id}


def test_one_partys_claim_repeated_by_two_outlets_is_one_voice() -> None:
    a = event(REUTERS, claimed_by="HTS", status="claimed")
    b = event(AFP, claimed_by="HTS", status="claimed")
    merged = only(merge_events([a, b], documents=DOCS))
    location = merged.claim("location")
    assert location is not None and location.verdict == "single-source"
    assert all(v.by_party and v.claimed_by == "HTS" for v in location.values)
    corroborating = event(MONITOR, location=ALEPPO)
    merged = only(merge_events([a, b, corroborating], documents=DOCS))
    assert verdicts(merged)["location"] == "corroborated"


def test_different_casualty_figures_from_independent_sources_are_contradicted() -> None:
    a = event(REUTERS, kind=CLASH, fatalities=25)
    b = event(AFP, kind=CLASH, fatalities=30)
    c = event(REUTERS_COPY, kind=CLASH, fatalities=25)
    merged = only(merge_events([a, b, c], documents=DOCS))
    assert verdicts(merged)["fatalities"] == "contradicted"
    assert merged.fatality_range is not None
    assert (merged.fatality_range.low, merged.fatality_range.high) == (25, 30)
    assert merged.fatality_range.low_docs == tuple(sorted((REUTERS.id, REUTERS_COPY.id)))
    assert merged.fatality_range.high_docs == (AFP.id,)
    # The wire copy repeats the original's figure: still one source, so no corroboration either.
    agreeing = only(merge_events([a, c], documents=DOCS))
    assert verdicts(agreeing)["fatalities"] == "single-source"


def test_best_figure_is_the_lowest_not_given_by_a_party() -> None:
    party = event(SANA, kind=CLASH, fatalities=5, claimed_by="SYR-GOV")
    reported = [event(AFP, kind=CLASH, fatalities=20), event(MONITOR, kind=CLASH, fatalities=40)]
    figures = fatality_range([party, *reported])
    assert figures is not None
    assert (figures.low, figures.best, figures.high) == (5, 20, 40)
    assert (figures.low_docs, figures.best_docs, figures.high_docs) == (
        (SANA.id,),
        (AFP.id,),
        (MONITOR.id,),
    )
    only_party = fatality_range([party])
    assert only_party is not None and only_party.best == 5


def test_denial_contradicts_a_report_of_the_same_event() -> None:
    merged = only(merge_events([event(REUTERS), event(SANA, status="denied")], documents=DOCS))
    assert verdicts(merged)["status"] == "contradicted"
    assert verdicts(merged)["location"] == "corroborated"


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("location", {"location": DAMASCUS}),
        ("event_date", {"event_date": DEC[12]}),
        ("actor1", {"actor1": "SDF"}),
    ],
)
def test_a_sure_pair_that_disagrees_on_one_field_is_contradicted(
    field: str, change: dict[str, Any]
) -> None:
    groups = independent_sources(DOCS)
    claims = {
        c.field: c for c in field_claims([event(REUTERS), event(AFP, **change)], groups=groups)
    }
    assert claims[field].verdict == "contradicted"
    assert all(c.verdict == "corroborated" for f, c in claims.items() if f != field)


def test_a_pair_linked_by_one_field_at_most_contradicts_nothing() -> None:
    """Values that clash on a doubtful merge are the merge's error, not the sources'."""
    groups = independent_sources(DOCS)
    a = event(REUTERS)
    far = event(AFP, location=DAMASCUS, event_date=DEC[12], actor1="SDF")
    claims = {c.field: c.verdict for c in field_claims([a, far], groups=groups)}
    assert "contradicted" not in claims.values()
    # A country-level report a day later, by another actor: only the day links the two.
    region = event(AFP, location=SYRIA, event_date=DEC[6], actor1="SYR-GOV")
    actors = {"HTS": Actor("HTS", "HTS"), "SYR-GOV": Actor("SYR-GOV", "Syrian government")}
    claims = {c.field: c.verdict for c in field_claims([a, region], groups=groups, actors=actors)}
    assert "contradicted" not in claims.values()
    assert set(claims.values()) <= set(VERDICTS)


def test_compatible_values_are_not_corroboration() -> None:
    """Aleppo and 'Syria', the 5th and the 6th can both be true; neither confirms the other."""
    groups = independent_sources(DOCS)
    claims = {
        c.field: c
        for c in field_claims(
            [event(REUTERS), event(AFP, location=SYRIA, event_date=DEC[6])], groups=groups
        )
    }
    assert claims["location"].verdict == claims["event_date"].verdict == "single-source"
    assert claims["location"].agreed == claims["event_date"].agreed == ()
    assert claims["actor1"].verdict == "corroborated"


def test_corroboration_holds_only_the_values_that_agree() -> None:
    groups = independent_sources(DOCS)
    members = [event(REUTERS), event(MONITOR), event(AFP, event_date=DEC[6])]
    date = next(c for c in field_claims(members, groups=groups) if c.field == "event_date")
    assert date.verdict == "corroborated"
    assert len(date.values) == 3
    assert {v.value for v in date.agreed} == {DEC[5].isoformat()}
    assert {v.source_group for v in date.agreed} == {REUTERS.id, MONITOR.id}


def test_values_not_read_from_the_text_contradict_nothing() -> None:
    groups = independent_sources(DOCS)
    # A week date is the report's own week standing in for a day the text did not give.
    undated = event(AFP, event_date=DEC[16], date_precision="week")
    claims = {c.field: c.verdict for c in field_claims([event(REUTERS), undated], groups=groups)}
    assert claims["event_date"] == "single-source"
    # "dozens" is ACLED's 12, a reading of no figure: it does not contradict a count of 30.
    counted = event(REUTERS, kind=CLASH, fatalities=30, fatalities_text="30")
    vague = event(AFP, kind=CLASH, fatalities=12, fatalities_text="dozens")
    claims = {c.field: c.verdict for c in field_claims([counted, vague], groups=groups)}
    assert claims["fatalities"] == "single-source"
    figure = event(AFP, kind=CLASH, fatalities=12, fatalities_text="12")
    claims = {c.field: c.verdict for c in field_claims([counted, figure], groups=groups)}
    assert claims["fatalities"] == "contradicted"


def test_a_clash_told_from_the_other_side_is_no_contradiction() -> None:
    groups = independent_sources(DOCS)
    rebels = event(REUTERS, kind=CLASH, actor1="HTS", actor2="SYR-MIL")
    army = event(AFP, kind=CLASH, actor1="SYR-MIL", actor2="HTS")
    claims = {c.field: c.verdict for c in field_claims([rebels, army], groups=groups)}
    assert claims["actor1"] != "contradicted" and claims["actor2"] != "contradicted"


def test_an_actor_among_the_other_source_s_associated_actors_is_no_contradiction() -> None:
    groups = independent_sources(DOCS)
    # "Syrian and Russian warplanes struck" vs "Russian warplanes struck"
    both = event(REUTERS, kind=AIRSTRIKE, actor1="SYR-MIL", assoc_actor_1=("RUS-MIL",))
    russian = event(AFP, kind=AIRSTRIKE, actor1="RUS-MIL")
    claims = {c.field: c.verdict for c in field_claims([both, russian], groups=groups)}
    assert claims["actor1"] == "corroborated"
    # the same on the target side: "struck HTS and its allies" vs "struck the allied factions"
    a = event(REUTERS, actor2="HTS", assoc_actor_2=("NLF",))
    b = event(AFP, actor2="NLF")
    claims = {c.field: c.verdict for c in field_claims([a, b], groups=groups)}
    assert claims["actor2"] == "corroborated"


def test_actors_with_no_overlap_still_contradict() -> None:
    groups = independent_sources(DOCS)
    syrian = event(REUTERS, kind=AIRSTRIKE, actor1="SYR-MIL", assoc_actor_1=("IRN-MIL",))
    russian = event(AFP, kind=AIRSTRIKE, actor1="RUS-MIL", assoc_actor_1=("RUS-GOV",))
    claims = {c.field: c.verdict for c in field_claims([syrian, russian], groups=groups)}
    assert claims["actor1"] == "contradicted"


def test_an_unidentified_party_or_another_sub_event_does_not_contradict_a_named_actor() -> None:
    groups = independent_sources(DOCS)
    actors = {
        "UAG-SY": Actor("UAG-SY", "Unidentified Armed Group (Syria)", kind="armed_group"),
        "SYR-MIL": Actor("SYR-MIL", "Military Forces of Syria", kind="state_forces"),
    }
    russian = event(AFP, kind=AIRSTRIKE, actor1="RUS-MIL", assoc_actor_1=("RUS-GOV",))
    # The pair of test_actors_with_no_overlap_still_contradict, the Syrian side unnamed.
    named = event(REUTERS, kind=AIRSTRIKE, actor1="SYR-MIL", assoc_actor_1=("IRN-MIL",))
    unnamed = replace(named, actor1="UAG-SY")
    for first, verdict in ((named, "contradicted"), (unnamed, "single-source")):
        claims = field_claims([first, russian], groups=groups, actors=actors)
        assert {c.field: c.verdict for c in claims}["actor1"] == verdict
    # A clash and the capture it ended in may name different sides.
    clash = event(REUTERS, kind=CLASH, actor1="SYR-MIL")
    capture = event(AFP, kind=CAPTURE, actor1="HTS")
    claims = field_claims([clash, capture], groups=groups)
    assert {c.field: c.verdict for c in claims}["actor1"] != "contradicted"


def test_a_background_event_does_not_contradict_a_current_one() -> None:
    old = event(HISTORY, status="background", event_date=dt.date(2015, 6, 1), actor1="SYR-MIL")
    merged = merge_events([event(REUTERS), old, event(AFP)], documents=DOCS)
    assert len(merged) == 2
    current = next(m for m in merged if m.status == "reported")
    assert len(current.members) == 2
    assert "contradicted" not in verdicts(current).values()


# -- comparisons ---------------------------------------------------------------------------


def test_date_gap_by_precision() -> None:
    assert date_gap(DEC[5], "day", DEC[7], "day") == 2
    assert date_gap(DEC[5], "day", None, "unknown") is None
    assert date_gap(DEC[2], "week", DEC[7], "day") == 0
    assert date_gap(DEC[1], "month", dt.date(2024, 11, 28), "day") == 3
    assert date_gap(dt.date(2024, 1, 1), "year", DEC[31], "day") == 0


def test_place_match_levels() -> None:
    assert place_match(ALEPPO, ALEPPO, max_km=25) == "same"
    assert place_match(ALEPPO, SYRIA, max_km=25) == "region"
    assert place_match(IDLIB_REGION, ALEPPO, max_km=25) is None
    assert place_match(ALEPPO, DAMASCUS, max_km=25) is None
    assert place_match(ALEPPO, None, max_km=25) == "unknown"
    assert place_match(HAMA_UNRESOLVED, HAMA, max_km=25) == "same"
    # The report's country, inferred for an event whose sentence names no place, only says
    # which war: never the same place, even as another inferred "Syria".
    inferred = replace(SYRIA, inferred=True)
    assert place_match(inferred, inferred, max_km=25) == "region"
    assert place_match(inferred, ALEPPO, max_km=25) == "region"
    assert place_match(inferred, replace(ALEPPO, country="IQ"), max_km=25) is None


def test_two_events_at_an_inferred_country_are_not_merged_for_it() -> None:
    syria = replace(SYRIA, inferred=True)
    # Same type and day, one side unnamed: only a shared named place could join them.
    a = event(REUTERS, location=syria, actor1="HTS", actor2=None)
    b = event(AFP, location=syria, actor1=None, actor2=None)
    assert len(merge_events([a, b], documents=DOCS)) == 2
    named = [event(REUTERS, location=SYRIA, actor1="HTS", actor2=None),
             event(AFP, location=SYRIA, actor1=None, actor2=None)]  # fmt: skip
    assert len(merge_events(named, documents=DOCS)) == 1


def test_an_inferred_place_is_no_source_s_claim() -> None:
    merged = only(
        merge_events(
            [event(REUTERS), event(AFP, location=replace(SYRIA, inferred=True))],
            documents=DOCS,
        )
    )
    location = merged.claim("location")
    assert location is not None
    assert [v.evidence.document_id for v in location.values] == [REUTERS.id]
    assert merged.location == ALEPPO


# -- control of places ---------------------------------------------------------------------


def claim(
    document: Document, place: Location, controller: str, status: str, **kw: Any
) -> ControlClaim:
    date = kw.pop("date", DEC[5])
    quote = f"{controller} {status} {place.name}"
    return ControlClaim(
        place=place,
        controller=controller,
        status=status,
        date=date,
        date_precision=kw.pop("date_precision", "day"),
        evidence=(Evidence(document.id, 0, len(quote), quote),),
    )


def timelines(claims: list[ControlClaim], **kw: Any) -> dict[str, Any]:
    return {
        t.place.name: t for t in control_timeline(claims, groups=independent_sources(DOCS), **kw)
    }


def test_two_reports_of_rebels_holding_aleppo_are_one_corroborated_entry() -> None:
    found = timelines(
        [
            claim(REUTERS, ALEPPO, "HTS", "captured"),
            claim(AFP, ALEPPO, "HTS", "captured", date=DEC[6]),
        ]
    )
    aleppo = found["Aleppo"]
    assert aleppo.key == "geonameid:170063" and aleppo.conflicts == ()
    [entry] = aleppo.entries
    assert (entry.controller, entry.status, entry.since, entry.until) == (
        "HTS",
        "captured",
        DEC[5],
        DEC[6],
    )
    assert entry.document_ids == tuple(sorted((REUTERS.id, AFP.id)))
    assert entry.verdict == "corroborated"


def test_captured_versus_held_at_the_same_date_is_contradicted() -> None:
    hama = timelines(
        [claim(MONITOR, HAMA, "HTS", "captured"), claim(SANA, HAMA, "SYR-MIL", "held")]
    )["Hama"]
    [conflict] = hama.conflicts
    assert conflict.reason == "HTS captured vs SYR-MIL held"
    assert [e.verdict for e in hama.entries] == ["contradicted", "contradicted"]


def test_an_advance_before_a_capture_by_one_side_is_a_progression_not_a_clash() -> None:
    # "advancing on Hama" on the 4th, "captured Hama" on the 5th
    hama = timelines(
        [
            claim(MONITOR, HAMA, "HTS", "advancing", date=DEC[4]),
            claim(AFP, HAMA, "HTS", "captured"),
        ]
    )["Hama"]
    assert hama.conflicts == ()
    assert {e.verdict for e in hama.entries} == {"single-source"}


@pytest.mark.parametrize("day", [DEC[5], None])
def test_one_side_advancing_on_a_town_it_is_said_to_hold_at_that_time_is_contradicted(
    day: dt.date | None,
) -> None:
    # The seed reports: "now advancing towards Hama" against "regained control over ... Hama",
    # told at one date, or both undated (each tells the present).
    precision = "day" if day else "unknown"
    hama = timelines(
        [
            claim(MONITOR, HAMA, "HTS", "advancing", date=day, date_precision=precision),
            claim(AFP, HAMA, "HTS", "captured", date=day, date_precision=precision),
        ]
    )["Hama"]
    [conflict] = hama.conflicts
    assert conflict.reason == "HTS advancing vs HTS captured"
    assert {e.verdict for e in hama.entries} == {"contradicted"}


def test_an_advance_on_a_town_another_side_holds_is_no_clash() -> None:
    hama = timelines(
        [claim(MONITOR, HAMA, "HTS", "advancing"), claim(SANA, HAMA, "SYR-MIL", "held")]
    )["Hama"]
    assert hama.conflicts == ()


def test_one_side_said_to_hold_and_to_have_lost_a_town_at_once_is_contradicted() -> None:
    hama = timelines(
        [claim(SANA, HAMA, "SYR-MIL", "held"), claim(MONITOR, HAMA, "SYR-MIL", "lost")]
    )["Hama"]
    [conflict] = hama.conflicts
    assert conflict.reason == "SYR-MIL held vs SYR-MIL lost"
    same_report = timelines(
        [claim(MONITOR, HAMA, "SYR-MIL", "held"), claim(MONITOR, HAMA, "SYR-MIL", "lost")]
    )["Hama"]
    assert same_report.conflicts == ()


def test_a_sequence_of_control_is_not_a_contradiction() -> None:
    hama = timelines(
        [
            claim(SANA, HAMA, "SYR-MIL", "held", date=DEC[1]),
            claim(MONITOR, HAMA, "HTS", "captured", date=DEC[5]),
            claim(AFP, HAMA, "SYR-MIL", "lost", date=DEC[5]),
            claim(REUTERS, HAMA, "HTS", "advancing", date=None, date_precision="unknown"),
        ]
    )["Hama"]
    assert hama.conflicts == ()
    assert [(e.controller, e.status) for e in hama.entries] == [
        ("SYR-MIL", "held"),
        ("HTS", "captured"),
        ("SYR-MIL", "lost"),
        ("HTS", "advancing"),
    ]


def test_forces_and_their_state_are_one_side_of_a_control_claim() -> None:
    claims = [claim(MONITOR, HAMA, "SYR-MIL", "lost"), claim(SANA, HAMA, "SYR-GOV", "held")]
    assert timelines(claims)["Hama"].conflicts == ()
    actors = {"SYR-MIL": Actor("SYR-MIL", "Syrian army", parent="SYR-GOV")}
    assert len(timelines(claims, actors=actors)["Hama"].conflicts) == 1


def test_an_unresolved_name_joins_the_resolved_place_of_that_name() -> None:
    [hama] = control_timeline(
        [claim(MONITOR, HAMA_UNRESOLVED, "HTS", "advancing"), claim(SANA, HAMA, "SYR-MIL", "held")]
    )
    assert hama.key == "geonameid:170017" and hama.place == HAMA
    assert hama.conflicts == ()


def test_wire_copies_do_not_corroborate_control() -> None:
    claims = [
        claim(REUTERS, ALEPPO, "HTS", "captured"),
        claim(REUTERS_COPY, ALEPPO, "HTS", "captured"),
    ]
    [entry] = timelines(claims)["Aleppo"].entries
    assert entry.verdict == "single-source"


CLAIM_POOL = [
    claim(MONITOR, HAMA, "HTS", "captured"),
    claim(SANA, HAMA, "SYR-MIL", "held"),
    claim(AFP, HAMA, "HTS", "advancing", date=DEC[4]),
    claim(REUTERS, HAMA_UNRESOLVED, "SYR-MIL", "lost", date=DEC[6]),
    claim(REUTERS, ALEPPO, "HTS", "captured", date=DEC[2], date_precision="week"),
    claim(REUTERS_COPY, ALEPPO, "HTS", "captured"),
    claim(AFP, ALEPPO, "SYR-MIL", "held", date=None, date_precision="unknown"),
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(CLAIM_POOL)), st.randoms(use_true_random=False))
def test_control_timeline_does_not_depend_on_order(claims: list[ControlClaim], rnd: Any) -> None:
    shuffled = list(claims)
    rnd.shuffle(shuffled)
    assert control_timeline(shuffled) == control_timeline(claims)


# -- alliances -----------------------------------------------------------------------------


def test_alliance_graph_has_one_edge_per_triple_with_its_dates() -> None:
    def rel(s: str, p: str, o: str, d: dt.date | None, document: Document) -> Relation:
        return Relation(s, p, o, d, (Evidence(document.id, 0, 10, f"{s} {p} {o}"),))

    edges = alliance_graph(
        [
            rel("TUR-GOV", "supports", "SNA", DEC[6], AFP),
            rel("TUR-GOV", "supports", "SNA", DEC[2], REUTERS),
            rel("TUR-GOV", "supports", "SNA", None, MONITOR),
            rel("SYR-GOV", "allied_with", "RUS-GOV", DEC[3], SANA),
            rel("RUS-GOV", "allied_with", "SYR-GOV", DEC[4], AFP),
            rel("SNA", "opposes", "SDF", DEC[5], AFP),
        ]
    )
    assert [(e.subject, e.predicate, e.object) for e in edges] == [
        ("RUS-GOV", "allied_with", "SYR-GOV"),
        ("SNA", "opposes", "SDF"),
        ("TUR-GOV", "supports", "SNA"),
    ]
    supports = edges[2]
    assert (supports.first_seen, supports.last_seen) == (DEC[2], DEC[6])
    assert supports.document_ids == tuple(sorted((AFP.id, REUTERS.id, MONITOR.id)))
    assert len(supports.evidence) == 3
    assert edges[0].document_ids == tuple(sorted((SANA.id, AFP.id)))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["allied_with", "supports"]),
            st.booleans(),  # subject and object swapped
            st.sampled_from([None, DEC[2], DEC[5], DEC[9]]),
            st.sampled_from([AFP, REUTERS, MONITOR]),
            st.integers(0, 2),  # quotes (none, the same, another)
        ),
        min_size=1,
        max_size=8,
    ),
    st.integers(1, 8),
)
def test_an_edge_extended_by_more_relations_is_the_edge_of_all_of_them(
    drawn: list[tuple[str, bool, dt.date | None, Document, int]], cut: int
) -> None:
    """What the stored picture does with a new report's relations (stored_picture's
    report_alliances): the stored edge extended by them, without its relations read again."""
    relations = [
        Relation(
            *(("SNA", p, "TUR-GOV") if swap else ("TUR-GOV", p, "SNA")),
            day,
            tuple(Evidence(document.id, 0, 10, f"quote {i % 2}") for i in range(quotes)),
        )
        for p, swap, day, document, quotes in drawn
    ]
    for key in {(r.predicate, r.subject, r.object) for r in relations}:
        mine = [r for r in relations if (r.predicate, r.subject, r.object) == key]
        first, rest = mine[: min(cut, len(mine) - 1) or 1], mine[min(cut, len(mine) - 1) or 1 :]
        (whole,) = alliance_graph(mine)
        (start,) = alliance_graph(first)
        assert extend_edge(start, rest) == whole
    with pytest.raises(ValueError):
        extend_edge(alliance_graph(relations[:1])[0], [replace(relations[0], predicate="opposes")])
