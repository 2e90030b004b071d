"""The poll: each due source is fetched, its new reports analysed and stored, and the picture
compared with the one after the previous poll."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sitroom.errors import ConfigError, FetchError, InputError
from sitroom.ingest import read_bytes, read_inputs
from sitroom.records import Analysis, Document
from sitroom.store import Store
from sitroom.watch import state
from sitroom.watch.alerts import Alerter
from sitroom.watch.changes import diff, snapshot
from sitroom.watch.feeds import FeedItem, parse_feed
from sitroom.watch.fetch import Fetched, Fetcher
from sitroom.watch.sources import Source, WatchConfig
from sitroom.watch.state import Change
from sitroom.watch.urls import canonical_url

log = logging.getLogger(__name__)

# The longest a wait sleeps without returning to Python code. A SIGTERM the kernel delivers to
# another thread (a BLAS worker, say) only marks the Python handler as due; the main thread runs
# it when it next executes Python code, which a single long Event.wait would put off for minutes.
WAIT_SLICE_S = 0.5


def wait_for_stop(stop: threading.Event, seconds: float) -> bool:
    """Wait up to ``seconds`` for ``stop``, in slices so pending signal handlers run; True when
    ``stop`` is set."""
    deadline = time.monotonic() + seconds
    while not stop.is_set():
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        stop.wait(min(left, WAIT_SLICE_S))
    return True


# The per-document pipeline, injected: documents in, their analyses out (nothing stored).
Analyse = Callable[[Sequence[Document]], Sequence[Analysis]]

_FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, application/json;q=0.9, */*;q=0.1"
)


@dataclass(frozen=True, slots=True)
class SourceError:
    """What went wrong with one source (and URL) in a poll."""

    source: str
    url: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one poll did: sources polled, reports stored, copies skipped, errors, changes."""

    at: dt.datetime
    polled: tuple[str, ...] = ()
    stored: tuple[Document, ...] = ()
    duplicates: int = 0  # items whose text was stored already (re-published copies)
    errors: tuple[SourceError, ...] = ()
    changes: tuple[Change, ...] = ()
    alerts: int = 0
    # Stored reports that are copies of an earlier text (one source in the picture): their
    # document id -> the earlier report's ref.
    copies_of: dict[str, str] = dataclasses.field(default_factory=dict)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Watcher:
    """Follows the sources of a watch file and of the database; ``poll`` once, or ``run``."""

    def __init__(
        self,
        store: Store,
        config: WatchConfig,
        *,
        analyse: Analyse,
        fetcher: Fetcher,
        alerter: Alerter | None = None,
        now: Callable[[], dt.datetime] = utc_now,
        max_chars: int = 1_000_000,
    ) -> None:
        self.store = store
        self.config = config
        self._analyse = analyse
        self._fetcher = fetcher
        self._alerter = alerter
        self._now = now
        self._max_chars = max_chars

    def sources(self) -> list[Source]:
        """The watch file's sources, then those added with ``sitroom sources add``."""
        mine = list(self.config.sources)
        names = {s.name for s in mine}
        for source in state.stored_sources(self.store):
            if source.name in names:
                raise ConfigError(
                    f"source {source.name!r} is both in the watch file and in the database "
                    "(sitroom sources remove it, or rename one)"
                )
            mine.append(source)
        return mine

    def poll(self, *, everything: bool = False, stop: threading.Event | None = None) -> PollResult:
        """Poll every due source (``everything``: every source), store what is new, and find
        what changed in the picture. ``stop`` is checked between reports."""
        stop = stop or threading.Event()
        now = self._now()
        if state.last_snapshot(self.store) is None:
            # The baseline is the picture before this watch's first poll.
            self._save_changes(now, [], first=True)
        due_states = state.source_states(self.store)
        polled: list[str] = []
        stored: list[Document] = []
        duplicates = 0
        errors: list[SourceError] = []
        for source in self.sources():
            if stop.is_set():
                break
            known = due_states.get(source.name)
            if not everything and known and known.next_poll and known.next_poll > _iso(now):
                continue
            polled.append(source.name)
            documents, copies, problems = self._poll_source(source, stop)
            duplicates += copies
            stored += self._store(documents, source)
            errors += problems
            state.record_poll(
                self.store,
                source.name,
                now=now,
                next_poll=now + dt.timedelta(seconds=source.interval_s),
                errors=[(p.url, p.message) for p in problems],
            )
        changes: list[Change] = []
        copies_of: dict[str, str] = {}
        if stored:
            changes, copies_of = self._save_changes(now, stored)
        alerts = 0
        if changes and self._alerter is not None:
            alerts = len(self._alerter.send(changes, self._actor_names()))
        return PollResult(now, tuple(polled), tuple(stored), duplicates, tuple(errors),
                          tuple(changes), alerts, copies_of)  # fmt: skip

    def run(
        self,
        *,
        stop: threading.Event,
        on_poll: Callable[[PollResult], None],
        longest_wait_s: float = 60.0,
    ) -> None:
        """Poll until ``stop`` is set, sleeping until the next source is due."""
        while not stop.is_set():
            on_poll(self.poll(stop=stop))
            wait_for_stop(stop, self._seconds_to_next(longest_wait_s))

    def _seconds_to_next(self, longest: float) -> float:
        states = state.source_states(self.store)
        now = self._now()
        waits = [longest]
        for source in self.sources():
            due = states.get(source.name)
            if due is None or due.next_poll is None:
                return 0.0
            waits.append((dt.datetime.fromisoformat(due.next_poll) - now).total_seconds())
        return max(0.0, min(waits))

    # -- one source -------------------------------------------------------------------------

    def _poll_source(
        self, source: Source, stop: threading.Event
    ) -> tuple[list[Document], int, list[SourceError]]:
        """The new documents of one source, how many copies were skipped, and its errors."""
        try:
            if source.kind == "folder":
                return self._poll_folder(source)
            if source.kind == "page":
                return self._poll_page(source)
            return self._poll_feed(source, stop)
        except FetchError as e:
            log.warning("%s: %s", source.name, e)
            return [], 0, [SourceError(source.name, e.url, str(e))]

    def _poll_folder(self, source: Source) -> tuple[list[Document], int, list[SourceError]]:
        documents: list[Document] = []
        errors: list[SourceError] = []
        folder = Path(source.location)
        for item in read_inputs([folder], max_chars=self._max_chars):
            if isinstance(item, InputError) and item.source == str(folder) and folder.is_dir():
                if not item.reason.startswith("folder holds no"):  # empty is no fault here
                    errors.append(SourceError(source.name, item.source, str(item)))
            elif isinstance(item, InputError):
                errors.append(SourceError(source.name, item.source, str(item)))
            elif not self.store.has_document(item.id) and item.id not in {
                d.id for d in documents
            }:  # a file read before is neither news nor a copy
                documents.append(item if item.source else dataclasses.replace(
                    item, source=source.name))  # fmt: skip
        return documents, 0, errors

    def _poll_page(self, source: Source) -> tuple[list[Document], int, list[SourceError]]:
        url = canonical_url(source.location)
        etag, modified = state.validators(self.store, url)
        fetched = self._fetcher.get(url, etag=etag, last_modified=modified, robots=True)
        if fetched.status == 304:
            return [], 0, []
        document = self._document(fetched, FeedItem(url), source)
        state.save_validators(self.store, url, fetched.etag, fetched.last_modified)
        if self.store.has_document(document.id):
            return [], 0, []
        return [document], 0, []

    def _poll_feed(
        self, source: Source, stop: threading.Event
    ) -> tuple[list[Document], int, list[SourceError]]:
        url = canonical_url(source.location)
        etag, modified = state.validators(self.store, url)
        fetched = self._fetcher.get(url, etag=etag, last_modified=modified, accept=_FEED_ACCEPT)
        if fetched.status == 304:
            return [], 0, []
        items = parse_feed(fetched.content, url=fetched.url, content_type=fetched.content_type)
        seen = state.seen_urls(self.store, [i.url for i in items])
        documents: list[Document] = []
        errors: list[SourceError] = []
        copies = 0
        retry_later = False
        now = self._now()
        for item in items:
            if item.url in seen or stop.is_set():
                continue
            seen.add(item.url)
            try:
                page = self._fetcher.get(item.url, robots=True)
                document = self._document(page, item, source)
            except FetchError as e:
                log.warning("%s: %s", source.name, e)
                errors.append(SourceError(source.name, item.url, str(e)))
                if e.retry:
                    retry_later = True
                else:  # refused for good: do not ask again
                    state.mark_seen(self.store, item.url, source=source.name, document_id=None,
                                    now=now)  # fmt: skip
                continue
            if self.store.has_document(document.id) or document.id in {d.id for d in documents}:
                copies += 1  # the same text at another address: stored once
                state.mark_seen(self.store, item.url, source=source.name,
                                document_id=document.id, now=now)  # fmt: skip
                continue
            documents.append(document)
        if not retry_later and not stop.is_set():
            # Every item was taken: next time, ask whether the feed changed at all.
            state.save_validators(self.store, url, fetched.etag, fetched.last_modified)
        return documents, copies, errors

    def _document(self, fetched: Fetched, item: FeedItem, source: Source) -> Document:
        """The report at a fetched page, read by the same HTML reader as ``analyze``; the
        feed's title, date and link fill what the page does not give."""
        kind = fetched.content_type.split(";")[0].strip().lower()
        reader = "txt" if kind == "text/plain" else "html"
        found = next(
            iter(read_bytes(fetched.content, source=item.url, kind=reader,
                            max_chars=self._max_chars)), None,
        )  # fmt: skip
        if isinstance(found, InputError):
            raise FetchError(found.reason, url=item.url, retry=False) from found
        if found is None or not found.text.strip():
            raise FetchError("no report text on the page", url=item.url, retry=False)
        return dataclasses.replace(
            found,
            ref=item.url,
            title=found.title or item.title,
            published=found.published or item.published,
            url=found.url or item.url,
            source=source.name,
        )

    # -- storing and comparing --------------------------------------------------------------

    def _store(self, documents: list[Document], source: Source) -> list[Document]:
        if not documents:
            return []
        stored = []
        now = self._now()
        for analysis in self._analyse(documents):
            if self.store.save(analysis):
                stored.append(analysis.document)
            if source.kind != "folder":
                state.mark_seen(self.store, analysis.document.ref, source=source.name,
                                document_id=analysis.document.id, now=now)  # fmt: skip
        return stored

    def _actor_names(self) -> dict[str, str]:
        return {a.id: a.name for a in self.store.actors()}

    def _save_changes(
        self, now: dt.datetime, stored: Sequence[Document], *, first: bool = False
    ) -> tuple[list[Change], dict[str, str]]:
        """Compare the picture with the last poll's and log the changes; also say which of the
        ``stored`` reports are copies of an earlier one (picture.reconcile's source groups)."""
        picture = self.store.picture()
        names = {a.id: a.name for a in picture.actors}
        place_names: dict[int, set[str]] = {}
        for mention in picture.mentions:
            if mention.kind != "place":
                continue  # a place modifier ('Syrian') is no name of its place
            if mention.place is not None and mention.place.geonameid is not None:
                place_names.setdefault(mention.place.geonameid, set()).add(mention.text)
        ledger = self.store.ledger()
        current = snapshot(ledger, names, place_names=place_names)
        found = [] if first else diff(state.last_snapshot(self.store), current)
        logged = state.save_poll(
            self.store, now=now, document_ids=[d.id for d in stored], snapshot=current,
            changes=found,
        )  # fmt: skip
        refs = {d.id: d.ref for d in picture.documents}
        groups = ledger.source_groups
        copies = {d.id: refs[groups[d.id]] for d in stored if groups.get(d.id, d.id) != d.id}
        return logged, copies


def _iso(moment: dt.datetime) -> str:
    return state.now_iso(moment)
