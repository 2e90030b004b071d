"""Tests for sitroom.knowledge.cues: the cue lexicon built from data, its cues matched in tokens."""

from __future__ import annotations

import copy
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from sitroom.errors import KnowledgeBaseError
from sitroom.knowledge.cues import ROLES, CueLexicon, CueMatch
from sitroom.records import EVENT_STATUSES

ACLED_TYPES = {
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
}

SMALL: dict[str, Any] = {
    "blockers": ["according to"],
    "concepts": {
        "scene_town": {},
        "air": {"triggers": ["airstrike", "air strike"], "context": ["jet"]},
        "capture": {"triggers": ["capture", "take control"], "secondary": ["enter"]},
        "deal": {"triggers": ["accord"]},
    },
    "types": {
        "AIR": {
            "acled": ["Explosions/Remote violence", "Air/drone strike"],
            "plover": ["ASSAULT", "aerial"],
            "rank": 1,
            "requires": ["air"],
            "weights": {"air": 3.0},
        },
        "TAKE": {
            "acled": ["Battles", "Non-state actor overtakes territory"],
            "plover": ["FIGHT", None],
            "rank": 2,
            "requires": ["capture"],
            "weights": {"capture": 3.0, "scene_town": 1.0},
            "by_actor_kind": {"state_forces": "RETAKE"},
        },
        "RETAKE": {
            "acled": ["Battles", "Government regains territory"],
            "plover": ["FIGHT", None],
            "rank": 3,
            "weights": {"capture": 3.0},
        },
        "OTHER": {"acled": None, "plover": None, "rank": 9, "weights": {"deal": 1}},
    },
    "plover_by_trigger": {"accord": ["AGREE", None]},
    "agent_preps": {"Fall": ["To"]},
    "status_cues": {"denied": ["Deny", "refute"], "planned": ["will"]},
}


def tokens(*items: str | tuple[str, ...]) -> list[SimpleNamespace]:
    """Stand-in tokens: a word is its own lemma unless given as (word, lemma[, pos[, entity]])."""
    out = []
    for item in items:
        word, lemma, pos, ent = (*((item, item) if isinstance(item, str) else item), "", "")[:4]
        out.append(SimpleNamespace(lower_=word.lower(), lemma_=lemma, pos_=pos, ent_type_=ent))
    return out


@pytest.fixture
def lexicon() -> CueLexicon:
    return CueLexicon(copy.deepcopy(SMALL))


def test_types_are_built_from_the_data(lexicon: CueLexicon) -> None:
    take = lexicon.types["TAKE"]
    assert take.acled == ("Battles", "Non-state actor overtakes territory")
    assert take.plover == ("FIGHT", None)
    assert (take.rank, take.requires, take.needs_all) == (2, ("capture",), ())
    assert take.weights == {"capture": 3.0, "scene_town": 1.0}
    assert take.by_actor_kind == {"state_forces": "RETAKE"}
    other = lexicon.types["OTHER"]
    assert (other.acled, other.plover, other.weights) == (None, None, {"deal": 1.0})


def test_auxiliary_tables_are_lowercased(lexicon: CueLexicon) -> None:
    assert lexicon.plover_by_trigger == {"accord": ("AGREE", None)}
    assert lexicon.agent_preps == {"fall": frozenset({"to"})}
    assert lexicon.status_cues["denied"] == frozenset({"deny", "refute"})


def test_single_word_cue_matches_by_word_or_lemma(lexicon: CueLexicon) -> None:
    found = lexicon.match(tokens("Rebels", ("captured", "capture"), "Saraqib"))
    assert found == [CueMatch(1, 2, "capture", "trigger", "capture")]


def test_multi_word_cue_spans_its_tokens(lexicon: CueLexicon) -> None:
    found = lexicon.match(tokens("An", "air", "strike", "hit", "Idlib"))
    assert found == [CueMatch(1, 3, "air", "trigger", "air strike")]


def test_multi_word_cue_matches_inflected_words(lexicon: CueLexicon) -> None:
    found = lexicon.match(tokens("Rebels", ("took", "take"), "control", "of", "Hama"))
    assert found == [CueMatch(1, 3, "capture", "trigger", "take control")]


def test_roles_are_kept_apart(lexicon: CueLexicon) -> None:
    found = lexicon.match(tokens("A", "jet", ("entered", "enter"), "Hama"))
    assert {(m.concept, m.role) for m in found} == {("air", "context"), ("capture", "secondary")}
    assert all(m.role in ROLES for m in found)


def test_a_partial_phrase_at_the_end_does_not_match(lexicon: CueLexicon) -> None:
    assert lexicon.match(tokens("rebels", "did", "not", "take")) == []
    assert lexicon.match(tokens("the", "air")) == []


def test_blocked_phrase_is_not_a_cue(lexicon: CueLexicon) -> None:
    # "according" has the lemma "accord", which is a cue on its own.
    words = tokens("Hama", "fell", ("according", "accord"), "to", "the", "army")
    assert lexicon.match(words) == []
    assert lexicon.match(tokens("an", "accord", "was", "signed")) == [
        CueMatch(1, 2, "deal", "trigger", "accord")
    ]


def test_each_occurrence_is_a_match(lexicon: CueLexicon) -> None:
    found = lexicon.match(tokens("airstrike", "and", "airstrike"))
    assert [(m.start, m.end) for m in found] == [(0, 1), (2, 3)]


