"""sitroom: news reports about an armed conflict in, one source-checked situation picture out."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "analyze"]


def __getattr__(name: str) -> object:
    # Lazy, so `import sitroom` (and `sitroom version`) does not load spaCy.
    if name == "analyze":
        from sitroom.api import analyze

        return analyze
    raise AttributeError(f"module 'sitroom' has no attribute {name!r}")
