"""The acled-csv export against ACLED's public codebook, written down here as data: its columns
in order and the values each may take. Rows come from a hand-built picture with the cases the
codebook has rules for (an unnamed perpetrator, a foreign force, a transliterated place)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
from pathlib import Path

import pytest

from sitroom.export.acled import english_name
from sitroom.records import Location, Picture
from test_export import make_picture, render_with

# ACLED's codebook (2023 onwards, and its API since 2024): the columns, in order.
CODEBOOK_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)  # fmt: skip
SUB_EVENT_TYPES = {
    "Battles": {
        "Armed clash", "Government regains territory", "Non-state actor overtakes territory",
    },
    "Explosions/Remote violence": {
        "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED", "Grenade",
    },
    "Violence against civilians": {
        "Sexual violence", "Attack", "Abduction/forced disappearance",
    },
    "Protests": {
        "Peaceful protest", "Protest with intervention", "Excessive force against protesters",
    },
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {
        "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
        "Headquarters or base established", "Looting/property destruction",
        "Non-violent transfer of territory", "Other",
    },
}  # fmt: skip
DISORDER_TYPES = {
    "Political violence",
    "Demonstrations",
    "Strategic developments",
    "Political violence; Demonstrations",
}
# inter1/inter2 as the API writes them; the numeric codes 1-8 are the older form.
INTER_LABELS = (
    "State forces", "Rebel group", "Political militia", "Identity militia", "Rioters",
    "Protesters", "Civilians", "External/Other forces",
)  # fmt: skip
SOURCE_SCALES = {
    "Local", "Subnational", "National", "Regional", "International", "New media", "Other",
    "Local partner",
}  # fmt: skip
REGIONS = {
    "Western Africa", "Middle Africa", "Eastern Africa", "Southern Africa", "Northern Africa",
    "South Asia", "Southeast Asia", "East Asia", "Middle East", "Europe",
    "Caucasus and Central Asia", "Central America", "South America", "Caribbean",
    "North America", "Oceania", "Antarctica",
}  # fmt: skip

HAMA = Location("Ḩamāh", 170017, 35.13179, 36.75783, "SY", "Hama", 1)


def _picture() -> Picture:
    picture = make_picture()
    battle = next(e for e in picture.events if e.event_type == "Battles")
    nameless = dataclasses.replace(
        battle, id="ev-nameless", actor1=None, actor2=None, assoc_actor_1=(), assoc_actor_2=(),
        event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack",
        location=HAMA, event_date=dt.date(2024, 12, 4), date_precision="week",
    )  # fmt: skip
    target_only = dataclasses.replace(
        battle, id="ev-target", actor1=None, event_type="Strategic developments",
        sub_event_type="Arrests", event_date=dt.date(2024, 12, 5),
    )  # fmt: skip
    return dataclasses.replace(picture, events=(*picture.events, nameless, target_only))


def _rows(**options: object) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(render_with(_picture(), "acled-csv", **options)))
    return list(reader.fieldnames or []), list(reader)


def test_columns_are_the_codebook_s_in_order_then_sitroom_s() -> None:
    header, _ = _rows()
    assert header[: len(CODEBOOK_COLUMNS)] == list(CODEBOOK_COLUMNS)
    assert all(c.startswith("sitroom_") for c in header[len(CODEBOOK_COLUMNS) :])


def _check_row(row: dict[str, str]) -> None:
    assert re.fullmatch(r"[A-Z]{3}\d+", row["event_id_cnty"])
    date = dt.date.fromisoformat(row["event_date"])
    assert row["year"] == str(date.year)
    assert row["time_precision"] in {"1", "2", "3"}
    assert row["disorder_type"] in DISORDER_TYPES
    assert row["sub_event_type"] in SUB_EVENT_TYPES[row["event_type"]]
    assert row["actor1"], "every ACLED event has an actor1"
    for inter in (row["inter1"], row["inter2"]):
        assert inter == "" or inter in INTER_LABELS
    assert row["inter1"], "actor1 has a type"
    assert (row["inter2"] == "") == (row["actor2"] == "")
    pair = sorted((row["inter1"], row["inter2"]) if row["inter2"] else (row["inter1"],),
                  key=INTER_LABELS.index)  # fmt: skip
    expected = f"{pair[0]} only" if len(pair) == 1 else "-".join(pair)
    assert row["interaction"] == expected
    assert row["civilian_targeting"] in {"", "Civilian targeting"}
    assert row["iso"].isdigit()
    assert row["region"] in REGIONS
    assert row["location"].isascii() and row["admin1"].isascii()
    assert re.fullmatch(r"-?\d+\.\d{4}", row["latitude"])
    assert re.fullmatch(r"-?\d+\.\d{4}", row["longitude"])
    assert row["geo_precision"] in {"1", "2", "3"}
    assert row["source_scale"] == "" or set(row["source_scale"].split("-")) <= SOURCE_SCALES
    assert row["fatalities"].isdigit()
    assert row["timestamp"].isdigit()
    notes = row["notes"]
    assert row["location"] in notes and len(notes) < 400


def test_every_row_keeps_the_codebook_s_value_rules() -> None:
    _, rows = _rows()
    assert len(rows) >= 3
    for row in rows:
        _check_row(row)


def test_no_named_perpetrator_is_acled_s_unidentified_armed_group() -> None:
    _, rows = _rows()
    row = next(r for r in rows if r["sitroom_event_id"] == "ev-nameless")
    assert row["actor1"] == "Unidentified Armed Group (Syria)"
    assert (row["inter1"], row["interaction"]) == ("Political militia", "Political militia only")
    # A target with no actor: the target moves up; no interaction without actor1.
    moved = next(r for r in rows if r["sitroom_event_id"] == "ev-target")
    assert moved["actor1"] and moved["actor2"] == ""


def test_places_carry_their_english_name_and_geonames_id() -> None:
    _, rows = _rows()
    row = next(r for r in rows if r["sitroom_event_id"] == "ev-nameless")
    assert (row["location"], row["admin1"], row["sitroom_geonameid"]) == ("Hamah", "Hama", "170017")
    assert row["notes"].startswith("In the week of 4 December 2024, Unidentified Armed Group")
    assert english_name("Tall Rif‘at") == "Tall Rifat"
    assert english_name("Idlib") == "Idlib"


def test_ids_are_country_prefixed_and_numbered() -> None:
    _, rows = _rows()
    assert [r["event_id_cnty"] for r in rows] == [f"SYR{n}" for n in range(1, len(rows) + 1)]
    assert len({r["sitroom_event_id"] for r in rows}) == len(rows)


def test_source_scale_is_looked_up_by_outlet() -> None:
    from sitroom.export.acled import source_scale

    assert source_scale(["Reuters"]) == "International"
    assert source_scale(["SANA", "reuters "]) == "National-International"
    assert source_scale(["Levant Monitor"]) == ""


@pytest.mark.parametrize("inter", ["numeric"])
def test_numeric_inter_codes_as_an_option(inter: str) -> None:
    _, rows = _rows(inter=inter)
    for row in rows:
        assert row["inter1"] in {str(n) for n in range(1, 9)}
        assert re.fullmatch(r"[1-8][0-8]", row["interaction"])


def test_a_users_outlets_extend_the_source_scales(tmp_path: Path) -> None:
    """An outlet the shipped list lacks gets its scale from the user's data file (sitroom.toml's
    [data] table), and the export reads it through the same loader."""
    from sitroom.config import DataOverride
    from sitroom.export.acled import source_scale

    mine = tmp_path / "scales.yaml"
    mine.write_text("version: 1\nscales:\n  Subnational:\n    - Levant Monitor\n", "utf-8")
    overrides = (DataOverride("source_scales.yaml", mine),)
    assert source_scale(["Levant Monitor"], overrides) == "Subnational"
    assert source_scale(["Levant Monitor", "Reuters"], overrides) == "Subnational-International"
    assert source_scale(["Levant Monitor"]) == ""
