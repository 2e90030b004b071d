"""The actor knowledge base: the shipped data's integrity, lookups, generic terms, user files."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sitroom.errors import KnowledgeBaseError
from sitroom.knowledge.actors import ActorKB, fold, is_acronym
from sitroom.records import ACTOR_KINDS, Actor

# Countries whose government, forces and current leaders the data must describe in depth.
COVERED = [
    *("SY", "RU", "IR", "TR", "IL", "US", "UA", "IQ", "LB", "YE", "SD", "ML", "BF", "NE"),
    *("CD", "RW", "MM", "ET", "SO", "NG", "AF", "LY", "SA", "AE", "EG", "JO", "QA", "PK"),
    *("IN", "CN", "FR", "GB", "DE", "BY", "KP", "HT", "CO", "MX", "VE", "AM", "AZ"),
]
REQUIRED_ACTORS = [
    *("HTS", "SNA", "FSA", "SDF", "YPG", "PKK", "ISIS", "HEZBOLLAH", "IRGC", "QUDS-FORCE"),
    *("WAGNER", "AFRICA-CORPS", "FATEMIYOUN", "ZAINABIYOUN", "PMF", "KATAIB-HEZBOLLAH"),
    *("NUJABA", "SYR-REBELS", "AZOV", "DPR", "LPR", "HAMAS", "QASSAM", "PIJ", "HOUTHIS", "IRI"),
    *("RSF", "JANJAWEED", "SPLM-N", "JNIM", "ISSP", "ISWAP", "BOKO-HARAM", "VDP", "M23", "ADF"),
    *("CODECO", "WAZALENDO", "PDF", "NUG", "AA-MM", "TNLA", "MNDAA", "KIA", "THREE-BROTHERHOOD"),
    *("AL-SHABAAB", "TALIBAN", "ISIS-K", "FANO", "TPLF", "OLA", "VIV-ANSANM", "G9", "ELN"),
    *("FARC-DISSIDENTS", "CJNG", "SINALOA-CARTEL", "UN", "UNSC", "UNHCR", "OCHA", "UNICEF"),
    *("WHO", "WFP", "ICRC", "RED-CRESCENT", "NATO", "EU", "AU", "ECOWAS", "ARAB-LEAGUE", "OPEC"),
    *("IAEA", "ICC", "MSF", "AMNESTY", "HRW", "SOHR", "WHITE-HELMETS"),
]


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return ActorKB.load()


def write(tmp_path: Path, text: str, name: str = "extra.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the shipped data ---------------------------------------------------------------------------


def test_shipped_file_covers_every_state(kb: ActorKB) -> None:
    codes = set(kb.countries())
    assert len(codes) >= 197  # 193 UN members, Palestine, Kosovo, Taiwan, the Holy See
    assert {"PS", "XK", "TW", "SS", "CD", "CG"} <= codes
    assert sum(1 for _ in kb.actors()) > 4 * len(codes)


def test_ids_are_unique_and_kinds_valid(kb: ActorKB) -> None:
    actors = list(kb.actors())
    ids = [a.id for a in actors]
    assert len(ids) == len(set(ids))
    for actor in actors:
        assert actor.kind in ACTOR_KINDS, actor
        assert actor.country is None or kb.country_name(actor.country), actor


def test_every_parent_exists_and_chains_end(kb: ActorKB) -> None:
    for actor in kb.actors():
        seen = {actor.id}
        parent = actor.parent
        while parent is not None:
            found = kb.get(parent)
            assert found is not None, f"{actor.id}: unknown parent {parent}"
            assert parent not in seen
            seen.add(parent)
            parent = found.parent


def test_no_alias_names_two_actors(kb: ActorKB) -> None:
    owner: dict[tuple[bool, str], str] = {}
    clashes = []
    for actor in kb.actors():
        for alias in (actor.name, *actor.aliases):
            key = (is_acronym(alias), fold(alias, keep_case=is_acronym(alias)))
            if owner.setdefault(key, actor.id) != actor.id:
                clashes.append((alias, owner[key], actor.id))
    assert clashes == []


def test_every_alias_looks_up_its_own_actor(kb: ActorKB) -> None:
    wrong = [
        (alias, actor.id)
        for actor in kb.actors()
        for alias in actor.aliases
        if (found := kb.lookup(alias)) is None or found.id != actor.id
    ]
    assert wrong == []


def test_generic_terms_are_not_actor_aliases(kb: ActorKB) -> None:
    for term in kb.generic_terms():
        assert kb.lookup(term) is None, term


@pytest.mark.parametrize("iso2", COVERED)
def test_covered_country_has_state_forces_and_leader(kb: ActorKB, iso2: str) -> None:
    gov, mil = kb.state(iso2), kb.forces(iso2)
    assert gov is not None and mil is not None
    assert mil.parent == gov.id
    leaders = [a for a in kb.actors() if a.kind == "person" and a.parent == gov.id]
    if iso2 != "SY":  # Syria's current head of state is listed under HTS, as the brief asks
        assert leaders, f"no leader for {iso2}"


def test_covered_countries_have_their_own_aliases() -> None:
    """Beyond the templates, each covered country names its government and forces itself."""
    text = (importlib.resources.files("sitroom") / "data" / "actors.yaml").read_text("utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    entries = {c["iso2"]: c for c in data["countries"]}
    for iso2 in COVERED:
        assert entries[iso2].get("gov_aliases"), iso2
        assert entries[iso2].get("mil_aliases"), iso2


@pytest.mark.parametrize("actor_id", REQUIRED_ACTORS)
def test_required_actor_is_listed(kb: ActorKB, actor_id: str) -> None:
    assert kb.get(actor_id) is not None


@pytest.mark.parametrize(
    ("name", "parent"),
    [
        ("Abu Mohammed al-Jolani", "HTS"),
        ("Ahmed al-Sharaa", "HTS"),
        ("Hassan Nasrallah", "HEZBOLLAH"),
        ("Naim Qassem", "HEZBOLLAH"),
        ("Yahya Sinwar", "HAMAS"),
        ("Abdul Malik al-Houthi", "HOUTHIS"),
        ("Hemedti", "RSF"),
        ("Abdel Fattah al-Burhan", "GOV-SD"),
        ("Vladimir Putin", "GOV-RU"),
        ("Bashar al-Assad", "GOV-SY"),
    ],
)
def test_people_belong_to_their_actor(kb: ActorKB, name: str, parent: str) -> None:
    person = kb.lookup(name)
    assert person is not None and person.kind == "person"
    assert person.parent == parent


# --- lookups ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "actor_id"),
    [
        ("Hayat Tahrir al-Sham", "HTS"),
        ("HTS", "HTS"),
        ("the Assad regime", "GOV-SY"),
        ("Syrian Arab Army", "MIL-SY"),
        ("Rapid Support Forces", "RSF"),
        ("Houthis", "HOUTHIS"),
        ("Hay’at Tahrir al Sham", "HTS"),  # curly quote, "al " for "al-"
        ("HAYAT TAHRIR AL-SHAM", "HTS"),  # headline capitals
        ("Al Qaeda", "AL-QAEDA"),
        ("the U.N.", "UN"),
        ("Assad's forces", "MIL-SY"),
        ("Hezbollah's", "HEZBOLLAH"),  # possessive
        ("Médecins Sans Frontières", "MSF"),
        ("Medecins Sans Frontieres", "MSF"),  # diacritics folded
        ("Erdoğan", "PER-RECEP-TAYYIP-ERDOGAN"),
        ("Military Forces of Syria", "MIL-SY"),  # canonical names are names too
        ("Israeli army", "MIL-IL"),  # derived from the demonym
        ("Government of Sudan", "GOV-SD"),
        ("Nigerian police", "POL-NG"),
        ("Ukrainian civilians", "CIV-UA"),
        ("Tatmadaw", "MIL-MM"),
        ("Syrian National Army", "SNA"),
        ("Arakan Army", "AA-MM"),
    ],
)
def test_lookup(kb: ActorKB, text: str, actor_id: str) -> None:
    actor = kb.lookup(text)
    assert actor is not None, text
    assert actor.id == actor_id


@pytest.mark.parametrize("text", ["hts", "Aa", "aa", "sna", "rebels", "Syria", "the", "", "   "])
def test_lookup_unknown_or_lowercased_acronym(kb: ActorKB, text: str) -> None:
    assert kb.lookup(text) is None


@pytest.mark.parametrize(
    ("word", "iso2"),
    [
        ("Russian", "RU"),
        ("Israeli", "IL"),
        ("Israelis", "IL"),
        ("U.S.", "US"),
        ("US", "US"),
        ("American", "US"),
        ("British", "GB"),
        ("UK", "GB"),
        ("Emirati", "AE"),
        ("Congolese", "CD"),
        ("Burkinabé", "BF"),
        ("Iranian-backed", None),
        ("us", None),  # the pronoun is not the country
        ("Kurdish", None),
    ],
)
def test_demonym_country(kb: ActorKB, word: str, iso2: str | None) -> None:
    assert kb.demonym_country(word) == iso2


def test_country_names(kb: ActorKB) -> None:
    assert kb.country_by_name("Syria") == "SY"
    assert kb.country_by_name("Syrian Arab Republic") == "SY"
    assert kb.country_by_name("the United States") == "US"
    assert kb.country_by_name("Türkiye") == "TR"
    assert kb.country_by_name("DRC") == "CD"
    assert kb.country_by_name("Ivory Coast") == "CI"
    assert kb.country_by_name("Atlantis") is None
    assert kb.country_name("SY") == "Syria"
    assert kb.country_name("sy") == "Syria"
    assert kb.country_name("ZZ") is None


def test_derived_state_actors(kb: ActorKB) -> None:
    gov, mil, pol, civ = kb.state("SY"), kb.forces("SY"), kb.police("SY"), kb.civilians("SY")
    assert gov == kb.get("GOV-SY") and gov is not None
    assert (gov.name, gov.kind, gov.country) == ("Government of Syria", "state", "SY")
    assert mil is not None and (mil.id, mil.name, mil.kind) == (
        "MIL-SY",
        "Military Forces of Syria",
        "state_forces",
    )
    assert pol is not None and (pol.id, pol.parent) == ("POL-SY", "GOV-SY")
    assert civ is not None and (civ.id, civ.name, civ.kind) == (
        "CIV-SY",
        "Civilians (Syria)",
        "civilians",
    )
    assert kb.state("ZZ") is None


def test_leader_tenure(kb: ActorKB) -> None:
    assad = kb.lookup("Bashar al-Assad")
    assert assad is not None
    tenure = kb.tenure(assad.id)
    assert tenure is not None and (tenure.start, tenure.end) == (2000, 2024)
    putin = kb.tenure("PER-VLADIMIR-PUTIN")
    assert putin is not None and putin.end is None
    assert kb.tenure("HTS") is None


# --- generic descriptions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "country", "actor_id"),
    [
        ("insurgents", "SY", "SYR-REBELS"),
        ("rebels", "MM", "PDF"),
        ("Rebels", "YE", "HOUTHIS"),
        ("insurgents", None, "REBELS"),
        ("rebels", "ML", "REBELS-ML"),  # no by_country entry: the template
        ("rebels", "ZZ", "REBELS"),  # unknown country: the fallback
        ("militants", "NG", "UAG-NG"),
        ("protesters", "SY", "PROTESTERS-SY"),
        ("civilians", "SD", "CIV-SD"),
        ("villagers", None, "CIV"),
        ("soldiers", "SY", "MIL-SY"),
        ("troops", "ps", "MIL-IL"),
        ("police officers", "NG", "POL-NG"),
        ("authorities", "IR", "GOV-IR"),
        ("pro-Assad militias", None, "PGM-SY"),
        ("pro-government militias", "SY", "PGM-SY"),
        ("settlers", "PS", "SETTLERS-IL"),
        ("bandits", "NG", "BANDITS-NG"),
    ],
)
def test_generic(kb: ActorKB, term: str, country: str | None, actor_id: str) -> None:
    actor = kb.generic(term, country=country)
    assert actor is not None
    assert actor.id == actor_id


def test_generic_template_actor_is_named_and_gettable(kb: ActorKB) -> None:
    actor = kb.generic("protesters", country="SY")
    assert actor == Actor(
        id="PROTESTERS-SY", name="Protesters (Syria)", kind="civilians", country="SY"
    )
    assert kb.get("PROTESTERS-SY") == actor
    assert kb.get("PROTESTERS-ZZ") is None
    assert kb.generic("soldiers", country="SY") is kb.forces("SY")


def test_a_description_stands_for_the_groups_its_entry_names(kb: ActorKB) -> None:
    # "separatists" in a Pakistani report (SEPARATISTS-PK) or of no country may be the BLA
    separatists = kb.generic("separatists", country="PK")
    assert separatists is not None and "BLA" in kb.stand_ins(separatists.id)
    assert "BLA" in kb.stand_ins("SEPARATISTS")
    assert kb.stand_ins("UAG-PK") == frozenset()


def test_generic_unknown_term(kb: ActorKB) -> None:
    assert kb.generic("Hezbollah", country="LB") is None
    assert kb.generic("tomatoes", country=None) is None
    assert kb.generic("civilians,", country="SY") is None  # a span that swallowed a comma
    assert kb.generic("", country="SY") is None


# --- new actors ---------------------------------------------------------------------------------


def test_new_actor_is_deterministic(kb: ActorKB) -> None:
    a = kb.new_actor("the Popular Resistance Brigade", kind="armed_group", country="SY")
    b = kb.new_actor("Popular  Resistance Brigade", kind="armed_group")
    assert a.id == b.id == "new:popular-resistance-brigade"
    assert (a.name, a.kind, a.country) == ("Popular Resistance Brigade", "armed_group", "SY")
    assert kb.new_actor("Ḥaraket Nūr").id == "new:haraket-nur"


def test_new_actor_rejects_bad_input(kb: ActorKB) -> None:
    with pytest.raises(ValueError, match="kind"):
        kb.new_actor("X Brigade", kind="gang")
    with pytest.raises(ValueError, match="id"):
        kb.new_actor("   ")


# --- user files ---------------------------------------------------------------------------------


EXTRA = """
version: 1
countries:
  - {iso2: SY, name: Syria, demonyms: [Syrian], aliases: [Syrian Arab Republic],
     gov_aliases: [Sharaa government]}
