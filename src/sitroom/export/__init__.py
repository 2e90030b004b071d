"""Exports of a situation picture: sitroom JSON, ACLED CSV, PLOVER JSONL, GeoJSON and GraphML."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from sitroom.errors import ExportError
from sitroom.export.acled import ACLED_COLUMNS, write_acled_csv
from sitroom.export.geojson import picture_to_geojson, write_geojson
from sitroom.export.graphml import alliance_graph, write_graphml
from sitroom.export.json_export import SCHEMA_VERSION, event_to_dict, picture_to_dict, write_json
from sitroom.export.plover import write_plover_jsonl
from sitroom.export.source import PictureReader
from sitroom.records import Picture

__all__ = [
    "ACLED_COLUMNS",
    "EXPORT_FORMATS",
    "EXPORT_OPTIONS",
    "SCHEMA_VERSION",
    "alliance_graph",
    "event_to_dict",
    "export",
    "picture_to_dict",
    "picture_to_geojson",
    "write_acled_csv",
    "write_geojson",
    "write_graphml",
    "write_json",
    "write_plover_jsonl",
]

# A writer takes the picture, the stream, and its format's options as keywords.
Writer = Callable[..., None]

EXPORT_FORMATS: dict[str, Writer] = {
    "json": write_json,
    "acled-csv": write_acled_csv,
    "plover-jsonl": write_plover_jsonl,
    "geojson": write_geojson,
    "graphml": write_graphml,
}
# The options each format takes (keyword arguments of its writer).
EXPORT_OPTIONS: dict[str, frozenset[str]] = {
    "acled-csv": frozenset({"inter", "overrides"}),
    "plover-jsonl": frozenset({"names", "overrides"}),
    "graphml": frozenset({"isolated"}),
    "json": frozenset({"ledger"}),
}


def export(picture: Picture | PictureReader, fmt: str, out: TextIO, **options: object) -> None:
    """Write the picture (a Picture in memory, or a reader such as the stored picture's,
    ``sitroom.store.picture_read.stored_reader``) to ``out`` in format ``fmt`` (a key of
    ``EXPORT_FORMATS``), record by record, with the format's ``options`` (``EXPORT_OPTIONS``:
    ``inter="numeric"`` for ACLED's numeric codes, ``names="0.5"`` for PLOVER 0.5's field
    names, ``isolated=False`` to leave unlinked actors out of the graph;
    ``overrides=config.overrides()`` for the user's data files, which the ACLED and PLOVER
    exports read; ``ledger=`` a Picture's ledger already built, for the JSON export)."""
    writer = EXPORT_FORMATS.get(fmt)
    if writer is None:
        known = ", ".join(EXPORT_FORMATS)
        raise ExportError(f"unknown export format {fmt!r}; known formats: {known}")
    stray = sorted(set(options) - EXPORT_OPTIONS.get(fmt, frozenset()))
    if stray:
        raise ExportError(f"the {fmt} export takes no option {', '.join(stray)}")
    try:
        writer(picture, out, **options)
    except BrokenPipeError:
        raise  # the reader left (`| head`); the CLI ends quietly, it is no failed export
    except (OSError, ValueError) as e:
        # ValueError covers encoding failures and writes to a closed stream.
        raise ExportError(f"cannot write {fmt} export: {e}") from e
