"""Train the place ranker (src/sitroom/data/place_ranker.json) and print its check-half figures.

    python scripts/train_geo.py [--synthetic N] [--abroad SHARE] [--out PATH] [--dry-run]
    python scripts/train_geo.py --cv C:SCALE:K:MARGIN ...

The model is residual: the rules read each document first (``place_rules.read_by_rules``: their
scores, and their final picks, read together and with a seat as its province), and the model
weighs the rules' top K readings of each name they place, namesakes of their pick's kind, with
the rules' score and pick among its features (``place_ranker``). Examples: those readings of
every name sitroom recognises in the *tune* halves of the two geoparsing gold sets
(sitroom.evaluate.split), labelled right when they lie within 161 km of the gold point (the
right one, the rules' pick where it is right, paired with each wrong one), plus N documents
drawn from the gazetteer itself: a town whose name other towns share, named with its country,
its region, a neighbour or "Town, Region" (the context before or after it); and, a share
``--abroad`` of them, a big town named after its country amid the towns of a small namesake
("Georgetown", "Kentucky" ... "France", "Paris"). Features: sitroom.extract.place_features.
Learner: scikit-learn's pairwise logistic regression, fixed seed; the coefficients go into
plain JSON. Then it prints resolution accuracy within 161 km over the recognised names of each
half, rules beside model, both as ``find_places`` reads them (the qualifier pass after either):
read the check halves; and over gazetteer documents drawn with another seed.
"""

# ruff: noqa: E402  (thread limits must be set before numpy is imported)
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import json
import math
import random
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression

from sitroom.api import resources_for
from sitroom.config import Config
from sitroom.evaluate.geoparsing import ACCURACY_KM, gold_toponyms, read_records
from sitroom.evaluate.harness import default_path
from sitroom.evaluate.split import HALVES, half_of
from sitroom.extract.place_features import (
    FEATURE_NAMES,
    DocGeography,
    NameSlot,
    features,
    most_populous_town,
)
from sitroom.extract.place_ranker import (
    MODEL_FILE,
    PlaceRanker,
    rules_lead,
    settled,
    top_readings,
)
from sitroom.extract.place_rules import RulesReading, read_by_rules, resolution_rules
from sitroom.extract.places import name_slots, within_qualifiers
from sitroom.extract.toponyms import Toponym, country_vote, recognise
from sitroom.geometry import haversine_km
from sitroom.knowledge.folding import fold
from sitroom.knowledge.gazetteer import Gazetteer
from sitroom.nlp import parse
from sitroom.pipeline import Resources
from sitroom.records import Place

SEED = 13
SETS = ("geoparsing", "trnews")
# Gazetteer documents, and all their pairs together against the real ones: 3000 at 0.5 did
# best on the GeoWebNews tune half (.894 against .891 with none or at 0.2), TR-News tied.
SYNTHETIC = 3000
SYNTHETIC_WEIGHT = 0.5
NEIGHBOUR_KM = 60.0
# The share of gazetteer documents that name a big town abroad amid a namesake's neighbours.
ABROAD_SHARE = 0.25
# The share of gazetteer documents that name one town and nothing else.
ALONE_SHARE = 0.1
BIG_TOWN = 100_000
# Gazetteer documents drawn with another seed, to show what the model learnt beyond the dev sets.
HELD_OUT = 1000
HELD_OUT_SEED = 14
# The rules' readings of a name the model weighs (a right one paired with each wrong one), and
# how far its best must score above the rules' pick to replace it.
TOP_K = 5
MARGIN = 0.0
SAME_KIND = True  # only namesakes of the rules' pick's kind (a town for a town)
# Inverse strength of the L2 penalty: 1 and 0.3 tie the rules on the tune folds, 0.3 also on
# the whole tune halves and does better on held-out gazetteer documents than 0.1 or 0.03.
REGULARISATION = 0.3
# The rules' own features enter the penalty divided by this: the model is shrunk towards the
# hand-set rules, and the other features only correct them where the data insists.
RULES_FEATURES = ("rules_score", "rules_margin", "rules_pick")
RULES_SCALE = 1.0
OUT = Path(__file__).resolve().parents[1] / "src" / "sitroom" / "data" / MODEL_FILE


