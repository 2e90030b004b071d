"""An act's status (reported, claimed, denied, planned, background) and who claims it."""

from __future__ import annotations

import datetime as dt

from spacy.tokens import Span, Token

from sitroom.extract.arguments import mentions_for
from sitroom.extract.facts import DateHit, DocFacts
from sitroom.knowledge import loader
from sitroom.knowledge.cues import CueLexicon

_SUBJECT_DEPS = loader.labels("syntax.yaml", "subject_deps")
# Dependencies by which a phrase qualifies a noun ("*last year's* blast"; data/syntax.yaml).
_NOUN_MODIFIER_DEPS = loader.labels("syntax.yaml", "agent_modifier_deps")
_NOMINAL_POS = loader.labels("syntax.yaml", "nominal_pos")
# Parties to a fight: a claim they make is a 'claimed' status; others only report. Kinds are the
# code's own vocabulary (records.ACTOR_KINDS, which the actor file is checked against), not words.
_PARTY_KINDS = frozenset({"state", "state_forces", "armed_group", "militia", "political", "person"})


def governed_by(token: Token, lemmas: frozenset[str]) -> bool:
    for ancestor in [token, *token.ancestors]:
        if ancestor.lemma_.lower() in lemmas or ancestor.lower_ in lemmas:
            return True
    return False


def act_status(
    anchor: Token, sent: Span, facts: DocFacts, lexicon: CueLexicon, date_hit: DateHit | None
) -> tuple[str, str | None]:
    """The status of the act at ``anchor`` (one of EVENT_STATUSES) and who claims it, if anyone."""
    cues = lexicon.status_cues
    published = facts.document.published
    if date_hit is not None and date_hit.background:
        return "background", None
    if (
        published is not None
        and date_hit is not None
        and date_hit.date is not None
        and (published - date_hit.date > dt.timedelta(days=365))
    ):
        return "background", None
    # An opening "since" or "historically" marks background unless the sentence's own date is
    # known to be recent: "Since this morning we hear clashes" is today's news.
    recent = published is not None and date_hit is not None and date_hit.date is not None
    if not recent and any(t.lower_ in cues.get("background", ()) for t in sent[:4]):
        return "background", None
    if not recent and _in_the_past(anchor, sent, cues.get("background_phrases", frozenset())):
        return "background", None
    if not recent and _opening_clause(anchor, cues):
        return "background", None
    if not recent and any(
        c.dep_ == "amod" and c.lower_ in cues.get("past_modifiers", ()) for c in anchor.children
    ):
        return "background", None  # "in our *previous* fighting against the Islamic State"
    claim_verbs = cues.get("claim_verbs", frozenset())
    denials = cues.get("denied", frozenset())
    claimant = _claimant(anchor, sent, facts, claim_verbs)
    if governed_by(anchor, denials):
        # "The army denied that it had withdrawn": the party that denies is the claimant.
        denier = _claimant(anchor, sent, facts, claim_verbs | denials)
        return "denied", denier.id if denier else None
    planned = cues.get("planned", frozenset())
    if _approached(anchor, cues):
        return "planned", claimant.id if claimant else None
    for token in [anchor, *anchor.ancestors]:
        if token.i != anchor.i and _kept_from_happening(token, cues) is False:
            break  # "could not prevent clashes": they happened
        if any(c.dep_ == "aux" and c.lower_ in planned for c in token.children):
            return "planned", claimant.id if claimant else None
        if token.i != anchor.i and token.lemma_.lower() in planned:
            return "planned", claimant.id if claimant else None
        if token.dep_ == "ROOT":
            break
    if claimant is not None:
        return ("claimed" if claimant.kind in _PARTY_KINDS else "reported"), claimant.id
    return "reported", None


def _in_the_past(anchor: Token, sent: Span, phrases: frozenset[str]) -> bool:
    """Whether a phrase of the war's past in the sentence puts the act there: anywhere in its
    sentence ("years ago, rebels took the town"), unless the phrase qualifies another noun that
    does not hold the act ("a court has convicted a friend of the suspect of *last year's*
    blast" dates the blast, not the verdict)."""
    lowered = [t.lower_ for t in sent]
    for phrase in phrases:
        words = phrase.split()
        for start in range(len(lowered) - len(words) + 1):
            if lowered[start : start + len(words)] != words:
                continue
            root = sent[start : start + len(words)].root
            holder = root.head
            qualifies = root.dep_ in _NOUN_MODIFIER_DEPS and holder.pos_ in _NOMINAL_POS
            if not (qualifies and anchor.i not in {t.i for t in holder.subtree}):
                return True
    return False