def test_empty_doc_has_no_cues(lexicon: CueLexicon) -> None:
    assert lexicon.match([]) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("types"), "malformed"),
        (lambda d: d["types"]["AIR"].pop("rank"), "malformed"),
        (lambda d: d["types"]["AIR"].update(rank="first"), "malformed"),
        (lambda d: d["types"]["AIR"].update(weights=None), "malformed"),
        (lambda d: d["types"]["AIR"].update(weights={"naval": 1.0}), "unknown concepts"),
        (lambda d: d["types"]["AIR"].update(requires=["naval"]), "unknown concepts"),
        (
            lambda d: d["types"]["AIR"].update(plover_by_concept={"naval": ["FIGHT", None]}),
            "unknown concepts",
        ),
        (lambda d: d["types"]["TAKE"].update(by_actor_kind={"militia": "X"}), "unknown types"),
        (lambda d: d.update(remote_concepts=["naval"]), "unknown concepts"),
        (lambda d: d.update(onward_concepts=["naval"]), "unknown concepts"),
        (lambda d: d.update(tolled_types=["NAVAL"]), "unknown types"),
        (lambda d: d["concepts"]["deal"].update(triggers=["deal/VRB"]), "part of speech"),
        (
            lambda d: d.update(
                frames=[{"concept": "naval", "verbs": ["sink"], "objects": ["ship"]}]
            ),
            "unknown concepts",
        ),
        (
            lambda d: d.update(
                frames=[{"concept": "air", "verbs": ["fly"], "objects": ["jet"], "slot": "cockpit"}]
            ),
            "frame slots",
        ),
        (lambda d: d.update(frames=[{"concept": "air", "objects": ["jet"]}]), "malformed"),
    ],
)
def test_malformed_lexicon_is_a_knowledge_base_error(change: Any, message: str) -> None:
    data = copy.deepcopy(SMALL)
    change(data)
    with pytest.raises(KnowledgeBaseError, match=message) as info:
        CueLexicon(data, source="mine.yaml")
    assert str(info.value).startswith("mine.yaml: ")


@pytest.mark.parametrize("text", ["concepts: [1, 2", "- just\n- a list\n", ""])
def test_load_rejects_a_bad_file_naming_it(tmp_path: Path, text: str) -> None:
    path = tmp_path / "cues.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as info:
        CueLexicon.load(path)
    assert str(path) in str(info.value)


def test_load_reads_a_user_file(tmp_path: Path) -> None:
    import yaml

    path = tmp_path / "cues.yaml"
    path.write_text(yaml.safe_dump(SMALL), encoding="utf-8")
    assert set(CueLexicon.load(path).types) == {"AIR", "TAKE", "RETAKE", "OTHER"}


def test_shipped_lexicon_is_consistent() -> None:
    lexicon = CueLexicon.load()
    assert lexicon.types
    for event_type in lexicon.types.values():
        if event_type.acled is not None:
            assert event_type.acled[0] in ACLED_TYPES, event_type.label
        assert event_type.weights, event_type.label
    # Every status the extractor can infer from words is one of the record vocabulary's.
    assert {"denied", "planned", "background"} <= set(lexicon.status_cues)
    assert {"denied", "planned", "background"} <= set(EVENT_STATUSES)
    assert "according to" not in {
        m.phrase for m in lexicon.match(tokens(("according", "accord"), "to"))
    }


def test_shipped_lexicon_codes_an_airstrike_and_a_capture() -> None:
    lexicon = CueLexicon.load()
    air = {(m.concept, m.role) for m in lexicon.match(tokens("airstrikes"))}
    assert ("air", "trigger") in air
    capture = {(m.concept, m.role) for m in lexicon.match(tokens(("captured", "capture")))}
    assert ("capture", "trigger") in capture


def test_a_cue_with_a_part_of_speech_matches_only_that_part() -> None:
    data = copy.deepcopy(SMALL)
    data["concepts"]["deal"]["triggers"] = ["accord", "sign/VERB"]
    lexicon = CueLexicon(data)
    verb = lexicon.match(tokens("they", ("signed", "sign", "VERB"), "it"))
    assert [(m.concept, m.phrase) for m in verb] == [("deal", "sign")]
    assert lexicon.match(tokens("protesters", "held", ("signs", "sign", "NOUN"))) == []


def test_a_month_name_is_no_cue() -> None:
    data = copy.deepcopy(SMALL)
    data["concepts"]["deal"]["triggers"] = ["accord", "march"]
    lexicon = CueLexicon(data)
    assert lexicon.match(tokens("since", ("March", "March", "PROPN", "DATE"), "2020")) == []
    assert len(lexicon.match(tokens("a", ("march", "march", "NOUN")))) == 1


def test_a_word_inside_a_longer_trigger_of_another_concept_is_no_cue() -> None:
    data = copy.deepcopy(SMALL)
    data["concepts"]["shoot"] = {"triggers": ["open fire"]}
    data["concepts"]["deal"]["triggers"] = ["accord", "fire"]
    lexicon = CueLexicon(data)
    found = lexicon.match(tokens("gunmen", ("opened", "open"), "fire"))
    assert [(m.concept, m.phrase) for m in found] == [("shoot", "open fire")]
    assert [m.concept for m in lexicon.match(tokens("a", "fire"))] == ["deal"]
