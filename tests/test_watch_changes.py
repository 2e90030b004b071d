"""Snapshots compared (by hand-made snapshots: no model) and alert rules matched."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sitroom.watch.alerts import Alerter, matches
from sitroom.watch.changes import diff
from sitroom.watch.fetch import Fetcher
from sitroom.watch.sources import AlertRule, Alerts, FetchPolicy
from sitroom.watch.state import Change


def event(
    members: list[str], fatalities: int | None = None, place: str = "Idlib"
) -> dict[str, Any]:
    return {
        "members": members, "date": "2024-12-02", "type": "Air/drone strike", "place": place,
        "admin1": "Idlib", "fatalities": fatalities, "documents": ["d1"], "sources": 1,
    }  # fmt: skip


def snap(**parts: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "events": {}, "control": {}, "contradictions": [], "actors": {}, "relations": {},
    }  # fmt: skip
    base.update(parts)
    return base


def contradiction(field: str, members: list[str], values: list[str]) -> dict[str, Any]:
    return {"field": field, "key": f"m:{field}", "members": members, "about": "strike at Idlib",
            "values": values, "actors": ["RUS-MIL"], "documents": ["d1", "d2"]}  # fmt: skip


def test_an_event_whose_id_moved_is_not_new_but_its_revised_toll_is_told() -> None:
    old = snap(events={"m1": event(["e1"], 11)})
    # A new report of the same strike joins it; the merged id follows the earliest member.
    new = snap(events={"m0": event(["e0", "e1"], 25)})
    [change] = diff(old, new)
    assert change.kind == "fatalities-revised" and change.key == "m0"
    assert change.summary == "Fatalities revised at Idlib: 25 (was 11)"


def test_new_and_resolved_contradictions_and_control() -> None:
    names = {
        "SYR-MIL": "Military Forces of Syria",
        "REB": "Syrian rebel forces",
        "RUS-MIL": "Russia",
    }
    place = {"place": "Saraqib", "admin1": "Idlib", "country": "SY", "status": "captured",
             "since": "2024-12-03", "documents": ["d1"]}  # fmt: skip
    old = snap(
        control={"geonameid:1": {**place, "controller": "REB"}},
        contradictions=[contradiction("event_date", ["e1"], ["2024-12-01", "2024-12-02"])],
        actors=names,
    )
    new = snap(
        control={"geonameid:1": {**place, "controller": "SYR-MIL", "status": "held"}},
        contradictions=[contradiction("fatalities", ["e1", "e2"], ["11", "25"])],
        actors={**names, "new:x": "Unit X"},
        relations={"RUS-MIL supports SYR-MIL": ["d2"]},
    )
    found = diff(old, new)
    assert [c.kind for c in found] == [
        "control-change", "new-contradiction", "contradiction-resolved", "new-actor",
        "new-relation",
    ]  # fmt: skip
    assert found[0].summary == (
        "Control: Saraqib held by Military Forces of Syria (was Syrian rebel forces)"
    )
    assert found[1].summary == "New contradiction on fatalities (strike at Idlib): 11 vs 25"
    assert found[4].summary == "Russia supports Military Forces of Syria"
    assert diff(new, new) == []


def change(kind: str, **detail: Any) -> Change:
    return Change(kind, "k", "s", detail)


def test_alert_rules() -> None:
    names = {"HTS": "Hayat Tahrir al-Sham"}
    region = AlertRule("control-change", regions=("Ḩamāh",))
    assert matches(region, change("control-change", place="Hama", admin1="Hama"), names)
    assert not matches(region, change("control-change", place="Idlib", admin1="Idlib"), names)
    toll = AlertRule("fatalities", above=20)
    assert matches(toll, change("new-event", fatalities=21), names)
    assert matches(toll, change("fatalities-revised", fatalities=25), names)
    assert not matches(toll, change("new-event", fatalities=20), names)
    assert not matches(toll, change("control-change", fatalities=99), names)
    actor = AlertRule("contradiction", actors=("hayat tahrir al-sham",))
    assert matches(actor, change("new-contradiction", actors=["HTS"], values=[]), names)
    assert not matches(actor, change("new-contradiction", actors=["ISIS"], values=["x"]), names)
    assert not matches(actor, change("contradiction-resolved", actors=["HTS"]), names)


def test_a_webhook_inside_the_network_is_refused_without_holding_up(tmp_path: Path) -> None:
    alerts = Alerts(
        rules=(AlertRule("fatalities", above=1),),
        webhook="http://169.254.169.254/hook",
        jsonl=tmp_path / "alerts.jsonl",
    )
    fetcher = Fetcher(FetchPolicy(timeout_s=0.5))
    alerter = Alerter(alerts, fetcher=fetcher, sleep=lambda _s: None)
    started = time.monotonic()
    sent = alerter.send([change("new-event", fatalities=5)], {})
    assert len(sent) == 1 and time.monotonic() - started < 1.0
    alerter.close(timeout_s=5)
    fetcher.close()
    assert len(alerter.failures) == 1 and "non-public address" in alerter.failures[0]
    assert len((tmp_path / "alerts.jsonl").read_text().splitlines()) == 1
