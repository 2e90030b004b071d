"""Deterministic ids from content hashes, so re-analysing a report reproduces the same ids."""

from __future__ import annotations

import hashlib


def content_id(*parts: object, length: int = 16) -> str:
    """Hex digest of the parts joined by a separator that cannot occur in text."""
    joined = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]


def document_id(text: str) -> str:
    """A document's id: the hash of its normalised text (line endings and outer space ignored)."""
    normalised = text.replace("\r\n", "\n").strip()
    return content_id("doc", normalised)
