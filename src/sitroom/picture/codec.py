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
from collections.abc import Callable
from typing import Any, TypeVar, cast

R = TypeVar("R")


def encode(record: object) -> str:
    """A record as JSON text (no spaces)."""
    return json.dumps(_plain(record), separators=(",", ":"), ensure_ascii=False)


def decode(kind: type[R], text: str) -> R:
    """The record of type ``kind`` that ``encode`` wrote as ``text``."""
    value: R = decoder(kind)(json.loads(text))
    return value


def decoder(kind: type[R]) -> Callable[[Any], R]:
    """A function from ``json.loads`` of what ``encode`` wrote of a ``kind`` to the record."""
    found: Callable[[Any], R] = _decoder(cast(Any, kind))
    return found


def _plain(value: object) -> Any:
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    kind: Any = type(value)
    return [_plain(getattr(value, name)) for name in _field_names(kind)]


@functools.cache
def _field_names(kind: Any) -> tuple[str, ...]:
    if not dataclasses.is_dataclass(kind):
        raise TypeError(f"cannot encode a {kind.__name__}")
    return tuple(f.name for f in dataclasses.fields(kind))


@functools.cache
def _decoder(kind: Any) -> Callable[[Any], Any]:
    """A decoder for one type, built once from the field types (decoding is hot: the stored
    merge reads records back on every save)."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        real = [k for k in typing.get_args(kind) if k is not type(None)]
        inner = _decoder(real[0])
        return lambda v: None if v is None else inner(v)
    if origin is tuple:
        item = _decoder(typing.get_args(kind)[0])
        return lambda v: tuple(item(x) for x in v)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        parts = tuple(_decoder(hints[f.name]) for f in dataclasses.fields(kind))

        def build(v: Any) -> Any:
            return kind(*(part(x) for part, x in zip(parts, v, strict=True)))

        return build
    if kind is dt.date:
        return lambda v: None if v is None else dt.date.fromisoformat(v)
    if kind is float:
        return lambda v: None if v is None else float(v)
    return lambda v: v
