"""The web face: an HTTP API and a page over a sitroom database (``sitroom serve``)."""

from sitroom.web.server import create_app

__all__ = ["create_app"]
