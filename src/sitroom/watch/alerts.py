"""Alerts: the changes that match a rule of the watch file go to a JSONL file and/or a webhook.

The webhook is posted from a background thread with retries, so a slow or down receiver never
holds up polling; its URL passes the same SSRF guard as every fetch.
"""

from __future__ import annotations

import json
import logging
import queue
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sitroom.errors import FetchError
from sitroom.watch.fetch import Fetcher
from sitroom.watch.sources import AlertRule, Alerts
from sitroom.watch.state import Change, change_json

log = logging.getLogger(__name__)


def fold_name(name: str) -> str:
    """A place or actor name as a loose key: no case, accents or punctuation, and no final h
    of a transliteration ("Ḩamāh", "Hamah" and "Hama" are one)."""
    text = "".join(
        c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c)
    )
    words = re.findall(r"[^\W_]+", text)
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("h") else w for w in words)


def matches(rule: AlertRule, change: Change, names: dict[str, str]) -> bool:
    """Whether ``change`` is what ``rule`` asks to be told of. Regions and actors match by
    folded name (the place as GeoNames or a report names it, its region or country; an actor's
    id or name)."""
    detail = change.detail
    if rule.kind == "control-change":
        if change.kind != "control-change":
            return False
        wanted = {fold_name(r) for r in rule.regions}
        places = [detail.get("place"), detail.get("admin1"), detail.get("country")]
        places += detail.get("names", [])
        return any(p and fold_name(p) in wanted for p in places)
    if rule.kind == "fatalities":
        figure = detail.get("fatalities")
        return (
            change.kind in ("new-event", "fatalities-revised")
            and isinstance(figure, int)
            and figure > rule.above
        )
    if change.kind != "new-contradiction":
        return False
    wanted = {fold_name(a) for a in rule.actors}
    involved = [*detail.get("actors", []), *detail.get("values", [])]
    return any(
        fold_name(a) in wanted or fold_name(names.get(a, a)) in wanted for a in involved if a
    )


class Alerter:
    """Delivers alerts for a watch; ``close`` waits (boundedly) for webhook posts in flight."""

    def __init__(
        self,
        alerts: Alerts,
        *,
        fetcher: Fetcher,
        sleep: Callable[[float], None] = time.sleep,
        attempts: int = 4,
    ) -> None:
        self.alerts = alerts
        self._fetcher = fetcher
        self._sleep = sleep
        self._attempts = attempts
        self._queue: queue.Queue[bytes | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self.failures: list[str] = []  # webhook deliveries given up on, for the log and tests

    def send(self, changes: Iterable[Change], names: dict[str, str]) -> list[dict[str, Any]]:
        """Alert on every change that matches a rule; return the alerts written."""
        out = []
        for change in changes:
            for rule in self.alerts.rules:
                if matches(rule, change, names):
                    out.append({"rule": rule.kind, "change": change_json(change)})
                    break
        if not out:
            return out
        if self.alerts.jsonl is not None:
            _append(self.alerts.jsonl, out)
        if self.alerts.webhook is not None:
            if self._thread is None:
                self._thread = threading.Thread(target=self._post_loop, daemon=True,
                                                name="sitroom-webhook")  # fmt: skip
                self._thread.start()
            for alert in out:
                self._queue.put(json.dumps(alert, ensure_ascii=False).encode("utf-8"))
        return out

    def close(self, *, timeout_s: float = 10.0) -> None:
        """Stop the webhook thread after what is queued (waiting at most ``timeout_s``)."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout_s)

    def _post_loop(self) -> None:
        url = self.alerts.webhook
        while (body := self._queue.get()) is not None and url is not None:
            for attempt in range(self._attempts):
                try:
                    self._fetcher.post_json(url, body)
                    break
                except FetchError as e:
                    if not e.retry or attempt == self._attempts - 1:
                        log.warning("alert webhook: %s (given up)", e)
                        self.failures.append(str(e))
                        break
                    self._sleep(self._fetcher.policy.backoff_s * 2**attempt)


def _append(path: Path, alerts: list[dict[str, Any]]) -> None:
    try:
        with path.open("a", encoding="utf-8") as handle:
            for alert in alerts:
                handle.write(json.dumps(alert, ensure_ascii=False, sort_keys=True) + "\n")
    except OSError as e:
        log.warning("%s: cannot append alerts: %s", path, e)
