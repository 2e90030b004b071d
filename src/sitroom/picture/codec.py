"""The ledger's records as compact JSON and back, for the stored picture (``sitroom.store``).

Generic over the frozen dataclasses of ``sitroom.records`` and ``sitroom.picture.ledger``: a
record is the list of its field values in declaration order, a date its ISO text, a tuple a
list. Decoding is led by the field types, so ``decode(MergedEvent, encode(x)) == x``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import types
import typing
from typing import Any, TypeVar

R = TypeVar("R")


def encode(record: object) -> str:
    """A record as JSON text (no spaces)."""
    return json.dumps(_plain(record), separators=(",", ":"), ensure_ascii=False)


def decode(kind: type[R], text: str) -> R:
    """The record of type ``kind`` that ``encode`` wrote as ``text``."""
    value: R = _build(kind, json.loads(text))
    return value


def _plain(value: object) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [_plain(getattr(value, f.name)) for f in dataclasses.fields(value)]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


@functools.cache
def _hints(kind: Any) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(kind)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(kind))


def _build(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        real = [k for k in typing.get_args(kind) if k is not type(None)]
        return _build(real[0], value)
    if origin is tuple:
        item = typing.get_args(kind)[0]
        return tuple(_build(item, v) for v in value)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        fields = _hints(kind)
        return kind(
            **{name: _build(hint, v) for (name, hint), v in zip(fields, value, strict=True)}
        )
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    if kind is float and isinstance(value, int):
        return float(value)
    return value
