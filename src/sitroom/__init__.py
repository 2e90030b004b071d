"""sitroom: news reports about an armed conflict in, one source-checked situation picture out."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "analyze", "load_picture"]


def __getattr__(name: str) -> object:
    # Lazy, so `import sitroom` (and `sitroom version`) does not load spaCy.
    if name in ("analyze", "load_picture"):
        from sitroom import api

        return getattr(api, name)
    raise AttributeError(f"module 'sitroom' has no attribute {name!r}")
