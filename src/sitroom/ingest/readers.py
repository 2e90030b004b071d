"""Reading reports from .txt, .html/.htm and .jsonl files (and folders of them) into Documents.

Bad inputs are yielded as ``InputError`` values, not raised, so one unreadable file never stops
a batch. Sizes: ``max_chars`` counts characters of report text; file sizes are in bytes.
"""

from __future__ import annotations

import io
import logging
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from sitroom.errors import InputError
from sitroom.ids import document_id
from sitroom.ingest.fields import (
    SNIFF_BYTES,
    check_length,
    clean_field,
    clean_url,
    normalise_text,
    not_a_date,
)
from sitroom.ingest.jsonl import jsonl_stream, read_jsonl
from sitroom.ingest.published import parse_published
from sitroom.records import Document

logger = logging.getLogger(__name__)

SUFFIXES: dict[str, str] = {".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
_SUFFIX_LIST = ", ".join(SUFFIXES)
_KINDS = frozenset(SUFFIXES.values())

# UTF-8 needs at most 4 bytes a character, so a file larger than this many bytes per allowed
# character cannot hold an acceptable report and is rejected without being read.
_BYTES_PER_CHAR = 4
# Markup usually outweighs article text many times over; page size alone says little.
_HTML_MARKUP_ALLOWANCE = 8 << 20
# trafilatura's run time grows faster than linearly with element count (about 6 s for 20,000
# paragraphs on one core); a real news page has a few thousand elements.
MAX_HTML_ELEMENTS = 30_000
# Above this share of control bytes (other than tab, newlines, form feed) a file is not text.
_MAX_CONTROL_SHARE = 0.05
# A cp1252/latin-1 text has accented letters inside mostly-ASCII words; random bytes do not.
_MAX_HIGH_BYTE_SHARE = 0.25
_CP1252_PUNCTUATION = frozenset("\u00a0¡¢£¥§©«®°±²³µ¶·¹º»¼½¾¿×÷€‚ƒ„…†‡ˆ‰‹›‘’“”•–—˜™")
# Vertical tab (0x0B) and form feed (0x0C) are whitespace that old text files do hold.
_CONTROL_BYTES = frozenset([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
# Formats that are not text however few control bytes their first bytes hold.
_BINARY_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or .docx, .xlsx, .odt)"),
    (b"\x1f\x8b", "gzip data"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
)

_FRONT_MATTER_FENCE = re.compile(r"---[ \t]*")
_FRONT_MATTER_END = re.compile(r"(?:---|\.\.\.)[ \t]*")
_FRONT_MATTER_LINE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)")
_FRONT_MATTER_MAX_LINES = 60
_FRONT_MATTER_KEYS = {
    "title": "title",
    "source": "source",
    "url": "url",
    "published": "published",
    "date": "published",
}


def read_inputs(
    paths: Iterable[Path | str], *, max_chars: int = 1_000_000, follow_symlinks: bool = False
) -> Iterator[Document | InputError]:
    """Documents from files and folders, in order; each bad input yields an InputError instead.

    A symlink inside a folder that leads out of it is refused unless ``follow_symlinks``: a
    report folder must not pull in (and a server then publish) files from elsewhere.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be positive, got {max_chars}")
    for item in list_inputs(paths, follow_symlinks=follow_symlinks):
        if isinstance(item, InputError):
            yield item
        else:
            yield from read_input(item, max_chars=max_chars)


def list_inputs(
    paths: Iterable[Path | str], *, follow_symlinks: bool = False
) -> Iterator[Path | InputError]:
    """The report files ``read_inputs`` reads, in its order (folders walked), and an InputError
    for each input it cannot list: what a reader on another machine is handed."""
    for given in paths:
        path = Path(given)
        try:
            if path.is_dir():
                yield from _folder_files(path, follow_symlinks=follow_symlinks)
                continue
            if not path.exists():
                yield InputError("no such file or folder", source=str(path))
                continue
        except OSError as e:
            yield InputError(f"cannot read: {e.strerror or e}", source=str(path))
            continue
        if path.suffix.lower() not in SUFFIXES:
            yield InputError(
                f"unsupported file type {path.suffix or '(no suffix)'!r}; expected {_SUFFIX_LIST}",
                source=str(path),
            )
            continue
        yield path


def read_input(path: Path, *, max_chars: int = 1_000_000) -> Iterator[Document | InputError]:
    """Documents from one report file that ``list_inputs`` gave."""
    return _read_file(path, SUFFIXES[path.suffix.lower()], max_chars)


# -- folders and files ---------------------------------------------------------------------


def _folder_files(root: Path, *, follow_symlinks: bool) -> Iterator[Path | InputError]:
    found = False
    for item in _walk(root, follow_symlinks=follow_symlinks):
        found = found or not isinstance(item, InputError)
        yield item
    if not found:
        yield InputError(f"folder holds no {_SUFFIX_LIST} files", source=str(root))


def _walk(root: Path, *, follow_symlinks: bool) -> Iterator[Path | InputError]:
    """Supported files under a folder, depth first, names in code-point order; hidden skipped.

    Iterative, with an explicit stack: a tree thousands of folders deep must not exhaust
    Python's recursion limit and lose the batch.
    """
    # Each frame is the entries of one folder still to visit, in reverse so pop() is in order.
    stack: list[list[Path]] = []
    listed = _list_folder(root)
    if isinstance(listed, InputError):
        yield listed
        return
    stack.append(listed)
    while stack:
        frame = stack[-1]
        if not frame:
            stack.pop()
            continue
        path = frame.pop()
        try:
            # Symlinked folders are not followed: they can loop or leave the tree.
            if path.is_dir() and not path.is_symlink():
                listed = _list_folder(path)
                if isinstance(listed, InputError):
                    yield listed
                else:
                    stack.append(listed)
                continue
            is_file = path.is_file()
        except OSError as e:
            yield InputError(f"cannot read: {e.strerror or e}", source=str(path))
            continue
        if not (is_file and path.suffix.lower() in SUFFIXES):
            logger.debug("%s: not a %s file, skipped", path, _SUFFIX_LIST)
        elif not follow_symlinks and path.is_symlink() and _leaves(path, root):
            yield InputError(
                f"symlink to {os.path.realpath(path)}, outside {root}; not read "
                "(--follow-symlinks or follow_symlinks = true reads it)",
                source=str(path),
            )
        else:
            yield path


def _leaves(path: Path, root: Path) -> bool:
    """Whether the link ``path`` (through any chain of links) resolves outside ``root``."""
    target = Path(os.path.realpath(path))
    return not target.is_relative_to(os.path.realpath(root))


def _list_folder(folder: Path) -> list[Path] | InputError:
    """A folder's visible entries, in reverse code-point order of their names."""
    try:
        with os.scandir(folder) as scan:
            names = sorted((entry.name for entry in scan), reverse=True)
    except OSError as e:
        return InputError(f"cannot list folder: {e.strerror or e}", source=str(folder))
    visible = []
    for name in names:
        if name.startswith("."):
            logger.debug("%s: hidden, skipped", folder / name)
        else:
            visible.append(folder / name)
    return visible


def read_bytes(
    data: bytes, *, source: str, kind: str, max_chars: int = 1_000_000
) -> Iterator[Document | InputError]:
    """Documents from one report held in memory (an upload); ``kind`` is a value of SUFFIXES.

    ``source`` names the input in errors and becomes the document's ref.
    """
    if kind not in _KINDS:
        raise ValueError(f"unknown report kind {kind!r}; expected one of {sorted(_KINDS)}")
    if kind == "jsonl":
        yield from jsonl_stream(io.BytesIO(data), source, max_chars)
        return
    try:
        yield _bounded_document(data, kind, source, max_chars, size=f"{len(data):,}")
    except InputError as e:
        yield e


def _byte_limit(kind: str, max_chars: int) -> int:
    limit = max_chars * _BYTES_PER_CHAR
    if kind == "html":
        limit += _HTML_MARKUP_ALLOWANCE
    return limit


def _bounded_document(
    data: bytes, kind: str, source: str, max_chars: int, *, size: str
) -> Document:
    """One text or HTML report from its bytes, refused when over the limit for its kind."""
    if len(data) > _byte_limit(kind, max_chars):
        raise _too_large(size, source, max_chars)
    if kind == "html":
        return _html_document(data, source, max_chars)
    return _text_document(data, source, max_chars)


def _read_file(path: Path, kind: str, max_chars: int) -> Iterator[Document | InputError]:
    source = str(path)
    try:
        info = path.stat()
        # A device or pipe named like a report (/dev/zero as x.txt) would never end.
        if not stat.S_ISREG(info.st_mode):
            raise InputError("not a regular file", source=source)
        if kind == "jsonl":
            yield from read_jsonl(path, source, max_chars)
            return
        limit = _byte_limit(kind, max_chars)
        if info.st_size > limit:
            raise _too_large(f"{info.st_size:,}", source, max_chars)
        with path.open("rb") as stream:
            # Bounded read: the file may have grown since it was measured.
            data = stream.read(limit + 1)
        yield _bounded_document(data, kind, source, max_chars, size=f"over {limit:,}")
    except InputError as e:
        yield e
    except OSError as e:
        yield InputError(f"cannot read: {e.strerror or e}", source=source)


def _too_large(size: str, source: str, max_chars: int) -> InputError:
    return InputError(
        f"file is {size} bytes, too large for the limit of {max_chars:,} characters", source=source
    )


# -- plain text ----------------------------------------------------------------------------


def _text_document(data: bytes, source: str, max_chars: int) -> Document:
    text = normalise_text(_decode(data, source))
    meta, body = _split_front_matter(text, source)
    body = body.strip()
    if not body:
        raise InputError("empty file (no report text)", source=source)
    check_length(body, source, max_chars)
    problem = not_a_date(meta.get("published"))
    if problem:
        raise InputError(f"front matter: {problem}", source=source)
    return Document(
        id=document_id(body),
        ref=source,
        text=body,
        title=meta.get("title"),
        source=meta.get("source"),
        url=clean_url(meta.get("url"), source),
        published=parse_published(meta.get("published")),
    )


def _decode(data: bytes, source: str) -> str:
    """Bytes to str: UTF-16 with a BOM, else UTF-8 (BOM optional), else plausible cp1252."""
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as e:
                raise InputError(
                    f"not {codec} text despite its byte-order mark", source=source
                ) from e
    _check_not_binary(data, source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        fallback = _as_cp1252(data)
        if fallback is None:
            raise InputError(
                f"not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start}),"
                " nor plausibly cp1252/latin-1",
                source=source,
            ) from e
        logger.warning("%s: not UTF-8 (byte offset %d); read as cp1252", source, e.start)
        return fallback


def _check_not_binary(data: bytes, source: str) -> None:
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise InputError(f"binary file ({what}), not text", source=source)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"binary file (NUL byte at offset {nul})", source=source)
    if data:
        controls = sum(1 for byte in data[:SNIFF_BYTES] if byte in _CONTROL_BYTES)
        share = controls / min(len(data), SNIFF_BYTES)
        if share > _MAX_CONTROL_SHARE:
            raise InputError(f"binary file ({share:.0%} control bytes)", source=source)


def _as_cp1252(data: bytes) -> str | None:
    """The bytes as cp1252 if they read as Western text: few high bytes, letters or punctuation."""
    high = sum(1 for byte in data if byte >= 0x80)
    if high > _MAX_HIGH_BYTE_SHARE * len(data):
        return None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    for char in text:
        if ord(char) >= 0x80 and not (
            char in _CP1252_PUNCTUATION or unicodedata.category(char).startswith("L")
        ):
            return None
    return text


def _split_front_matter(text: str, source: str) -> tuple[dict[str, str], str]:
    """Front-matter fields and the body after it; ({}, text) when there is no valid front matter."""
    lines = text.split("\n", _FRONT_MATTER_MAX_LINES + 1)
    if not lines or not _FRONT_MATTER_FENCE.fullmatch(lines[0]):
        return {}, text
    meta: dict[str, str] = {}
    for number, line in enumerate(lines[1 : _FRONT_MATTER_MAX_LINES + 1], start=1):
        if _FRONT_MATTER_END.fullmatch(line):
            body = "\n".join(lines[number + 1 :])
            return meta, body
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _FRONT_MATTER_LINE.fullmatch(stripped)
        if match is None:
            # A leading rule followed by prose is not front matter: keep the whole text.
            logger.debug("%s: line %d is not 'key: value'; no front matter", source, number + 1)
            return {}, text
        key = match.group(1).lower()
        field = _FRONT_MATTER_KEYS.get(key)
        value = _unquote(match.group(2).strip())
        if field is None:
            logger.debug("%s: front matter key %r ignored", source, key)
        elif value:
            meta[field] = value
    logger.debug("%s: front matter not closed; read as text", source)
    return {}, text


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1].strip()
    return value