@dataclass
class Doc:
    """A document as the ranker sees it: its name slots, the gold point of some of them, the
    found toponyms they come from (none for a gazetteer document), and the rules' reading."""

    id: str
    set: str
    slots: list[NameSlot]
    gold: dict[int, tuple[float, float]]  # slot index -> gold (lat, lon)
    found: list[Toponym] = field(default_factory=list)
    reading: RulesReading | None = None

    def rules(self, gazetteer: Gazetteer) -> RulesReading:
        """The rules' reading of the document (computed once)."""
        if self.reading is None:
            self.reading = read_by_rules(self.slots, gazetteer=gazetteer, rules=resolution_rules())
        return self.reading


def real_documents(resources: Resources) -> list[Doc]:
    """Every article of both sets, recognised once; the gold point of each recognised name."""
    out: list[Doc] = []
    for name in SETS:
        records = read_records(default_path(name))
        texts = ((str(r["text"]), r) for r in records)
        for doc, record in parse(
            resources.nlp,
            texts,
            is_name=resources.is_name,
            batch_size=16,
        ):
            found = recognise(
                doc,
                resources.gazetteer,
                demonyms=resources.kb.demonym_country,
            )
            slots = name_slots(found)
            gold: dict[int, tuple[float, float]] = {}
            used: set[int] = set()
            for g in sorted(gold_toponyms(record), key=lambda g: (g.start, g.end)):
                for k, f in enumerate(found):
                    span = f.span
                    if k not in used and span.start_char < g.end and g.start < span.end_char:
                        used.add(k)
                        gold[k] = (g.lat, g.lon)
                        break
            out.append(Doc(str(record["id"]), name, slots, gold, list(found)))
    return out


def synthetic_documents(
    gazetteer: Gazetteer,
    n: int,
    rng: random.Random,
    abroad: float = ABROAD_SHARE,
    alone: float = ALONE_SHARE,
) -> list[Doc]:
    """Documents of two to four names drawn from the gazetteer: around a town whose name other
    towns share, the town's point its gold; a share ``abroad`` of them set around such a town
    but naming a big namesake abroad after its country (``abroad_documents``); and a share
    ``alone`` that name such a town with nothing else (``alone_documents``)."""
    towns = [p for p in gazetteer.places("city") if p.population >= 500]
    grid = _grid(towns)
    n_abroad = round(n * abroad)
    n_alone = round(n * alone)
    out: list[Doc] = []
    order = list(range(len(towns)))
    rng.shuffle(order)
    for i in order:
        if len(out) >= n - n_abroad - n_alone:
            break
        town = towns[i]
        readings = tuple(gazetteer.candidates(town.name))
        far = [
            p
            for p in readings
            if haversine_km(p.latitude, p.longitude, town.latitude, town.longitude) > ACCURACY_KM
        ]
        if len(readings) < 2 or not far:
            continue
        within: frozenset[tuple[str, str | None]] = frozenset()
        context: list[NameSlot] = []
        kinds = rng.sample(["country", "region", "neighbour", "qualifier"], k=rng.choice((1, 2)))
        for kind in kinds:
            if kind == "country":
                country = gazetteer.country(town.country)
                if country is not None:
                    context.append(_slot(gazetteer, country.name))
            elif kind == "region" and town.admin1:
                context.append(_slot(gazetteer, town.admin1))
            elif kind == "qualifier" and town.admin1:
                within = frozenset({(town.country, town.admin1)})
            elif kind == "neighbour":
                near = _neighbour(grid, town, rng)
                if near is not None:
                    context.append(_slot(gazetteer, near.name))
        if not context and not within:
            continue
        target = NameSlot(fold(town.name), town.name, readings, within)
        at = rng.randint(0, len(context))  # the context read before the town, after it, around
        out.append(
            Doc(
                f"synthetic-{len(out)}",
                "synthetic",
                [*context[:at], target, *context[at:]],
                {at: (town.latitude, town.longitude)},
            )
        )
    return (
        out
        + abroad_documents(gazetteer, n_abroad, rng, towns, grid)
        + alone_documents(gazetteer, n_alone, rng, towns)
    )