actors:
  - {id: HTS, name: Hayat Tahrir al-Sham (dissolved), kind: armed_group, country: SY,
     aliases: [HTS, Tahrir al-Sham]}
  - {id: NEW-BRIGADE, name: Sultan Murad Division, kind: armed_group, country: SY,
     aliases: [Sultan Murad, SNA], parent: SNA}
generic:
  - terms: [insurgents]
    kind: armed_group
    by_country: {SY: NEW-BRIGADE}
    fallback: {id: INSURGENTS, name: Insurgents (unidentified)}
"""


def test_extra_file_overrides_and_extends(tmp_path: Path) -> None:
    kb = ActorKB.load(extra=[write(tmp_path, EXTRA)])
    hts = kb.get("HTS")
    assert hts is not None and hts.name == "Hayat Tahrir al-Sham (dissolved)"
    assert kb.lookup("Jabhat al-Nusra") is None  # the replaced entry's aliases went with it
    assert kb.lookup("Sultan Murad") == kb.get("NEW-BRIGADE")
    brigade = kb.lookup("SNA")  # an alias a later file claims moves to its actor
    assert brigade is not None and brigade.id == "NEW-BRIGADE"
    assert kb.lookup("Syrian National Army") == kb.get("SNA")
    assert kb.lookup("Sharaa government") == kb.state("SY")
    assert kb.lookup("Assad regime") is None  # the country entry was replaced whole
    insurgents = kb.generic("insurgents", country="SY")
    assert insurgents is not None and insurgents.id == "NEW-BRIGADE"
    rebels = kb.generic("rebels", country="SY")  # other terms of the shipped group are kept
    assert rebels is not None and rebels.id == "SYR-REBELS"
    assert kb.lookup("Hezbollah") is not None


def test_extra_file_adds_a_country(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
version: 1
countries:
  - {iso2: ZZ, name: Zedland, demonyms: [Zedlander], aliases: [Republic of Zedland],
     leaders: [{name: Zara Zed, aliases: [President Zed], role: President, from: 2020, to: null}]}
""",
    )
    kb = ActorKB.load(extra=[path])
    assert kb.country_by_name("Republic of Zedland") == "ZZ"
    assert kb.demonym_country("Zedlander") == "ZZ"
    forces = kb.lookup("Zedlander army")
    assert forces is not None and forces.id == "MIL-ZZ"
    zed = kb.lookup("President Zed")
    assert zed is not None and (zed.id, zed.parent) == ("PER-ZARA-ZED", "GOV-ZZ")
    protesters = kb.generic("protesters", country="ZZ")
    assert protesters is not None and protesters.name == "Protesters (Zedland)"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version: 1\nactors: [{id: X\n", "not valid YAML"),
        ("- just a list\n", "mapping at the top level"),
        ("actors: []\n", "missing key 'version'"),
        ("version: 2\n", "version 2"),
        ("version: 1\nfriends: []\n", "unknown key 'friends'"),
        ("version: 1\nactors: []\nactors: []\n", "'actors' given twice (first"),
        (
            "version: 1\nactors:\n  - {id: X-1, name: X, kind: gang}\n",
            "actors[0] (X-1): kind 'gang'",
        ),
        ("version: 1\nactors:\n  - {id: x1, name: X, kind: militia}\n", "uppercase slug"),
        ("version: 1\nactors:\n  - {id: X-1, kind: militia}\n", "actors[0]: missing key 'name'"),
        (
            "version: 1\nactors:\n  - {id: X-1, name: X, kind: militia, alias: [Y]}\n",
            "unknown key 'alias'",
        ),
        (
            "version: 1\nactors:\n  - {id: X-1, name: X, kind: militia, parent: NOPE}\n",
            "(X-1): unknown parent 'NOPE'",
        ),
        (
            "version: 1\nactors:\n  - {id: X-1, name: X, kind: militia, country: QQ}\n",
            "unknown country 'QQ'",
        ),
        (
            "version: 1\nactors:\n  - {id: X-1, name: X, kind: militia, aliases: [Zork]}\n"
            "  - {id: X-2, name: Y, kind: militia, aliases: [zork]}\n",
            "also names 'X-1'",
        ),
        (
            "version: 1\nactors:\n  - {id: X-1, name: X, kind: militia}\n"
            "  - {id: X-1, name: Y, kind: militia}\n",
            "used twice",
        ),
        (
            "version: 1\nactors:\n  - {id: X-1, name: X, kind: militia, aliases: Zork}\n",
            "expected a list",
        ),
        ("version: 1\ncountries:\n  - {iso2: NO, name: Norway}\n", "got False"),
        (
            "version: 1\ncountries:\n  - {iso2: ZZ, name: Z,"
            " leaders: [{name: A, role: B, from: x}]}\n",
            "expected a year",
        ),
        (
            "version: 1\ncountries:\n  - {iso2: ZZ, name: Z, spy_aliases: [A]}\n",
            "unknown key spy_aliases",
        ),
        (
            "version: 1\ngeneric:\n  - {terms: [zorks], kind: militia, by_country: {SY: NOPE},"
            " fallback: {id: ZORKS, name: Zorks}}\n",
            "unknown actor 'NOPE'",
        ),
        (
            "version: 1\ngeneric:\n  - {terms: [zorks], kind: militia,"
            " template: {id: ZORKS, name: Z}, fallback: {id: ZORKS, name: Zorks}}\n",
            "{iso2}",
        ),
        ("version: 1\ngeneric:\n  - {terms: [zorks], kind: militia}\n", "missing key 'fallback'"),
        (
            "version: 1\ngeneric:\n  - {terms: [zorks], kind: militia, by_named: [NOPE],"
            " fallback: {id: ZORKS, name: Zorks}}\n",
            "by_named names unknown 'NOPE'",
        ),
    ],
)
def test_malformed_extra_file(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text, "bad.yaml")
    with pytest.raises(KnowledgeBaseError) as info:
        ActorKB.load(extra=[path])
    assert "bad.yaml" in str(info.value)
    assert message in str(info.value)


