"""Blocking for the merge: the groups an event could join, found through an index of keys.

``match_events`` says no unless the two events share their status class, agree on type, lie
within the date window and are not places apart; and at least two of place (same or near),
date (known) and actors (overlapping) agree. Each of those is a necessary condition that a key
can express, so a group is registered under its first member's keys and an event looks up only
the keys it could match under:

- type: the ACLED event type, else the PLOVER type (an event typed in ACLED's terms matches one
  that is not on the PLOVER type);
- place: the geonameid, the country (inferred and country- or region-level places match by
  country), and a grid of cells a little larger than ``MergeRules.max_km`` for coordinates;
- date: the buckets of ``_BUCKET_DAYS`` days the date's span covers, widened by the window.

An event without a date or without a usable place looks in an index without that dimension (the
bounded second pass); one with neither can match nothing. Groups without a date or place are
registered under a wildcard that every dated or placed event looks up. A candidate is then tried
in full, so the merge is the exhaustive one (``merge_events_exhaustive``), only faster.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable

from sitroom.geometry import EARTH_RADIUS_KM
from sitroom.picture.ledger import MergeRules, date_span
from sitroom.records import Event, Location

_BUCKET_DAYS = 8
_ANY = "*"
# Float slack on the geometric bounds: a cell or a longitude span this much wider is harmless.
_SLACK = 1.01
# Places nearer a pole than this look in every cell (the longitude span blows up there).
_POLAR_DEG = 89.0

Key = tuple[Hashable, ...]


class BlockIndex:
    """Groups by the keys of their first member; ``candidates`` lists those an event may join."""

    def __init__(self, rules: MergeRules) -> None:
        self._rules = rules
        self._cell = max(math.degrees(rules.max_km / EARTH_RADIUS_KM) * _SLACK, 1e-3)
        self._columns = max(1, int(360 / self._cell))
        self._by_key: defaultdict[Key, list[int]] = defaultdict(list)

    def add(self, group: int, first: Event) -> None:
        """Register group number ``group``, whose first member is ``first``."""
        for key in self.group_keys(first):
            self._by_key[key].append(group)

    def candidates(self, event: Event) -> list[int]:
        """Numbers of the groups ``event`` could join, in ascending order."""
        found: set[int] = set()
        for key in self.probe_keys(event):
            found.update(self._by_key.get(key, ()))
        return sorted(found)

    def group_keys(self, first: Event) -> list[Key]:
        """The keys a group whose first member is ``first`` is registered under."""
        types = _type_keys(first, probe=False)
        places = self._place_keys(first.location) or {(_ANY,)}
        dates = self._date_keys(first, widen=0) or {_ANY}
        keys: list[Key] = []
        for t in types:
            keys.append(("type", t))
            keys += [("type-date", t, d) for d in dates]
            for p in places:
                keys.append(("type-place", t, p))
                keys += [("all", t, p, d) for d in dates]
        return keys

    def probe_keys(self, event: Event) -> list[Key]:
        """The keys under which the groups ``event`` could join are registered."""
        types = _type_keys(event, probe=True)
        dates = self._date_keys(event, widen=max(self._rules.day_window, 0))
        places = self._place_probes(event.location, dated=bool(dates))
        if dates and places is not None:
            return [("all", t, p, d) for t in types for p in places for d in (*dates, _ANY)]
        if dates:
            return [("type-date", t, d) for t in types for d in (*dates, _ANY)]
        if places is not None:
            return [("type-place", t, p) for t in types for p in places]
        if event.location is None:
            return []  # neither date nor place can agree: nothing to match
        return [("type", t) for t in types]

    # -- keys ------------------------------------------------------------------------------

    def _date_keys(self, event: Event, *, widen: int) -> set[Hashable]:
        """Buckets the date's span covers, ``widen`` days either side; empty when undated."""
        if event.event_date is None:
            return set()
        try:
            first, last = date_span(event.event_date, event.date_precision)
        except (OverflowError, ValueError):
            return set()  # a span off the calendar: treated as undated, which finds more
        low = (first.toordinal() - widen) // _BUCKET_DAYS
        high = (last.toordinal() + widen) // _BUCKET_DAYS
        return set(range(low, high + 1))

    def _place_keys(self, location: Location | None) -> set[Key]:
        """The keys a group is found by; empty for no location (the wildcard)."""
        if location is None:
            return set()
        keys: set[Key] = set()
        if location.country is not None:
            keys.add(("country-any", location.country))
            if location.inferred or location.geo_precision == 3:
                keys.add(("country", location.country))
        if location.inferred or location.geo_precision == 3:
            if location.geonameid is not None and not location.inferred:
                keys.add(("gid", location.geonameid))
            return keys
        if location.geonameid is not None:
            keys.add(("gid", location.geonameid))
        cell = self._cell_of(location)
        keys.add(("cell", *cell) if cell is not None else ("no-coordinates",))
        return keys

    def _place_probes(self, location: Location | None, *, dated: bool) -> set[Key] | None:
        """The keys an event looks up; None where it must look everywhere (no usable place).

        An undated event needs its place same or near (two strong features), so it does not look
        up country-level keys or groups without a place."""
        if location is None:
            return None
        country = location.country
        if location.inferred:
            if not dated:
                return set()
            return {(_ANY,), ("country-any", country)} if country is not None else {(_ANY,)}
        if location.geo_precision == 3:
            probes: set[Key] = set()
            if location.geonameid is not None:
                probes.add(("gid", location.geonameid))
            if dated:
                probes.add((_ANY,))
                if country is not None:
                    probes.add(("country-any", country))
            return probes
        cells = self._cells_near(location)
        if cells is None:
            return None  # no coordinates: "same" by name or "unknown" against any town
        probes = {("no-coordinates",), *cells}
        if location.geonameid is not None:
            probes.add(("gid", location.geonameid))
        if dated:
            probes.add((_ANY,))
            if country is not None:
                probes.add(("country", country))
        return probes

    def _cell_of(self, location: Location) -> tuple[int, int] | None:
        lat, lon = location.latitude, location.longitude
        if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
            return None
        if abs(lat) > 90:
            return None
        return math.floor(lat / self._cell), math.floor((lon % 360) / self._width) % self._columns

    @property
    def _width(self) -> float:
        return 360 / self._columns

    def _cells_near(self, location: Location) -> set[Key] | None:
        """Every cell a place within ``max_km`` may lie in; None where that is not bounded.

        Latitudes differ by at most max_km / R (rad), so rows by at most one. By the haversine
        formula, sin(dlon / 2) <= sin(max_km / 2R) / cos(the larger |latitude|)."""
        cell = self._cell_of(location)
        if cell is None or location.latitude is None or location.longitude is None:
            return None
        top = abs(location.latitude) + self._cell
        if top >= _POLAR_DEG:
            return None
        ratio = math.sin(self._rules.max_km / (2 * EARTH_RADIUS_KM)) / math.cos(math.radians(top))
        if ratio >= 1:
            return None
        span = math.degrees(2 * math.asin(ratio)) * _SLACK + 1e-9
        lon = location.longitude % 360
        low, high = math.floor((lon - span) / self._width), math.floor((lon + span) / self._width)
        if high - low + 1 >= self._columns:
            return None
        row = cell[0]
        return {
            ("cell", r, c % self._columns)
            for r in (row - 1, row, row + 1)
            for c in range(low, high + 1)
        }


def _type_keys(event: Event, *, probe: bool) -> list[Hashable]:
    """Type keys (status class included): both ACLED-typed, the ACLED type must agree; else
    the PLOVER type."""
    status = (event.status == "background", event.status == "planned")
    if probe:
        if event.event_type is not None:
            return [(status, "acled", event.event_type), (status, "untyped", event.plover_type)]
        return [(status, "plover", event.plover_type)]
    keys: list[Hashable] = [(status, "plover", event.plover_type)]
    if event.event_type is not None:
        keys.append((status, "acled", event.event_type))
    else:
        keys.append((status, "untyped", event.plover_type))
    return keys
