"""The stored merge brought up to date by re-deciding only the events a change can reach.

The merge (``sitroom.picture.merge``) visits events in publication order; each joins the best
candidate group formed before it, or starts one. When a report comes in, its events are decided
at their place in that order. An event decided later can only decide otherwise if a group it
could join changed before it; it could join a group only if it matches the group's first
member. So whenever a group changes (an event joins or leaves it), the events after that point
that match its first member, before or after the change, are decided again, and so on: events
found through an index of every stored event's blocking keys (``picture_member_keys``), the
rest left as they are. The result is the merge of all events from scratch; the work is the
events near the report in type, place and date, not the size of the database.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import heapq
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sitroom.ids import content_id
from sitroom.picture.blocking import BlockIndex, Key
from sitroom.picture.codec import decode
from sitroom.picture.ledger import FieldClaim, MergedEvent, MergeRules
from sitroom.picture.merge import Levels, VisitKey, best_group, match_events, visit_key, weakest
from sitroom.records import Actor, Event
from sitroom.store import picture_queries as q
from sitroom.store.backend import Connection

if TYPE_CHECKING:
    from sitroom.store.held_groups import HeldGroups


@dataclass(slots=True)
class Group:
    """A group while merging: ``handle`` is its stored id (or its first event's, if new)."""

    handle: str
    members: dict[str, tuple[VisitKey, Event]] = field(default_factory=dict)

    def first(self) -> tuple[VisitKey, Event] | None:
        """The earliest member, which the group's blocking keys and id come from."""
        return min(self.members.values(), key=lambda m: m[0], default=None)

    def before(self, key: VisitKey) -> list[Event]:
        """The members visited before ``key``, in visiting order: the group as it was then."""
        return [e for k, e in sorted(self.members.values(), key=lambda m: m[0]) if k < key]

    def ordered(self) -> list[tuple[VisitKey, Event]]:
        """Members in visiting order."""
        return sorted(self.members.values(), key=lambda m: m[0])


class MergeUpdate:
    """One update of the stored merge inside the caller's transaction."""

    def __init__(
        self,
        conn: Connection,
        rules: MergeRules,
        actors: Mapping[str, Actor],
        *,
        held: HeldGroups | None = None,
    ) -> None:
        self._conn = conn
        # Groups a rebuild's batch changed and has not written (sitroom.store.held_groups): read
        # from there, their rows in the tables being stale. Only an update that appends runs
        # with some held (it decides no stored event again, so it reads no member rows).
        self._held = held
        self._rules = rules
        self._actors = actors
        self._index = BlockIndex(rules)
        self.groups: dict[str, Group] = {}  # handle -> group, every group looked at
        self.touched: set[str] = set()  # handles of groups whose members changed
        self._of_event: dict[str, str] = {}  # event id -> handle, for events looked at
        self._by_key: defaultdict[int, set[str]] = defaultdict(set)  # key -> handles (looked at)
        self._keys_of: dict[str, list[int]] = {}  # handle -> its keys in _by_key
        self._queue: list[tuple[VisitKey, str]] = []
        self._pending: dict[str, Event | None] = {}  # event id -> event (None: it was deleted)
        self._fresh: set[str] = set()  # ids of events stored by this save
        self._rewrite: set[str] = set()  # ids of events whose group's claims change anyway
        self._reach_from: set[str] = set()  # ids of events whose matches change anyway
        self._published: dict[str, dt.date | None] = {}
        # The stored tables do not change while the update decides (it writes afterwards), so
        # what it reads of them is read once: a chain of re-decisions keeps asking for the
        # same keys, events and groups.
        self._members_by_key: dict[int, list[tuple[VisitKey, str]]] = {}
        self._groups_by_key: dict[int, set[str]] = {} if held is None else held.stored_under
        self._first_members: dict[str, Event] = {} if held is None else held.first_members
        self._stored: dict[str, Event] = {}  # stored events by id
        self._reached: set[Event] = set()  # first members whose later matches were queued
        # The last stored event in visiting order (read once): nothing stored comes after it,
        # so a change at or after it reaches nothing (a report published after the rest).
        self._last: tuple[VisitKey | None] | None = None
        # A group's linking levels (``link_levels`` of its members, stored as its merged_on: the
        # weakest over every pair) are kept up to date without matching every pair again where
        # the update only added members to it, wherever in its order: then they are its stored
        # levels made weakest with each added member's levels against the members before it,
        # which choosing the group computed (``best_group``), and with those of each member
        # after it, which the change reached and decided again against the members before them,
        # the added one among them. Any other change to a group (a member leaving, an actor
        # changing) reads them all again.
        self._levels: dict[str, Levels | None] = {}  # handle -> levels before the update
        self._joined: defaultdict[str, list[Levels]] = defaultdict(list)
        self._relinked: set[str] = set()  # handles whose levels are computed again in full
        # A stored group's field claims, and how many members it had, for ``claims``: where the
        # update only appended members after its last one, the claims of before hold for them.
        self._claims: dict[str, tuple[int, tuple[FieldClaim, ...]]] = {}
        self._inserted: set[str] = set()  # handles a member joined before their last member

    def run(self, new: Iterable[Event], gone: Iterable[tuple[VisitKey, str]]) -> None:
        """Decide the saved events (``new``) and take deleted ones (``gone``: key, id) out."""
        for event in new:
            self._fresh.add(event.id)
            self._push(self.visit(event), event.id, event)
        for key, event_id in gone:
            if event_id not in self._fresh:
                self._push(key, event_id, None)
        while self._queue:
            key, event_id = heapq.heappop(self._queue)
            if event_id in self._pending:  # else decided already under another key
                self._decide(key, event_id, self._pending.pop(event_id))

    def again_from(self, start: VisitKey) -> None:
        """Decide every stored event from ``start`` on again (an actor's merge fields changed)."""
        found = self._conn.execute(
            f"SELECT {q.VISIT_COLUMNS} FROM picture_members WHERE {q.VISIT} >= (?, ?, ?, ?)",
            q.visit_row(start),
        ).fetchall()
        events = {e.id: e for e in q.events_by_id(self._conn, [r[3] for r in found])}
        for row in found:
            if row[3] in events and row[3] not in self._pending:
                self._push(q.visit_of_row(row), row[3], events[row[3]])
                self._rewrite.add(row[3])

    def named(self, actor_ids: Collection[str], *, skip_document: str) -> None:
        """Decide again the stored events of other documents that name actors the store did
        not know before, and reach from each: knowing an actor (its parent, its kind) only makes
        more pairs related (``sitroom.picture.ledger.related``), so the events whose decision it
        can change match one of those events now."""
        if not actor_ids:
            return
        found = [
            r
            for r in q.in_chunks(
                self._conn,
                f"SELECT {q.VISIT_COLUMNS} FROM picture_members WHERE event_id IN "
                "(SELECT event_id FROM event_actors WHERE actor_id IN",
                actor_ids,
                close=")",
            )
            if r[2] != skip_document
        ]
        events = {e.id: e for e in q.events_by_id(self._conn, [r[3] for r in found])}
        for row in found:
            if row[3] in events and row[3] not in self._pending:
                self._push(q.visit_of_row(row), row[3], events[row[3]])
                self._rewrite.add(row[3])
                self._reach_from.add(row[3])

    def visit(self, event: Event) -> VisitKey:
        """The event's place in the visiting order."""
        if event.document_id not in self._published:
            self._published[event.document_id] = q.published_of(self._conn, event.document_id)
        return visit_key(event, self._published[event.document_id])

    # -- deciding ----------------------------------------------------------------------------

    def _push(self, key: VisitKey, event_id: str, event: Event | None) -> None:
        self._pending[event_id] = event
        heapq.heappush(self._queue, (key, event_id))

    def _decide(self, key: VisitKey, event_id: str, event: Event | None) -> None:
        old = self._group_of(event_id)
        chosen: str | None = None
        best: tuple[str, Levels] | None = None
        if event is not None:
            candidates = self._candidates(event, key)
            best = best_group(
                event,
                ((g.handle, g.before(key)) for g in candidates),
                actors=self._actors,
                rules=self._rules,
            )
            if best is not None:
                chosen = best[0]
            elif old is not None and not self.groups[old].before(key):
                # It starts a group, and it starts the one it is in (nothing comes before it
                # there): decided as before. Moving it to a group of its own would change its
                # group and so reach every later event matching it, whose decisions all stay.
                chosen = old
            else:
                chosen = event.id
        if event is not None and event_id in self._reach_from:
            self._reach(event, key)
        if chosen == old and event_id not in self._fresh:
            if old is not None and event_id in self._rewrite:
                self.touched.add(old)  # same members, but what the claims read of them moved
                self._relinked.add(old)  # and the actors they read may have changed
            elif old is not None and best is not None:
                self._joined[old].append(best[1])  # against members added before it, too
            return  # decided as before: nothing after it changes but what it matches
        changed = {h for h in (old, chosen) if h is not None}
        firsts = {h: self.groups[h].first() for h in changed if h in self.groups}
        if old is not None:
            del self.groups[old].members[event_id]
            self._relinked.add(old)
        if event is not None and chosen is not None:
            group = self.groups.setdefault(chosen, Group(chosen))
            if any(k > key for k, _ in group.members.values()):
                self._inserted.add(chosen)
            if not group.members and chosen == event_id and chosen not in self._levels:
                self._levels[chosen] = None  # a new group
            elif best is not None and event_id not in self._rewrite:
                self._joined[chosen].append(best[1])
            else:
                self._relinked.add(chosen)
            group.members[event_id] = (key, event)
            self._of_event[event_id] = chosen
        else:
            self._of_event.pop(event_id, None)
        for handle in changed:
            self.touched.add(handle)
            self._register(handle)
            seeds = [firsts.get(handle), self.groups[handle].first()]
            for seed in {s[1].id: s[1] for s in seeds if s is not None}.values():
                self._reach(seed, key)

    def _candidates(self, event: Event, key: VisitKey) -> list[Group]:
        """Groups formed before ``key`` whose first member's keys ``event`` looks up."""
        probes = [key_id(k) for k in self._index.probe_keys(event)]
        stored = self._groups_under(probes)
        unknown = sorted(m for m in stored if m not in self.groups)
        held = self._held
        missing = [
            m for m in unknown if m not in self._first_members and not (held and held.covers(m))
        ]
        for merged_id, first in q.in_chunks(
            self._conn, "SELECT id, first_member FROM picture_events WHERE id IN", missing
        ):
            self._first_members[merged_id] = decode(Event, first)
        for merged_id in unknown:
            # Joining a group needs matching its first member: read the rest only then.
            if held and held.covers(merged_id):
                group = held.groups.get(merged_id)
                member = None if group is None else group.members[0][1]
            else:
                member = self._first_members.get(merged_id)
            if member is None:
                continue
            if match_events(member, event, actors=self._actors, rules=self._rules) is not None:
                self._load(merged_id)
        handles: set[str] = set()
        for probe in probes:
            handles |= self._by_key.get(probe, set())
        found = [self.groups[h] for h in handles if self.groups[h].before(key)]
        return sorted(found, key=lambda g: g.ordered()[0][0])

    def _reach(self, seed: Event, after: VisitKey) -> None:
        """Queue the events after ``after`` that match ``seed`` (a group's first member)."""
        last = self.last_stored()
        if last is None or after >= last:
            return
        if seed in self._reached:
            # Reached already, from an earlier position: the update decides in visiting order
            # and queues only events after the one it decides, so every event after ``after``
            # that matches the seed was queued then and waits still; none is new.
            return
        self._reached.add(seed)
        probes = [key_id(k) for k in self._index.probe_keys(seed)]
        found = self._members_under(probes)
        later = [i for i, v in found.items() if v > after and i not in self._pending]
        missing = [i for i in later if i not in self._stored]
        self._stored.update((e.id, e) for e in q.events_by_id(self._conn, missing))
        for event_id in later:
            event = self._stored.get(event_id)
            if event is None:
                continue
            if match_events(seed, event, actors=self._actors, rules=self._rules) is not None:
                self._push(self.visit(event), event.id, event)

    def last_stored(self) -> VisitKey | None:
        """The visiting position of the last stored (or held) event (None: none is)."""
        if self._last is None:
            row = self._conn.execute(
                f"SELECT {q.VISIT_COLUMNS} FROM picture_members ORDER BY published DESC, "
                "document_id DESC, start DESC, event_id DESC LIMIT 1"
            ).fetchone()
            found = [] if row is None else [q.visit_of_row(row)]
            if self._held and self._held.last is not None:
                found.append(self._held.last)
            self._last = (max(found, default=None),)
        return self._last[0]

    def _groups_under(self, probes: list[int]) -> set[str]:
        """The stored groups registered under any of the blocking keys (read once a key)."""
        missing = [p for p in probes if p not in self._groups_by_key]
        for probe in missing:
            self._groups_by_key[probe] = set()
        for key, merged_id in q.in_chunks(
            self._conn, "SELECT key, merged_id FROM picture_blocks WHERE key IN", missing
        ):
            self._groups_by_key[key].add(merged_id)
        found: set[str] = set().union(*(self._groups_by_key[p] for p in probes))
        if self._held:
            found = {m for m in found if not self._held.covers(m)} | self._held.under(probes)
        return found

    def _members_under(self, probes: list[int]) -> dict[str, VisitKey]:
        """Stored event id -> its visiting position, for the events under any of the blocking
        keys (read once a key)."""
        missing = [p for p in probes if p not in self._members_by_key]
        for probe in missing:
            self._members_by_key[probe] = []
        for row in q.in_chunks(
            self._conn,
            "SELECT k.key, m.published, m.document_id, m.start, m.event_id "
            "FROM picture_member_keys k JOIN picture_members m ON m.event_id = k.event_id "
            "WHERE k.key IN",
            missing,
        ):
            self._members_by_key[row[0]].append((q.visit_of_row(row[1:]), row[4]))
        return {event_id: visit for p in probes for visit, event_id in self._members_by_key[p]}

    # -- groups --------------------------------------------------------------------------------

    def _group_of(self, event_id: str) -> str | None:
        if event_id in self._of_event:
            return self._of_event[event_id]
        row = self._conn.execute(
            "SELECT merged_id FROM picture_members WHERE event_id = ?", (event_id,)
        ).fetchone()
        if self._held and event_id in self._held.of_event:
            row = (self._held.of_event[event_id],)
        elif self._held and row is not None and self._held.covers(row[0]):
            row = None  # its stored group is held without it
        if row is None:
            return None
        if row[0] not in self.groups:
            self._load(row[0])
        return self._of_event.get(event_id)

    def _load(self, merged_id: str) -> None:
        group = self.groups.setdefault(merged_id, Group(merged_id))
        found = self._stored_group(merged_id)
        if found is not None:
            members, levels = found
            self._levels[merged_id] = levels
            if levels is None and len(members) > 1:
                self._relinked.add(merged_id)  # a pair did not match: read them all again
            for visit, member in members:
                if member.id in self._of_event:
                    self._relinked.add(merged_id)
                    continue  # decided again in this update: it is where that put it
                group.members[member.id] = (visit, member)
                self._of_event[member.id] = merged_id
        self._register(merged_id)

    def _stored_group(
        self, merged_id: str
    ) -> tuple[list[tuple[VisitKey, Event]], Levels | None] | None:
        """A stored (or held) group's members with their positions, and its levels."""
        if self._held and self._held.covers(merged_id):
            held = self._held.groups.get(merged_id)
            return None if held is None else (held.members, held.levels)
        row = self._conn.execute(
            "SELECT record FROM picture_events WHERE id = ?", (merged_id,)
        ).fetchone()
        if row is None:
            return None
        merged = decode(MergedEvent, row[0])
        levels = dict(x.split(":", 1) for x in merged.merged_on) if merged.merged_on else None
        self._claims[merged_id] = (len(merged.members), merged.claims)
        # Positions from the member rows, but for the documents this update placed itself (the
        # report saved: a replaced report may have moved in the publication order).
        visits = q.member_visits(self._conn, merged_id)
        return [
            (
                visits[m.id]
                if m.id in visits and m.document_id not in self._published
                else self.visit(m),
                m,
            )
            for m in merged.members
        ], levels

    def levels(self, handle: str) -> tuple[bool, Levels | None]:
        """(True, the group's linking levels) where the update only added members to it (or
        made it), without matching its members again; (False, None) where they must be
        computed from all its members (``link_levels``)."""
        if handle in self._relinked or handle not in self._levels:
            return False, None
        levels = self._levels[handle]
        for joined in self._joined.get(handle, ()):
            levels = joined if levels is None else weakest(levels, joined)
        return True, levels

    def claims(self, handle: str) -> tuple[int, tuple[FieldClaim, ...]] | None:
        """(k, the stored field claims of the group's first k members) where the update only
        appended members after them (``merged_event``'s ``known_claims``); else None."""
        known, _ = self.levels(handle)
        if not known or handle in self._inserted or handle not in self._claims:
            return None
        return self._claims[handle]

    def _register(self, handle: str) -> None:
        """Index a group under its current first member's keys (none when it is empty)."""
        for key in self._keys_of.pop(handle, []):
            self._by_key[key].discard(handle)
        first = self.groups[handle].first()
        if first is None:
            return
        keys = sorted({key_id(k) for k in self._index.group_keys(first[1])})
        for key in keys:
            self._by_key[key].add(handle)
        self._keys_of[handle] = keys

    def final_ids(self) -> dict[str, str | None]:
        """Handle -> the id its group is stored under (its first member's), None if empty."""
        result: dict[str, str | None] = {}
        for handle in self.touched:
            first = self.groups[handle].first()
            result[handle] = None if first is None else content_id("merged-event", first[1].id)
        return result


@functools.lru_cache(maxsize=1 << 16)
def key_id(key: Key) -> int:
    """A blocking key as the 64-bit number the tables store. Two keys sharing a number only
    make an extra candidate, which the full match then turns down."""
    digest = hashlib.blake2b(repr(key).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def member_key_rows(index: BlockIndex, events: Collection[Event]) -> list[tuple[int, str]]:
    """(key, event id) for each blocking key each event would register a group under."""
    return [(k, e.id) for e in events for k in sorted({key_id(x) for x in index.group_keys(e)})]
