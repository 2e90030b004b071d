"""WikiEvents scorer: the type mapping, reading gold documents, predictions, scoring by hand."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import pytest

from factories import event
from sitroom.errors import KnowledgeBaseError
from sitroom.evaluate.wikievents import (
    EventMapping,
    GoldArg,
    GoldDoc,
    GoldEvent,
    PredArg,
    PredEvent,
    head_offset,
    predicted_events,
    read_documents,
    score_documents,
    victim_word,
)
from sitroom.records import Analysis, Document, Evidence, Location, Mention

S0 = "Bomb kills two soldiers in Kabul"
S1 = "Police arrested the bomber."
TEXT = f"{S0}\n{S1}"  # the scorer puts one sentence per line
B1 = len(S0) + 1


@pytest.fixture(scope="module")
def mapping() -> EventMapping:
    return EventMapping.load()


_event = partial(event, "d", id="e")  # an untyped event of document "d"


def test_shipped_mapping_types(mapping: EventMapping) -> None:
    assert mapping.gold_type("Conflict.Attack.DetonateExplode") == "attack"
    assert mapping.gold_type("Life.Die.Unspecified") == "die"
    assert mapping.gold_type("Contact.Contact.Meet") is None
    assert mapping.gold_type("Life.Dies.Unspecified") is None  # a prefix ends at a dot
    assert mapping.gold_roles["die"]["Victim"] == "target"
    assert mapping.predicted_type(_event(trigger="killed", event_type="Battles")) == "die"
    assert mapping.predicted_type(_event(trigger="Wounded")) == "injure"
    arrest = _event(sub_event_type="Arrests", plover_type="COERCE")
    assert mapping.predicted_type(arrest) == "arrest"
    clash = _event(event_type="Battles", sub_event_type="Armed clash")
    assert mapping.predicted_type(clash) == "attack"
    abduction = _event(
        event_type="Violence against civilians", sub_event_type="Abduction/forced disappearance"
    )
    assert mapping.predicted_type(abduction) is None
    assert mapping.predicted_type(_event(plover_type="MOBILIZE")) == "transport"
    assert mapping.predicted_type(_event(plover_type="CONSULT", trigger="meet")) is None


def test_bad_mapping_is_a_knowledge_base_error() -> None:
    with pytest.raises(KnowledgeBaseError):
        EventMapping.load("wikievents: {gold_types: {}}")


def _wikievents_doc() -> dict[str, object]:
    # The second sentence's offsets drift by 7 chars, as some shipped documents' do.
    s0 = [
        ["Bomb", 0, 4],
        ["kills", 5, 10],
        ["two", 11, 14],
        ["soldiers", 15, 23],
        ["in", 24, 26],
        ["Kabul", 27, 32],
    ]
    s1 = [
        ["Police", 40, 46],
        ["arrested", 47, 55],
        ["the", 56, 59],
        ["bomber", 60, 66],
        [".", 66, 67],
    ]
    ent = [
        ("T1", 3, "soldiers"),
        ("T2", 5, "Kabul"),
        ("T3", 6, "Police"),
        ("T4", 9, "bomber"),
        ("T5", 0, "Bomb"),
    ]
    return {
        "doc_id": "tiny",
        "tokens": [t[0] for t in s0 + s1],
        "text": S0 + S1,
        "sentences": [[s0, S0], [s1, S1]],
        "entity_mentions": [{"id": i, "start": k, "end": k + 1, "text": t} for i, k, t in ent],
        "event_mentions": [
            {
                "id": "E1",
                "event_type": "Life.Die.Unspecified",
                "trigger": {"start": 1, "end": 2, "text": "kills"},
                "arguments": [
                    {"entity_id": "T1", "role": "Victim", "text": "soldiers"},
                    {"entity_id": "T2", "role": "Place", "text": "Kabul"},
                    {"entity_id": "T5", "role": "Instrument", "text": "Bomb"},
                ],
            },
            {
                "id": "E2",
                "event_type": "Justice.ArrestJailDetain.Unspecified",
                "trigger": {"start": 7, "end": 8, "text": "arrested"},
                "arguments": [
                    {"entity_id": "T3", "role": "Jailer", "text": "Police"},
                    {"entity_id": "T4", "role": "Detainee", "text": "bomber"},
                ],
            },
            {
                "id": "E3",
                "event_type": "Contact.Contact.Meet",
                "trigger": {"start": 4, "end": 5, "text": "in"},
                "arguments": [],
            },
        ],
    }


def test_read_documents_rebuilds_offsets_and_coref(tmp_path: Path, mapping: EventMapping) -> None:
    path = tmp_path / "dev.jsonl"
    path.write_text(json.dumps(_wikievents_doc()) + "\n", encoding="utf-8")
    coref = tmp_path / "coref.jsonlines"
    coref.write_text(json.dumps({"doc_key": "tiny", "clusters": [["T4", "T5"]]}) + "\n")
    (doc,) = read_documents(path, mapping=mapping, coref=coref)
    assert doc.text == TEXT
    die, arrest = doc.events  # the Meet event is not a conflict type
    assert (die.type, die.trigger, die.start) == ("die", "kills", 5)
    assert [(a.slot, doc.text[a.start : a.end]) for a in die.args] == [
        ("target", "soldiers"),
        ("place", "Kabul"),
    ]  # Instrument is not scored
    assert (arrest.type, TEXT[arrest.start : arrest.end]) == ("arrest", "arrested")
    detainee = arrest.args[1]
    assert (detainee.slot, TEXT[detainee.start : detainee.end]) == ("target", "bomber")
    assert set(detainee.spans) == {(detainee.start, detainee.end), (0, 4)}
    assert read_documents(path, mapping=mapping, limit=0) == []


@pytest.mark.parametrize(
    ("text", "head"),
    [
        ("Russian soldiers", "soldiers"),
        ("supporters of Ben Bella", "supporters"),
        ("Kabul", "Kabul"),
        ("the army, which", "army"),
        ("militants in Idlib", "militants"),
    ],
)
def test_head_offset(text: str, head: str) -> None:
    mention = Mention("d", 10, 10 + len(text), text, "actor")
    assert head_offset(mention) == 10 + text.index(head)


def test_predicted_events(mapping: EventMapping) -> None:
    kabul = Location("Kabul", 1138958, 34.5, 69.2, "AF", "Kabul", 1)
    analysis = Analysis(
        document=Document("d", "d", TEXT),
        mentions=(
            Mention("d", 11, 23, "two soldiers", "actor", actor_id="MIL-AF"),
            Mention("d", 27, 32, "Kabul", "place"),
            Mention("d", B1, B1 + 6, "Police", "actor", actor_id="POLICE-AF"),
            Mention("d", 5, 23, "kills two soldiers", "quantity", value="2"),
            Mention("d", 0, 4, "Bomb", "quantity", value="0"),
        ),
        event_mentions=(
            _event(
                event_type="Explosions/Remote violence",
                plover_type="ASSAULT",
                trigger="Bomb",
                actor2="MIL-AF",
                location=kabul,
                evidence=(Evidence("d", 0, len(S0), S0),),
            ),
            _event(
                sub_event_type="Arrests",
                plover_type="COERCE",
                trigger="arrested",
                actor1="POLICE-AF",
                evidence=(Evidence("d", B1, B1 + len(S1), S1),),
            ),
            _event(plover_type="CONSULT", trigger="talks", evidence=(Evidence("d", 0, 4, "Bomb"),)),
        ),
    )
    attack, arrest, die = predicted_events(analysis, mapping=mapping)
    assert attack == PredEvent(
        "attack",
        0,
        4,
        "Bomb",
        (PredArg("target", 15, "two soldiers"), PredArg("place", 27, "Kabul")),
    )
    assert arrest == PredEvent(
        "arrest", B1 + 7, B1 + 15, "arrested", (PredArg("attacker", B1, "Police"),)
    )
    # Read from the casualty figure, its victims the target.
    assert die == PredEvent("die", 5, 10, "kills", (PredArg("target", 15, "soldiers"),))


def test_a_casualty_figure_takes_its_events_attacker(mapping: EventMapping) -> None:
    text = "Rebels shelled Kabul, killing two soldiers"
    analysis = Analysis(
        document=Document("d", "d", text),
        mentions=(
            Mention("d", 0, 6, "Rebels", "actor", actor_id="REBELS"),
            Mention("d", 15, 20, "Kabul", "place"),
            Mention("d", 22, 42, "killing two soldiers", "quantity", value="2"),
        ),
        event_mentions=(
            _event(
                event_type="Explosions/Remote violence",
                trigger="shelled",
                actor1="REBELS",
                evidence=(Evidence("d", 0, len(text), text),),
            ),
        ),
    )
    _, die = predicted_events(analysis, mapping=mapping)
    # The shelling's attacker killed them; the figure's victims stay its own target.
    assert die.args == (PredArg("target", 34, "soldiers"), PredArg("attacker", 0, "Rebels"))


def test_score_documents() -> None:
    bomber = (B1 + 20, B1 + 26)
    gold = GoldDoc(
        "tiny",
        TEXT,
        (
            GoldEvent(
                "die",
                5,
                10,
                "kills",
                (
                    GoldArg("target", 15, 23, "soldiers", ((15, 23),)),
                    GoldArg("place", 27, 32, "Kabul", ((27, 32),)),
                ),
            ),
            GoldEvent(
                "arrest",
                B1 + 7,
                B1 + 15,
                "arrested",
                (
                    GoldArg("attacker", B1, B1 + 6, "Police", ((B1, B1 + 6),)),
                    GoldArg("target", *bomber, "bomber", (bomber, (0, 4))),
                ),
            ),
        ),
    )
    pred = [
        PredEvent(
            "die",
            5,
            10,
            "kills",
            (PredArg("target", 15, "soldiers"), PredArg("place", 27, "Kabul")),
        ),
        PredEvent("attack", 0, 4, "Bomb", (PredArg("attacker", 0, "Bomb"),)),
        PredEvent(
            "arrest",
            B1 + 7,
            B1 + 15,
            "arrested",
            (PredArg("target", 0, "Bomb"), PredArg("attacker", B1, "Police")),
        ),
    ]
    s = score_documents([gold], [pred])
    assert (s.trigger.precision, s.trigger.recall) == pytest.approx((2 / 3, 1.0))
    assert s.trigger.f1 == pytest.approx(0.8) and s.trigger_id.f1 == pytest.approx(0.8)
    assert (s.argument.precision, s.argument.recall) == pytest.approx((3 / 5, 3 / 4))
    assert (s.argument_coref.precision, s.argument_coref.recall) == pytest.approx((4 / 5, 1.0))
    by_type = {t.label: t for t in s.types}
    assert by_type["attack"].precision == 0.0 and by_type["attack"].support == 0
    assert by_type["die"].f1 == 1.0
    by_slot = {x.label: x for x in s.slots}
    assert by_slot["target"].recall == pytest.approx(1 / 2)
    assert by_slot["attacker"].precision == pytest.approx(1 / 2)
    assert any(e.startswith("spurious: tiny attack 'Bomb'") for e in s.errors)
    assert any("arrest/target missed 'bomber'" in e for e in s.errors)
    # A trigger of the wrong type is identified but not classified.
    retyped = [PredEvent("attack", 5, 10, "kills")]
    s2 = score_documents([gold], [retyped])
    assert s2.trigger.f1 == 0.0 and s2.trigger_id.precision == 1.0
    with pytest.raises(ValueError):
        score_documents([gold], [])


@pytest.mark.parametrize(
    ("text", "trigger", "victim"),
    [
        ("more than two dozen Syrian pro-regime fighters were killed", "killed", "fighters"),
        ("killing 130 people", "killing", "people"),
        ("four men injured", "injured", "men"),
        ("Scores died", "died", "Scores"),
        ("wounded 71", "wounded", "71"),
        ("1,200 were killed", "killed", "1,200"),
        ("12 civilians were killed", "killed", "civilians"),
        ("12 initially killed", "killed", "12"),
        ("death toll of 11", "death", "11"),
        ("injured another 15", "injured", "15"),
        ("a man was shot dead", "dead", "man"),
        ("killed", "killed", None),
    ],
)
def test_the_victim_of_a_casualty_phrase(text: str, trigger: str, victim: str | None) -> None:
    at = text.index(trigger)
    found = victim_word(text, at, at + len(trigger), mapping=EventMapping.load())
    assert (found[1] if found else None) == victim
    if found:
        assert text[found[0] :].startswith(found[1])


def test_only_the_gold_type_s_slots_are_predicted(mapping: EventMapping) -> None:
    args = (PredArg("attacker", 0, "Police"), PredArg("target", 10, "prisoners"))
    # A KAIROS transport has a transporter and a destination, never a target.
    assert mapping.fitting("transport", args) == args[:1]
    assert mapping.fitting("arrest", args) == args


def test_an_inferred_place_is_no_argument(mapping: EventMapping) -> None:
    # The event's sentence names no place; sitroom put it at the report's country.
    afghanistan = Location("Afghanistan", 1149361, 33.0, 66.0, "AF", None, 3, inferred=True)
    text = "Fighting shook Afghanistan. Rebels shelled the base on Monday."
    second = text.index("Rebels")
    analysis = Analysis(
        document=Document("d", "d", text),
        mentions=(Mention("d", 15, 26, "Afghanistan", "place"),),
        event_mentions=(
            _event(
                event_type="Explosions/Remote violence",
                trigger="shelled",
                location=afghanistan,
                evidence=(Evidence("d", second, len(text), text[second:]),),
            ),
        ),
    )
    (attack,) = predicted_events(analysis, mapping=mapping)
    assert attack.args == ()
