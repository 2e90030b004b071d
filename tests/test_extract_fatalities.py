"""Tests for sitroom.extract.fatalities: casualty figures in a sentence."""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitroom.extract.fatalities import CASUALTY_KINDS, find_casualties
from sitroom.numbers import parse_quantity

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# (sentence, phrase, number_text, number, kind, victims)
# fmt: off
POSITIVE = [
    ("At least 25 people were killed in the attack.", "At least 25 people were killed",
     "At least 25", 25, "killed", "people"),
    ("Militants raided the village, killing 11.", "killing 11", "11", 11, "killed", None),
    ("Troops killed all six attackers.", "killed all six attackers", "six", 6, "killed",
     "attackers"),
    ("The army killed at least 44 civilians on Friday.", "killed at least 44 civilians",
     "at least 44", 44, "killed", "civilians"),
    ("Over 300 of their fighters have been killed since March.",
     "Over 300 of their fighters have been killed", "Over 300", 300, "killed", "fighters"),
    ("More than 300 soldiers died.", "More than 300 soldiers died", "More than 300", 300,
     "killed", "soldiers"),
    ("The clashes resulted in at least 25 fatalities.", "at least 25 fatalities", "at least 25",
     25, "killed", None),
    ("25 dead, officials said.", "25 dead", "25", 25, "killed", None),
    ("The death toll rose to 40 on Monday.", "death toll rose to 40", "40", 40, "killed", None),
    ("The death toll from the raid has climbed to 52 people.",
     "death toll from the raid has climbed to 52 people", "52", 52, "killed", "people"),
    ("The blast left 12 dead.", "left 12 dead", "12", 12, "killed", None),
    ("The strike claimed the lives of 7 people.", "claimed the lives of 7 people", "7", 7,
     "killed", "people"),
    ("Two soldiers died in the ambush.", "Two soldiers died", "Two", 2, "killed", "soldiers"),
    ("The bomb exploded, wounding 30.", "wounding 30", "30", 30, "injured", None),
    ("Gunmen injured dozens of worshippers.", "injured dozens of worshippers", "dozens", 12,
     "injured", "worshippers"),
    ("No casualties were reported.", "No casualties were reported", "No", 0, "killed", None),
    ("No one was killed in the strike.", "No one was killed", "No", 0, "killed", None),
    ("Who is dead? No one is dead.", "No one is dead", "No", 0, "killed", None),
    ("Troops killed a soldier at the checkpoint.", "killed a soldier", "a", 1, "killed", "soldier"),
    ("A 25-year-old man was killed.", "A 25-year-old man was killed", "A", 1, "killed", "man"),
    ("Three other Russian military personnel were wounded.",
     "Three other Russian military personnel were wounded", "Three", 3, "injured", "personnel"),
    ("A Russian major general was killed in Syria.", "A Russian major general was killed", "A", 1,
     "killed", "general"),
    ("Fighters killed twenty-five insurgents.", "killed twenty-five insurgents", "twenty-five",
     25, "killed", "insurgents"),
    ("The shelling wounded two hundred people.", "wounded two hundred people", "two hundred",
     200, "injured", "people"),
    ("Fifteen civilians were killed.", "Fifteen civilians were killed", "Fifteen", 15, "killed",
     "civilians"),
    ("Between 10 and 15 people were killed.", "Between 10 and 15 people were killed",
     "Between 10 and 15", 10, "killed", "people"),
    ("Officials said 10-15 villagers died.", "10-15 villagers died", "10-15", 10, "killed",
     "villagers"),
    ("Up to 40 people are feared dead.", "Up to 40 people are feared dead", "Up to 40", 40,
     "killed", "people"),
    ("Scores of people were injured.", "Scores of people were injured", "Scores", 20, "injured",
     "people"),
    ("Several civilians were killed.", "Several civilians were killed", "Several", 10, "killed",
     "civilians"),
    ("Hundreds of people died.", "Hundreds of people died", "Hundreds", 100, "killed", "people"),
    ("A number of rebels were killed.", "A number of rebels were killed", "A number of", 10,
     "killed", "rebels"),
    ("A dozen children were killed.", "A dozen children were killed", "A dozen", 12, "killed",
     "children"),
    ("The strikes killed 1,200 people.", "killed 1,200 people", "1,200", 1200, "killed", "people"),
    ("Officials said 3 000 were injured.", "3 000 were injured", "3 000", 3000, "injured", None),
    ("Three people remain missing.", "Three people remain missing", "Three", 3, "missing",
     "people"),
    ("Rebels kidnapped 20 students.", "kidnapped 20 students", "20", 20, "captured", "students"),
    ("Some 25 Palestinians were killed in Gaza.", "Some 25 Palestinians were killed", "Some 25",
     25, "killed", "Palestinians"),
    ("The 1994 genocide killed 800,000 people.", "killed 800,000 people", "800,000", 800000,
     "killed", "people"),
    ("On November 25 militants killed three villagers.", "killed three villagers", "three", 3,
     "killed", "villagers"),
    ("Israeli strike kills 12 in Gaza", "kills 12", "12", 12, "killed", None),
    ("Five people had likely been killed.", "Five people had likely been killed", "Five", 5,
     "killed", "people"),
    ("The military claimed the killing of 33 terrorists.", "killing of 33 terrorists", "33", 33,
     "killed", "terrorists"),
    ("None of the passengers were hurt.", "None of the passengers were hurt", "None", 0,
     "injured", None),
    ("Two prominent elders were killed.", "Two prominent elders were killed", "Two", 2,
     "killed", "elders"),
    ("The war has killed 1.5 million people.", "killed 1.5 million people", "1.5 million",
     1500000, "killed", "people"),
    # An aside set off by commas between the victims and their verb.
    ("Officials said 31 people, including 23 security personnel, lost their lives.",
     "31 people, including 23 security personnel, lost their lives", "31", 31, "killed",
     "people"),
    ("Seven other people, including two prominent elders, were killed.",
     "Seven other people, including two prominent elders, were killed", "Seven", 7, "killed",
     "people"),
]
# fmt: on