def alone_documents(
    gazetteer: Gazetteer, n: int, rng: random.Random, towns: Sequence[Place]
) -> list[Doc]:
    """Documents that name one town whose name others share and nothing else, the most
    populous of the name's towns the gold, whatever name it goes by ("Palmyra": Tadmur, Syria,
    not a Palmyra in the US): a name without context is its most prominent place. The other
    documents always name their town by its own name, which alone would teach that a reading
    named by its main name is the one meant."""
    order = list(range(len(towns)))
    rng.shuffle(order)
    out: list[Doc] = []
    for i in order:
        if len(out) >= n:
            break
        name = towns[i].name
        readings = tuple(gazetteer.candidates(name))
        top = most_populous_town(readings)
        if top is None or len({p.country for p in readings}) < 2:
            continue
        out.append(
            Doc(
                f"synthetic-alone-{len(out)}",
                "synthetic",
                [NameSlot(fold(name), name, readings)],
                {0: (top.latitude, top.longitude)},
            )
        )
    return out


def abroad_documents(
    gazetteer: Gazetteer,
    n: int,
    rng: random.Random,
    towns: Sequence[Place],
    grid: dict[tuple[int, int], list[Place]],
) -> list[Doc]:
    """Documents set around a small town that then name a big namesake of it abroad, right
    after its country ("Georgetown", "Kentucky" ... "France", "Paris"), the big one's point the
    gold: the other side of the small-town documents, where the story's towns mislead."""
    big = [p for p in towns if p.population >= BIG_TOWN]
    order = list(range(len(big)))
    rng.shuffle(order)
    out: list[Doc] = []
    for i in order:
        if len(out) >= n:
            break
        city = big[i]
        readings = tuple(gazetteer.candidates(city.name))
        small = [
            p
            for p in readings
            if p.feature == "city"
            and p.country != city.country
            and p.population < city.population
            and haversine_km(p.latitude, p.longitude, city.latitude, city.longitude) > ACCURACY_KM
        ]
        country = gazetteer.country(city.country)
        if not small or country is None:
            continue
        home = rng.choice(small)
        context: list[NameSlot] = []
        for kind in rng.sample(["region", "neighbour"], k=rng.choice((1, 2))):
            if kind == "region" and home.admin1:
                context.append(_slot(gazetteer, home.admin1))
            elif kind == "neighbour":
                near = _neighbour(grid, home, rng)
                if near is not None:
                    context.append(_slot(gazetteer, near.name))
        if not context:
            continue
        target = NameSlot(fold(city.name), city.name, readings)
        slots = [*context, _slot(gazetteer, country.name), target]
        out.append(
            Doc(
                f"synthetic-abroad-{len(out)}",
                "synthetic",
                slots,
                {len(slots) - 1: (city.latitude, city.longitude)},
            )
        )
    return out


def _grid(towns: Sequence[Place]) -> dict[tuple[int, int], list[Place]]:
    """Towns of 5,000 or more by 1-degree cell, for ``_neighbour``."""
    grid: dict[tuple[int, int], list[Place]] = defaultdict(list)
    for p in towns:
        if p.population >= 5000:
            grid[(int(p.latitude), int(p.longitude))].append(p)
    return grid


def _slot(gazetteer: Gazetteer, name: str) -> NameSlot:
    return NameSlot(fold(name), name, tuple(gazetteer.candidates(name)))


