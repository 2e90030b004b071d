"""The watch file: the sources followed, how politely to fetch them, and the alert rules.

A TOML file; every key is checked and an unknown one is an error naming the key and the file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitroom import __version__
from sitroom.errors import ConfigError

SOURCE_KINDS = ("feed", "page", "folder")
RULE_KINDS = ("control-change", "fatalities", "contradiction")
USER_AGENT = f"sitroom-watch/{__version__} (+https://github.com/sitroom/sitroom; news monitor)"


@dataclass(frozen=True, slots=True)
class Source:
    """One outlet's feed (RSS, Atom, JSON Feed), article URL or drop folder; polled every
    ``interval_s`` seconds."""

    name: str
    kind: str  # one of SOURCE_KINDS
    location: str  # a URL, or a folder's path
    language: str | None = None
    country: str | None = None
    interval_s: int = 900


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How URLs are fetched. Times in seconds, sizes in bytes."""

    user_agent: str = USER_AGENT
    timeout_s: float = 15.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    retries: int = 2
    backoff_s: float = 2.0
    host_interval_s: float = 2.0  # least time between two requests to one host
    allow_hosts: frozenset[str] = frozenset()  # may resolve to private addresses (tests, LAN)
    robots: bool = True  # obey robots.txt for article pages


@dataclass(frozen=True, slots=True)
class AlertRule:
    """A change worth an alert: control of a listed region changing, a toll above ``above`` in
    one incident, a contradiction about a listed actor."""

    kind: str  # one of RULE_KINDS
    regions: tuple[str, ...] = ()
    above: int = 0
    actors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Alerts:
    """Where alerts go: a webhook (JSON POST) and/or a JSONL file."""

    rules: tuple[AlertRule, ...] = ()
    webhook: str | None = None
    jsonl: Path | None = None


@dataclass(frozen=True, slots=True)
class WatchConfig:
    """A whole watch file."""

    sources: tuple[Source, ...] = ()
    fetch: FetchPolicy = field(default_factory=FetchPolicy)
    alerts: Alerts = field(default_factory=Alerts)


_TOP = {"source", "fetch", "alerts"}
_SOURCE = {"name", "feed", "page", "folder", "language", "country", "interval_s"}
_FETCH = {
    "user_agent", "timeout_s", "max_bytes", "max_redirects", "retries", "backoff_s",
    "host_interval_s", "allow_hosts", "robots",
}  # fmt: skip
_ALERTS = {"rule", "webhook", "jsonl"}
_RULE = {"kind", "regions", "above", "actors"}


def load_watch_config(path: Path) -> WatchConfig:
    """Read and check a watch file; relative folder and JSONL paths are taken from its folder."""
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"{path}: cannot read the watch file: {e}") from e
    return parse_watch_config(values, path=path)


def parse_watch_config(values: dict[str, Any], *, path: Path) -> WatchConfig:
    """A WatchConfig from a parsed watch file; errors name ``path`` and the key."""
    _known(values, _TOP, path, "")
    sources = [_source(s, path, i) for i, s in enumerate(_tables(values, "source", path))]
    names = [s.name for s in sources]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ConfigError(f"{path}: source names must be unique: {', '.join(twice)}")
    alerts_table = _table(values, "alerts", path)
    _known(alerts_table, _ALERTS, path, "alerts.")
    rules = tuple(
        _rule(r, path, i) for i, r in enumerate(_tables(alerts_table, "rule", path, "alerts."))
    )
    jsonl = alerts_table.get("jsonl")
    return WatchConfig(
        sources=tuple(sources),
        fetch=_fetch(_table(values, "fetch", path), path),
        alerts=Alerts(
            rules=rules,
            webhook=_str(alerts_table, "webhook", path, "alerts."),
            jsonl=None if jsonl is None else path.parent / _need_str(jsonl, path, "alerts.jsonl"),
        ),
    )


def new_source(
    name: str,
    location: str,
    *,
    kind: str,
    language: str | None = None,
    country: str | None = None,
    interval_s: int = 900,
) -> Source:
    """A checked Source (``sitroom sources add``)."""
    table: dict[str, Any] = {"name": name, kind: location, "interval_s": interval_s}
    if kind not in SOURCE_KINDS:
        raise ConfigError(f"source kind must be one of {', '.join(SOURCE_KINDS)}, got {kind!r}")
    if language is not None:
        table["language"] = language
    if country is not None:
        table["country"] = country
    return _source(table, None, 0)


def _where(path: Path | None) -> str:
    return f"{path}: " if path is not None else ""


def _known(table: dict[str, Any], known: set[str], path: Path | None, prefix: str) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(
            f"{_where(path)}unknown key {prefix}{unknown[0]} "
            f"(valid keys here: {', '.join(sorted(known))})"
        )


