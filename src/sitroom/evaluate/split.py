"""Tune and check halves of every dev set, split once by a hash of each item's id.

Tune on the tune half and read its errors; read only the figures of the check half. A change
fitted to the tune half's examples shows as a gap between the two. The half depends on the id
alone, not on the file's order or size, so an item keeps its half when a set grows, and a
document held by two sets (the WikiEvents documents are in the incidents set too) is in the same
half in both.
"""

from __future__ import annotations

import hashlib

ALL = "all"
HALVES = ("tune", "check")


def half_of(item_id: str) -> str:
    """'tune' when the first byte of the SHA-1 of the id (UTF-8) is even, else 'check'."""
    digest = hashlib.sha1(item_id.encode("utf-8"), usedforsecurity=False).digest()
    return HALVES[digest[0] % 2]