def _neighbour(
    grid: dict[tuple[int, int], list[Place]], town: Place, rng: random.Random
) -> Place | None:
    cells = [
        (int(town.latitude) + a, int(town.longitude) + b) for a in (-1, 0, 1) for b in (-1, 0, 1)
    ]
    near = [
        p
        for c in cells
        for p in grid.get(c, ())
        if fold(p.name) != fold(town.name)
        and haversine_km(p.latitude, p.longitude, town.latitude, town.longitude) <= NEIGHBOUR_KM
    ]
    return rng.choice(near) if near else None


def rows(
    docs: Sequence[Doc], gazetteer: Gazetteer, top_k: int, same_kind: bool
) -> tuple[list[list[float]], list[int], list[bool], list[float]]:
    """Pairs of the rules' top readings of each gold-pointed name the rules place, a right one
    against a wrong one, as feature differences labelled 1 (right minus wrong) and 0 (the
    reverse), whether each is synthetic, and its weight (each name weighs the same)."""
    xs: list[list[float]] = []
    ys: list[int] = []
    synthetic: list[bool] = []
    share: list[float] = []  # each name weighs the same, however many readings it has
    for doc in docs:
        reading = doc.rules(gazetteer)
        votes = [country_vote(s.candidates) for s in doc.slots]
        geography = DocGeography(doc.slots, votes, reading.picks)
        for k, (lat, lon) in doc.gold.items():
            slot = doc.slots[k]
            pick = reading.picks.get(slot.name)
            if pick is None or settled(pick, geography.within(slot.name)):
                continue  # whether a name is placed is the rules' call; a qualifier settles one
            readings = top_readings(slot, reading.scores[k], top_k, pick, same_kind=same_kind)
            lead = rules_lead(readings, pick)
            top = most_populous_town(slot.candidates)
            right: list[tuple[float, list[float]]] = []
            wrong: list[tuple[float, list[float]]] = []
            rule_best = max(reading.scores[k], default=0.0)
            for place, rule_score in readings:
                x = features(
                    slot,
                    place,
                    geography=geography,
                    gazetteer=gazetteer,
                    most_populous=top,
                    rule_score=rule_score,
                    rule_best=rule_best,
                    rule_pick=place == pick,
                    rule_lead=lead,
                    position=k,
                )
                near = haversine_km(lat, lon, place.latitude, place.longitude) <= ACCURACY_KM
                # the rules' pick first among the right ones: keeping it is what to learn
                key = rule_score + (math.inf if place == pick else 0.0)
                (right if near else wrong).append((key, x))
            if not right or not wrong:
                continue  # nothing to learn where every reading (or none) is right
            best = max(right, key=lambda rx: rx[0])[1]
            for _, w in wrong:
                diff = [a - b for a, b in zip(best, w, strict=True)]
                xs += [diff, [-v for v in diff]]
                ys += [1, 0]
                synthetic += [doc.set == "synthetic"] * 2
                share += [1.0 / len(wrong)] * 2
    return xs, ys, synthetic, share


def fit(
    xs: list[list[float]],
    ys: list[int],
    synthetic: list[bool],
    per_name: list[float],
    share: float,
    *,
    c: float = REGULARISATION,
    rules_scale: float = RULES_SCALE,
    top_k: int = TOP_K,
    margin: float = MARGIN,
    same_kind: bool = SAME_KIND,
) -> PlaceRanker:
    n_real = sum(w for w, s in zip(per_name, synthetic, strict=True) if not s)
    n_syn = sum(per_name) - n_real
    scale = share * n_real / n_syn if n_syn else 0.0
    weights = np.array(
        [w * (scale if s else 1.0) for w, s in zip(per_name, synthetic, strict=True)]
    )
    relief = np.array([rules_scale if n in RULES_FEATURES else 1.0 for n in FEATURE_NAMES])
    model = LogisticRegression(C=c, max_iter=5000, fit_intercept=False, random_state=SEED)
    model.fit(np.array(xs) * relief, np.array(ys), sample_weight=weights)
    return PlaceRanker(tuple(float(w) for w in model.coef_[0] * relief), top_k, margin, same_kind)


