"""sitroom: news reports about an armed conflict in, one source-checked situation picture out."""

from __future__ import annotations

__version__ = "0.1.0"
