"""What every reader does to the text and metadata it takes: line breaks and control characters
normalised, metadata on one line, links kept only where they are web links, dates checked."""

from __future__ import annotations

import logging
import re
import unicodedata

from sitroom.errors import InputError
from sitroom.ingest.published import parse_published

logger = logging.getLogger(__name__)

# How much of a file is read to tell text from binary data.
SNIFF_BYTES = 8192
# Vertical tab and form feed separate lines or pages: keep the break, not the character.
_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
# Control characters, lone surrogates (from JSON escapes; they cannot be encoded to UTF-8) and
# stray byte-order marks carry no text and would break offsets or hashing downstream.
_DROP = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff]")


def normalise_text(text: str) -> str:
    """Text as later stages index it: \\n line breaks, no control chars, NFC, no outer space."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _DROP.sub("", text)
    return unicodedata.normalize("NFC", text).strip()


def not_a_date(value: str | None) -> str | None:
    """Why a publication date the report's own metadata gives cannot be used, or None. Such a
    date is an error, not an empty date: relative dates in the text are resolved against it."""
    if value and value.strip() and parse_published(value) is None:
        return f"publication date {value.strip()!r} is not a date (write it as YYYY-MM-DD)"
    return None


def check_length(text: str, source: str, max_chars: int) -> None:
    if len(text) > max_chars:
        raise InputError(
            f"report is {len(text):,} characters, over the limit of {max_chars:,}", source=source
        )


def clean_field(value: str | None) -> str | None:
    """A metadata string on one line, or None when nothing is left."""
    if not value:
        return None
    cleaned = " ".join(normalise_text(value).split())
    return cleaned or None


def clean_url(value: str | None, source: str) -> str | None:
    # Only web links are kept: a javascript: or data: URL would be live markup in any web view.
    if value is None:
        return None
    if re.match(r"https?://", value, re.IGNORECASE):
        return value
    logger.debug("%s: url %r dropped (not http or https)", source, value)
    return None
