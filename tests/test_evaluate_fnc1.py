"""FNC-1 scorer: reading the CSVs, the seeded sample, stances of hand-made report pairs, scores."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from sitroom.errors import InputError
from sitroom.evaluate.fnc1 import (
    LABELS,
    StancePair,
    Verdict,
    bodies_path,
    read_pairs,
    sample_pairs,
    score_verdicts,
    stance_of,
)
from sitroom.ids import content_id, document_id
from sitroom.picture import compare_reports, picture_from_analyses
from sitroom.records import Actor, Analysis, Document, Event, Evidence, Location, Mention

HAMA = Location("Hama", 170017, 35.1318, 36.7578, "SY", "Hama", 1)
ACTORS = {
    "HTS": Actor("HTS", "Hayat Tahrir al-Sham", kind="armed_group"),
    "MIL-SY": Actor("MIL-SY", "Military Forces of Syria", kind="state_forces"),
    "CIV": Actor("CIV", "Civilians", kind="civilians"),
    "new:bieber": Actor("new:bieber", "Justin Bieber", kind="person"),
}


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_read_pairs_maps_discuss_to_agree(tmp_path: Path) -> None:
    stances = write_csv(
        tmp_path / "test_stances.csv",
        [
            {"Headline": "Rebels take Hama, army says no", "Body ID": "7", "Stance": "disagree"},
            {"Headline": "Hama falls", "Body ID": "7", "Stance": "discuss"},
        ],
    )
    bodies = write_csv(
        tmp_path / "test_bodies.csv",
        [{"Body ID": "7", "articleBody": 'The army said, "we hold Hama".\n\nRebels deny it.'}],
    )
    assert bodies_path(stances) == bodies
    pairs, texts = read_pairs(stances, bodies)
    assert pairs == [
        StancePair("Rebels take Hama, army says no", "7", "disagree", "disagree"),
        StancePair("Hama falls", "7", "discuss", "agree"),
    ]
    assert texts == {"7": 'The army said, "we hold Hama".\n\nRebels deny it.'}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"Headline": "x", "Body ID": "7", "Stance": "sceptical"}, "unknown stance"),
        ({"Headline": "x", "Body ID": "8", "Stance": "agree"}, "no body"),
        ({"Headline": "x", "Body": "7", "Stance": "agree"}, "missing columns"),
    ],
)
def test_read_pairs_names_the_bad_row(tmp_path: Path, row: dict[str, str], message: str) -> None:
    stances = write_csv(tmp_path / "s_stances.csv", [row])
    bodies = write_csv(tmp_path / "s_bodies.csv", [{"Body ID": "7", "articleBody": "text"}])
    with pytest.raises(InputError, match=message):
        read_pairs(stances, bodies)


POOL = [
    StancePair(f"headline {i}", str(i % 7), stance, "agree" if stance == "discuss" else stance)
    for i, stance in enumerate(
        ["agree", "discuss", "disagree", "unrelated", "unrelated", "unrelated"] * 10
    )
]


def test_the_sample_is_balanced_seeded_and_interleaved() -> None:
    sample = sample_pairs(POOL, per_label=5)
    assert len(sample) == 15
    assert [p.gold for p in sample[:6]] == list(LABELS) * 2  # any prefix is balanced
    assert sample == sample_pairs(list(reversed(POOL)), per_label=5)  # order of the file
    assert sample != sample_pairs(POOL, per_label=5, seed=1)
    few = sample_pairs(POOL, per_label=15)  # ten disagree only
    assert [sum(p.gold == label for p in few) for label in LABELS] == [15, 10, 15]


# -- stances of two reports --------------------------------------------------------------------


def analysis(text: str, events: list[dict[str, Any]], actors: list[str]) -> Analysis:
    document = Document(document_id(text), text[:20], text, published=None)
    built = []
    for n, fields in enumerate(events):
        values: dict[str, Any] = {
            "document_id": document.id,
            "status": "reported",
            "event_date": None,
            "date_precision": "unknown",
            "event_type": "Battles",
            "sub_event_type": "Non-state actor overtakes territory",
            "plover_type": "FIGHT",
            "plover_mode": None,
            "actor1": "HTS",
            "actor2": None,
            "location": HAMA,
            "trigger": "took",
            "evidence": (Evidence(document.id, 0, len(text), text),),
        }
        values.update(fields)
        values["id"] = content_id("event", document.id, str(n))
        built.append(Event(**values))
    mentions = tuple(
        Mention(document.id, 0, 1, actor_id, "actor", actor_id=actor_id) for actor_id in actors
    )
    used = tuple(ACTORS[a] for a in sorted({*actors, *(e.actor1 for e in built if e.actor1)}))
    return Analysis(document, mentions=mentions, actors=used, events=tuple(built))


def verdict(first: Analysis, second: Analysis) -> Verdict:
    picture = picture_from_analyses([first, second])
    return stance_of(compare_reports(picture, first.document.id, second.document.id), first, second)


def test_reports_naming_nothing_in_common_are_unrelated() -> None:
    bear = analysis("Justin Bieber saves man from bear", [], ["new:bieber"])
    hama = analysis("Rebels took Hama", [{}], ["HTS"])
    assert verdict(bear, hama).label == "unrelated"


def test_civilians_on_both_sides_do_not_make_reports_related() -> None:
    first = analysis("Civilians fled a flood", [], ["CIV"])
    second = analysis("Civilians voted on Sunday", [], ["CIV"])
    assert verdict(first, second).label == "unrelated"


def test_one_actor_in_common_is_agreement() -> None:
    first = analysis("Justin Bieber saves man from bear", [], ["new:bieber"])
    second = analysis("A ringtone by Justin Bieber scared off a bear", [], ["new:bieber"])
    result = verdict(first, second)
    assert result == Verdict("agree", "both name new:bieber")


def test_one_event_told_by_both_without_a_clash_is_agreement() -> None:
    first = analysis("Rebels took Hama", [{}], ["HTS"])
    second = analysis("HTS captured the city of Hama", [{}], ["HTS"])
    assert verdict(first, second) == Verdict("agree", "1 event(s) told by both")


def test_a_denial_of_the_event_the_other_reports_is_disagreement() -> None:
    first = analysis("Rebels took Hama", [{}], ["HTS"])
    second = analysis("Rebels deny taking Hama", [{"status": "denied"}], ["HTS"])
    assert verdict(first, second) == Verdict("disagree", "contradicted status")


def test_a_denial_that_does_not_merge_still_disputes_the_act() -> None:
    # the denial is of a withdrawal, typed apart from the capture it disputes
    first = analysis("Rebels took Hama", [{}], ["HTS"])
    denial = {
        "status": "denied",
        "actor1": "MIL-SY",
        "actor2": "HTS",
        "sub_event_type": "Non-violent transfer of territory",
        "event_type": "Strategic developments",
        "trigger": "withdrawn",
    }
    second = analysis("The army denied that it had withdrawn from Hama", [denial], ["HTS"])
    assert verdict(first, second) == Verdict("disagree", "one report denies 'withdrawn'")


def test_different_tolls_of_one_event_are_disagreement() -> None:
    first = analysis("Rebels took Hama, 11 killed", [{"fatalities": 11}], ["HTS"])
    second = analysis("Rebels took Hama, 25 killed", [{"fatalities": 25}], ["HTS"])
    assert verdict(first, second) == Verdict("disagree", "contradicted fatalities")


# -- scores ----------------------------------------------------------------------------------


def test_scores_over_three_labels_and_relatedness() -> None:
    pairs = [
        StancePair("a", "1", "agree", "agree"),
        StancePair("b", "1", "discuss", "agree"),
        StancePair("c", "1", "disagree", "disagree"),
        StancePair("d", "2", "unrelated", "unrelated"),
    ]
    verdicts = [
        Verdict("agree", "both name X"),
        Verdict("unrelated", "nothing"),
        Verdict("agree", "both name X"),
        Verdict("unrelated", "nothing"),
    ]
    scores = score_verdicts(pairs, verdicts, n_bodies=2, per_label=2)
    by_label = {s.label: s for s in scores.stance.labels}
    assert (by_label["agree"].precision, by_label["agree"].recall) == (0.5, 0.5)
    assert by_label["disagree"].f1 == 0.0
    assert (by_label["unrelated"].precision, by_label["unrelated"].recall) == (0.5, 1.0)
    assert scores.stance.accuracy == 0.5
    assert scores.stance.macro_f1 == pytest.approx((0.5 + 0.0 + 2 / 3) / 3)
    related = scores.related
    assert (related.precision, related.recall, related.support) == (1.0, 2 / 3, 3)
    assert scores.original == {"agree": 1, "discuss": 1, "disagree": 1, "unrelated": 1}
    assert ("disagree", "agree", 1) in scores.confusions
    assert "discuss -> unrelated: 'b' (nothing)" in scores.errors
    assert (scores.n_pairs, scores.n_bodies, scores.per_label) == (4, 2, 2)
