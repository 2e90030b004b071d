"""FNC-1 stance pairs as two reports: does the ledger find them agreeing, disagreeing, unrelated?

Each pair's headline and body are analysed as two reports (no publication date) and compared by
``sitroom.picture.compare_reports``, as ``sitroom compare`` would:

- *disagree*: an event both tell has a contradicted claim (a denial against a report of the act,
  or different values from the two), or one report denies an act of an actor or place the other
  tells as having happened;
- *agree*: otherwise, where they tell one event or name one actor or one town in common;
- *unrelated*: neither.

Gold ``discuss`` counts as ``agree``: the ledger has no neutral verdict, and a report that
discusses a claim without disputing it is, for the ledger, a source that does not contradict it.
Scores are macro-F1 over agree, disagree and unrelated (the three the project's issue names).

The test set has 25,413 pairs, three quarters unrelated; scoring reads a seeded sample of the same
number of pairs per (mapped) gold label, so that every label weighs alike and a run stays short.
"""

from __future__ import annotations

import csv
import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sitroom.api import document_from_text
from sitroom.errors import InputError
from sitroom.evaluate.metrics import ClassificationScores, LabelScore, classification_scores
from sitroom.picture import compare_reports, picture_from_analyses
from sitroom.picture.ledger import Comparison, related, unidentified
from sitroom.pipeline import Resources, analyze_docs
from sitroom.records import Actor, Analysis, Event

LABELS = ("agree", "disagree", "unrelated")
GOLD_LABELS = {
    "agree": "agree",
    "discuss": "agree",  # see the module docstring
    "disagree": "disagree",
    "unrelated": "unrelated",
}
DEFAULT_PER_LABEL = 150
SEED = 20170601  # FNC-1's first stage closed in June 2017; any fixed seed would do
ERRORS_SHOWN = 8
EXAMPLES_EACH = 2  # examples of each kind of confusion
# Stand-ins that name no one in particular: sharing "civilians" does not make two reports one story.
_GENERIC_KINDS = frozenset({"civilians", "unknown"})
_HAPPENED = frozenset({"reported", "claimed"})


@dataclass(frozen=True, slots=True)
class StancePair:
    """One gold pair: the headline, the body (by id) and the gold stance, as given and mapped."""

    headline: str
    body_id: str
    stance: str  # agree, disagree, discuss or unrelated
    gold: str  # one of LABELS


@dataclass(frozen=True, slots=True)
class Verdict:
    """sitroom's stance on a pair and why, in a few words."""

    label: str  # one of LABELS
    reason: str


@dataclass(frozen=True, slots=True)
class Fnc1Scores:
    """Three-way scores, related-vs-unrelated scores, and typical confusions."""

    stance: ClassificationScores
    related: LabelScore  # 'related' (agree or disagree) against unrelated
    n_pairs: int
    n_bodies: int
    per_label: int  # the sample's size per label (fewer where the set has fewer)
    original: Mapping[str, int]  # gold stances of the sample before mapping
    confusions: tuple[tuple[str, str, int], ...]
    errors: tuple[str, ...]


def read_pairs(stances: Path, bodies: Path) -> tuple[list[StancePair], dict[str, str]]:
    """The pairs of a stances CSV (Headline, Body ID, Stance) and the bodies by id."""
    texts = {
        row["Body ID"]: row["articleBody"] for row in _rows(bodies, ("Body ID", "articleBody"))
    }
    pairs = []
    for n, row in enumerate(_rows(stances, ("Headline", "Body ID", "Stance")), 2):
        stance = row["Stance"].strip().lower()
        if stance not in GOLD_LABELS:
            raise InputError(f"unknown stance {row['Stance']!r}", source=str(stances), line=n)
        if row["Body ID"] not in texts:
            raise InputError(f"no body {row['Body ID']!r}", source=str(stances), line=n)
        pairs.append(StancePair(row["Headline"], row["Body ID"], stance, GOLD_LABELS[stance]))
    return pairs, texts


