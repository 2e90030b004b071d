"""The terminal situation report: merged events by date, actors, control, and the claim ledger.

``ledger`` renders the ledger's sections (corroborated and contradicted fields, control, backers)
and the side-by-side view of two reports (``sitroom compare``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from rich.console import Console, Group, JustifyMethod, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from sitroom.export.source import PictureReader, flat, reader_of
from sitroom.picture.ledger import Ledger, MergedEvent
from sitroom.records import Actor, ControlClaim, Document, Picture
from sitroom.report.ledger import LedgerDigest, Names, clip, render_digest, unique, when
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
    picture: Picture | PictureReader,
    console: Console,
    *,
    quotes: bool = False,
    limit: int = 200,
    ledger: Ledger | None = None,
) -> None:
    """Print the situation report for the whole picture (at most ``limit`` rows a section).

    ``picture`` is a Picture in memory, its ledger ``ledger`` or else built here
    (``sitroom.picture.build_ledger``), or a reader such as the stored picture's
    (``sitroom.store.picture_read.stored_reader``), read in one pass a listing, keeping the
    counts and the rows shown: events are shown merged across reports, one row each.
    """
    reader = reader_of(picture, ledger)
    actors = list(flat(reader.actors()))
    names = {a.id: a.name for a in actors}
    documents = _DocumentNames(reader)
    records = _Records.of(reader)
    merged = _Merged.of(reader, limit=limit)
    console.print(_summary(records, merged, len(actors)))
    width = console.width
    console.print(
        _events_table(reader, merged.current, documents, names, quotes=quotes, width=width)
    )
    if merged.history.count:
        table = _events_table(reader, merged.history, documents, names, quotes=quotes, width=width)
        table.title = "Background the reports recall"
        console.print(table)
    console.print(_actors_table(actors, records, names))
    console.print(_control_table(records.control, documents, names))
    render_digest(
        merged.digest,
        console,
        Names(names, documents),
        control=list(flat(reader.control_timelines())),
        alliances=flat(reader.alliances()),
    )


class _DocumentNames(Mapping[str, str]):
    """Document id -> outlet, else ref; read as asked for and kept (only what is shown)."""

    def __init__(self, reader: PictureReader) -> None:
        self._reader = reader
        self._known: dict[str, str] = {}

    def __getitem__(self, document_id: str) -> str:
        if document_id not in self._known:
            found = self._reader.documents_of({document_id}).get(document_id)
            if found is None:
                raise KeyError(document_id)
            self._known[document_id] = found.source or found.ref
        return self._known[document_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._known)  # the names looked up so far

    def __len__(self) -> int:
        return len(self._known)


@dataclass(slots=True)
class _Records:
    """What the report shows of the per-report records, read in one pass a listing."""

    documents: int = 0
    events: int = 0
    background: int = 0
    killed: int = 0  # over report events with an ACLED type, background left out
    first: dt.date | None = None  # the span of the dated events, background left out
    last: dt.date | None = None
    active: set[str] = field(default_factory=set)  # actors some event or relation names
    relations: int = 0
    backers: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    opponents: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    parts: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    control: list[ControlClaim] = field(default_factory=list)  # by place, date, status

    @classmethod
    def of(cls, reader: PictureReader) -> _Records:
        counts = reader.record_counts()
        found = cls(
            documents=counts.documents,
            events=counts.events,
            background=counts.background,
            killed=counts.killed,
            first=counts.first,
            last=counts.last,
            active=set(counts.actors),
        )
        for relation in flat(reader.relation_runs()):
            found.relations += 1
            found.relate(relation.subject, relation.predicate, relation.object)
        for run in reader.control_runs():
            found.control += sorted(run, key=lambda c: (c.date or dt.date.min, c.status))
        return found

    def relate(self, subject: str, predicate: str, obj: str) -> None:
        """Count a relation into the backers, parts and opponents (actor ids)."""
        if predicate in ("supports", "allied_with"):
            self.backers[obj].add(subject)
            if predicate == "allied_with":
                self.backers[subject].add(obj)
        elif predicate == "opposes":
            self.opponents[subject].add(obj)
        elif predicate == "part_of":
            self.parts[subject].add(obj)
        else:
            return
        self.active.add(subject if predicate != "supports" else obj)
        if predicate == "allied_with":
            self.active.add(obj)


@dataclass(slots=True)
class _Top:
    """The first ``limit`` items by key (ties in the order added) and how many were added."""

    limit: int
    count: int = 0
    _items: list[tuple[tuple[object, ...], int, MergedEvent]] = field(default_factory=list)

    def add(self, key: tuple[object, ...], item: MergedEvent) -> None:
        self._items.append((key, self.count, item))
        self.count += 1
        if len(self._items) >= 2 * self.limit + 64:
            self._trim()

    def _trim(self) -> None:
        self._items.sort(key=lambda x: x[:2])
        del self._items[self.limit :]

    def items(self) -> list[MergedEvent]:
        """The first ``limit`` items, in order."""
        self._trim()
        return [x[2] for x in self._items]


@dataclass(slots=True)
class _Merged:
    """What the report shows of the merged events, read in one pass."""

    digest: LedgerDigest
    current: _Top
    history: _Top  # background the reports recall
    several: int = 0  # events told by two or more independent sources
    killed: int = 0  # best figures, background left out

    @classmethod
    def of(cls, reader: PictureReader, *, limit: int) -> _Merged:
        found = cls(LedgerDigest(limit=limit), _Top(limit), _Top(limit))
        for batch in reader.merged_events():
            groups = reader.source_groups_of({d for e in batch for d in e.document_ids})
            firsts = reader.documents_of({e.document_ids[0] for e in batch if e.document_ids})
            for event in batch:
                found.add(event, groups, firsts)
        return found

    def add(
        self, event: MergedEvent, groups: Mapping[str, str], firsts: Mapping[str, Document]
    ) -> None:
        self.digest.add(event, groups)
        self.several += len({groups.get(d, d) for d in event.document_ids}) > 1
        first = firsts.get(event.document_ids[0]) if event.document_ids else None
        key = (
            event.event_date is None,
            event.event_date or dt.date.min,
            (first.source or first.ref) if first else "",
            _first_start(event),
        )
        if event.status == "background":
            self.history.add(key, event)
            return
        if event.event_type:
            self.killed += event.fatalities or 0
        self.current.add(key, event)


def _summary(records: _Records, merged: _Merged, actors: int) -> Panel:
    clashes = merged.digest.contradicted_count
    span = f"{records.first} – {records.last}" if records.first else "no dated events"
    text = Text.assemble(
        (f"{records.documents} reports", "bold"),
        " · ",
        f"{records.events} events ({records.background} background) · ",
        f"{actors} actors · {records.relations} relations · ",
        f"{len(records.control)} control claims\n",
        f"Merged: {merged.digest.events} events, {merged.several} told by two or more "
        f"independent sources · {clashes} contradicted field{'' if clashes == 1 else 's'}\n",
        f"Period: {span} · fatalities reported (sum over report events, before merging): "
        f"{records.killed} · after merging (best figure per event): {merged.killed}",
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
    reader: PictureReader,
    top: _Top,
    refs: Mapping[str, str],
    names: dict[str, str],
    *,
    quotes: bool,
    width: int = 200,
) -> Table:
    """One row a merged event (the first ``top.limit`` by date, first report and place in
    it): seven columns from ``NARROW`` columns up, four below; with ``quotes`` each row has its
    quote under it, across the table's width."""
    shown = top.items()
    groups = reader.source_groups_of({d for e in shown for d in e.document_ids})
    narrow = width < NARROW
    columns = _NARROW if narrow else _WIDE
    rows = []
    for event in shown:
        cells = _event_cells(event, refs, groups, names, narrow=narrow)
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
    if top.count > len(shown):
        table.caption = f"{top.count - len(shown)} more events not shown; export for all"
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
    refs: Mapping[str, str],
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


def _actors_table(actors: Iterable[Actor], records: _Records, names: dict[str, str]) -> Table:
    def named(ids: Iterable[str]) -> str:
        return ", ".join(sorted({names.get(x, x) for x in ids}))

    table = Table(title="Actors and who backs whom", expand=True)
    for column in ("Actor", "Kind", "Backed by", "Part of", "Opposes"):
        table.add_column(column, overflow="fold")
    for actor in sorted((a for a in actors if a.id in records.active), key=lambda a: a.name):
        table.add_row(
            actor.name,
            actor.kind,
            named(records.backers[actor.id]),
            named(records.parts[actor.id]),
            named(records.opponents[actor.id]),
        )
    return table


def _control_table(
    claims: Iterable[ControlClaim], refs: Mapping[str, str], names: dict[str, str]
) -> Table:
    table = Table(title="Who holds what", expand=True)
    for column in ("Place", "Date", "Controller", "Status", "Source"):
        table.add_column(column, overflow="fold")
    for claim in claims:
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
