"""Reports sent to ``POST /api/reports``: a file upload or a raw body, read like ``analyze`` reads.

The body goes through the same readers as files on disk (``sitroom.ingest``), so an upload meets
the same checks: encoding, binary content, size, malformed JSON lines.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import PurePath

from fastapi import Request
from starlette.datastructures import UploadFile

from sitroom.errors import InputError
from sitroom.ingest import SUFFIXES, read_bytes
from sitroom.records import Document
from sitroom.web.errors import ApiError

# Raw bodies: the media type tells the format. JSON is one report object or a list of them.
MEDIA_KINDS = {
    "text/plain": "text",
    "text/markdown": "text",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/json": "json",
}


@dataclass(frozen=True, slots=True)
class Upload:
    """The reports read from one request, and the inputs that could not be read."""

    documents: tuple[Document, ...]
    errors: tuple[InputError, ...]


def safe_name(name: str | None, default: str) -> str:
    """The base name of a client-given file name (never a path), or ``default``."""
    base = PurePath((name or "").replace("\\", "/")).name.strip()
    return base[:200] if base else default


def _json_as_lines(data: bytes, source: str) -> bytes:
    """A JSON object or list of objects, re-encoded as JSON Lines for the JSONL reader."""
    try:
        value = json.loads(data)
        items = value if isinstance(value, list) else [value]
        return b"\n".join(json.dumps(item, ensure_ascii=False).encode() for item in items)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(f"not valid JSON: {e}", source=source) from e
    except RecursionError as e:
        # Python's JSON reader and writer recurse once per level of nesting.
        raise InputError("not valid JSON: nested too deeply", source=source) from e


def _read(data: bytes, *, name: str, kind: str, max_chars: int) -> Upload:
    documents: list[Document] = []
    errors: list[InputError] = []
    try:
        if kind == "json":
            data, kind = _json_as_lines(data, name), "jsonl"
        for item in read_bytes(data, source=name, kind=kind, max_chars=max_chars):
            if isinstance(item, InputError):
                errors.append(item)
            else:
                documents.append(item)
    except InputError as e:
        errors.append(e)
    return Upload(tuple(documents), tuple(errors))


async def read_upload(request: Request, *, max_chars: int) -> Upload:
    """The reports in a request: multipart field ``file``, or a raw body typed by Content-Type."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "multipart/form-data":
        form = await request.form(max_files=1, max_fields=10)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ApiError(422, "multipart body needs a file in the field 'file'")
        name = safe_name(upload.filename, "upload.txt")
        suffix = PurePath(name).suffix.lower()
        kind = "json" if suffix == ".json" else SUFFIXES.get(suffix)
        if kind is None:
            raise ApiError(
                415, f"{name}: unsupported file type; expected .txt, .html, .htm, .jsonl or .json"
            )
        return _read(await upload.read(), name=name, kind=kind, max_chars=max_chars)
    kind = MEDIA_KINDS.get(media)
    if kind is None:
        raise ApiError(
            415,
            f"unsupported Content-Type {media or '(none)'!r}; send multipart/form-data or one of "
            + ", ".join(MEDIA_KINDS),
        )
    name = safe_name(request.headers.get("x-report-name"), f"upload.{kind}")
    return _read(await request.body(), name=name, kind=kind, max_chars=max_chars)
