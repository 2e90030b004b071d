"""JSONL archives: one report a line, each line's errors named by file and line; a large file is
cut into parts (runs of whole lines) that readers on several machines share."""

from __future__ import annotations

import json
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sitroom.errors import InputError
from sitroom.ids import document_id
from sitroom.ingest.fields import SNIFF_BYTES, clean_field, clean_url, normalise_text, not_a_date
from sitroom.ingest.published import parse_published
from sitroom.records import Document

# JSON may escape every character as \uXXXX (6 bytes, 12 for a surrogate pair) and a line carries
# other fields besides the text, so a JSONL line gets a wider allowance before it is read.
_JSON_BYTES_PER_CHAR = 12
_JSON_LINE_OVERHEAD = 1 << 16


def read_jsonl(path: Path, source: str, max_chars: int) -> Iterator[Document | InputError]:
    with path.open("rb") as stream:
        yield from jsonl_stream(stream, source, max_chars)


def jsonl_stream(stream: BinaryIO, source: str, max_chars: int) -> Iterator[Document | InputError]:
    head = stream.read(SNIFF_BYTES)
    nul = head.find(b"\x00")
    if nul >= 0:
        yield InputError(f"binary file (NUL byte at offset {nul})", source=source)
        return
    stream.seek(0)
    seen = yield from _jsonl_records(_lines(stream, _jsonl_limit(max_chars)), source, max_chars)
    if not seen:
        yield InputError("empty file (no reports)", source=source)


@dataclass(frozen=True, slots=True)
class JsonlPart:
    """A run of whole lines of a JSONL file: bytes [start, end), the first line ``first_line``."""

    path: Path
    start: int
    end: int
    first_line: int


def jsonl_parts(path: Path, *, lines: int, max_chars: int = 1_000_000) -> list[JsonlPart] | None:
    """A large JSONL file cut into runs of ``lines`` lines, so that readers on several machines
    share it; None where it is read whole (one run; binary, empty or unreadable, which
    ``read_input`` then names). Reading every part gives what ``read_input`` gives."""
    parts: list[JsonlPart] = []
    seen = False
    try:
        with path.open("rb") as stream:
            if b"\x00" in stream.read(SNIFF_BYTES):
                return None
            stream.seek(0)
            start, first = 0, 1
            for number, line, overlong in _lines(stream, _jsonl_limit(max_chars)):
                seen = seen or overlong or bool(_without_bom(number, line).strip())
                if number - first + 1 == lines:
                    parts.append(JsonlPart(path, start, stream.tell(), first))
                    start, first = stream.tell(), number + 1
            if stream.tell() > start:
                parts.append(JsonlPart(path, start, stream.tell(), first))
    except OSError:
        return None
    return parts if seen and len(parts) > 1 else None


def read_jsonl_part(
    part: JsonlPart, *, max_chars: int = 1_000_000
) -> Iterator[Document | InputError]:
    """The reports of one part of a JSONL file (``jsonl_parts``), errors named by file and line."""
    source = str(part.path)
    try:
        with part.path.open("rb") as stream:
            stream.seek(part.start)
            numbered = _lines(stream, _jsonl_limit(max_chars), first=part.first_line)
            yield from _jsonl_records(_within(stream, part.end, numbered), source, max_chars)
    except OSError as e:
        yield InputError(f"cannot read: {e.strerror or e}", source=source)


def _within(
    stream: BinaryIO, end: int, numbered: Iterator[tuple[int, bytes, bool]]
) -> Iterator[tuple[int, bytes, bool]]:
    """The lines read from ``stream`` that end by byte ``end`` (a part ends at a line's end)."""
    for item in numbered:
        if stream.tell() > end:
            return
        yield item


def _jsonl_limit(max_chars: int) -> int:
    return max_chars * _JSON_BYTES_PER_CHAR + _JSON_LINE_OVERHEAD


