"""RAMS scorer: reading a window, its text and offsets, and which predicted events it judges."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitroom.errors import InputError
from sitroom.evaluate.rams import (
    SECTION,
    at_gold_triggers,
    detokenize,
    found,
    read_windows,
    score_windows,
)
from sitroom.evaluate.wikievents import EventMapping, PredArg, PredEvent

# A window written for the test: the event is "shelled" (token 3), attacker "rebels" (1),
# target "the market" (4-5), place "Aleppo" (11); "Hospital" is an instrument, not scored.
SENTENCES = [
    ["The", "rebels", "had", "shelled", "the", "market", "."],
    ["Officials", "said", "it", "happened", "in", "Aleppo", "'s", "east", "."],
]
WINDOW = {
    "doc_key": "nw_test_1",
    "source_url": "http://example.org/a",
    "sentences": SENTENCES,
    "evt_triggers": [[3, 3, [["conflict.attack.firearmattack", 1.0]]]],
    "gold_evt_links": [
        [[3, 3], [1, 1], "evt011arg01attacker"],
        [[3, 3], [4, 5], "evt011arg02target"],
        [[3, 3], [12, 12], "evt011arg04place"],
        [[3, 3], [0, 0], "evt011arg03instrument"],
    ],
}
MEETING = {**WINDOW, "doc_key": "nw_test_2", "evt_triggers": [[3, 3, [["contact.meet", 1.0]]]]}


@pytest.fixture(scope="module")
def mapping() -> EventMapping:
    return EventMapping.load(section=SECTION)


def test_detokenize_joins_clitics_and_punctuation() -> None:
    text, spans = detokenize(SENTENCES)
    said = "Officials said it happened in Aleppo's east."
    assert text == f"The rebels had shelled the market.\n{said}"
    assert [text[a:b] for a, b in spans][11:14] == ["in", "Aleppo", "'s"]
    assert detokenize([["(", "AP", ")", "do", "n't"]])[0] == "(AP) don't"


def test_read_windows_keeps_violent_events_with_their_roles(
    tmp_path: Path, mapping: EventMapping
) -> None:
    path = tmp_path / "dev.jsonlines"
    path.write_text("\n".join(json.dumps(w) for w in (MEETING, WINDOW)) + "\n", encoding="utf-8")
    (window,) = read_windows(path, mapping=mapping)  # the meeting maps to no evaluation type
    assert window.article == "http://example.org/a"
    (gold,) = window.doc.events
    assert (gold.type, gold.trigger) == ("attack", "shelled")
    assert [(a.slot, a.text) for a in gold.args] == [
        ("attacker", "rebels"),
        ("target", "the market"),
        ("place", "Aleppo"),
    ]
    assert read_windows(path, mapping=mapping, limit=0) == []
    path.write_text('{"doc_key": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="malformed RAMS window"):
        read_windows(path, mapping=mapping)


def test_only_events_at_the_gold_trigger_are_judged(tmp_path: Path, mapping: EventMapping) -> None:
    path = tmp_path / "dev.jsonlines"
    path.write_text(json.dumps(WINDOW) + "\n", encoding="utf-8")
    (window,) = read_windows(path, mapping=mapping)
    text = window.doc.text
    at = text.index("shelled")
    rebels = PredArg("attacker", text.index("rebels"), "rebels")
    east = PredArg("place", text.index("east"), "east")
    there = PredEvent("attack", at, at + 7, "shelled", (rebels, east))
    elsewhere = PredEvent("attack", 0, 3, "The")
    kept = at_gold_triggers(window.doc, [there, elsewhere])
    assert kept == [there]
    assert found(window, kept)
    assert not found(window, [PredEvent("die", at, at + 7, "shelled")])
    scores = score_windows([window], [kept])
    assert scores.trigger.recall == 1.0
    assert (scores.argument.precision, scores.argument.recall) == (0.5, 1 / 3)