# -- HTML ----------------------------------------------------------------------------------


def _html_document(data: bytes, source: str, max_chars: int) -> Document:
    """Article text, title and date via trafilatura (which dates pages with htmldate)."""
    # Imported here: trafilatura pulls in lxml and htmldate, which plain-text runs never need.
    import trafilatura
    from trafilatura.utils import load_html

    nul = data.find(b"\x00", 0, SNIFF_BYTES)
    if nul >= 0:
        raise InputError(f"binary file (NUL byte at offset {nul})", source=source)
    try:
        tree = load_html(data)
        if tree is None:
            raise InputError("not HTML, or no extractable article text", source=source)
        elements = sum(1 for _ in tree.iter())
        if elements > MAX_HTML_ELEMENTS:
            raise InputError(
                f"page has {elements:,} HTML elements, over the limit of {MAX_HTML_ELEMENTS:,}",
                source=source,
            )
        result = trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            include_comments=False,
            include_images=False,
            include_links=False,
            include_formatting=False,
        )
    except InputError:
        raise
    except (RecursionError, MemoryError) as e:
        raise InputError("HTML too deeply nested or too large to parse", source=source) from e
    # trafilatura and lxml raise many undocumented types on hostile markup; any of them means
    # this page cannot be read, and the batch must go on.
    except Exception as e:
        raise InputError(f"cannot extract HTML: {type(e).__name__}: {e}", source=source) from e
    text = normalise_text(getattr(result, "text", None) or "")
    if not text:
        raise InputError("no extractable article text", source=source)
    check_length(text, source, max_chars)
    return Document(
        id=document_id(text),
        ref=source,
        text=text,
        title=clean_field(getattr(result, "title", None)),
        source=clean_field(getattr(result, "sitename", None)),
        url=clean_url(clean_field(getattr(result, "url", None)), source),
        published=parse_published(getattr(result, "date", None)),
    )
