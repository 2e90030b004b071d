"""The command line: a thin layer over ``sitroom.api``; errors become one line and an exit code."""

from __future__ import annotations

import enum
import logging
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from sitroom import __version__
from sitroom.api import analyze as run_analyze
from sitroom.api import build_gazetteer, gazetteer_is_built
from sitroom.config import Config, load_config, to_toml
from sitroom.errors import InputError, SitroomError, StoreError
from sitroom.export import EXPORT_FORMATS, export
from sitroom.knowledge.gazetteer import default_cache_dir
from sitroom.picture import compare_reports, find_document, picture_from_analyses
from sitroom.records import Analysis, Picture
from sitroom.report import render
from sitroom.report.ledger import Names, render_comparison
from sitroom.store import DB_HELP, DEFAULT_PATH, Store
from sitroom.store.backend import is_url, redacted
from sitroom.store.picture_read import stored_reader

app = typer.Typer(
    help="sitroom: conflict news reports in, one source-checked situation picture out.",
    no_args_is_help=True,
    add_completion=False,
    # Plain help: typer's rich panels print a "<bool>" value after every flag (--verbose, --help).
    rich_markup_mode=None,
)
err = Console(stderr=True)

# Exit codes: 0 all good, 1 error, 2 usage (typer), 3 some inputs were skipped.
EXIT_SKIPPED = 3

DbOption = Annotated[str, typer.Option("--db", envvar="SITROOM_DB", help=DB_HELP)]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="TOML file overriding defaults.")
]


class Engine(enum.StrEnum):
    """Where ``analyze`` runs the per-report stage (``sitroom.api.ENGINES``)."""

    local = "local"
    ray = "ray"


# C0 and C1 control characters (ESC starts a terminal escape sequence), DEL included.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def shown(value: object) -> str:
    """Text from outside (a file name, a message naming one) made safe to print: control
    characters as visible escapes (ESC as \\x1b) and rich markup taken literally."""
    text = _CONTROL.sub(lambda m: repr(m.group())[1:-1], str(value))
    return escape(text)


def _fail(error: Exception) -> typer.Exit:
    err.print(f"[red]error:[/red] {shown(error)}")
    return typer.Exit(1)


@contextmanager
def _reader_may_leave() -> Iterator[None]:
    """`sitroom export | head`: a reader that closes the pipe early ends the command quietly."""
    try:
        yield
    except BrokenPipeError:
        try:
            # Python flushes stdout once more on the way out; send that to /dev/null.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass  # stdout is no file (tests capture it): nothing more will be flushed to it
        raise typer.Exit(0) from None


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"sitroom {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.ERROR,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


@app.command()
def version() -> None:
    """Print sitroom's version."""
    typer.echo(f"sitroom {__version__}")


