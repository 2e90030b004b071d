"""The terminal situation report: merged events by date, actors, control, and the claim ledger.

``ledger`` renders the ledger's sections (corroborated and contradicted fields, control, backers)
and the side-by-side view of two reports (``sitroom compare``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rich.console import Console, Group, JustifyMethod, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from sitroom.picture import build_ledger
from sitroom.picture.ledger import Ledger, MergedEvent
from sitroom.records import Actor, Picture
from sitroom.report.ledger import Names, clip, render_ledger, unique, when
from sitroom.report.plain import markup_off

_STATUS_STYLE = {
    "reported": "green",
    "claimed": "yellow",
    "denied": "red",
    "planned": "cyan",
    "background": "dim",
}


@markup_off
def render(
    picture: Picture,
    console: Console,
    *,
    quotes: bool = False,
    limit: int = 200,
    ledger: Ledger | None = None,
) -> None:
    """Print the situation report for the whole picture (at most ``limit`` rows a section).

    Events are shown merged across reports, one row each: ``ledger`` is the stored picture's
    (``Store.ledger``), else it is built here (``sitroom.picture.build_ledger``).
    """
    names = {a.id: a.name for a in picture.actors}
    ledger = ledger or build_ledger(picture)
    current = [e for e in ledger.events if e.status != "background"]
    history = [e for e in ledger.events if e.status == "background"]
    console.print(_summary(picture, ledger))
    width = console.width
    console.print(
        _events_table(picture, ledger, current, names, quotes=quotes, limit=limit, width=width)
    )
    if history:
        table = _events_table(
            picture, ledger, history, names, quotes=quotes, limit=limit, width=width
        )
        table.title = "Background the reports recall"
        console.print(table)
    console.print(_actors_table(picture, names))
    console.print(_control_table(picture, names))
    render_ledger(ledger, console, Names.of(names, picture.documents), limit=limit)


def _summary(picture: Picture, ledger: Ledger) -> Panel:
    current = [e for e in picture.events if e.status != "background"]
    killed = sum(e.fatalities or 0 for e in current if e.event_type)
    merged = [e for e in ledger.events if e.status != "background"]
    merged_killed = sum(e.fatalities or 0 for e in merged if e.event_type)
    groups = ledger.source_groups
    several = sum(len({groups.get(d, d) for d in e.document_ids}) > 1 for e in ledger.events)
    clashes = sum(c.verdict == "contradicted" for e in ledger.events for c in e.claims)
    dates = sorted(e.event_date for e in current if e.event_date)
    span = f"{dates[0]} – {dates[-1]}" if dates else "no dated events"
    text = Text.assemble(
        (f"{len(picture.documents)} reports", "bold"),
        " · ",
        f"{len(picture.events)} events ({len(picture.events) - len(current)} background) · ",
        f"{len(picture.actors)} actors · {len(picture.relations)} relations · ",
        f"{len(picture.control)} control claims\n",
        f"Merged: {len(ledger.events)} events, {several} told by two or more independent "
        f"sources · {clashes} contradicted field{'' if clashes == 1 else 's'}\n",
        f"Period: {span} · fatalities reported (sum over report events, before merging): {killed}"
        f" · after merging (best figure per event): {merged_killed}",
    )
    return Panel(text, title="sitroom situation report", expand=False)


def _actor_names(event: MergedEvent, names: dict[str, str]) -> tuple[str, str]:
    def side(main: str | None, assoc: Iterable[str]) -> str:
        parts = [names.get(main, main) if main else "—"]
        parts += [f"+ {names.get(a, a)}" for a in unique(assoc) if a != main]
        return " ".join(parts)

    assoc1 = (a for m in event.members for a in m.assoc_actor_1)
    assoc2 = (a for m in event.members for a in m.assoc_actor_2)
    return side(event.actor1, assoc1), side(event.actor2, assoc2)


def _killed(event: MergedEvent) -> str:
    """The best figure and, where reports differ, their range; else the report's own words."""
    span = event.fatality_range
    texts = [m.fatalities_text for m in event.members if m.fatalities_text]
    if span is None:
        return texts[0] if texts else ""
    if span.low != span.high:
        return f"{span.best} ({span.low}–{span.high})"
    words = [m.fatalities_text for m in event.members if m.fatalities == span.best]
    return f"{span.best} ({words[0]})" if words and words[0] else str(span.best)


