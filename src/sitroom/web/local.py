"""The app on a free localhost port in a background thread: for browser tests, screenshots and
notebooks that need a real server next to them rather than ``sitroom serve``."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

# Debian's Chromium, headless, on a machine without internet: without the last three flags it
# keeps dialling Google's services and logs the refused connections.
HEADLESS_CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


@contextmanager
def serve_locally(app: FastAPI, *, start_timeout: float = 10.0) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 at a free port and yield its base URL; stop it afterwards.

    ``start_timeout`` is in seconds; RuntimeError if the server has not started by then.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        waited = 0.0
        while not server.started and thread.is_alive() and waited < start_timeout:
            thread.join(0.05)
            waited += 0.05
        if not server.started:
            server.should_exit = True
            raise RuntimeError(f"the server did not start within {start_timeout} s")
        try:
            yield f"http://127.0.0.1:{sock.getsockname()[1]}"
        finally:
            server.should_exit = True
            thread.join(start_timeout)
