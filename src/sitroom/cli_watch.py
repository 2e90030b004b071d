"""The live-monitoring commands: ``sitroom watch``, ``sitroom sources`` and ``sitroom changes``.

Registered on the main app by ``sitroom.cli``; kept apart so the watch's options stay together.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from sitroom.config import Config, load_config
from sitroom.errors import SitroomError
from sitroom.records import Analysis, Document
from sitroom.store import DB_HELP, DEFAULT_PATH, Store
from sitroom.store.backend import redacted
from sitroom.watch import state
from sitroom.watch.alerts import Alerter
from sitroom.watch.fetch import Fetcher
from sitroom.watch.sources import SOURCE_KINDS, WatchConfig, load_watch_config, new_source
from sitroom.watch.watcher import PollResult, Watcher

sources_app = typer.Typer(
    help="Sources that sitroom watch follows besides its watch file (kept in --db).",
    no_args_is_help=True,
    rich_markup_mode=None,
)

_DB = Annotated[str, typer.Option("--db", envvar="SITROOM_DB", help=DB_HELP)]
_MARKS = {
    "new-event": "+",
    "fatalities-revised": "#",
    "control-change": "~",
    "new-contradiction": "!",
    "contradiction-resolved": "=",
    "new-actor": "+",
    "new-relation": "+",
}


def register(app: typer.Typer) -> None:
    """Add the watch commands to the main command line."""
    app.command("watch")(watch)
    app.command("changes")(changes)
    app.add_typer(sources_app, name="sources")


def _analyser(cfg: Config) -> Any:
    """The pipeline, loaded on first use (a poll with nothing new loads no model)."""
    from sitroom.api import gazetteer_is_built, resources_for
    from sitroom.cli import _build_gazetteer
    from sitroom.pipeline import analyze_docs

    def analyse(documents: Sequence[Document]) -> list[Analysis]:
        if not gazetteer_is_built(cfg):
            _build_gazetteer(cfg)
        resources = resources_for(cfg)
        return list(analyze_docs(documents, resources=resources, batch_size=cfg.batch_size))

    return analyse


def watch(
    watch_file: Annotated[
        Path | None,
        typer.Argument(help="Watch file (TOML): sources, fetch policy, alert rules."),
    ] = None,
    db: _DB = DEFAULT_PATH,
    once: Annotated[bool, typer.Option(help="Poll every source once, then exit.")] = False,
    config: Annotated[
        Path | None, typer.Option("--config", help="TOML file overriding sitroom's defaults.")
    ] = None,
) -> None:
    """Follow feeds, article URLs and drop folders; store new reports; print what changed.

    Runs until stopped (Ctrl-C or SIGTERM finish the report in hand); --once polls every source
    once. Exit code 3 after --once when a source failed.
    """
    from sitroom.cli import EXIT_SKIPPED, _fail, err, shown

    console = Console()
    stop = threading.Event()
    try:
        cfg = load_config(config)
        wcfg = load_watch_config(watch_file) if watch_file is not None else WatchConfig()
        store = Store.open(db)
    except SitroomError as e:
        raise _fail(e) from e
    fetcher = Fetcher(wcfg.fetch)
    alerter = Alerter(wcfg.alerts, fetcher=fetcher) if wcfg.alerts.rules else None
    watcher = Watcher(
        store, wcfg, analyse=_analyser(cfg), fetcher=fetcher, alerter=alerter,
        max_chars=cfg.max_chars,
    )  # fmt: skip

    on_signal = stop_on_signal(stop, lambda: err.print("stopping after the report in hand…"))
    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    failed = False
    try:
        followed = watcher.sources()
        if not followed:
            raise SitroomError("no sources: list some in a watch file or add them with "
                               "sitroom sources add")  # fmt: skip
        err.print(f"watching {_count(len(followed), 'source')} into {shown(redacted(db))}" +
                  ("" if once else "; Ctrl-C stops"))  # fmt: skip
        if once:
            result = watcher.poll(everything=True, stop=stop)
            _print_poll(result, console, err)
            failed = bool(result.errors)
        else:
            watcher.run(stop=stop, on_poll=lambda r: _print_poll(r, console, err))
    except SitroomError as e:
        raise _fail(e) from e
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if alerter is not None:
            alerter.close()
        fetcher.close()
        store.close()
    if failed:
        raise typer.Exit(EXIT_SKIPPED)


def _print_poll(result: PollResult, console: Console, err: Console) -> None:
    from sitroom.cli import shown

    if not result.polled:
        return
    when = result.at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    parts = [_count(len(result.stored), "new report")]
    if result.duplicates:
        parts.append(_count(result.duplicates, "copy", "copies") + " skipped")
    parts += [_count(len(result.errors), "error"), _count(len(result.changes), "change")]
    if result.alerts:
        parts.append(_count(result.alerts, "alert"))
    err.print(f"{when} polled {_count(len(result.polled), 'source')}: {', '.join(parts)}")
    for error in result.errors:
        err.print(f"  [yellow]failed:[/yellow] {shown(error)}")
    for document in result.stored:
        copy = result.copies_of.get(document.id)
        note = f" (a copy of {shown(copy)}: one source)" if copy else ""
        err.print(
            f"  stored: {shown(document.source)} · {shown(document.title or document.ref)}{note}"
        )
    for change in result.changes:
        console.print(f"  {_MARKS.get(change.kind, '*')} {shown(change.summary)}", soft_wrap=True)


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def changes(
    db: _DB = DEFAULT_PATH,
    since: Annotated[
        str | None, typer.Option(help="Only changes found at or after this ISO time.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object a line.")] = False,
) -> None:
    """Print the change log that sitroom watch keeps, oldest first."""
    from sitroom.cli import _fail, _reader_may_leave, shown

    try:
        after = _since(since)
        with Store.open(db, read_only=True) as store:
            found = state.changes_since(store, since=after, limit=100_000)
    except SitroomError as e:
        raise _fail(e) from e
    console = Console()
    with _reader_may_leave():
        for change in found:
            if as_json:
                typer.echo(json.dumps(state.change_json(change), ensure_ascii=False))
            else:
                mark = _MARKS.get(change.kind, "*")
                console.print(f"{change.at} {mark} {shown(change.summary)}", soft_wrap=True)


def _since(value: str | None) -> str | None:
    """An ISO time or date as the change log writes times (UTC); a bad one is an error."""
    if value is None:
        return None
    try:
        return state.since_iso(value)
    except ValueError as e:
        raise SitroomError(f"--since: not an ISO date or time: {value!r}") from e


@sources_app.command("add")
def sources_add(
    name: Annotated[str, typer.Argument(help="The outlet's name, as reports will show it.")],
    location: Annotated[str, typer.Argument(help="Feed or page URL, or a folder.")],
    kind: Annotated[str, typer.Option(help=f"One of: {', '.join(SOURCE_KINDS)}.")] = "feed",
    language: Annotated[str | None, typer.Option(help="Language code (en).")] = None,
    country: Annotated[str | None, typer.Option(help="Country code (SY).")] = None,
    interval: Annotated[int, typer.Option(min=1, help="Seconds between polls.")] = 900,
    db: _DB = DEFAULT_PATH,
) -> None:
    """Follow a new source."""
    from sitroom.cli import _fail, err, shown

    try:
        if kind == "folder":
            location = str(Path(location).resolve())
        source = new_source(name, location, kind=kind, language=language, country=country,
                            interval_s=interval)  # fmt: skip
        with Store.open(db) as store:
            state.add_source(store, source, now=dt.datetime.now(dt.UTC))
    except SitroomError as e:
        raise _fail(e) from e
    err.print(f"following {shown(name)} ({kind}: {shown(location)}) every {interval} s")


@sources_app.command("list")
def sources_list(db: _DB = DEFAULT_PATH) -> None:
    """The sources added with sitroom sources add, and how their last poll went."""
    from sitroom.cli import _fail, _reader_may_leave

    try:
        with Store.open(db, read_only=True) as store:
            found = state.stored_sources(store)
            states = state.source_states(store)
    except SitroomError as e:
        raise _fail(e) from e
    with _reader_may_leave():
        for source in found:
            known = states.get(source.name)
            last = "never polled" if known is None else f"last poll {known.last_poll}"
            if known is not None and known.last_error:
                last += f", failing ({known.failures}×): {known.last_error}"
            extra = "".join(f" {v}" for v in (source.language, source.country) if v)
            typer.echo(
                f"{source.name}\t{source.kind}\t{source.location}\t"
                f"every {source.interval_s} s{extra}\t{last}"
            )


@sources_app.command("remove")
def sources_remove(name: str, db: _DB = DEFAULT_PATH) -> None:
    """Stop following a source (what it brought stays stored)."""
    from sitroom.cli import _fail, err, shown

    try:
        with Store.open(db) as store:
            if not state.remove_source(store, name):
                raise SitroomError(f"no source named {name!r} is followed (sitroom sources list)")
    except SitroomError as e:
        raise _fail(e) from e
    err.print(f"no longer following {shown(name)}")


def stop_on_signal(
    stop: threading.Event, announce: Callable[[], None]
) -> Callable[[int, object], None]:
    """A SIGINT/SIGTERM handler that sets ``stop`` (a second signal stops at once).

    ``stop`` is set from another thread: the handler runs in the main thread, which may hold the
    event's lock (entering ``stop.wait``) when the signal lands, and setting it there would wait
    for that lock forever.
    """

    def on_signal(signum: int, _frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt  # a second Ctrl-C: stop now
        announce()
        threading.Thread(target=stop.set, name="sitroom-stop").start()

    return on_signal