def _first_start(event: MergedEvent) -> int:
    first = event.members[0]
    return first.evidence[0].start if first.evidence else 0


# Below this many columns the events table folds into four columns; quotes go under the row.
NARROW = 120


@dataclass(frozen=True, slots=True)
class _Column:
    header: str
    ratio: int  # its share of the width where quotes go under the rows
    justify: JustifyMethod = "left"
    no_wrap: bool = False
    min_width: int | None = None


_WIDE = (
    _Column("Date", 3, no_wrap=True),
    _Column("Type", 4),
    _Column("Where", 4),
    _Column("Who → whom", 6),
    _Column("Killed", 2, "right"),
    # Wide enough for a file name such as "reports/idlib.txt" not to be cut.
    _Column("Status / source", 5, min_width=18),
    _Column("Sources", 2, "right"),
)
_NARROW = (
    _Column("Date", 2),
    _Column("What, where", 4),
    _Column("Who → whom", 4),
    _Column("Status, sources", 4),
)


def _events_table(
    picture: Picture,
    ledger: Ledger,
    events: list[MergedEvent],
    names: dict[str, str],
    *,
    quotes: bool,
    limit: int,
    width: int = 200,
) -> Table:
    """One row a merged event: seven columns from ``NARROW`` columns up, four below; with
    ``quotes`` each row has its quote under it, across the table's width."""
    refs = {d.id: d.source or d.ref for d in picture.documents}
    ordered = sorted(
        events,
        key=lambda e: (
            e.event_date is None,
            e.event_date or dt.date.min,
            refs.get(e.document_ids[0], ""),
            _first_start(e),
        ),
    )
    narrow = width < NARROW
    columns = _NARROW if narrow else _WIDE
    rows = []
    for event in ordered[:limit]:
        cells = _event_cells(event, refs, ledger.source_groups, names, narrow=narrow)
        quote = next((m.evidence[0].quote for m in event.members if m.evidence), "")
        rows.append((cells, quote if quotes else ""))
    if quotes:
        table = _quoted_table(columns, rows)
    else:
        table = Table(title="Events by date", expand=True)
        for column in columns:
            table.add_column(
                column.header,
                justify=column.justify,
                no_wrap=column.no_wrap,
                min_width=column.min_width,
                overflow="fold",
            )
        for cells, _ in rows:
            table.add_row(*cells)
    if len(ordered) > limit:
        table.caption = f"{len(ordered) - limit} more events not shown; export for all"
    return table


def _quoted_table(
    columns: tuple[_Column, ...], rows: list[tuple[list[RenderableType], str]]
) -> Table:
    """The events with each quote under its row: a one-column table whose cells are a row of
    fixed-ratio columns (the same in every cell, so they line up) and the quote, wrapped."""

    def line(cells: list[RenderableType], style: str = "") -> Table:
        grid = Table.grid(expand=True, padding=(0, 1))
        for column in columns:
            grid.add_column(justify=column.justify, ratio=column.ratio, overflow="fold")
        grid.add_row(*cells, style=style)
        return grid

    table = Table(title="Events by date", expand=True, show_lines=True)
    table.add_column(line([c.header for c in columns], style="bold"))
    for cells, quote in rows:
        if quote:
            said = Text(f"“{clip(quote, 600)}”", style="italic dim")
            table.add_row(Group(line(cells), Padding(said, (0, 0, 0, 2))))
        else:
            table.add_row(line(cells))
    return table


def _break_at_slash(kind: str, width: int = 19) -> str:
    """A long type on two lines after a slash ("Shelling/artillery/" over "missile attack"),
    not folded mid-word in a narrow column."""
    if len(kind) <= width or "/" not in kind[:width]:
        return kind
    cut = kind.rindex("/", 0, width) + 1
    return kind[:cut] + "\n" + kind[cut:].lstrip()


