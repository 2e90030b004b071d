"""The ledger in the terminal report: what sources agree on, where they clash, control, backers.

Also the side-by-side view of two reports (``sitroom compare``). Everything here reads a Ledger
(``sitroom.picture.build_ledger``) or a Comparison and prints; nothing is computed twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from sitroom.picture.ledger import (
    AllianceEdge,
    Comparison,
    ControlConflict,
    ControlEntry,
    ControlTimeline,
    FieldClaim,
    Ledger,
    MergedEvent,
    SourceValue,
)
from sitroom.records import Document, Evidence
from sitroom.report.plain import markup_off

# How many single-source events the report lists by name; the rest are counted.
SINGLE_SOURCE_SHOWN = 5
_QUOTE_CHARS = 90
_FIELD_NAMES = {
    "event_date": "date",
    "location": "place",
    "actor1": "actor",
    "actor2": "target",
    "fatalities": "killed",
    "status": "status",
    "event_type": "type",
}
_VERDICT_STYLE = {"corroborated": "green", "single-source": "yellow", "contradicted": "bold red"}
_VERDICT_MARK = {"corroborated": "✓ corroborated", "contradicted": "✗ contradicted"}


@dataclass(frozen=True, slots=True)
class Names:
    """Display names: actors by id, documents by id (outlet, else ref)."""

    actors: Mapping[str, str]
    documents: Mapping[str, str]

    @classmethod
    def of(cls, actors: Mapping[str, str], documents: Iterable[Document]) -> Names:
        """Names for a picture's actors (id -> name) and documents."""
        return cls(actors, {d.id: d.source or d.ref for d in documents})

    def actor(self, actor_id: str | None) -> str:
        """An actor's name; an id with no record stands for itself."""
        return "—" if actor_id is None else self.actors.get(actor_id, actor_id)

    def document(self, document_id: str) -> str:
        """A document's outlet or ref; an unknown id stands for itself."""
        return self.documents.get(document_id, document_id)


# -- small helpers shared with sitroom.report ----------------------------------------------


def when(date: dt.date | None, precision: str) -> str:
    """The date as precisely as the report gave it: 2015, 2024-12, 2024-12-04."""
    if date is None:
        return "?"
    if precision == "year":
        return str(date.year)
    if precision == "month":
        return date.strftime("%Y-%m")
    if precision == "week":
        return f"week of {date}"
    return str(date)


