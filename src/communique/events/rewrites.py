"""The rule table: what an act is, once its arguments and factuality are known.

The lexicon gives a trigger's type and mode from the word alone; some acts are another
type when one sees how they are said, who does them and how ("will withdraw unless ..."
threatens, "vowed to fight on" threatens, a state "protesting" objects, missiles fired into
the sea are a show of force). ``RULES`` lists those rewrites in the order they apply; each
row names its rule, carries an example sentence that shows it (tests/test_rewrites.py codes
every example), and gives the (type, mode) it makes of a case its predicate holds for (and
the factuality, for the rules that read a future or a condition as a promise or a threat).
A later rule sees what the earlier ones made.

Two rewrites are not rows: ``people_protesting`` picks the protest entry (and so its
argument slots) before the arguments are found, and the lexicon's own ``negated_type``
("will not accept X" rejects X) applies before the table (``factuality.negation``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ..mentions import Mentions
from ..records import Actor
from .arguments import STATE_SECTORS, stately, subject
from .factuality import conditional
from .lexicon import Lexicon
from .matching import Found, mode_of
from .syntax import forms, preps_of
from .words import WORDS

# cooperation announced for the future is a promise, which PLOVER codes as AGREE
_PROMISABLE = {"AID", "COOPERATE", "CONCEDE", "RETREAT", "SUPPORT"}
# force announced for the future is a threat (PLOVER THREATEN: "will impose a curfew", "prepared to strike")
_THREATENABLE = {"ASSAULT", "COERCE", "SANCTION"}


@dataclass(frozen=True, slots=True)
class Case:
    """One act as the rules see it: its type, mode and factuality so far, the factuality its grammar
    gave it (``stated``, before any rewrite), its trigger and date source, and who acts on whom."""

    type: str
    mode: str | None
    fact: str
    stated: str
    found: Found
    date_source: str | None
    actors: Sequence[Actor]
    recipients: Sequence[Actor]
    lex: Lexicon


@dataclass(frozen=True, slots=True)
class Rule:
    """A named rewrite: when ``applies`` holds for a case, the case becomes (``type``, ``mode``), and
    ``factuality`` when the rule sets one."""

    name: str
    example: str
    applies: Callable[[Case], bool]
    type: str
    mode: str | None = None
    factuality: str | None = None


# The first three read the grammar's factuality (``stated``): at most one of them applies, and
# none to an act the lexicon's negated_type has already rewritten (``factuality.negation``).


def _conditional_threat(c: Case) -> bool:
    return c.stated in ("planned", "asserted", "hypothetical") and conditional(c.found)


def _promise(c: Case) -> bool:
    return c.stated == "planned" and c.type in _PROMISABLE and c.date_source != "text" and c.mode != "resign"


_READY = frozenset({"ready", "willing", "prepared"})


def _offer_to_meet(c: Case) -> bool:
    v = c.found.verb if c.found.verb is not None else c.found.trigger
    return c.type in ("CONSULT", "MOBILIZE") and v.dep_ == "xcomp" and v.head.lemma_.lower() in _READY


def _announced_force(c: Case) -> bool:
    return c.stated == "planned" and c.type in _THREATENABLE and c.date_source != "text"


def _conditional_offer(c: Case) -> bool:
    return c.fact == "hypothetical" and c.type in _PROMISABLE | {"CONSULT"}


def _war_games_alone(c: Case) -> bool:
    return c.type == "COOPERATE" and c.mode == "military" and not c.recipients and len(c.actors) < 2


def _hostile_vow(c: Case) -> bool:
    t = c.found.trigger
    return c.type == "AGREE" and c.found.entry.kind == "verb" and forms(t)[0] in (
        "vow", "swear", "pledge", "promise") and any(
        x.dep_ == "xcomp" and set(forms(x)) & WORDS.hostile_complements for x in t.children)


def _blocked_by_people(c: Case) -> bool:
    return c.type == "COERCE" and forms(c.found.trigger)[0] in ("block", "blockade") and bool(c.actors) and not any(
        a.kind == "GPE" or a.igo or a.sector in STATE_SECTORS for a in c.actors)


def _state_protest(c: Case) -> bool:
    return c.type == "PROTEST" and c.found.entry.kind == "verb" and forms(c.found.trigger)[0] == "protest" and \
        bool(c.actors) and all(stately(a) for a in c.actors)


def _fired_into_sea(c: Case) -> bool:
    f, t = c.found, c.found.trigger
    return c.type == "ASSAULT" and not any(r.coded for r in c.recipients) and (any(
        g.lemma_.lower() in ("sea", "ocean", "waters", "water") for p in preps_of(f.verb or t)
        for g in p.children if g.dep_ == "pobj") or any(x.lower_ == "test" for x in t.children))


def _army_raid(c: Case) -> bool:
    return c.type == "COERCE" and c.mode == "seize" and forms(c.found.trigger)[0] == "raid" and bool(c.actors) and \
        all(a.sector in ("MIL", "REB", "PRM") or (a.kind == "GPE" and a.sector is None) for a in c.actors)


def _rebels_hand_over_arms(c: Case) -> bool:
    return c.type == "AID" and c.mode == "military" and bool(c.actors) and all(
        a.sector in ("REB", "ISM") for a in c.actors)


def _fighters_loot(c: Case) -> bool:
    return c.type == "PROTEST" and c.mode == "riot" and forms(c.found.trigger)[0] in (
        "loot", "pillage", "ransack") and bool(c.actors) and all(a.sector in ("MIL", "REB", "COP") for a in c.actors)


def _vow_never(c: Case) -> bool:
    return c.type == "AGREE" and c.found.entry.kind == "verb" and any(
        x.dep_ == "xcomp" and any(g.dep_ == "neg" for g in x.children) for x in c.found.trigger.children)


def _troops_arrive(c: Case) -> bool:
    f = c.found
    return c.type == "CONSULT" and c.mode == "visit" and bool(c.actors) and (all(
        a.kind is None and a.sector == "MIL" for a in c.actors) or (f.verb is not None and any(
            w.lower_ in WORDS.troop_words for s in subject(f.verb, c.lex) for w in s.subtree)))


def _peacekeepers_arrive(c: Case) -> bool:
    f = c.found
    return _troops_arrive(c) and (any("peacekeep" in a.name.lower() for a in c.actors) or (
        f.verb is not None and any(w.lower_.startswith("peacekeep") for s in subject(f.verb, c.lex)
                                   for w in s.subtree)))


#: The type rewrites, in the order they apply.
RULES: tuple[Rule, ...] = (
    # "will withdraw unless ...": a threat
    Rule("conditional threat",
         "Ethiopia will pull its troops out of Somalia unless Mogadishu drops its objections to the port deal.",
         _conditional_threat, "THREATEN", None, "asserted"),
    # "Norway will give Malawi a loan": a promise
    Rule("promise",
         "Japan will donate emergency generators to Ukraine.",
         _promise, "AGREE", None, "asserted"),
    # "is ready to resume talks", "willing to send troops": an offer
    Rule("offer to meet or send",
         "Ghana said it was ready to hold talks with Togo on the border.",
         _offer_to_meet, "AGREE", None, "asserted"),
    # "will extend the curfew": a threat
    Rule("announced force",
         "Canada will expel four Chinese diplomats.",
         _announced_force, "THREATEN", None, "asserted"),
    # "would meet the mediator if he …": a conditional offer
    Rule("conditional offer",
         "Colombia's president said he would meet Venezuelan officials if the border crossings were reopened.",
         _conditional_offer, "AGREE"),
    # one side's war games: a show of force
    Rule("war games alone",
         "Iran's navy began three days of military exercises in the Gulf of Oman on Thursday.",
         _war_games_alone, "MOBILIZE", "troops"),
    # "vowed to fight on": a threat, not an agreement
    Rule("hostile vow",
         "Hezbollah vowed to retaliate against Israel for the killing of its commander in Beirut.",
         _hostile_vow, "THREATEN"),
    # workers or rebels blocking a road protest by obstruction
    Rule("blocked by people",
         "Farmers blocked highways in northern Bolivia on Monday.",
         _blocked_by_people, "PROTEST", "obstruct"),
    # "the Philippines protested the presence of Chinese ships"
    Rule("state protest",
         "Vietnam formally protested the deployment of a Chinese survey ship near its oil fields.",
         _state_protest, "ACCUSE", "disapprove"),
    # "fired a missile into the sea": a show of force, not an attack
    Rule("fired into the sea",
         "North Korea fired two ballistic missiles into the sea off its east coast on Sunday.",
         _fired_into_sea, "MOBILIZE", "weapons"),
    # an army's, a state's or rebels' raid is an armed attack; a police raid is a search
    Rule("army raid",
         "Israeli troops raided a refugee camp near Nablus before dawn on Wednesday.",
         _army_raid, "ASSAULT"),
    # rebels handing over their weapons disarm
    Rule("rebels hand over arms",
         "ELN guerrillas handed over their weapons to the Colombian army.",
         _rebels_hand_over_arms, "RETREAT", "disarm"),
    # fighters looting is violence, not a riot
    Rule("fighters loot",
         "RSF fighters looted the central market in El Fasher on Friday.",
         _fighters_loot, "ASSAULT", "destroy"),
    # "vowed never to hand back the islands": a refusal
    Rule("vow never",
         "Serbia vowed never to recognise the independence of Kosovo.",
         _vow_never, "REJECT"),
    # troops arriving are not a diplomatic visit: peacekeepers are aid, ...
    Rule("peacekeepers arrive",
         "A contingent of Kenyan peacekeepers arrived in Haiti on Tuesday.",
         _peacekeepers_arrive, "AID", "military"),
    # ... other forces a deployment
    Rule("troops arrive",
         "Russian troops arrived in Mali on Monday.",
         _troops_arrive, "MOBILIZE", "troops"),
)


def rewrite(case: Case, rules: Sequence[Rule] = RULES) -> tuple[str, str | None, str]:
    """The (type, mode, factuality) the rules make of a case, applied in order."""
    for rule in rules:
        if rule.applies(case):
            case = replace(case, type=rule.type, mode=rule.mode, fact=rule.factuality or case.fact)
    return case.type, case.mode, case.fact


def people_protesting(f: Found, m: Mentions, lex: Lexicon) -> Found:
    """"farmers protested against EU policies" demonstrate; a state protesting objects (the
    "state protest" rule): a protest the lexicon reads as an accusation is a demonstration when
    no state protests."""
    e, t = f.entry, f.trigger
    if e.kind == "verb" and e.type == "ACCUSE" and forms(t)[0] == "protest" and f.verb is not None and not any(
            stately(a) for s in subject(f.verb, lex) for a in m.actors(s)):
        alt = next((x for x in lex.verbs.get("protest", ()) if x.type == "PROTEST" and not x.complement), None)
        if alt is not None:
            return replace(f, entry=alt, mode=mode_of(alt, t))
    return f