def _rows(path: Path, columns: Sequence[str]) -> Iterable[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = set(columns) - set(reader.fieldnames or ())
            if missing:
                raise InputError(f"missing columns {sorted(missing)}", source=str(path))
            yield from reader
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise InputError(f"cannot read FNC-1 file: {e}", source=str(path)) from e


def bodies_path(stances: Path) -> Path:
    """The bodies file beside a stances file (``*_stances.csv`` -> ``*_bodies.csv``)."""
    return stances.with_name(stances.name.replace("stances", "bodies"))


def sample_pairs(
    pairs: Sequence[StancePair], *, per_label: int, seed: int = SEED
) -> list[StancePair]:
    """``per_label`` pairs of each gold label (all where fewer), drawn with a fixed seed and
    interleaved label by label, so that any prefix is balanced too."""
    pools: defaultdict[str, list[StancePair]] = defaultdict(list)
    for pair in sorted(pairs, key=lambda p: (p.headline, p.body_id, p.stance)):
        pools[pair.gold].append(pair)
    rng = random.Random(seed)
    drawn = {label: rng.sample(pools[label], min(per_label, len(pools[label]))) for label in LABELS}
    return [
        drawn[label][i]
        for i in range(max((len(d) for d in drawn.values()), default=0))
        for label in LABELS
        if i < len(drawn[label])
    ]


def stance_of(comparison: Comparison, first: Analysis, second: Analysis) -> Verdict:
    """The stance of two reports from their comparison and what each names."""
    actors = {a.id: a for a in (*first.actors, *second.actors)}
    common = _named(first, actors) & _named(second, actors)
    if not comparison.shared and not common:
        return Verdict("unrelated", "no event, actor or town in common")
    for event in comparison.shared:
        clashes = [c.field for c in event.claims if c.verdict == "contradicted"]
        if clashes:
            return Verdict("disagree", f"contradicted {', '.join(clashes)}")
    for denier, teller in ((first, second), (second, first)):
        for denied in (e for e in denier.events if e.status == "denied"):
            told = [e for e in teller.events if e.status in _HAPPENED]
            if any(_same_subject(denied, e, actors) for e in told):
                return Verdict("disagree", f"one report denies '{denied.trigger}'")
    if comparison.shared:
        return Verdict("agree", f"{len(comparison.shared)} event(s) told by both")
    return Verdict("agree", "both name " + ", ".join(sorted(common)[:3]))


def _same_subject(a: Event, b: Event, actors: Mapping[str, Actor]) -> bool:
    """Whether two events are about one actor or one town (ids; actors by KB lineage)."""
    ours = {x for x in (a.actor1, a.actor2, *a.assoc_actor_1, *a.assoc_actor_2) if x}
    theirs = {x for x in (b.actor1, b.actor2, *b.assoc_actor_1, *b.assoc_actor_2) if x}
    if any(related(x, y, actors) for x in ours for y in theirs):
        return True
    here, there = a.location, b.location
    return (
        here is not None
        and there is not None
        and here.geonameid is not None
        and here.geonameid == there.geonameid
    )


def _named(analysis: Analysis, actors: Mapping[str, Actor]) -> set[str]:
    """Actors (by id) and towns (by GeoNames id) a report names; generic stand-ins left out."""
    found: set[str] = set()
    for mention in analysis.mentions:
        actor = actors.get(mention.actor_id or "")
        if actor is not None and actor.kind not in _GENERIC_KINDS and not unidentified(actor):
            found.add(actor.id)
        place = mention.place if mention.kind == "place" else None  # not a place modifier
        if place is None or place.geonameid is None or place.feature in ("country", "region"):
            continue
        found.add(f"{place.name} ({place.geonameid})")
    return found


def score_verdicts(
    pairs: Sequence[StancePair],
    verdicts: Sequence[Verdict],
    *,
    n_bodies: int = 0,
    per_label: int = DEFAULT_PER_LABEL,
    errors: int | None = ERRORS_SHOWN,
) -> Fnc1Scores:
    """Scores of verdicts against the pairs' mapped gold labels; ``errors`` None keeps an
    example of every error, else that many, a couple per confusion."""
    gold = [p.gold for p in pairs]
    predicted = [v.label for v in verdicts]
    stance = classification_scores(gold, predicted, labels=LABELS)
    binary = classification_scores(
        [_relatedness(g) for g in gold], [_relatedness(p) for p in predicted], labels=["related"]
    )
    confusions = Counter((g, p) for g, p in zip(gold, predicted, strict=True) if g != p)
    # A couple of examples of each confusion, the most frequent first.
    examples: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    for pair, found in zip(pairs, verdicts, strict=True):
        if pair.gold != found.label:
            text = f"{pair.stance} -> {found.label}: '{pair.headline}' ({found.reason})"
            examples[(pair.gold, found.label)].append(text)
    each = None if errors is None else EXAMPLES_EACH
    shown = [e for key, _ in confusions.most_common() for e in examples[key][:each]]
    return Fnc1Scores(
        stance=stance,
        related=binary.labels[0],
        n_pairs=len(pairs),
        n_bodies=n_bodies,
        per_label=per_label,
        original=dict(Counter(p.stance for p in pairs)),
        confusions=tuple((g, p, c) for (g, p), c in confusions.most_common()),
        errors=tuple(shown[:errors]),
    )


def _relatedness(label: str) -> str:
    return "unrelated" if label == "unrelated" else "related"


def sample(
    path: Path, *, limit: int | None = None, per_label: int = DEFAULT_PER_LABEL
) -> tuple[list[StancePair], dict[str, str], int]:
    """The seeded sample of a stances file, the bodies by id (read beside it) and the sample's
    size per label; ``limit`` caps the sample's size in pairs (a balanced prefix of it)."""
    pairs, bodies = read_pairs(path, bodies_path(path))
    if limit is not None:
        per_label = min(per_label, math.ceil(limit / len(LABELS)))
    return sample_pairs(pairs, per_label=per_label)[:limit], bodies, per_label


def predict(
    pairs: Sequence[StancePair], bodies: Mapping[str, str], *, resources: Resources
) -> list[Verdict]:
    """sitroom's verdict on each pair; each headline and body is analysed once."""
    texts = dict.fromkeys(
        [("headline", p.headline) for p in pairs] + [("body", p.body_id) for p in pairs]
    )
    documents = [
        document_from_text(bodies[key] if kind == "body" else key, ref=f"{kind}:{key[:60]}")
        for kind, key in texts
    ]
    analyses = dict(zip(texts, analyze_docs(documents, resources=resources), strict=True))
    verdicts = []
    for pair in pairs:
        headline, body = analyses[("headline", pair.headline)], analyses[("body", pair.body_id)]
        if headline.document.id == body.document.id:
            verdicts.append(Verdict("agree", "one text"))
            continue
        picture = picture_from_analyses([headline, body])
        comparison = compare_reports(picture, headline.document.id, body.document.id)
        verdicts.append(stance_of(comparison, headline, body))
    return verdicts


def score(
    path: Path,
    *,
    resources: Resources,
    limit: int | None = None,
    per_label: int = DEFAULT_PER_LABEL,
) -> Fnc1Scores:
    """Score the seeded sample of a stances file (its bodies beside it); ``limit`` caps the
    sample's size in pairs (a balanced prefix of it)."""
    chosen, bodies, per_label = sample(path, limit=limit, per_label=per_label)
    verdicts = predict(chosen, bodies, resources=resources)
    bodies_read = len({p.body_id for p in chosen})
    return score_verdicts(chosen, verdicts, n_bodies=bodies_read, per_label=per_label)