def clip(text: str, width: int = 220) -> str:
    """Text on one line, cut to ``width`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def unique(items: Iterable[str]) -> list[str]:
    """Items without repeats, in first-seen order."""
    return list(dict.fromkeys(items))


def event_label(event: MergedEvent, names: Names) -> str:
    """Date, kind and place of a merged event, e.g. '2024-12-02 Air/drone strike, Idlib'."""
    kind = event.sub_event_type or event.event_type or event.plover_type
    where = f", {event.location.name}" if event.location else ""
    return f"{when(event.event_date, event.date_precision)} {kind}{where}"


def _value(field: str, value: str | None, names: Names) -> str:
    if value is None:
        return "—"
    return names.actor(value) if field in ("actor1", "actor2") else value


def _voice(value: SourceValue, names: Names) -> str:
    source = names.document(value.evidence.document_id)
    return f"{source}, citing {names.actor(value.claimed_by)}" if value.by_party else source


def _voices(values: Iterable[SourceValue], names: Names) -> str:
    """Each document once, with the parties it cites: 'Wire A (citing HTS); Wire B'."""
    parties: dict[str, list[str]] = {}
    for value in values:
        cited = parties.setdefault(names.document(value.evidence.document_id), [])
        if value.by_party and names.actor(value.claimed_by) not in cited:
            cited.append(names.actor(value.claimed_by))
    return "; ".join(
        f"{doc} (citing {', '.join(cited)})" if cited else doc for doc, cited in parties.items()
    )


def _quoted(evidence: Evidence) -> str:
    return f"“{clip(evidence.quote, _QUOTE_CHARS)}”" if evidence.quote else ""


def _line(text: str, style: str = "") -> Text:
    return Text(text, style=style)


def _heading(console: Console, title: str) -> None:
    console.print(Text(title, style="bold underline"))


# -- sections of the situation report ------------------------------------------------------


@dataclass(slots=True)
class LedgerDigest:
    """What the ledger's sections show of the merged events, gathered in one pass over them
    (``add``, in the ledger's order): counts, and the first ``limit`` rows of each section."""

    limit: int = 200
    events: int = 0
    corroborated: list[tuple[MergedEvent, FieldClaim]] = field(default_factory=list)
    corroborated_count: int = 0
    contradicted: list[tuple[MergedEvent, FieldClaim]] = field(default_factory=list)
    contradicted_count: int = 0
    # Single-source events of the period first, then background the reports recall.
    single: list[MergedEvent] = field(default_factory=list)
    single_background: list[MergedEvent] = field(default_factory=list)
    single_count: int = 0
    single_fields: int = 0

    def add(self, event: MergedEvent, groups: Mapping[str, str]) -> None:
        """Count one merged event in; ``groups``: its documents' wire-copy groups."""
        self.events += 1
        for claim in event.claims:
            if claim.verdict == "corroborated":
                self.corroborated_count += 1
                if len(self.corroborated) < self.limit:
                    self.corroborated.append((event, claim))
            elif claim.verdict == "contradicted":
                self.contradicted_count += 1
                if len(self.contradicted) < self.limit:
                    self.contradicted.append((event, claim))
            elif claim.verdict == "single-source":
                self.single_fields += 1
        if len({groups.get(d, d) for d in event.document_ids}) == 1:
            self.single_count += 1
            shown = self.single_background if event.status == "background" else self.single
            if len(shown) < SINGLE_SOURCE_SHOWN:
                shown.append(event)

    @classmethod
    def of(cls, ledger: Ledger, *, limit: int = 200) -> LedgerDigest:
        """The digest of a ledger in memory."""
        digest = cls(limit=limit)
        for event in ledger.events:
            digest.add(event, ledger.source_groups)
        return digest


@markup_off
def render_ledger(ledger: Ledger, console: Console, names: Names, *, limit: int = 200) -> None:
    """Print the sections Corroborated, Contradicted, Single-source, Control by place, Backers."""
    digest = LedgerDigest.of(ledger, limit=limit)
    render_digest(digest, console, names, control=ledger.control, alliances=ledger.alliances)


@markup_off
def render_digest(
    digest: LedgerDigest,
    console: Console,
    names: Names,
    *,
    control: Sequence[ControlTimeline],
    alliances: Iterable[AllianceEdge],
) -> None:
    """``render_ledger`` from a digest of the merged events and the control timelines and
    alliance edges (printed whole)."""
    _corroborated(digest, console, names)
    _contradicted(digest, control, console, names)
    _single_source(digest, console, names)
    console.print(control_table(control, names))
    console.print(backers_table(alliances, names))


def _corroborated(digest: LedgerDigest, console: Console, names: Names) -> None:
    _heading(console, "Corroborated")
    if not digest.corroborated:
        console.print(_line("No field is told alike by two independent sources.", "dim"))
    for event, claim in digest.corroborated:
        console.print(_corroborated_line(event, claim, names))
    more = digest.corroborated_count - len(digest.corroborated)
    if more > 0:
        console.print(_line(f"{more} more corroborated fields not shown", "dim"))


def _values(claim: FieldClaim, names: Names) -> str:
    return " / ".join(unique(_value(claim.field, v.value, names) for v in claim.values))


def _corroborated_line(event: MergedEvent, claim: FieldClaim, names: Names) -> Text:
    # Only the values that independent voices tell alike: a third source's other date is no
    # part of what is corroborated.
    values = " / ".join(unique(_value(claim.field, v.value, names) for v in claim.agreed))
    voices = _voices(claim.agreed, names)
    line = _line(f"{event_label(event, names)} — ")
    line.append(f"{_FIELD_NAMES.get(claim.field, claim.field)}: ", style="bold")
    line.append(f"{values} ")
    line.append(f"({voices})", style="dim")
    return line


def _contradicted(
    digest: LedgerDigest, control: Sequence[ControlTimeline], console: Console, names: Names
) -> None:
    limit = digest.limit
    tables = [
        side_by_side(
            f"{event_label(event, names)} — {_FIELD_NAMES.get(c.field, c.field)}",
            _by_value(c, names),
        )
        for event, c in digest.contradicted
    ]
    conflicts = [(t, c) for t in control for c in t.conflicts]
    tables += [
        side_by_side(f"Control of {timeline.place.name}", _by_entry(conflict, names))
        for timeline, conflict in conflicts[: max(limit - len(tables), 0)]
    ]
    total = digest.contradicted_count + len(conflicts)
    _heading(console, "Contradicted")
    if not total:
        console.print(_line("No two independent sources contradict each other.", "dim"))
    for table in tables[:limit]:
        console.print(table)
    if total > limit:
        console.print(_line(f"{total - limit} more contradictions not shown", "dim"))


def _by_value(claim: FieldClaim, names: Names) -> dict[str, list[Text]]:
    """Each distinct value of a claim -> who gives it, with a short quote."""
    columns: dict[str, list[Text]] = {}
    for value in claim.values:
        cell = Text(_voice(value, names), style="bold")
        if value.evidence.quote:
            cell.append(f" {_quoted(value.evidence)}", style="italic")
        columns.setdefault(_value(claim.field, value.value, names), []).append(cell)
    return columns


def _entry_title(entry: ControlEntry, names: Names) -> str:
    return f"{names.actor(entry.controller)} {entry.status} ({_dates(entry.since, entry.until)})"


def _entry_cells(entry: ControlEntry, names: Names) -> list[Text]:
    cells = []
    for evidence in entry.evidence:
        cell = Text(names.document(evidence.document_id), style="bold")
        if evidence.quote:
            cell.append(f" {_quoted(evidence)}", style="italic")
        cells.append(cell)
    return cells or [Text(", ".join(names.document(d) for d in entry.document_ids))]


def _by_entry(conflict: ControlConflict, names: Names) -> dict[str, list[Text]]:
    return {
        _entry_title(conflict.first, names): _entry_cells(conflict.first, names),
        _entry_title(conflict.second, names): _entry_cells(conflict.second, names),
    }


def side_by_side(title: str, columns: Mapping[str, Sequence[Text]]) -> Table:
    """One column per value (its header), holding who says it and a short quote."""
    table = Table(title=title, title_justify="left", expand=True, show_lines=False)
    for header in columns:
        table.add_column(header, ratio=1)
    table.add_row(*(Group(*cells) for cells in columns.values()))
    return table


def _single_source(digest: LedgerDigest, console: Console, names: Names) -> None:
    _heading(console, "Single-source")
    console.print(
        _line(
            f"{digest.single_count} of {digest.events} events rest on one source "
            f"({digest.single_fields} fields told by one source only)"
        )
    )
    for event in [*digest.single, *digest.single_background][:SINGLE_SOURCE_SHOWN]:
        sources = ", ".join(unique(names.document(d) for d in event.document_ids))
        line = _line(f"  {event_label(event, names)} ")
        line.append(f"({sources})", style="dim")
        console.print(line)
    if digest.single_count > SINGLE_SOURCE_SHOWN:
        console.print(_line(f"  … and {digest.single_count - SINGLE_SOURCE_SHOWN} more", "dim"))


def _dates(since: dt.date | None, until: dt.date | None) -> str:
    if since is None:
        return "?"
    return str(since) if until in (None, since) else f"{since} – {until}"


def control_table(timelines: Sequence[ControlTimeline], names: Names) -> Table:
    """Control of each place over time; contradicted entries are marked and conflicts listed."""
    table = Table(title="Control by place", expand=True)
    for column in ("Place", "When", "Controller", "Status", "Sources", "Verdict"):
        table.add_column(column, overflow="fold")
    conflicts = []
    for timeline in timelines:
        for i, entry in enumerate(timeline.entries):
            verdict = Text(
                _VERDICT_MARK.get(entry.verdict, entry.verdict),
                style=_VERDICT_STYLE.get(entry.verdict, ""),
            )
            table.add_row(
                timeline.place.name if i == 0 else "",
                _dates(entry.since, entry.until),
                names.actor(entry.controller),
                entry.status,
                ", ".join(unique(names.document(d) for d in entry.document_ids)),
                verdict,
            )
        conflicts += [
            f"{timeline.place.name}: {_entry_title(c.first, names)} vs "
            f"{_entry_title(c.second, names)}"
            for c in timeline.conflicts
        ]
    if conflicts:
        table.caption = "✗ " + "\n✗ ".join(conflicts)
        table.caption_justify = "left"
    return table


def backers_table(alliances: Iterable[AllianceEdge], names: Names) -> Table:
    """Alliance edges across reports with the dates they were first and last reported."""
    table = Table(title="Backers", expand=True)
    for column in ("Who", "Relation", "Whom", "First seen", "Last seen", "Sources"):
        table.add_column(column, overflow="fold")
    for edge in alliances:
        table.add_row(
            names.actor(edge.subject),
            edge.predicate.replace("_", " "),
            names.actor(edge.object),
            str(edge.first_seen or "?"),
            str(edge.last_seen or "?"),
            ", ".join(unique(names.document(d) for d in edge.document_ids)),
        )
    return table


# -- two reports side by side (sitroom compare) --------------------------------------------


_COPIES = (
    "A and B are copies of one text: they count as one source, so what they share is "
    "repeated, not corroborated."
)


@markup_off
def render_comparison(comparison: Comparison, console: Console, names: Names) -> None:
    """Print what two reports agree on, where they differ and what only one of them says."""
    first, second = comparison.first.id, comparison.second.id
    console.print(
        Text.assemble(
            ("A: ", "bold"),
            _side_name(comparison.first),
            "\n",
            ("B: ", "bold"),
            _side_name(comparison.second),
        )
    )
    if comparison.same_source:
        console.print(Text(_COPIES, style="yellow"))
    agree: list[Text] = []
    differ: list[Table] = []
    only: dict[str, list[str]] = {first: [], second: []}
    for event in comparison.shared:
        label = event_label(event, names)
        for claim in event.claims:
            docs = {v.evidence.document_id for v in claim.values}
            field = _FIELD_NAMES.get(claim.field, claim.field)
            if first not in docs or second not in docs:
                side = first if first in docs else second
                only[side].append(f"{label} — {field}: {_values(claim, names)}")
            elif claim.verdict == "contradicted":
                columns = _by_side(claim, first, second, names)
                differ.append(side_by_side(f"{label} — {field}", columns))
            elif claim.verdict == "corroborated" or comparison.same_source:
                agree.append(_corroborated_line(event, claim, names))
    only[first] += [_only_event(e, names) for e in comparison.only_first]
    only[second] += [_only_event(e, names) for e in comparison.only_second]
    _control_comparison(comparison, names, agree=agree, differ=differ, only=only)
    _heading(console, "Both say")
    for line in agree or [_line("Nothing that both report.", "dim")]:
        console.print(line)
    _heading(console, "They differ")
    if not differ:
        console.print(_line("No contradiction between A and B.", "dim"))
    for table in differ:
        console.print(table)
    for side, title in ((first, "Only A says"), (second, "Only B says")):
        _heading(console, title)
        for text in only[side] or ["nothing"]:
            console.print(_line(f"  {text}"))


def _only_event(event: MergedEvent, names: Names) -> str:
    quote = next((m.evidence[0] for m in event.members if m.evidence), None)
    return f"{event_label(event, names)} {_quoted(quote)}" if quote else event_label(event, names)


def _side_name(document: Document) -> str:
    parts = [document.ref]
    if document.source:
        parts.append(document.source)
    if document.published:
        parts.append(str(document.published))
    return " · ".join(parts)


def _by_side(claim: FieldClaim, first: str, second: str, names: Names) -> dict[str, list[Text]]:
    """Each report's values for a claim: A's in the first column, B's in the second."""
    columns: dict[str, list[Text]] = {"A": [], "B": []}
    for value in claim.values:
        doc = value.evidence.document_id
        if doc not in (first, second):
            continue
        cell = Text(_value(claim.field, value.value, names), style="bold")
        if value.by_party:
            cell.append(f" (claim of {names.actor(value.claimed_by)})")
        if value.evidence.quote:
            cell.append(f" {_quoted(value.evidence)}", style="italic")
        columns["A" if doc == first else "B"].append(cell)
    return columns


def _docs_of(entry: ControlEntry) -> set[str]:
    return set(entry.document_ids)


def _control_comparison(
    comparison: Comparison,
    names: Names,
    *,
    agree: list[Text],
    differ: list[Table],
    only: dict[str, list[str]],
) -> None:
    first, second = comparison.first.id, comparison.second.id
    for timeline in comparison.control:
        place = timeline.place.name
        clashing: set[ControlEntry] = set()
        for conflict in timeline.conflicts:
            sides = (_docs_of(conflict.first), _docs_of(conflict.second))
            if _across(sides[0], sides[1], first, second):
                clashing |= {conflict.first, conflict.second}
                a, b = conflict.first, conflict.second
                if first not in sides[0]:
                    a, b = b, a
                columns = {
                    f"A: {_entry_title(a, names)}": _entry_cells(a, names),
                    f"B: {_entry_title(b, names)}": _entry_cells(b, names),
                }
                differ.append(side_by_side(f"Control of {place}", columns))
        for entry in timeline.entries:
            docs = _docs_of(entry)
            label = f"{place}: {_entry_title(entry, names)}"
            if first in docs and second in docs:
                agree.append(_line(f"{label} (control)"))
            elif entry not in clashing:
                only[first if first in docs else second].append(label)


def _across(x: Collection[str], y: Collection[str], first: str, second: str) -> bool:
    """Whether one side of a conflict comes from the first report and the other from the second."""
    return (first in x and second in y) or (second in x and first in y)