def _event_cells(
    event: MergedEvent,
    refs: dict[str, str],
    groups: Mapping[str, str],
    names: dict[str, str],
    *,
    narrow: bool,
) -> list[RenderableType]:
    kind = event.sub_event_type or f"{event.plover_type} (PLOVER)"
    where = event.location.name if event.location else "—"
    if event.location and event.location.country:
        where += f", {event.location.country}"
    who, whom = _actor_names(event, names)
    status = Text(event.status, style=_STATUS_STYLE.get(event.status, ""))
    parties = unique(
        m.claimed_by for m in event.members if m.claimed_by and m.status == event.status
    )
    if parties:
        status.append(" by " + ", ".join(names.get(p, p) for p in parties))
    reports = ", ".join(unique(refs.get(d, d) for d in event.document_ids))
    independent = len({groups.get(d, d) for d in event.document_ids})
    sources = str(independent)
    if len(event.document_ids) > independent:
        sources += f" ({len(event.document_ids)} reports)"
    date = when(event.event_date, event.date_precision)
    killed = _killed(event)
    if not narrow:
        status.append(f"\n{reports}", style="dim")
        return [date, kind, where, f"{who} → {whom}", killed, status, sources]
    # Four columns: "week of" over the date, the toll with the type, the count with the sources.
    what = Text(_break_at_slash(kind), style="bold")
    what.append(f"\n{where}")
    if killed:
        what.append(f"\n{killed} killed")
    plural = "" if independent == 1 else "s"
    status.append(f"\n{reports}", style="dim")
    status.append(f"\n{independent} source{plural}" + sources[len(str(independent)) :])
    return [date.replace("week of ", "week of\n"), what, f"{who}\n→ {whom}", status]


def _actors_table(picture: Picture, names: dict[str, str]) -> Table:
    backers: dict[str, set[str]] = defaultdict(set)
    opponents: dict[str, set[str]] = defaultdict(set)
    parts: dict[str, set[str]] = defaultdict(set)
    for rel in picture.relations:
        if rel.predicate in ("supports", "allied_with"):
            backers[rel.object].add(names.get(rel.subject, rel.subject))
            if rel.predicate == "allied_with":
                backers[rel.subject].add(names.get(rel.object, rel.object))
        elif rel.predicate == "opposes":
            opponents[rel.subject].add(names.get(rel.object, rel.object))
        elif rel.predicate == "part_of":
            parts[rel.subject].add(names.get(rel.object, rel.object))
    active = {
        x
        for e in picture.events
        for x in (e.actor1, e.actor2, *e.assoc_actor_1, *e.assoc_actor_2)
        if x
    }
    active |= set(backers) | set(opponents) | set(parts)
    table = Table(title="Actors and who backs whom", expand=True)
    for column in ("Actor", "Kind", "Backed by", "Part of", "Opposes"):
        table.add_column(column, overflow="fold")
    actors: list[Actor] = sorted(
        (a for a in picture.actors if a.id in active), key=lambda a: a.name
    )
    for actor in actors:
        table.add_row(
            actor.name,
            actor.kind,
            ", ".join(sorted(backers[actor.id])),
            ", ".join(sorted(parts[actor.id])),
            ", ".join(sorted(opponents[actor.id])),
        )
    return table


def _control_table(picture: Picture, names: dict[str, str]) -> Table:
    refs = {d.id: d.source or d.ref for d in picture.documents}
    table = Table(title="Who holds what", expand=True)
    for column in ("Place", "Date", "Controller", "Status", "Source"):
        table.add_column(column, overflow="fold")
    ordered = sorted(picture.control, key=lambda c: (c.place.name, c.date or dt.date.min, c.status))
    for claim in ordered:
        sources = ", ".join(
            sorted({refs.get(e.document_id, e.document_id) for e in claim.evidence})
        )
        table.add_row(
            claim.place.name,
            str(claim.date or "?"),
            names.get(claim.controller, claim.controller),
            claim.status,
            sources,
        )
    return table
