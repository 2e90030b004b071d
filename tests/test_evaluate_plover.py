"""PLOVER scorer: reading the gold file, actor matching, scoring hand-made predictions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factories import event
from sitroom.errors import InputError
from sitroom.evaluate.plover import (
    NO_EVENT,
    PloverPrediction,
    PloverRecord,
    actor_matches,
    prediction_from,
    read_records,
    score_predictions,
)
from sitroom.records import Actor, Analysis, Document, Event, Mention


def actor(text: str) -> dict[str, str]:
    return {"actorText": text, "code": "XXX"}


def test_read_records_skips_documentation_and_odd_targets(tmp_path: Path) -> None:
    items = [
        {"id": "DOC", "event": "DOCUMENT", "comment": "file documentation, no text"},
        {
            "id": "a",
            "event": "AGREE",
            "text": " Jordan and Britain agreed. ",
            "source": [actor("Jordan"), actor(" Britain")],
            "target": "",
        },
        {
            "id": "b",
            "event": "AGREE",
            "text": "{The Turkish side agreed.}",
            "source": [actor("Turkish")],
            "target": "diplomatic",
        },
        {
            "id": "c",
            "event": "ASSAULT",
            "text": "Three civilians were killed.",
            "source": None,
            "target": [actor("civilians")],
        },
    ]
    path = tmp_path / "plover.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    records = read_records(path)
    assert [r.id for r in records] == ["a", "b", "c"]
    assert records[0] == PloverRecord(
        "a", "Jordan and Britain agreed.", "AGREE", ("Jordan", "Britain"), ()
    )
    assert records[1].text == "The Turkish side agreed." and records[1].targets == ()
    assert records[2].sources == () and records[2].targets == ("civilians",)


def test_read_records_rejects_a_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError):
        read_records(path)


@pytest.mark.parametrize(
    ("gold", "names", "expected"),
    [
        ("Hungarian", ["Government of Hungary", "Hungarian government"], True),
        ("Israel", ["Government of Israel"], True),
        ("Israeli army", ["army"], True),
        ("ISRAELI ARMY", ["Israeli Army"], True),
        ("Bosnian Serbs ... forces", ["Serb forces", "forces"], True),
        ("Hundreds of people .. in Hong Kong", ["Hong Kong"], True),
        ("Iran", ["Iranian government"], False),  # word bounds: not a substring match
        ("Israel", ["Palestinians"], False),
        ("Israel", [], False),
        ("Israel", [""], False),
    ],
)
def test_actor_matches(gold: str, names: list[str], expected: bool) -> None:
    assert actor_matches(gold, names) is expected


def test_score_predictions_typing_and_assignment() -> None:
    records = [
        PloverRecord("1", "t1", "FIGHT", ("Israeli army",), ("Hamas",)),
        PloverRecord("2", "t2", "FIGHT", ("rebels",), ("government forces",)),
        PloverRecord("3", "t3", "AGREE", ("Jordan", "Britain"), ()),
        PloverRecord("4", "t4", "PROTEST", (), ("Sweden",)),
    ]
    predictions = [
        PloverPrediction("FIGHT", ("Israel Defense Forces", "Israeli army"), ("Hamas",)),
        PloverPrediction("ASSAULT", ("Government forces",), ("Rebels",)),  # swapped roles
        PloverPrediction("AGREE", ("Government of Britain", "Britain")),
        PloverPrediction(NO_EVENT),
    ]
    s = score_predictions(records, predictions)
    assert s.typing.accuracy == pytest.approx(2 / 4)
    # FIGHT F1 2/3 (P 1, R 1/2), AGREE 1, PROTEST 0: macro over the gold types.
    assert s.typing.macro_f1 == pytest.approx((2 / 3 + 1 + 0) / 3)
    assert (s.n_source, s.n_target) == (3, 3)
    assert s.source_accuracy == pytest.approx(2 / 3)
    assert s.target_accuracy == pytest.approx(1 / 3)
    kinds = {(e.kind, e.record_id) for e in s.errors}
    assert ("swapped", "2") in kinds and ("type", "2") in kinds and ("target", "4") in kinds
    assert ("FIGHT", "ASSAULT", 1) in s.confusions
    with pytest.raises(ValueError):
        score_predictions(records, predictions[:2])


def _event(event_id: str, **kw: object) -> Event:
    return event("d", **{"id": event_id, "plover_type": "AGREE", **kw})


def test_prediction_from_uses_the_main_event_and_every_name() -> None:
    text = "Hungarian officials agreed with Romania, and the army mobilised."
    analysis = Analysis(
        document=Document("d", "d", text),
        mentions=(
            Mention("d", 0, 19, "Hungarian officials", "actor", actor_id="GOV-HU"),
            Mention("d", 32, 39, "Romania", "actor", actor_id="GOV-RO"),
        ),
        actors=(
            Actor("GOV-HU", "Government of Hungary", ("Hungarian government",), "state", "HU"),
            Actor("GOV-RO", "Government of Romania", (), "state", "RO"),
        ),
        events=(
            _event("e1", plover_type="MOBILIZE", actor1="MIL-X"),
            _event("e2", actor1="GOV-HU", actor2="GOV-RO"),
        ),
        main_event="e2",
    )
    p = prediction_from(analysis)
    assert p.plover_type == "AGREE"
    assert p.actor1 == ("Government of Hungary", "Hungarian government", "Hungarian officials")
    assert p.actor2 == ("Government of Romania", "Romania")
    assert prediction_from(Analysis(document=analysis.document)) == PloverPrediction(NO_EVENT)
    unknown = Analysis(
        document=analysis.document, events=(_event("e3", actor1="X"),), main_event="e3"
    )
    assert prediction_from(unknown).actor1 == ("X",)  # an id the analysis does not describe
