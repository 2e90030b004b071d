"""``/docs``: the API described from its own OpenAPI spec as one static page, no script.

FastAPI's Swagger UI loads its code from a CDN: it fails offline, and it cannot run under the
page's Content-Security-Policy. This page needs neither; ``/openapi.json`` stays the machine-
readable description for tools (and any Swagger UI a reader runs elsewhere).
"""

from __future__ import annotations

from html import escape
from typing import Any

_STYLE = "/static/app.css"


def docs_page(spec: dict[str, Any]) -> str:
    """HTML listing every operation: method, path, summary, parameters and request body."""
    info = spec.get("info", {})
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        f"<title>{escape(str(info.get('title', 'API')))} API</title>",
        f'<link rel=stylesheet href="{_STYLE}"></head><body class=api-docs><main>',
        f"<h1>{escape(str(info.get('title', '')))} {escape(str(info.get('version', '')))}</h1>",
        f"<p>{escape(str(info.get('description', '')))}</p>",
        '<p>Machine-readable: <a href="/openapi.json">/openapi.json</a>.</p>',
    ]
    for path, operations in spec.get("paths", {}).items():
        for method, operation in operations.items():
            parts.append(_operation(method, path, operation))
    parts.append("</main></body></html>")
    return "".join(parts)


def _operation(method: str, path: str, operation: dict[str, Any]) -> str:
    rows = "".join(
        f"<li><code>{escape(p.get('name', ''))}</code> ({escape(p.get('in', ''))}"
        f"{', required' if p.get('required') else ''}) {escape(p.get('description', ''))}</li>"
        for p in operation.get("parameters", [])
    )
    body = operation.get("requestBody", {}).get("content", {})
    media = ", ".join(f"<code>{escape(m)}</code>" for m in body)
    return (
        f"<section><h2><code>{escape(method.upper())} {escape(path)}</code></h2>"
        f"<p>{escape(operation.get('summary', ''))}</p>"
        f"<p>{escape(operation.get('description', ''))}</p>"
        + (f"<ul>{rows}</ul>" if rows else "")
        + (f"<p>Body: {media}</p>" if media else "")
        + "</section>"
    )
