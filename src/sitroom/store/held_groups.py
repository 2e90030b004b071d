"""The merged events a rebuild's batch changes, held in memory and written once at its end.

``Store.rebuild`` brings the reports in by publication order: each is later than every event
merged before it, so its update only appends its events to groups or starts new ones. Writing
each group it changes whole after every report (record, summary, item, member, claim and actor
rows, the field claims computed over all members) makes a group that k reports join cost k
writes of up to k members. While a batch appends, the groups it changes are held here instead:
the update reads a held group from here, never its stale rows, and the batch's end writes each
once (``stored_picture.flush``). An update that would do more than append (a report earlier
than the last event, a re-analysis, an actor's change) has the held groups written first and
runs on the tables as a save does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sitroom.picture.blocking import BlockIndex
from sitroom.picture.merge import Levels, VisitKey
from sitroom.records import Event
from sitroom.store.merge_update import key_id


@dataclass(slots=True)
class HeldGroup:
    """A merged event's members in visiting order, with their positions, and linking levels."""

    members: list[tuple[VisitKey, Event]]
    levels: Levels | None


class HeldGroups:
    """Groups changed since the last write, by merged id; what the tables say of them is stale."""

    def __init__(self, index: BlockIndex, *, rebuilding: bool = False) -> None:
        self._index = index
        # A rebuild's batch (``stored_picture.rebuild_batch``): every report it holds was stored
        # before, and every save in between wrote its own edges at once, so an edge already in
        # the tables is the edge of every stored relation and is not computed again.
        self.rebuilding = rebuilding
        self.groups: dict[str, HeldGroup] = {}
        self.dropped: set[str] = set()  # ids whose stored rows go when the groups are written
        self.of_event: dict[str, str] = {}  # event id -> merged id, for the held members
        self._by_key: defaultdict[int, set[str]] = defaultdict(set)
        self._keys_of: dict[str, list[int]] = {}
        # The last visiting position held (an upper bound once a group was dropped).
        self.last: VisitKey | None = None
        # Alliance edges (subject, predicate, object) to recompute when the groups are written.
        self.edges: set[tuple[str, str, str]] = set()
        # What the update read of the tables while holding (the tables change only when the
        # held groups are written): the stored groups under each blocking key, and stored
        # groups' first members, kept for the next updates.
        self.stored_under: dict[int, set[str]] = {}
        self.first_members: dict[str, Event] = {}

    def __bool__(self) -> bool:
        return bool(self.groups or self.dropped)

    def covers(self, merged_id: str) -> bool:
        """Whether the tables' rows of this merged id are stale (held or dropped)."""
        return merged_id in self.groups or merged_id in self.dropped

    def under(self, keys: Iterable[int]) -> set[str]:
        """The held groups registered under any of the blocking keys (by their first member)."""
        return set().union(*(self._by_key.get(k, set()) for k in keys))

    def drop(self, merged_id: str) -> None:
        """Take a group out (it went, or is put back under its new first member's id)."""
        group = self.groups.pop(merged_id, None)
        if group is not None:
            for _, event in group.members:
                if self.of_event.get(event.id) == merged_id:
                    del self.of_event[event.id]
        for key in self._keys_of.pop(merged_id, []):
            self._by_key[key].discard(merged_id)
        self.dropped.add(merged_id)

    def put(self, merged_id: str, group: HeldGroup) -> None:
        """Hold a group (members in visiting order, at least one)."""
        self.drop(merged_id)
        self.groups[merged_id] = group
        keys = sorted({key_id(k) for k in self._index.group_keys(group.members[0][1])})
        for key in keys:
            self._by_key[key].add(merged_id)
        self._keys_of[merged_id] = keys
        for _, event in group.members:
            self.of_event[event.id] = merged_id
        last = group.members[-1][0]
        if self.last is None or last > self.last:
            self.last = last

    def take(self) -> tuple[dict[str, HeldGroup], set[str]]:
        """The held groups and every id whose stored rows must go; hold nothing after."""
        groups, dropped = self.groups, self.dropped | set(self.groups)
        self.groups, self.dropped, self.of_event = {}, set(), {}
        self._by_key.clear()
        self._keys_of.clear()
        self.stored_under.clear()
        self.first_members.clear()
        return groups, dropped