def prevented(anchor: Token, cues: dict[str, frozenset[str]]) -> bool:
    """Whether a verb of prevention above the act kept it from happening: "a hotline to
    *prevent* clashes", "positioned outside the city to *avoid* fighting in its streets" tell
    no act, as a negated one does not ("could not prevent clashes" does)."""
    for token in anchor.ancestors:
        kept = _kept_from_happening(token, cues)
        if kept is not None:
            return kept
        if token.dep_ == "ROOT":
            break
    return False


def _kept_from_happening(verb: Token, cues: dict[str, frozenset[str]]) -> bool | None:
    """Whether ``verb``, a verb of prevention, keeps the act under it from happening ("a hotline
    to *prevent* clashes"), or failed to ("failed to prevent", "could not prevent", "did not
    avert": False); None for any other word."""
    if verb.lemma_.lower() not in cues.get("prevention", frozenset()):
        return None
    failed = cues.get("prevention_failed", frozenset())
    around = [*verb.children, *verb.ancestors]
    return not any(t.lemma_.lower() in failed or t.lower_ in failed for t in around)


def _approached(anchor: Token, cues: dict[str, frozenset[str]]) -> bool:
    """Whether the act is one a party has come near to, not done: "less than 2km away from
    *entering* Baghdad", "within 10km of *entering*", "on the verge of *capturing*", "close to
    *seizing*". The act is a verb under a preposition (a noun there is a landmark in time or
    place: "within a week of the attack"), and the preposition's phrase hangs from a word of
    nearness."""
    if anchor.pos_ != "VERB" or anchor.dep_ != "pcomp":
        return False
    near = cues.get("approach_words", frozenset())
    for token in anchor.ancestors:
        if token.lower_ in near:
            return True
        if token.dep_ == "ROOT" or token.pos_ == "VERB":
            return False
    return False


def _opening_clause(anchor: Token, cues: dict[str, frozenset[str]]) -> bool:
    """Whether the act lies in a clause that opens the period the sentence tells of ("France
    has been on high alert *since* the Islamic State launched a series of attacks"): an earlier
    incident recalled, not the news."""
    marks = cues.get("period_marks", frozenset())
    for token in [anchor, *anchor.ancestors]:
        if any(c.dep_ == "mark" and c.lower_ in marks for c in token.children):
            return True
        if token.dep_ == "ROOT":
            break
    return False


def opens_period(
    anchor: Token, date_hit: DateHit, sent: Span, cues: dict[str, frozenset[str]]
) -> bool:
    """Whether a date inside the sentence opens a period that runs to the report's time ("the
    first strike since 2016", "the fourth such incident since December"): it counts, it does
    not date the act. An act told of the date itself ("since 2020, when a ceasefire froze the
    front lines") is dated by it, and so is a state a verb says has lasted since then ("has
    controlled Manbij since 2016": it was taken then); an opening "since" is left to the
    background rule below."""
    head = sent.doc[date_hit.start].head
    words = cues.get("period_preps", frozenset())
    if head.lower_ not in words or not sent.start < head.i < date_hit.start:
        return False
    if head.head.pos_ == "VERB":  # a copula or a noun counts: "is the first since 2016"
        return False
    return not any(t.i == anchor.i for t in head.subtree)


def _claimant(anchor: Token, sent: Span, facts: DocFacts, claim_verbs: frozenset[str]):
    """The actor a report attributes the event to: "the army said", "according to HTS"."""
    for ancestor in anchor.ancestors:
        if ancestor.lemma_.lower() in claim_verbs:
            subjects = [c for c in ancestor.children if c.dep_ in _SUBJECT_DEPS]
            found = mentions_for(subjects, facts)
            if found:
                return found[0].actor
    for token in sent:
        if (
            token.lower_ == "according"
            and token.i + 1 < len(sent.doc)
            and sent.doc[token.i + 1].lower_ == "to"
        ):
            prep = sent.doc[token.i + 1]
            found = mentions_for([c for c in prep.children if c.dep_ == "pobj"], facts)
            if found:
                return found[0].actor
    return None