@pytest.mark.parametrize(
    ("sentence", "phrase", "number_text", "number", "kind", "victims"), POSITIVE
)
def test_finds_casualty(
    sentence: str, phrase: str, number_text: str, number: int, kind: str, victims: str | None
) -> None:
    found = find_casualties(sentence)
    assert len(found) == 1, found
    c = found[0]
    assert sentence[c.start : c.end] == phrase
    assert (c.number_text, c.number, c.kind, c.victims) == (number_text, number, kind, victims)


@pytest.mark.parametrize(
    "sentence",
    [
        "The 25th Division moved north.",
        "2,000 troops were deployed to the border.",
        "In 2015, the group seized the town.",
        "A 25-year-old man addressed the crowd.",
        "Troops killed the commander.",  # a definite victim: usually already counted
        "He was killed two days ago.",
        "The offensive began on November 25 and lasted 3 days.",
        "Fighting over 300 km of front line continued.",
        "About 40% of the city was destroyed.",
        "The two-day battle ended.",
        "Route 25 was closed after the attack.",
        "No one claimed responsibility.",
        "Prices rose by 25 percent.",
        "In 2014 killed was a word on every front page.",
        "The ministry did not say how many of its soldiers had been killed.",  # asked, not told
        "",
    ],
)
def test_no_casualty(sentence: str) -> None:
    assert find_casualties(sentence) == []


def test_several_figures_in_reading_order() -> None:
    text = "The blast killed 12 people and wounded 30 others; 5 remain missing."
    found = find_casualties(text)
    assert [(c.number, c.kind) for c in found] == [(12, "killed"), (30, "injured"), (5, "missing")]
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


def test_active_verb_after_the_subject_is_not_read_as_victims() -> None:
    found = find_casualties("25 militants killed three soldiers.")
    assert [(c.number, c.victims) for c in found] == [(3, "soldiers")]