def _jsonl_records(
    numbered: Iterator[tuple[int, bytes, bool]], source: str, max_chars: int
) -> Generator[Document | InputError, None, bool]:
    """Reports from numbered lines; returns whether any line held a record (or was overlong)."""
    limit = _jsonl_limit(max_chars)
    seen = False
    for number, line, overlong in numbered:
        if overlong:
            seen = True
            yield InputError(
                f"line is over {limit:,} bytes, too long for the limit of {max_chars:,} characters",
                source=source,
                line=number,
            )
            continue
        line = _without_bom(number, line)
        # Blank lines (a trailing newline, spacing between records) are not records.
        if not line.strip():
            continue
        seen = True
        try:
            yield _jsonl_document(line, source, number, max_chars)
        except InputError as e:
            yield e
    return seen


def _without_bom(number: int, line: bytes) -> bytes:
    """The line without a UTF-8 byte-order mark, which only a file's first line may carry."""
    return line[3:] if number == 1 and line.startswith(b"\xef\xbb\xbf") else line


def _lines(stream: BinaryIO, limit: int, *, first: int = 1) -> Iterator[tuple[int, bytes, bool]]:
    """(line number, bytes, overlong) for each line; an overlong line is skipped, never held."""
    number = first - 1
    while line := stream.readline(limit + 1):
        number += 1
        if len(line) <= limit:
            yield number, line, False
            continue
        while not line.endswith(b"\n"):
            line = stream.readline(1 << 20)
            if not line:
                break
        yield number, b"", True


def _jsonl_document(line: bytes, source: str, number: int, max_chars: int) -> Document:
    def fail(message: str) -> InputError:
        return InputError(message, source=source, line=number)

    try:
        raw = line.decode("utf-8")
    except UnicodeDecodeError as e:
        raise fail(f"not UTF-8 text (byte 0x{line[e.start]:02x} at offset {e.start})") from e
    try:
        # strict=False: raw tabs inside strings are common in hand-made files and harmless.
        record: Any = json.loads(raw, strict=False)
    except (json.JSONDecodeError, RecursionError) as e:
        if isinstance(e, json.JSONDecodeError):
            raise fail(f"bad JSON: {e.msg} (column {e.colno})") from e
        raise fail("bad JSON: nested too deeply") from e
    if not isinstance(record, dict):
        raise fail(f"not a JSON object (got {_json_type(record)})")
    ref = record.get("id")
    if ref is None:
        raise fail("missing 'id'")
    # Integer ids are common in datasets; they are read as their decimal text.
    if isinstance(ref, int) and not isinstance(ref, bool):
        ref = str(ref)
    if not isinstance(ref, str):
        raise fail(f"'id' must be a string, not {_json_type(ref)}")
    ref = normalise_text(ref)
    if not ref:
        raise fail("empty 'id'")
    text = record.get("text")
    if text is None:
        raise fail("missing 'text'")
    if not isinstance(text, str):
        raise fail(f"'text' must be a string, not {_json_type(text)}")
    text = normalise_text(text)
    if not text:
        raise fail("empty 'text'")
    if len(text) > max_chars:
        raise fail(f"report is {len(text):,} characters, over the limit of {max_chars:,}")
    optional: dict[str, str | None] = {}
    for key in ("title", "source", "url", "published"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise fail(f"{key!r} must be a string or null, not {_json_type(value)}")
        optional[key] = clean_field(value)
    problem = not_a_date(optional["published"])
    if problem:
        raise fail(f"'published': {problem}")
    published = parse_published(optional["published"])
    return Document(
        id=document_id(text),
        ref=ref,
        text=text,
        title=optional["title"],
        source=optional["source"],
        url=clean_url(optional["url"], f"{source}:{number}"),
        published=published,
    )


def _json_type(value: object) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", float: "number"}
    if value is None:
        return "null"
    return names.get(type(value), "number" if isinstance(value, int) else type(value).__name__)