def train(
    docs: Sequence[Doc],
    gazetteer: Gazetteer,
    share: float,
    *,
    c: float = REGULARISATION,
    rules_scale: float = RULES_SCALE,
    top_k: int = TOP_K,
    margin: float = MARGIN,
    same_kind: bool = SAME_KIND,
) -> tuple[PlaceRanker, int]:
    """The ranker, and how many pairs it saw."""
    xs, ys, syn, weights = rows(docs, gazetteer, top_k, same_kind)
    ranker = fit(
        xs,
        ys,
        syn,
        weights,
        share,
        c=c,
        rules_scale=rules_scale,
        top_k=top_k,
        margin=margin,
        same_kind=same_kind,
    )
    return ranker, len(xs)


def cross_validate(
    tune: Sequence[Doc],
    synthetic: Sequence[Doc],
    gazetteer: Gazetteer,
    share: float,
    grid: Sequence[tuple[float, float, int, float]],
) -> None:
    """Print, for each (C, rules scale, top k, margin), acc@161 over the recognised names of the
    tune halves when each of two folds of the tune articles is resolved by a model trained on
    the other (and the gazetteer documents): a choice made on the tune halves, blind to the
    check ones."""
    folds = [[d for d in tune if half_of(d.id + "#fold") == h] for h in HALVES]
    print("\ncross-validated on the tune halves (2 folds)                 rules   model")
    for c, rules_scale, top_k, margin in grid:
        right: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # rules, model, n
        for k, held in enumerate(folds):
            rest = [d for j, f in enumerate(folds) if j != k for d in f]
            ranker, _ = train(
                [*rest, *synthetic],
                gazetteer,
                share,
                c=c,
                rules_scale=rules_scale,
                top_k=int(top_k),
                margin=margin,
            )
            for name in SETS:
                docs = [d for d in held if d.set == name]
                r, n = accuracy(docs, resolved(docs, None, gazetteer))
                m, _ = accuracy(docs, resolved(docs, ranker, gazetteer))
                right[name][0] += r
                right[name][1] += m
                right[name][2] += n
        for name in SETS:
            r, m, n = right[name]
            print(
                f"  C {c:<6g} rules x{rules_scale:<5g} top {int(top_k):<2d} margin {margin:<5g}"
                f" {name:>10} ({n:4d})   {r / n:.3f}   {m / n:.3f}"
            )


def resolved(
    docs: Sequence[Doc], ranker: PlaceRanker | None, gazetteer: Gazetteer
) -> list[list[Place | None]]:
    """Each document's readings as ``find_places`` gives them: the rules' (``ranker`` None) or
    the model's over them, then names placed in the qualifier after them."""
    rules = resolution_rules()
    out = []
    for doc in docs:
        reading = doc.rules(gazetteer)
        picks = reading.picks if ranker is None else ranker.rerank(doc.slots, reading, gazetteer)
        places = [picks[s.name] if s.candidates else None for s in doc.slots]
        out.append(within_qualifiers(doc.found, places, rules) if doc.found else places)
    return out