def _table(values: dict[str, Any], key: str, path: Path) -> dict[str, Any]:
    table = values.get(key, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {key} must be a table ([{key}])")
    return table


def _tables(values: dict[str, Any], key: str, path: Path, prefix: str = "") -> list[Any]:
    items = values.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ConfigError(f"{path}: {prefix}{key} must be an array of tables ([[{prefix}{key}]])")
    return items


def _need_str(value: Any, path: Path | None, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{_where(path)}{key} must be a non-empty string, got {value!r}")
    return value.strip()


def _str(table: dict[str, Any], key: str, path: Path | None, prefix: str = "") -> str | None:
    value = table.get(key)
    return None if value is None else _need_str(value, path, prefix + key)


def _number(value: Any, path: Path | None, key: str, *, integer: bool, least: float) -> Any:
    ok = isinstance(value, int) or (not integer and isinstance(value, float))
    if isinstance(value, bool) or not ok or value < least:
        what = "an integer" if integer else "a number"
        raise ConfigError(f"{_where(path)}{key} must be {what} ≥ {least}, got {value!r}")
    return value


def _source(table: dict[str, Any], path: Path | None, index: int) -> Source:
    label = f"source[{index}]"
    name = _need_str(table.get("name"), path, f"{label}.name")
    label = f"source {name!r}"
    _known(table, _SOURCE, path, f"{label}: ")
    given = [k for k in SOURCE_KINDS if k in table]
    if len(given) != 1:
        raise ConfigError(
            f"{_where(path)}{label} needs exactly one of feed, page or folder "
            f"(got {', '.join(given) or 'none'})"
        )
    kind = given[0]
    location = _need_str(table[kind], path, f"{label}.{kind}")
    if kind != "folder":
        from sitroom.watch.urls import check_scheme

        check_scheme(location, where=f"{_where(path)}{label}.{kind}")
    elif path is not None:
        location = str(path.parent / location)
    return Source(
        name=name,
        kind=kind,
        location=location,
        language=_str(table, "language", path, f"{label}."),
        country=_str(table, "country", path, f"{label}."),
        interval_s=_number(
            table.get("interval_s", 900), path, f"{label}.interval_s", integer=True, least=1
        ),
    )


def _fetch(table: dict[str, Any], path: Path) -> FetchPolicy:
    _known(table, _FETCH, path, "fetch.")
    default = FetchPolicy()
    hosts = table.get("allow_hosts", [])
    if not isinstance(hosts, list) or not all(isinstance(h, str) and h for h in hosts):
        raise ConfigError(f"{path}: fetch.allow_hosts must be a list of host names")
    robots = table.get("robots", True)
    if not isinstance(robots, bool):
        raise ConfigError(f"{path}: fetch.robots must be true or false")

    def num(key: str, *, integer: bool, least: float) -> Any:
        value = table.get(key, getattr(default, key))
        return _number(value, path, f"fetch.{key}", integer=integer, least=least)

    return FetchPolicy(
        user_agent=_str(table, "user_agent", path, "fetch.") or default.user_agent,
        timeout_s=float(num("timeout_s", integer=False, least=0.01)),
        max_bytes=num("max_bytes", integer=True, least=1),
        max_redirects=num("max_redirects", integer=True, least=0),
        retries=num("retries", integer=True, least=0),
        backoff_s=float(num("backoff_s", integer=False, least=0)),
        host_interval_s=float(num("host_interval_s", integer=False, least=0)),
        allow_hosts=frozenset(h.lower() for h in hosts),
        robots=robots,
    )


def _strings(table: dict[str, Any], key: str, path: Path, label: str) -> tuple[str, ...]:
    items = table.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
        raise ConfigError(f"{path}: {label}.{key} must be a list of names")
    return tuple(items)


def _rule(table: dict[str, Any], path: Path, index: int) -> AlertRule:
    label = f"alerts.rule[{index}]"
    _known(table, _RULE, path, f"{label}.")
    kind = table.get("kind")
    if kind not in RULE_KINDS:
        raise ConfigError(f"{path}: {label}.kind must be one of {', '.join(RULE_KINDS)}")
    rule = AlertRule(
        kind=kind,
        regions=_strings(table, "regions", path, label),
        above=_number(table.get("above", 0), path, f"{label}.above", integer=True, least=0),
        actors=_strings(table, "actors", path, label),
    )
    needs = {"control-change": rule.regions, "contradiction": rule.actors}
    if kind in needs and not needs[kind]:
        key = "regions" if kind == "control-change" else "actors"
        raise ConfigError(f"{path}: {label} ({kind}) needs a list of {key}")
    if kind == "fatalities" and "above" not in table:
        raise ConfigError(f"{path}: {label} (fatalities) needs above = N")
    return rule