@app.command()
def analyze(
    paths: Annotated[
        list[Path],
        # readable=False: an unreadable file is named and skipped by the reader, not a usage
        # error that refuses the whole batch.
        typer.Argument(help="Report files (.txt, .html, .jsonl) or folders.", readable=False),
    ],
    db: DbOption = DEFAULT_PATH,
    config: ConfigOption = None,
    follow_symlinks: Annotated[
        bool | None,
        typer.Option(
            "--follow-symlinks/--no-follow-symlinks",
            help="Read links in input folders that lead outside them (config: follow_symlinks).",
            show_default=False,
        ),
    ] = None,
    report: Annotated[bool, typer.Option(help="Print the situation report afterwards.")] = True,
    quotes: Annotated[bool, typer.Option(help="Show each event's quote in the report.")] = False,
    workers: Annotated[
        int, typer.Option(min=1, help="Processes that analyse reports (one stores them).")
    ] = 1,
    engine: Annotated[
        Engine,
        typer.Option(
            help="Where reports are analysed: processes of this machine, or actors of the Ray "
            "cluster that RAY_ADDRESS names (pip install 'sitroom[ray]'; without RAY_ADDRESS "
            "Ray starts here).",
        ),
    ] = Engine.local,
) -> None:
    """Read reports, extract the situation picture, store it in --db and print the report."""
    console = Console()
    try:
        cfg = load_config(config, follow_symlinks=follow_symlinks)
        if not gazetteer_is_built(cfg):
            _build_gazetteer(cfg)
        with Progress(
            SpinnerColumn(),
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            TextColumn("{task.completed} reports"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        ) as progress:
            task = progress.add_task("Analysing", total=None)
            result = run_analyze(
                paths,
                db=db,
                config=cfg,
                workers=workers,
                engine=engine.value,
                keep=False,  # counted, not held: memory stays flat over an archive
                on_document=lambda ref: progress.update(
                    task, advance=1, description=f"Analysing {shown(Path(ref).name)}"
                ),
            )
        for error in result.errors:
            err.print(f"[yellow]skipped:[/yellow] {shown(error)}")
        err.print(
            f"{result.analysed} reports analysed, "
            f"{len(result.already_stored)} already stored, "
            f"{len(result.errors)} skipped → {shown(redacted(db))}"
        )
        if report:
            with (
                Store.open(db, read_only=True) as store,
                _reader_may_leave(),
                stored_reader(store) as reader,
            ):
                render(reader, console, quotes=quotes)
    except SitroomError as e:
        raise _fail(e) from e
    if result.errors:
        raise typer.Exit(EXIT_SKIPPED)


@app.command("report")
def report_command(
    db: DbOption = DEFAULT_PATH,
    quotes: Annotated[bool, typer.Option(help="Show each event's quote.")] = False,
) -> None:
    """Print the situation report for everything stored in --db."""
    try:
        with (
            Store.open(db, read_only=True) as store,
            _reader_may_leave(),
            stored_reader(store) as reader,
        ):
            render(reader, Console(), quotes=quotes)
    except SitroomError as e:
        raise _fail(e) from e


@app.command()
def rebuild(
    db: DbOption = DEFAULT_PATH,
    restart: Annotated[
        bool,
        typer.Option(
            "--restart", help="Start again from nothing where a rebuild stopped half-way."
        ),
    ] = False,
) -> None:
    """Recompute the stored cross-report picture (merged events, claims, control, alliances)
    from the stored reports: once after an upgrade that changed the merge or reconcile rules.
    A rebuild by the same rules that stopped half-way goes on where it stopped."""
    try:
        if not is_url(db) and not Path(db).is_file():
            raise StoreError(f"{db}: no such database")
        with Store.open(db) as store, err.status("Rebuilding the picture", spinner="dots"):
            merged = store.rebuild(restart=restart)
        err.print(f"picture rebuilt: {merged} merged events → {shown(redacted(db))}")
    except SitroomError as e:
        raise _fail(e) from e


@app.command("export")
def export_command(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=f"One of: {', '.join(EXPORT_FORMATS)}.")
    ] = "json",
    db: DbOption = DEFAULT_PATH,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output file (default: stdout).")
    ] = None,
    inter: Annotated[
        str | None,
        typer.Option(help="acled-csv: inter codes as ACLED's API writes them (text) or numeric."),
    ] = None,
    plover_names: Annotated[
        str | None,
        typer.Option(help="plover-jsonl: the current manual's field names (current) or 0.5's."),
    ] = None,
    isolated: Annotated[
        bool | None,
        typer.Option(help="graphml: keep actors no relation links (default), or leave them out."),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Write the stored picture in a standard format."""
    given = {"inter": inter, "names": plover_names, "isolated": isolated}
    options: dict[str, object] = {k: v for k, v in given.items() if v is not None}
    try:
        if fmt in ("acled-csv", "plover-jsonl"):  # the exports that read data files
            options["overrides"] = load_config(config).overrides()
        # Read as it is written, a batch at a time: memory stays flat however large the store.
        with Store.open(db, read_only=True) as store:
            if out is None:
                with _reader_may_leave(), stored_reader(store) as reader:
                    export(reader, fmt, sys.stdout, **options)
            else:
                _export_to(store, fmt, out, options)
    except SitroomError as e:
        raise _fail(e) from e


def _export_to(store: Store, fmt: str, out: Path, options: dict[str, object]) -> None:
    """Export into ``out`` whole or not at all (written aside, then moved in place)."""
    tmp = out.with_name(out.name + ".part")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as handle, stored_reader(store) as reader:
            export(reader, fmt, handle, **options)
        tmp.replace(out)
    except OSError as e:
        raise SitroomError(f"{out}: cannot write: {e}") from e
    finally:
        tmp.unlink(missing_ok=True)
    err.print(f"wrote {shown(fmt)} to {shown(out)}")


@app.command("config")
def config_command(config: ConfigOption = None) -> None:
    """Print the effective configuration (defaults, then --config) as TOML, every key explained."""
    try:
        cfg = load_config(config)
    except SitroomError as e:
        raise _fail(e) from e
    with _reader_may_leave():
        typer.echo(to_toml(cfg), nl=False)


def _build_gazetteer(cfg: Config) -> None:
    """The first run builds the place-name index; say what it is, that it happens once, and how
    far it has got."""
    err.print(
        "Building the place-name index from GeoNames into "
        f"{shown(cfg.cache_dir or default_cache_dir())}: once, about a minute and a half."
    )
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as progress:
        task = progress.add_task("Gazetteer", total=None)
        build_gazetteer(
            cfg, on_progress=lambda done, total: progress.update(task, completed=done, total=total)
        )
    err.print("Place-name index built; later runs load it in a second or two.")


def _analyse_one(path: str, cfg: Config) -> Analysis:
    """The analysis of the one report a file holds (nothing is stored)."""
    result = run_analyze([path], config=cfg)
    if result.errors:
        raise result.errors[0]
    if len(result.analyses) != 1:
        raise InputError(
            f"holds {len(result.analyses)} reports; compare takes one report a side", source=path
        )
    return result.analyses[0]


@app.command()
def compare(
    first: Annotated[
        str, typer.Argument(help="Report A: a file, or with --db a stored report's ref or id.")
    ],
    second: Annotated[str, typer.Argument(help="Report B, likewise.")],
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="SITROOM_DB",
            help="Look both reports up in this database (an SQLite file or a postgresql:// URL) "
            "instead of files. Also read from SITROOM_DB.",
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Show what two reports agree on, where they differ, and what only one of them says."""
    try:
        picture: Picture
        if db is None:
            cfg = load_config(config)
            with err.status("Analysing both reports", spinner="dots"):
                found = [_analyse_one(first, cfg), _analyse_one(second, cfg)]
            picture = picture_from_analyses(found)
            a, b = (x.document.id for x in found)
        else:
            with Store.open(db, read_only=True) as store:
                picture = store.picture()
            a = find_document(picture.documents, first).id
            b = find_document(picture.documents, second).id
        comparison = compare_reports(picture, a, b)
        names = Names.of({x.id: x.name for x in picture.actors}, picture.documents)
        with _reader_may_leave():
            render_comparison(comparison, Console(), names)
    except SitroomError as e:
        raise _fail(e) from e


@app.command()
def serve(
    db: DbOption = DEFAULT_PATH,
    host: Annotated[str, typer.Option(help="Interface to bind; localhost unless told.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="SITROOM_TOKEN",
            help="Accept POSTed reports from clients presenting this token (off without it).",
        ),
    ] = None,
    max_body: Annotated[
        int, typer.Option(min=1, help="Largest request body accepted, in bytes.")
    ] = 2_000_000,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            help="Also answer requests for this host name (repeatable); localhost and the "
            "--host value always are. Other names are refused, against DNS rebinding.",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Processes answering requests on the one port (each with its own connection "
            "to --db); more than one lets concurrent clients use more cores.",
        ),
    ] = 1,
    config: ConfigOption = None,
) -> None:
    """Serve the HTTP API and the page (map, timeline, actors, sources) over --db."""
    import uvicorn

    from sitroom.web import create_app
    from sitroom.web.hosts import is_loopback, served_names
    from sitroom.web.server import (
        SETTINGS_VARIABLE,
        TOKEN_VARIABLE,
        run_workers,
        worker_settings,
    )

    try:
        cfg = load_config(config)
        if token is not None and len(token) < 16:
            raise SitroomError("--token must be at least 16 characters")
        names = served_names(host, allow_host or ())
        web = create_app(db, token=token, max_body_bytes=max_body, config=cfg, allowed_hosts=names)
    except SitroomError as e:
        raise _fail(e) from e
    if not is_loopback(host):
        err.print(
            f"[bold red]warning:[/bold red] {escape(host)} is not a loopback address: anyone who "
            "can reach this machine can read every stored report"
            + ("" if token is None else " and, with the token, add reports")
            + ". Host names answered: "
            + escape(", ".join(sorted(names)))
            + " (add more with --allow-host)."
        )
    mode = "reports accepted with the token" if token else "read-only"
    err.print(
        f"serving {shown(redacted(db))} on http://{host}:{port}/ ({mode}"
        + (f", {workers} worker processes" if workers > 1 else "")
        + "); Ctrl-C stops"
    )
    if workers == 1:
        uvicorn.run(web, host=host, port=port, log_level="warning")
        return
    # The app above has checked the settings (and upgraded the database); each worker process
    # builds its own from the same settings, passed through its environment.
    web.state.store.close()
    os.environ[SETTINGS_VARIABLE] = worker_settings(
        db, max_body_bytes=max_body, config=config, allowed_hosts=names
    )
    if token is not None:
        os.environ[TOKEN_VARIABLE] = token
    run_workers(host, port, workers)


def _register_watch() -> None:
    from sitroom.cli_watch import register  # it reads this module's helpers

    register(app)


_register_watch()

if __name__ == "__main__":  # pragma: no cover
    app()
