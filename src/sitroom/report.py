"""The terminal situation report: events by date, actors and backers, control by place."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from sitroom.records import Actor, Event, Picture

_STATUS_STYLE = {
    "reported": "green",
    "claimed": "yellow",
    "denied": "red",
    "planned": "cyan",
    "background": "dim",
}


def render(picture: Picture, console: Console, *, quotes: bool = False, limit: int = 200) -> None:
    """Print the situation report for the whole picture (at most ``limit`` events a table)."""
    names = {a.id: a.name for a in picture.actors}
    current = [e for e in picture.events if e.status != "background"]
    history = [e for e in picture.events if e.status == "background"]
    console.print(_summary(picture))
    console.print(_events_table(picture, current, names, quotes=quotes, limit=limit))
    if history:
        table = _events_table(picture, history, names, quotes=quotes, limit=limit)
        table.title = "Background the reports recall"
        console.print(table)
    console.print(_actors_table(picture, names))
    console.print(_control_table(picture, names))


def _summary(picture: Picture) -> Panel:
    current = [e for e in picture.events if e.status != "background"]
    killed = sum(e.fatalities or 0 for e in current if e.event_type)
    dates = sorted(e.event_date for e in current if e.event_date)
    span = f"{dates[0]} – {dates[-1]}" if dates else "no dated events"
    text = Text.assemble(
        (f"{len(picture.documents)} reports", "bold"),
        " · ",
        f"{len(picture.events)} events ({len(picture.events) - len(current)} background) · ",
        f"{len(picture.actors)} actors · {len(picture.relations)} relations · ",
        f"{len(picture.control)} control claims\n",
        f"Period: {span} · fatalities reported (sum over report events, before merging): {killed}",
    )
    return Panel(text, title="sitroom situation report", expand=False)


def _actor_names(event: Event, names: dict[str, str]) -> tuple[str, str]:
    def side(main: str | None, assoc: tuple[str, ...]) -> str:
        parts = [names.get(main, main) if main else "—"]
        parts += [f"+ {names.get(a, a)}" for a in assoc]
        return " ".join(parts)

    return side(event.actor1, event.assoc_actor_1), side(event.actor2, event.assoc_actor_2)


def _when(event: Event) -> str:
    """The date as precisely as the report gave it: 2015, 2024-12, 2024-12-04."""
    if event.event_date is None:
        return "?"
    if event.date_precision == "year":
        return str(event.event_date.year)
    if event.date_precision == "month":
        return event.event_date.strftime("%Y-%m")
    if event.date_precision == "week":
        return f"week of {event.event_date}"
    return str(event.event_date)


def _events_table(
    picture: Picture, events: list[Event], names: dict[str, str], *, quotes: bool, limit: int
) -> Table:
    refs = {d.id: d.source or d.ref for d in picture.documents}
    table = Table(title="Events by date", show_lines=quotes, expand=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Type")
    table.add_column("Where")
    table.add_column("Who → whom")
    table.add_column("Killed", justify="right")
    table.add_column("Status / source")
    ordered = sorted(
        events,
        key=lambda e: (
            e.event_date is None,
            e.event_date or dt.date.min,
            refs.get(e.document_id, ""),
            e.evidence[0].start if e.evidence else 0,
        ),
    )
    for event in ordered[:limit]:
        kind = event.sub_event_type or f"{event.plover_type} (PLOVER)"
        where = event.location.name if event.location else "—"
        if event.location and event.location.country:
            where += f", {event.location.country}"
        who, whom = _actor_names(event, names)
        killed = event.fatalities_text or ""
        if event.fatalities is not None:
            killed = f"{event.fatalities} ({event.fatalities_text})"
        date = _when(event)
        status = Text(event.status, style=_STATUS_STYLE.get(event.status, ""))
        if event.claimed_by:
            status.append(f" by {names.get(event.claimed_by, event.claimed_by)}")
        status.append(f"\n{refs.get(event.document_id, event.document_id)}", style="dim")
        cells: list[object] = [date, kind, where, f"{who} → {whom}", killed, status]
        if quotes and event.evidence:
            quote = event.evidence[0].quote
            cells[1] = Group(
                Text(kind, style="bold"), Text(f"“{_clip(quote)}”", style="italic dim")
            )
        table.add_row(*cells)  # type: ignore[arg-type]
    if len(ordered) > limit:
        table.caption = f"{len(ordered) - limit} more events not shown; export for all"
    return table


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
        table.add_column(column)
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
        table.add_column(column)
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


def _clip(text: str, width: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