def test_left_dead_and_wounded() -> None:
    found = find_casualties("The blast left 12 dead and 30 wounded.")
    assert [(c.number, c.kind) for c in found] == [(12, "killed"), (30, "injured")]


@pytest.mark.parametrize(
    ("phrase", "value"),
    [
        ("at least 25", 25),
        ("over 300", 300),
        ("more than 300", 300),
        ("up to 40", 40),
        ("between 10 and 15", 10),
        ("10 to 15", 10),
        ("two or three", 2),
        ("dozens", 12),
        ("dozens of", 12),
        ("a dozen", 12),
        ("two dozen", 24),
        ("hundreds", 100),
        ("tens of thousands", 10000),
        ("scores", 20),
        ("several", 10),
        ("a number of", 10),
        ("many", 10),
        ("fifteen", 15),
        ("twenty-five", 25),
        ("two hundred", 200),
        ("two hundred and fifty", 250),
        ("a hundred", 100),
        ("three thousand", 3000),
        ("1,200", 1200),
        ("3 000", 3000),
        ("1.5 million", 1500000),
        ("zero", 0),
        ("militants", None),
        ("", None),
    ],
)
def test_parse_quantity(phrase: str, value: int | None) -> None:
    assert parse_quantity(phrase) == value


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=12),
            st.sampled_from(
                [
                    "killed",
                    "at least",
                    "25",
                    "dozens of",
                    "people were",
                    "wounding",
                    "no one was",
                    "a",
                    "soldier",
                    "left",
                    "dead",
                    "death toll rose to",
                    "1,200",
                    "twenty-five",
                    "of their",
                    "-",
                    " ",
                    ",",
                    "November",
                    "2015",
                    "the",
                ]
            ),
        ),
        max_size=12,
    ).map(" ".join)
)
def test_never_raises_and_offsets_hold(text: str) -> None:
    found = find_casualties(text)
    for c in found:
        assert 0 <= c.start < c.end <= len(text)
        assert c.number_text in text[c.start : c.end]
        assert c.kind in CASUALTY_KINDS
        assert c.number >= 0
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


@pytest.mark.shared
def test_voa_stories_run_fast_and_find_figures() -> None:
    path = SHARED / "data" / "voa" / "voa_stories.jsonl"
    if not path.exists():
        pytest.skip(f"shared data absent: {path}")
    stories = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    started = time.perf_counter()
    found = [c for story in stories for c in find_casualties(story["text"])]
    elapsed = time.perf_counter() - started
    assert sum(c.kind == "killed" for c in found) >= 20
    assert elapsed < 10.0


@pytest.mark.parametrize(
    ("sentence", "number_text", "number"),
    [
        ("At least 21 passengers and four paramilitary troops died in the attack.", None, 25),
        ("The blast killed 12 civilians and three soldiers.", "12 and three", 15),
        ("Two soldiers and 3 civilians were killed on Monday.", "Two and 3", 5),
    ],
)
def test_counts_joined_by_and_under_one_verb_add_up(
    sentence: str, number_text: str | None, number: int
) -> None:
    [killed] = [c for c in find_casualties(sentence) if c.kind == "killed"]
    assert killed.number == number
    assert number_text is None or killed.number_text == number_text


@pytest.mark.parametrize(
    ("sentence", "numbers"),
    [
        # Another verb's object, another verb's count: not one toll.
        ("The army rescued 190 passengers and killed 30 militants.", [30]),
        ("Militants killed 5 soldiers and wounded 12 civilians.", [5]),
        ("Between 10 and 15 people were killed.", [10]),
        # A count after the dead's own verb has a verb of its own: the wounded are no dead.
        ("Two soldiers were killed and three others wounded.", [2]),
        ("Two elders were killed, and five others were injured.", [2]),
    ],
)
def test_counts_of_other_verbs_are_not_added(sentence: str, numbers: list[int]) -> None:
    assert [c.number for c in find_casualties(sentence) if c.kind == "killed"] == numbers
