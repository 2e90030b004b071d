"""Tests for sitroom.knowledge.loader: schemas, file-and-line errors, user files from the config."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from factories import facts, tree
from sitroom.config import DataOverride, load_config
from sitroom.errors import ConfigError, KnowledgeBaseError
from sitroom.extract.actors import HeadNouns
from sitroom.extract.arguments import own_subject
from sitroom.extract.control import _capture_status
from sitroom.extract.fatalities import find_casualties
from sitroom.extract.relations import RelationCues
from sitroom.knowledge import loader
from sitroom.knowledge.actors import ActorKB
from sitroom.knowledge.cues import CueLexicon
from sitroom.knowledge.folding import fold
from sitroom.knowledge.gazetteer import cache_path
from sitroom.knowledge.gazetteer_build import country_points
from sitroom.nlp import recase_headlines
from sitroom.pipeline import load_resources


def _write(tmp_path: Path, text: str, name: str = "mine.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _extend(name: str, path: Path, *, replace: bool = False) -> tuple[DataOverride, ...]:
    return (DataOverride(name, path, replace),)


def test_every_shipped_data_file_has_a_schema_and_loads() -> None:
    shipped = {p.name for p in (resources.files("sitroom") / "data").iterdir() if p.is_file()}
    assert shipped == set(loader.SCHEMAS) | loader.MODELS
    for name, schema in loader.SCHEMAS.items():
        data = loader.load(name)
        assert data.source == name
        if schema.version is not None:
            assert data["version"] == schema.version, name


def test_loads_are_cached_per_process() -> None:
    assert loader.load("event_cues.yaml") is loader.load("event_cues.yaml")
    # Overrides of other files do not make another copy.
    other = _extend("numbers.yaml", Path("elsewhere.yaml"))
    assert loader.load("event_cues.yaml", other) is loader.load("event_cues.yaml")


def test_where_names_file_and_line() -> None:
    rules = loader.load("place_rules.yaml")
    assert rules.where("weights", "near_km").startswith("place_rules.yaml:")
    line = int(rules.where("near_words").split(":")[1])
    text = (resources.files("sitroom") / "data" / "place_rules.yaml").read_text("utf-8")
    assert text.splitlines()[line - 1].startswith("near_words:")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version: 1\nforces: [army]\nfoes: [x]\n", ":3: unknown key 'foes'"),
        ("version: 1\n\nforces: army\n", ":3: forces must be a list"),
        ("version: 2\n", ":1: version 2 is not supported"),
        ("- a list\n", ": expected a mapping"),
        ("forces: [army\n", ": not valid YAML"),
        ("version: 1\nforces:\n  - army\n  - on\n", ":4: a list item reads as the boolean True"),
    ],
)
def test_a_bad_user_file_is_named_with_its_line(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(KnowledgeBaseError) as info:
        loader.load("actor_heads.yaml", _extend("actor_heads.yaml", path))
    assert str(info.value).startswith(f"{path}{message}")


def test_a_missing_user_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="cannot read"):
        loader.load("numbers.yaml", _extend("numbers.yaml", tmp_path / "absent.yaml"))


def test_extending_appends_lists_and_merges_mappings(tmp_path: Path) -> None:
    path = _write(tmp_path, "near_words: [alongside]\nweights: {near_km: 20}\n")
    shipped = loader.load("place_rules.yaml")
    merged = loader.load("place_rules.yaml", _extend("place_rules.yaml", path))
    assert merged["near_words"] == [*shipped["near_words"], "alongside"]
    assert merged["weights"] == {**shipped["weights"], "near_km": 20}
    assert merged["place_labels"] == shipped["place_labels"]
    assert merged.where("weights", "near_km") == f"{path}:2"
    assert merged.where("weights", "hint_bonus").startswith("place_rules.yaml:")


def test_replacing_drops_the_shipped_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "backed_words: [backed]\n")
    data = loader.load("relation_cues.yaml", _extend("relation_cues.yaml", path, replace=True))
    assert dict(data.data) == {"backed_words": ["backed"]}


def test_a_tsv_file_is_extended_row_by_row(tmp_path: Path) -> None:
    path = _write(tmp_path, "# mine\niso2\tlatitude\tlongitude\nSY\t35\t38.5\nXK\t42.6\t20.9\n")
    points = country_points(_extend("country_points.tsv", path))
    assert points["SY"] == (35.0, 38.5)
    assert points["XK"] == (42.6, 20.9)
    assert points["AF"] == country_points()["AF"]
    bad = _write(tmp_path, "iso2\tlat\tlon\n", "bad.tsv")
    with pytest.raises(KnowledgeBaseError, match=r"bad\.tsv:1: the header"):
        country_points(_extend("country_points.tsv", bad))


# --- process-wide files: the parser's labels and the place-name folding ---------------------------


@pytest.fixture
def restore_process_wide() -> Iterator[None]:
    yield
    loader.install(())


def test_a_user_s_labels_reach_the_rules_for_the_whole_process(
    tmp_path: Path, restore_process_wide: None
) -> None:
    # A parser whose scheme calls an active subject "agent_subj" (a UD-style model, say).
    clause = tree("""
        Rebels   NOUN:NNS  agent_subj 1 rebel
        captured VERB:VBD  ROOT       1 capture
        Hama     PROPN:NNP dobj       1
    """)
    assert own_subject(clause[0], clause[1]) is None
    mine = _write(tmp_path, "active_subject_deps: [agent_subj]\nsubject_deps: [agent_subj]\n")
    loader.install(_extend("syntax.yaml", mine))
    assert [t.text for t in own_subject(clause[0], clause[1]) or []] == ["Rebels"]
    assert "nsubj" in loader.load("syntax.yaml")["subject_deps"]  # extended, not replaced
    loader.install(())
    assert own_subject(clause[0], clause[1]) is None


def test_a_bad_labels_file_is_named_and_changes_nothing(
    tmp_path: Path, restore_process_wide: None
) -> None:
    good = _write(tmp_path, "subject_deps: [agent_subj]\n", "good.yaml")
    loader.install(_extend("syntax.yaml", good))
    bad = _write(tmp_path, "subject_deps: [agent_subj]\nsubjects: [x]\n", "bad.yaml")
    with pytest.raises(KnowledgeBaseError, match=r"bad\.yaml:2: unknown key 'subjects'"):
        loader.install(_extend("syntax.yaml", bad))
    assert "agent_subj" in loader.load("syntax.yaml")["subject_deps"]


def test_resources_install_the_process_wide_files_before_loading_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(_write(tmp_path, '[data]\n"syntax.yaml" = "s.yaml"\n', "sitroom.toml"))
    assert config.overrides() == (DataOverride("syntax.yaml", Path("s.yaml")),)
    installed: list[tuple[DataOverride, ...]] = []

    def install(overrides: tuple[DataOverride, ...]) -> None:
        installed.append(overrides)
        raise RuntimeError("installed first")

    monkeypatch.setattr(loader, "install", install)
    with pytest.raises(RuntimeError, match="installed first"):
        load_resources(config)
    assert installed == [config.overrides()]


def test_labels_are_read_through_labels_not_words() -> None:
    with pytest.raises(KnowledgeBaseError, match="process-wide"):
        loader.words("syntax.yaml", "subject_deps")
    with pytest.raises(KnowledgeBaseError, match="not a process-wide file"):
        loader.labels("event_cues.yaml", "concepts")


def test_a_user_s_folding_rules_key_every_place_name(
    tmp_path: Path, restore_process_wide: None
) -> None:
    assert fold("Ḩalab") == "halab" != fold("Aleppo")
    shipped_cache = cache_path(tmp_path)
    mine = _write(tmp_path, "word_map: {halab: aleppo}\n")
    loader.install(_extend("place_folding.yaml", mine))
    assert fold("Ḩalab") == fold("Aleppo")  # the user's word, then the shipped spelling rules
    # The gazetteer's cache is keyed by the rules in force, so it is rebuilt with them.
    assert cache_path(tmp_path) != shipped_cache
    loader.install(())
    assert fold("Ḩalab") == "halab"
    assert cache_path(tmp_path) == shipped_cache


# --- the config's [data] table ------------------------------------------------------------------


def test_config_data_table(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        '[data]\n"event_cues.yaml" = "cues.yaml"\n"actor_heads.yaml" = ["a.yaml", "b.yaml"]\n'
        '"place_rules.yaml" = {path = "rules.yaml", replace = true}\n',
        "sitroom.toml",
    )
    config = load_config(path, knowledge=["actors.yaml"])
    assert config.data == (
        DataOverride("event_cues.yaml", Path("cues.yaml")),
        DataOverride("actor_heads.yaml", Path("a.yaml")),
        DataOverride("actor_heads.yaml", Path("b.yaml")),
        DataOverride("place_rules.yaml", Path("rules.yaml"), replace=True),
    )
    # The extra actor files are overrides of actors.yaml, first.
    assert config.overrides()[0] == DataOverride("actors.yaml", Path("actors.yaml"))
    assert config.overrides()[1:] == config.data


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"cues.yaml" = "x.yaml"', "no such data file"),
        ('"event_cues.yaml" = {path = "x.yaml", replace = "yes"}', "path = "),
        ('"event_cues.yaml" = {file = "x.yaml"}', "path = "),
        ('"event_cues.yaml" = 3', "must be a path"),
    ],
)
def test_config_data_table_errors(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, f"[data]\n{text}\n", "sitroom.toml")
    with pytest.raises(ConfigError, match=message):
        load_config(path)


# --- the stages read the user's files -----------------------------------------------------------


def test_a_user_file_adds_cue_words_to_the_lexicon(tmp_path: Path) -> None:
    path = _write(tmp_path, "concepts:\n  air:\n    triggers: [kamikaze drone]\n")
    lexicon = CueLexicon.load(overrides=_extend("event_cues.yaml", path))
    found = lexicon.match(_tokens("a kamikaze drone hit"))
    assert ("air", "trigger") in {(c.concept, c.role) for c in found}
    assert not any(c.phrase == "kamikaze drone" for c in CueLexicon.load().match(_tokens("a")))


def test_user_files_extend_control_cues_where_the_rules_read_them(tmp_path: Path) -> None:
    quit_ = tree("""
        army   NOUN:NN    nsubj 1
        quit   VERB:VBD   ROOT  1 quit
        Hama   PROPN:NNP  dobj  1
    """)
    mine = _extend(
        "control_cues.yaml", _write(tmp_path, "loss_lemmas: [quit]\ntown_nouns: [hamlet]\n")
    )
    assert _capture_status(quit_[1]) == "captured"
    assert _capture_status(quit_[1], mine) == "lost"
    hamlet = facts(
        tree("""
        the     DET:DT   det  1
        hamlet  NOUN:NN  ROOT 1
    """)
    )
    assert not hamlet.is_town_noun(hamlet.doc[1])
    hamlet.overrides = mine
    assert hamlet.is_town_noun(hamlet.doc[1])


def test_user_files_extend_heads_relation_cues_and_actors(tmp_path: Path) -> None:
    heads = HeadNouns.load(_extend("actor_heads.yaml", _write(tmp_path, "forces: [legion]\n")))
    assert "legion" in heads.forces and "legion" not in HeadNouns.load().forces
    cues_path = _write(tmp_path, "ally_nouns: [comrade]\n", "rel.yaml")
    assert "comrade" in RelationCues.load(_extend("relation_cues.yaml", cues_path)).ally_nouns
    actors = _write(
        tmp_path,
        "version: 1\nactors:\n  - {id: ZORK-1, name: Zork Front, kind: militia}\n",
        "a.yaml",
    )
    kb = ActorKB.load(overrides=_extend("actors.yaml", actors))
    assert kb.lookup("Zork Front") is not None
    assert ActorKB.load(extra=[actors]).lookup("Zork Front") is not None


def test_user_files_reach_casualty_figures_and_headlines(tmp_path: Path) -> None:
    numbers = _write(tmp_path, "vague: {a score of: 20}\n")
    text = "A score of civilians were killed."
    assert [c.number for c in find_casualties(text)] != [20]
    found = find_casualties(text, overrides=_extend("numbers.yaml", numbers))
    assert [c.number for c in found] == [20]
    headline = (
        "Fighters Of HTS Seize Saraqib As Army Retreats To Hama\n"
        "The army retreated towards Hama after HTS fighters entered the town of Saraqib."
    )
    assert recase_headlines(headline, is_name=lambda w: False) != headline
    strict = _write(tmp_path, "min_words: 50\n", "headline.yaml")
    kept = recase_headlines(
        headline, is_name=lambda w: False, overrides=_extend("headline_case.yaml", strict)
    )
    assert kept == headline


def _tokens(text: str) -> list[object]:
    """Plain tokens for CueLexicon.match: lowercase form and lemma alike, no tags."""

    class Token:
        def __init__(self, word: str) -> None:
            self.lower_ = self.lemma_ = word
            self.pos_ = ""

    return [Token(w) for w in text.split()]