def test_missing_extra_file(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="cannot read"):
        ActorKB.load(extra=[tmp_path / "absent.yaml"])


# --- folding and robustness ---------------------------------------------------------------------


def test_fold() -> None:
    assert fold("The Hay’at Tahrir  al Sham's") == "hayat tahrir al-sham"
    assert fold("U.S.", keep_case=True) == "US"
    assert fold("Öcalan") == "ocalan"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_lookups_never_raise(kb: ActorKB, text: str) -> None:
    for result in (kb.lookup(text), kb.generic(text, country="SY"), kb.get(text)):
        assert result is None or isinstance(result, Actor)
    assert kb.demonym_country(text) is None or len(kb.demonym_country(text) or "") == 2
    assert kb.country_by_name(text) is None or len(kb.country_by_name(text) or "") == 2


# --- spaCy patterns -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nlp_and_patterns(kb: ActorKB):
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    patterns = kb.patterns(tokenizer=nlp.tokenizer, generic=True)
    ruler = nlp.add_pipe("entity_ruler", config={"validate": True})
    ruler.add_patterns([p for p in patterns if p["label"] == "ACTOR"])
    return nlp, patterns


def test_patterns_shape(kb: ActorKB, nlp_and_patterns) -> None:
    _, patterns = nlp_and_patterns
    actors = [p for p in patterns if p["label"] == "ACTOR"]
    assert all(kb.get(p["id"]) is not None for p in actors)
    by_text = {" ".join(next(iter(t.values())) for t in p["pattern"]): p for p in actors}
    assert by_text["HTS"]["pattern"] == [{"ORTH": "HTS"}]
    assert by_text["hayat tahrir al - sham"]["id"] == "HTS"
    assert by_text["US forces"]["pattern"] == [{"ORTH": "US"}, {"LOWER": "forces"}]
    assert "rebel group ( unidentified )" not in by_text  # fallback labels are not names
    assert any(p["label"] == "ACTOR_GENERIC" and p["id"] == "insurgents" for p in patterns)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Fighters from HTS seized the town.", [("HTS", "HTS")]),
        (
            "Hayat Tahrir al-Sham and the Syrian National Army advanced on Aleppo.",
            [("Hayat Tahrir al-Sham", "HTS"), ("Syrian National Army", "SNA")],
        ),
        ("Hay’at Tahrir al Sham fighters", [("Hay’at Tahrir al Sham", "HTS")]),
        ("The Arakan Army (AA) took the base.", [("Arakan Army", "AA-MM"), ("AA", "AA-MM")]),
        ("We bought aa batteries and told us troops to wait.", []),
        (
            "US forces struck Kataib Hezbollah.",
            [("US forces", "MIL-US"), ("Kataib Hezbollah", "KATAIB-HEZBOLLAH")],
        ),
    ],
)
def test_entity_ruler_finds_actors(
    nlp_and_patterns, text: str, found: list[tuple[str, str]]
) -> None:
    doc = nlp_and_patterns[0](text)
    assert [(e.text, e.ent_id_) for e in doc.ents] == found