def accuracy(docs: Sequence[Doc], resolved: Sequence[Sequence[Place | None]]) -> tuple[int, int]:
    """(right within 161 km, gold-pointed names) over the documents."""
    right = total = 0
    for doc, places in zip(docs, resolved, strict=True):
        for k, (lat, lon) in doc.gold.items():
            total += 1
            p = places[k]
            right += p is not None and haversine_km(lat, lon, p.latitude, p.longitude) <= 161
    return right, total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=SYNTHETIC, help="gazetteer documents")
    parser.add_argument(
        "--synthetic-weight",
        type=float,
        default=SYNTHETIC_WEIGHT,
        help="weight of all gazetteer pairs together, against the real ones",
    )
    parser.add_argument(
        "--abroad",
        type=float,
        default=ABROAD_SHARE,
        help="share of gazetteer documents that name a big town abroad amid a namesake's towns",
    )
    parser.add_argument(
        "--alone",
        type=float,
        default=ALONE_SHARE,
        help="share of gazetteer documents that name one town and nothing else",
    )
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--dry-run", action="store_true", help="print figures, write nothing")
    parser.add_argument(
        "--cv",
        nargs="+",
        metavar="C:SCALE:K:MARGIN",
        help="only cross-validate these L2 strengths, rules scales, top k and margins on the "
        "tune halves",
    )
    args = parser.parse_args()
    if args.synthetic and not args.synthetic_weight:
        parser.error("--synthetic needs a --synthetic-weight above 0")
    rng = random.Random(SEED)
    resources = resources_for(Config())
    gazetteer = resources.gazetteer
    real = real_documents(resources)
    tune = [d for d in real if half_of(d.id) == "tune"]
    synthetic = synthetic_documents(gazetteer, args.synthetic, rng, args.abroad, args.alone)
    train_docs = [*tune, *synthetic]
    if args.cv:
        grid = [tuple(float(v) for v in item.split(":")) for item in args.cv]
        # type: list of (C, rules scale, top k, margin)
        cross_validate(tune, synthetic, gazetteer, args.synthetic_weight, grid)  # type: ignore[arg-type]
        return 0
    ranker, pairs = train(train_docs, gazetteer, args.synthetic_weight)
    print(
        f"trained on {len(tune)} tune articles and {len(synthetic)} gazetteer documents: "
        f"{pairs // 2} pairs of a right and a wrong reading"
    )
    for name, c in zip(ranker.to_json()["features"], ranker.coefficients, strict=True):
        print(f"  {name:<18} {c:+.3f}")
    figures: dict[str, dict[str, float]] = {}  # set.half -> rules, model, n
    print("\nacc@161 over recognised gold names, as find_places reads them   rules   model")
    for name in SETS:
        for half in HALVES:
            docs = [d for d in real if d.set == name and half_of(d.id) == half]
            r_right, n = accuracy(docs, resolved(docs, None, gazetteer))
            m_right, _ = accuracy(docs, resolved(docs, ranker, gazetteer))
            figures[f"{name}.{half}"] = {
                "rules": round(r_right / n, 4),
                "model": round(m_right / n, 4),
                "n": n,
            }
            print(
                f"  {name:>10} {half:<5} ({n:4d} names){'':26}{r_right / n:.3f}   {m_right / n:.3f}"
            )
    # Gazetteer documents drawn anew (another seed): namesakes the dev sets hold few of.
    held = synthetic_documents(gazetteer, HELD_OUT, random.Random(HELD_OUT_SEED))
    r_right, n = accuracy(held, resolved(held, None, gazetteer))
    m_right, _ = accuracy(held, resolved(held, ranker, gazetteer))
    figures["synthetic.held_out"] = {
        "rules": round(r_right / n, 4),
        "model": round(m_right / n, 4),
        "n": n,
    }
    print(
        f"  gazetteer documents, held out ({n:4d} names){'':13}"
        f"{r_right / n:.3f}   {m_right / n:.3f}"
    )
    # The model is used only where it resolves no worse than the rules on every check half.
    use = all(f["model"] >= f["rules"] for k, f in figures.items() if k.endswith(".check"))
    print(f"\nused by find_places: {'yes' if use else 'no, the rules do better on a check half'}")
    if args.dry_run:
        return 0
    model = ranker.to_json(
        use=use,
        trained_on={
            "tune_articles": len(tune),
            "synthetic_documents": len(synthetic),
            "synthetic_weight": args.synthetic_weight,
            "abroad_share": args.abroad,
            "alone_share": args.alone,
            "pairs": pairs,
            "seed": SEED,
            "scikit_learn": sklearn.__version__,
        },
        acc_161_recognised=figures,
    )
    args.out.write_text(json.dumps(model, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
