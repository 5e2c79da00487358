"""Mentions: the names in one article, merged into entities and coded as actors.

This stage reads a parsed spaCy ``Doc`` and builds a ``Mentions`` table:

* registry phrases (countries, demonyms, capitals, IGOs, groups, seats of
  government) found on capitalised n-grams, longest first;
* the model's named entities where the registry has nothing;
* people merged per article: a later short mention ("Wang") joins the full name
  ("Wang Yi"), and a name that is a PERSON anywhere is a PERSON everywhere;
* each person's title and descriptors ("Chinese Foreign Minister", "US Secretary
  of State", an apposition) give country, sector and role; a dated office-holder
  registry fills what the text leaves out, at the article's date;
* pronouns (he, she, him, her, they) resolved to an unambiguous antecedent.

``Mentions.actors(token)`` turns the head of any noun phrase into actors, which is
what the event coder calls for subjects, objects and prepositional arguments.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from spacy.tokens import Doc, Token

from .actors import Entry, Registry
from .actors.officeholders import OfficeHolders
from .dateline import datelines
from .records import Actor, Place, Quote, Span

NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
_NOUN_POS = ("NOUN", "PROPN")
# nouns naming a party by its relation to a country, not a part of it
# "nurses affiliated with a Kenyan union": members of what they are tied to
_AFFILIATION = {"affiliate", "associate", "link", "tie", "belong", "loyal", "attach", "connect"}
_NON_AGENTS = {"week", "day", "month", "year", "hour", "night", "morning", "evening", "weekend", "decade",
               "fighting", "war", "violence", "clash", "conflict", "unrest", "crisis", "battle", "explosion",
               "blast", "fire", "storm", "flood", "earthquake", "epidemic", "outbreak", "accident", "crash",
               "skirmish", "firefight", "gunbattle", "hostilities"}
_COUNTERPARTS = {"counterpart", "counterparts", "host", "hosts", "guest", "guests", "visitor", "visitors"}
# nouns for places: "the Kherson region", "the capital Kabul" (also read by the event coder)
PLACE_NOUNS = {"province", "region", "state", "district", "city", "town", "village", "county", "territory", "area",
                "capital", "country", "republic", "kingdom", "island", "peninsula", "valley", "strip", "enclave",
                "border", "camp", "port", "zone"}
#: abbreviated titles and ranks whose full stop the tagger may take for a sentence's end ("Brig. Gen. Pat
#: Ryder"); a short name that ends a sentence ("talks collapsed in Tokyo. President ...") is none of them
_TITLE_ABBREVIATIONS = frozenset({
    "gen", "lt", "col", "maj", "capt", "cmdr", "cdr", "adm", "brig", "sgt", "cpl", "pvt", "gov", "sen", "rep",
    "rev", "dr", "mr", "mrs", "ms", "prof", "insp", "supt", "det", "amb", "pres", "sec", "fr", "hon", "atty",
    "lieut", "cmdt", "msgr", "mgr"})
#: roles that name the world's states acting together, coded as PLOVER's generic IGO
_GENERIC_BODIES = frozenset({"international community", "international organization"})
# heads that take their sector from a modifier: "the military council", "security units"
_INSTITUTIONS = {"council", "junta", "regime", "authority", "committee", "command", "leadership", "administration",
                 "unit", "units", "force", "forces", "body", "office", "agency", "department", "wing", "branch"}
# a divided country's name in the plural: both its states
_DIVIDED = {"koreas": (("PRK", "North Korea"), ("KOR", "South Korea")),
            "sudans": (("SDN", "Sudan"), ("SSD", "South Sudan")),
            "congos": (("COD", "Democratic Republic of the Congo"), ("COG", "Republic of the Congo"))}
# "the bloc", "the alliance", "the world body": the international body just named
_BODY_NOUNS = frozenset({"bloc", "alliance", "organisation", "organization", "grouping", "body"})
# "the two sides", "both countries": the pair just named
_PAIR_NOUNS = {"side", "country", "nation", "government", "leader", "neighbour", "neighbor", "party", "state",
               "capital", "minister", "delegation", "man", "president"}
# people who belong to an organisation: "members of the Muslim Brotherhood" share its sector
_AFFILIATES = {"member", "supporter", "activist", "follower", "cadre", "sympathiser", "sympathizer", "loyalist"}
# words that count people: the actors are the people counted ("hundreds of protesters")
_QUANTITIES = {"hundreds", "thousands", "dozens", "scores", "millions", "tens", "handful"}
_COUNTRY_WORDS = {"country", "nation", "state", "government", "capital", "neighbour", "neighbor", "side", "party"}
SPORTS = {"team", "squad", "club", "eleven", "player", "footballer", "cricketer", "athlete", "striker",
           "goalkeeper", "midfielder", "defender", "coach", "olympian", "swimmer", "sprinter", "boxer", "golfer"}
_RELATIONS = {"colony", "ally", "neighbour", "neighbor", "rival", "enemy", "foe", "adversary", "protectorate",
              "proxy", "client", "satellite"}
PERSON_PRONOUNS = {"he", "him", "his", "she", "her"}
PLURAL_PRONOUNS = {"they", "them", "their"}
THING_PRONOUNS = {"it", "its"}
FIRST_PERSON = {"we", "us", "our", "i", "me", "my"}
# lower-case words that may open a name ("the Kremlin", "al-Qaeda", "al-Shabaab")
_NAME_PARTICLES = {"the", "al", "el", "ad", "as", "an", "ash", "at", "bin", "ibn", "de", "la", "le"}
_FORMER = {"former", "ex", "ex-", "ousted", "deposed", "exiled", "late", "retired", "erstwhile"}
_PERSON_SECTORS = {"GOV", "MIL", "LEG", "JUD", "COP", "REL", "MED", "JRN", "OPP", "PTY", "BUS", "IGO", "NGO"}
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those"}
# modifiers of a head noun that may carry a country, an organisation or a role
_NP_MODS = {"amod", "compound", "nmod", "poss", "nummod", "det", "case", "punct", "prep", "pobj", "appos"}
_CLAUSE_DEPS = {"relcl", "acl", "advcl", "ccomp", "xcomp", "conj", "cc", "punct", "appos"}


@dataclass
class _Entity:
    id: int
    name: str
    kind: str
    country: str | None = None
    igo: str | None = None
    sector: str | None = None
    role: str | None = None
    registry_id: str | None = None
    aliases: set[str] = field(default_factory=set)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    former: bool = False

    def actor(self, doc: Doc, start: int, end: int, sents: list[int]) -> Actor:
        s = doc[start:end]
        return Actor(
            name=self.name,
            country=self.country,
            igo=self.igo,
            sector=self.sector,
            role=self.role,
            kind=self.kind,
            registry_id=self.registry_id,
            spans=(Span(s.start_char, s.end_char, s.text, sents[start]),),
        )


#: the tagger's labels a lone surname may carry ("Fujimori" is often a PRODUCT, "Lebed" a WORK_OF_ART)
_SURNAME_TAGS = frozenset({"", "PERSON", "ORG", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"})
#: the same for a surname no one in the article has yet (a nationality word is no one's surname then)
_HOLDER_TAGS = _SURNAME_TAGS - {"NORP"}
#: how deep resolution may go through pronouns, possessives and prepositional phrases
_MAX_DEPTH = 4
#: a story is set in one country when that country has this many mentions to the next one's one: its unnamed
#: organs ("police", "the army") and the people and bodies nobody placed elsewhere are that country's
HOME_RATIO = 1.5
_PLACE_KINDS = frozenset(("GPE", "LOC", "FAC"))
#: kinds of entity that take the story's home country when nothing else gives them one
_HOMED_KINDS = frozenset(("PERSON", "ORG"))
#: registry kinds whose name inside an organisation's name makes it that country's organisation
_ORGAN_OF = frozenset(("country", "capital", "demonym"))


def _norm(text: str) -> str:
    return text.replace("’", "'").strip()


_RUN = re.compile(r"[\w']+")


def _first_run(text: str) -> str:
    m = _RUN.match(text)
    return m.group(0) if m else text


@functools.lru_cache(maxsize=8)
def _phrase_starts(registry: Registry) -> frozenset[str]:
    """The first word of every registry phrase (lower case), so most tokens are skipped at once."""
    return frozenset(_first_run(surface.lower().replace("\u2019", "'")) for surface, _ in registry.phrases())




class Mentions:
    """The entities of one document, with token → entity links and actor resolution."""

    def __init__(self, doc: Doc, registry: Registry, holders: OfficeHolders | None,
                 published: date | None, sent_of_token: list[int]) -> None:
        self.doc = doc
        self.registry = registry
        self.holders = holders
        self.published = published
        self.sent = sent_of_token
        self.entities: list[_Entity] = []
        self.token_ent: dict[int, int] = {}
        self._by_registry: dict[str, int] = {}
        self._speakers: list[tuple[int, int, Actor]] = []  # quote content (chars) → its speaker
        self._place_counts: dict[str, int] | None = None  # country → places the gazetteer put there
        self.dateline = datelines(doc)
        self._build()

    # ------------------------------------------------------------------ building

    def _new(self, name: str, kind: str, **codes: str | None) -> _Entity:
        e = _Entity(len(self.entities), name, kind)
        for k, v in codes.items():
            setattr(e, k, v)
        self.entities.append(e)
        return e

    def _link(self, e: _Entity, start: int, end: int, skip: set[int] | frozenset[int] = frozenset()) -> None:
        e.mentions.append((start, end))
        raw = self.doc[start:end].text.strip()
        text = _norm(raw)
        for form in {text, raw}:  # "Ethiopia’s foreign ministry" is found as the text writes it
            if form != e.name:
                e.aliases.add(form)
        for i in range(start, end):
            if i not in skip:
                self.token_ent[i] = e.id

    def _registry_matches(self) -> list[tuple[int, int, Entry]]:
        """Registry phrases on capitalised n-grams, longest first, skipping tokens that open no phrase."""
        doc, reg = self.doc, self.registry
        n, maxlen = len(doc), reg.max_phrase_tokens
        starts = _phrase_starts(reg)
        toks = list(doc)
        ws = [t.text_with_ws for t in toks]
        out: list[tuple[int, int, Entry]] = []
        i = 0
        while i < n:
            t = toks[i]
            if t.is_space or t.is_punct or _first_run(t.lower_) not in starts:
                i += 1
                continue
            nxt_title = i + 1 < n and (toks[i + 1].is_title or (toks[i + 1].text == "-" and i + 2 < n
                                                                  and toks[i + 2].is_title))
            if not (t.is_title or t.is_upper or (t.lower_ in _NAME_PARTICLES and nxt_title)):
                i += 1
                continue
            found = None
            for j in range(min(n, i + maxlen), i, -1):
                last = toks[j - 1]
                if last.is_punct and last.text != ".":
                    continue
                entry = reg.lookup("".join(ws[i:j - 1]) + last.text)
                if entry is not None:
                    found = (i, j, entry)
                    break
            if found and self._inside_longer_place(toks, ws, found):
                i = found[1]  # "New Mexico", "New South Wales": the longer name is a place, not Mexico
            elif found and found[2].registry_id.startswith("metonym:") and self._inside_longer_name(found):
                i = found[1]  # "the World Congress of Mayors", "the Nigeria Labour Congress": not the US Congress
            elif found:
                out.append(found)
                i = found[1]
            else:
                i += 1
        return out

    def _organs(self, matches: list[tuple[int, int, Entry]]) -> list[tuple[int, int, Entry]]:
        """Organisations the tagger found whose name holds one country's name and more words
        ("the U.S. Department of Justice", "Russian Foreign Ministry", "the Pakistan Army"): an
        organisation of that country, named as the text names it, not the country itself. Spans
        naming two countries, or holding an organisation the registry knows, are left to the
        registry ("the Russia-Ukraine Contact Group")."""
        doc = self.doc
        out: list[tuple[int, int, Entry]] = []
        for ent in doc.ents:
            if ent.label_ != "ORG":
                continue
            start = ent.start + (1 if doc[ent.start].lower_ == "the" else 0)
            end = ent.end
            while end > start and doc[end - 1].tag_ == "POS":
                end -= 1
            # "Russian Foreign Ministry" where the tagger made "Russian" a nationality of its own
            before = next((m for m in matches if m[1] == start and m[2].kind in _ORGAN_OF
                           and doc[start - 1].ent_type_ in ("NORP", "GPE")), None)
            if before is not None and doc[start].is_title:
                start = before[0] + (1 if doc[before[0]].lower_ == "the" else 0)
            inside = [m for m in matches
                      if start <= m[0] + (doc[m[0]].lower_ == "the") and m[1] <= end and m[0] < end]
            if not inside or any(m[2].kind not in _ORGAN_OF for m in inside) or \
                    len({m[2].country for m in inside}) != 1 or inside[0][2].country is None:
                continue
            covered = {i for m in inside for i in range(m[0], m[1])}
            rest = [t for t in doc[start:end] if t.i not in covered and not t.is_punct]
            if any(t.is_alpha and (t.is_title or t.is_upper) for t in rest):
                out.append((start, end, inside[0][2]))
        return out

    def _inside_longer_name(self, found: tuple[int, int, Entry]) -> bool:
        """Whether a registry phrase lies inside a longer name the tagger found, with capitalised words of
        its own before it or "of" after it: the longer name is another body."""
        i, j, _ = found
        doc = self.doc
        if doc[i].ent_iob_ == "O":
            return False
        ent = next((e for e in doc.ents if e.start <= i < e.end), None)
        if ent is None or (ent.start == i and ent.end == j) or ent.end < j:
            return False
        if j < ent.end and doc[j].lower_ == "of":
            return True  # "Congress of Mayors"
        # a name of its own before it ("World Congress", "Nigeria Labour Congress"; not "Pentagon spokesperson
        # Brig. Gen. X", which the tagger may take for one name)
        return any(t.is_title and t.lower_ not in ("the", "us", "u.s.") and self.registry.lookup(t.text) is None
                   for t in doc[ent.start:i])

    def _inside_longer_place(self, toks: list[Token], ws: list[str], found: tuple[int, int, Entry]) -> bool:
        """Whether a registry phrase is the end of a longer place name of another country that the
        gazetteer knows ("New Mexico" is a US state, "New South Wales" an Australian one): the longest
        name wins."""
        from .places import gazetteer_for  # places read mentions; imported here, not at module load

        i, j, entry = found
        if entry.country is None:
            return False
        gaz = gazetteer_for(self.registry)
        for a in range(i - 1, max(-1, i - 3), -1):
            if not toks[a].is_title or toks[a].lower_ == "the":
                return False
            name = "".join(ws[a:j - 1]) + toks[j - 1].text
            cands = [c for c in gaz.lookup(name) if c.primary and c.kind in ("admin1", "country", "capital", "city")]
            if cands and all(c.country != entry.country for c in cands):
                return True
        return False

    def _build(self) -> None:
        doc = self.doc
        taken: set[int] = set()
        matches = self._registry_matches()
        organs = self._organs(matches)
        # "Chad Smith", "Georgia Stevens": a country's name that opens a longer person's name is a first name
        # ("Bolivia Evo Morales", "Papua New Guinea's" are no such names: one word and a surname only)
        first_names = {ent.start: ent.end for ent in doc.ents if ent.label_ == "PERSON" and len(ent) == 2
                       and ent[1].is_alpha and ent[1].is_title}
        # 1. registry phrases
        for start, end, entry in matches:
            if doc[start].lower_ == "the":
                start += 1
            if start >= end or (entry.kind in _ORGAN_OF and end - start == 1
                                                      and first_names.get(start, 0) > end):
                continue
            key = entry.registry_id
            e: _Entity | None
            if key in self._by_registry:
                e = self.entities[self._by_registry[key]]
            else:
                kind = {"country": "GPE", "capital": "GPE", "demonym": "NORP", "metonym": "ORG",
                        "igo": "ORG", "group": "ORG"}.get(entry.kind, "ORG")
                e = self._new(entry.name, kind, country=entry.country, igo=entry.igo, sector=entry.sector,
                              registry_id=key)
                self._by_registry[key] = e.id
            self._link(e, start, end)
            taken.update(range(start, end))
        # 1b. a country's named organs: "the U.S. Department of Justice", "Russian Foreign Ministry"
        by_name: dict[str, _Entity] = {}
        for start, end, entry in organs:
            name = _norm(doc[start:end].text)
            e = by_name.get(name.lower())
            if e is None:
                # the title at its end ("Foreign Ministry"), else its head ("Department of Justice")
                role = self._role_in([t for t in doc[start:end] if t.i not in taken], at_end=True) or \
                    self.registry.role(doc[start:end].root.lower_)
                e = self._new(name, "ORG", country=entry.country, sector=role.sector if role else None,
                              role=role.role if role else None)
                by_name[name.lower()] = e
            # the country's own name inside stays the country's (a place, and a mention of it)
            own = {i for i in range(start, end) if i in taken}
            self._link(e, start, end, skip=own)
            taken.update(range(start, end))
        # 2. the model's names where the registry found nothing
        people: dict[str, _Entity] = {}
        names: list[tuple[int, int, str, str]] = []
        for ent in doc.ents:
            if ent.label_ not in NAME_LABELS or any(i in taken for i in range(ent.start, ent.end)):
                continue
            start = ent.start + (1 if doc[ent.start].lower_ == "the" else 0)
            # drop a trailing possessive
            end = ent.end
            while end > start and doc[end - 1].tag_ == "POS":
                end -= 1
            if start >= end:
                continue
            if ent.label_ != "PERSON" and end - start == 1 and self._in_title(start):
                continue  # "Secretary of State", "Defence Minister": a title, not an organisation
            if end - start == 1 and self.registry.role(doc[start].lower_) is not None:
                continue  # "Gunmen abducted …": a capitalised common noun, not a name
            label = ent.label_
            if label != "PERSON" and end - start == 1 and start > 0 and doc[start - 1].pos_ == "PROPN" and \
                    doc[start - 1].dep_ == "compound" and doc[start - 1].ent_type_ == "" and (start - 1) not in taken \
                    and any(c.dep_ == "appos" and (c.text.istitle() or self._role_in(list(c.subtree)) is not None)
                            for c in doc[start].children):
                # "Kenzo Oshima, the UN relief coordinator": a first name and a title make a person
                start, label = start - 1, "PERSON"
            names.append((start, end, _norm(doc[start:end].text), label))
        names = self._holders_split(names)
        person_tokens = {text.split()[-1] for _, _, text, lab in names if lab == "PERSON" and " " in text}
        person_tokens |= {text.split()[0] for _, _, text, lab in names if lab == "PERSON" and " " in text}
        ambiguous: set[str] = set()
        # full names first, so that short forms can join them
        for start, end, text, label in sorted(names, key=lambda x: (-len(x[2].split()), x[0])):
            is_person = label == "PERSON" or (" " not in text and text in person_tokens) or (
                " " in text and self.holders is not None and self.holders.find(text, None) is not None) or (
                # "Modi's visit": a surname only one office holder has, in office at the article's date; not
                # a name the tagger calls a place ("Houston" is the city while Angus Houston led the army)
                " " not in text and label not in _PLACE_KINDS and self.holders is not None and
                self.published is not None and (
                    (hd := self.holders.find(text, self.published)) is not None and hd.current))
            if is_person:
                parts = text.split()
                e = people.get(text)
                if e is None and len(parts) == 1 and parts[0] not in ambiguous:
                    e = people.get(parts[-1]) or next(
                        (p for p in people.values() if parts[0] in p.name.split()), None)
                if e is None:
                    e = self._new(text, "PERSON")
                    people[text] = e
                    if parts[-1] in people and people[parts[-1]] is not e:
                        ambiguous.add(parts[-1])  # two Obamas: a bare "Obama" stays unlinked
                    people.setdefault(parts[-1], e)
                self._link(e, start, end)
            else:
                e = next((x for x in self.entities if x.kind == label and x.name == text), None)
                self._link(e or self._new(text, label), start, end)
        # 3. later bare surnames the model missed ("Mudavadi later flew …")
        surnames = {e.name.split()[-1]: e for e in self.entities if e.kind == "PERSON" and " " in e.name
                    and e.name.split()[-1] not in ambiguous}
        for t in doc:
            if t.pos_ == "PROPN" and t.i not in self.token_ent and t.text in surnames and t.ent_type_ in _SURNAME_TAGS:
                self._link(surnames[t.text], t.i, t.i + 1)
        # 3b. surnames only one office holder has, in office at the article's date ("Modi's visit")
        if self.holders is not None and self.published is not None:
            for t in doc:
                if t.pos_ == "PROPN" and t.i not in self.token_ent and t.ent_type_ in _HOLDER_TAGS and \
                        t.text[:1].isupper() and not t.text.isupper() and len(t.text) > 2:
                    hd = self.holders.find(t.text, self.published)
                    if hd is not None and hd.current:
                        e = people.get(t.text) or self._new(t.text, "PERSON")
                        people[t.text] = e
                        self._link(e, t.i, t.i + 1)
        # 4. codes for people: titles, appositions, office holders
        for e in self.entities:
            if e.kind == "PERSON":
                self._code_person(e)

    def _holders_split(self, names: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
        """Names the tagger cut in two that make one office holder's name together: "Daniel arap" (a
        person) and "Moi" (an organisation, or nothing) are President Daniel arap Moi."""
        if self.holders is None:
            return names
        doc = self.doc
        names = sorted(names)
        out: list[tuple[int, int, str, str]] = []
        k = 0
        while k < len(names):
            start, end, text, label = names[k]
            k += 1
            if label != "PERSON":
                out.append((start, end, text, label))
                continue
            for extra in (2, 1):
                stop = end + extra
                if stop > len(doc) or not all(doc[i].is_title and doc[i].pos_ == "PROPN" for i in range(end, stop)):
                    continue
                if any(n[0] < stop and n[1] > stop for n in names[k:]):
                    continue  # the next name runs on past the words taken
                joined = _norm(doc[start:stop].text)
                if self.holders.find(joined, None) is not None:
                    end, text = stop, joined
                    while k < len(names) and names[k][0] < stop:
                        k += 1  # the names it swallowed
                    break
            out.append((start, end, text, label))
        return out

    def _code_person(self, e: _Entity) -> None:
        doc = self.doc
        for start, end in sorted(e.mentions, key=lambda m: -(m[1] - m[0])):
            head = doc[start:end].root
            # the head's dependents before the mention; not ``head.subtree`` filtered, which walks the whole
            # subtree for each mention (a list of hundreds of names made this quadratic)
            mods = [t for t in doc[head.left_edge.i:start] if head.is_ancestor(t)]
            for ap in head.children:
                if ap.dep_ == "appos":
                    mods.extend(ap.subtree)
            owner = head.head
            if head.dep_ == "appos" and owner.pos_ == "PROPN" and owner.dep_ == "pobj" and \
                    owner.head.dep_ == "prep" and owner.head.head.pos_ == "NOUN":
                # "Russia's ambassador to Turkey, Andrei Karlov": the parser hangs the name on the
                # country the office is accredited to; it describes the ambassador
                owner = owner.head.head
            if head.dep_ == "appos" and owner.pos_ == "NOUN":
                # "his Omani counterpart, Sayyid Badr Albusaidi": the described noun and its modifiers
                mods.extend(t for t in owner.subtree if t.i <= owner.i)
            self._apply_descriptors(e, mods)
            if not (e.country or e.igo):
                # "Pentagon spokesperson Brig. Gen. Pat Ryder": an abbreviated rank breaks the parse, so
                # the title run right before the name is read as words
                self._apply_descriptors(e, self._title_run(start))
            if not (e.country or e.igo) and start >= 2 and doc[start - 1].text == ",":
                # "the British special envoy to the Sahel region, Martin Grove, met …" where the parser
                # lost the apposition: the title phrase that ends at the comma describes the name
                t = doc[start - 2]
                while not (t.pos_ == "NOUN" and self._role_in([t]) is not None) and t.dep_ in ("pobj", "prep") \
                        and t.head.i < t.i:
                    t = t.head
                if t.pos_ == "NOUN" and self.sent[t.i] == self.sent[start] and self._role_in([t]) is not None:
                    self._apply_descriptors(e, [x for x in t.subtree if x.i <= t.i])
        if self.holders is not None:
            # the title the text puts before the name first: "King Hussein" is not "Saddam Hussein"
            titled = sorted({f"{doc[s - 1].text} {e.name}" for s, _ in e.mentions
                             if s > 0 and doc[s - 1].is_title and doc[s - 1].pos_ == "PROPN"})
            # the name as the text gives it with its title ("King Abdullah II", "Pope Tawadros") is a name too
            e.aliases.update(f"{doc[s - 1].text} {_norm(doc[s:t].text)}" for s, t in e.mentions
                             if s > 0 and doc[s - 1].is_title and self.registry.role(doc[s - 1].lower_) is not None)
            for name in [*titled, e.name, *sorted(e.aliases)]:
                h = self.holders.find(name, self.published)
                if h is None or (" " in e.name and " " not in name and not h.has_first_name(e.name)):
                    continue  # "Ivonne Martinez" is not the minister Julio Martínez: the surname alone matched
                e.country = e.country or h.country
                e.igo = e.igo or h.igo
                if h.current and not e.former:  # the registry knows the office better than a partial title
                    e.sector, e.role = h.sector, h.role
                elif not h.current and e.role is None and (self.published is None or h.start <= self.published):
                    e.sector, e.role = None, f"former {h.role}"  # out of office then, and no title in the text
                # (before the office was taken, "Biden" in 1996 is no former vice president: no role)
                e.registry_id = e.registry_id or h.registry_id
                if len(h.name.split()) > len(e.name.split()):
                    e.aliases.add(e.name)
                    e.name = h.name
                break

    def _title_run(self, start: int) -> list[Token]:
        """The words right before a name that can only be its titles: capitalised words and
        abbreviations ("Brig.", "Gen."), title words ("spokesperson") and names of bodies or
        countries ("Pentagon"), in the same sentence, up to eight tokens; nothing when a verb, a
        comma, a conjunction or another person comes first."""
        doc = self.doc
        run: list[Token] = []
        i, sent = start - 1, self.sent[start]
        while i >= 0 and len(run) < 8:
            t = doc[i]
            ref = self.token_ent.get(i)
            abbrev = t.text == "." and i > 0 and doc[i - 1].lower_ in _TITLE_ABBREVIATIONS  # "Brig.", not "Tokyo."
            if t.text.endswith(".") and t.text[:-1].isalpha() and t.text[0].isupper() and len(t) <= 6:
                run.append(t)  # "Gen.", "Lt.", "Col."
                i -= 1
                continue
            if self.sent[i] != sent:
                if not abbrev:
                    break
                sent = self.sent[i]  # the tagger ended a sentence at "Brig.": the title runs on
            if ref is not None and self.entities[ref].kind == "PERSON":
                break
            if abbrev:
                run.append(t)  # the full stop of "Brig." or "Gen."
            elif ref is not None or (t.is_alpha and (t.is_title or t.is_upper)) or \
                    self.registry.role(t.lower_) is not None:
                if t.pos_ in ("VERB", "AUX") or t.lower_ in ("and", "or", "the"):
                    break
                run.append(t)
            else:
                break
            i -= 1
        return run[::-1] if any(self.token_ent.get(t.i) is not None or self.registry.role(t.lower_) is not None
                                for t in run) else []

    def _apply_descriptors(self, e: _Entity, mods: list[Token]) -> None:
        """Country from registry names among the modifiers; role and sector from title words."""
        for t in mods:
            ref = self.token_ent.get(t.i)
            if ref is not None and ref != e.id:
                other = self.entities[ref]
                if other.kind != "PERSON" and (other.country or other.igo) and not e.country and not e.igo:
                    e.country, e.igo = other.country, other.igo
                elif other.kind == "PERSON" and t.dep_ == "poss" and not e.country:
                    e.country = other.country
        if e.role is None:
            role = self._role_in([t for t in mods if t.i not in self.token_ent
                                  or not (self.entities[self.token_ent[t.i]].kind == "PERSON"
                                          or self.entities[self.token_ent[t.i]].country
                                          or self.entities[self.token_ent[t.i]].igo)])  # "European Union's"
            if role is not None:
                e.role, e.sector = role.role, e.sector or role.sector
                if any(t.lower_ in _FORMER for t in mods) or role.role.startswith("former "):
                    # "former President X" holds no office now
                    e.role = role.role if role.role.startswith("former ") else f"former {role.role}"
                    e.sector, e.former = None, True

    def _in_title(self, i: int) -> bool:
        """Whether token i is part of a title phrase with its neighbours ("Secretary of State")."""
        doc = self.doc
        for a in range(max(0, i - 2), i + 1):
            for b in range(i + 1, min(len(doc), a + 4) + 1):
                if b - a > 1 and self.registry.role(doc[a:b].text.lower()) is not None:
                    return True
        return False

    def _role_in(self, toks: list[Token], at_end: bool = False):  # type: ignore[no-untyped-def]
        """The longest role phrase among the words; with ``at_end``, only one that ends at the last
        word (the head): "general strike" and "police custody" are no general and no police."""
        words = [t.lower_ for t in toks if not t.is_punct]
        best = None
        for i in range(len(words)):
            for j in range(min(len(words), i + 5), i, -1):
                if at_end and j != len(words):
                    continue
                r = self.registry.role(" ".join(words[i:j]))
                if r is not None:
                    if best is None or j - i > best[0]:
                        best = (j - i, r)
                    break
        return best[1] if best else None

    # ------------------------------------------------------------------ queries

    def entity_at(self, i: int) -> _Entity | None:
        ref = self.token_ent.get(i)
        return self.entities[ref] if ref is not None else None

    def actors(self, token: Token, *, expand: bool = True) -> list[Actor]:
        """Actors for the noun phrase headed by ``token`` and, when ``expand``, its conjuncts."""
        heads = [token]
        if expand:
            heads += [c for c in token.conjuncts if c.i > token.i]
        out: list[Actor] = []
        for h in heads:
            out.extend(self._resolve(h))
        if len(out) > 1 and any(a.kind == "PERSON" or a.country for a in out):
            # "Lavrov and senior aides": an unnamed group beside a named actor is part of its party
            out = [a for a in out if a.kind is not None or a.country or a.igo or a.role is None]
        return out

    def _resolve(self, h: Token, depth: int = 0) -> list[Actor]:
        doc = self.doc
        if h.i in self.dateline:
            # "MONROVIA, Oct 21 - Rebel fighters shelled …": where the story was filed, never an actor; the
            # parser may hang the real subject on it as an apposition
            return [a for c in h.children if c.dep_ == "appos" and c.i not in self.dateline
                    for a in self._resolve(c, depth + 1)] if depth <= _MAX_DEPTH else []
        if h.pos_ == "PRON" or h.lower_ in PERSON_PRONOUNS | PLURAL_PRONOUNS:
            return self._pronoun(h, depth)
        e = self.entity_at(h.i)
        if e is not None and e.kind == "NORP" and any(t.lower_ == "ethnic" for t in h.lefts):
            return self._common(h, depth)  # "ethnic Albanians" are a people, not Albania
        if e is not None:
            start, end = self._mention_bounds(h.i)
            actor = e.actor(doc, start, end, self.sent)
            if actor.coded or e.kind == "PERSON":
                return [actor]
            pair = _DIVIDED.get(h.lower_)
            if pair is not None:  # "the two Koreas", "both Sudans": each of the two states
                return [replace(actor, name=name, country=code, kind="GPE", registry_id=f"country:{code}")
                        for code, name in pair]
            if e.name in ("North", "South"):
                half = self._half(e.name)  # "aid to the North" in a story of North and South Korea
                if half is not None:
                    return [replace(actor, country=half, kind="GPE")]
            # an uncoded name may still carry a nationality: "the Turkish Black Sea coast"
            found = [a for a in self._common(h, depth) if a.coded]
            return [replace(actor, country=found[0].country, igo=found[0].igo)] if found else [actor]
        return self._common(h, depth)

    def _common(self, h: Token, depth: int) -> list[Actor]:
        doc = self.doc
        # a common noun: "Vietnamese fishing boats", "the defence chiefs of Chile", "US officials"
        mods = [t for t in h.lefts if t.dep_ in _NP_MODS and t.i not in self.dateline]
        mod_toks: list[Token] = []
        for m in mods:
            mod_toks.extend(t for t in m.subtree if t.i not in self.dateline)  # not "BEIRUT - Israeli jets"
        country = igo = None
        if h.lemma_.lower() in _PAIR_NOUNS and any(t.lower_ in ("two", "both") for t in h.lefts):
            pair = self._last_two(h)
            if pair:
                return pair  # "the two sides agreed …": the two countries just named
        if h.lemma_.lower() in _BODY_NOUNS and any(t.lower_ == "the" for t in h.lefts) and not any(
                t.dep_ == "poss" or t.ent_type_ in ("GPE", "NORP", "ORG") for t in h.lefts):
            body = self._last_body(h)
            if body:
                return body  # "left ECOWAS, accusing the bloc of …": the organisation just named
        if h.lower_ in _QUANTITIES and depth <= _MAX_DEPTH:
            # "hundreds of protesters", "thousands of miners": the people counted are the actors
            for p in h.children:
                if p.dep_ == "prep" and p.lower_ == "of":
                    for o in p.children:
                        if o.dep_ == "pobj" and o.pos_ in ("NOUN", "PROPN"):
                            return self._resolve(o, depth + 1)
        if h.lemma_.lower() in _COUNTRY_WORDS and h.tag_ == "NNS" and depth < 2:
            group = self._group(h)
            if group:
                return group  # "Ghana, Togo and Benin, the countries that …", "… asked that these countries …"
        if h.lemma_.lower() in SPORTS:
            return []  # "the French team will meet Brazil in the final": sport, not politics
        if h.lemma_.lower() in _NON_AGENTS:
            return []  # "a week of fighting in Khartoum that killed 400": a time or a happening acts on no one
        if h.lemma_.lower() in _RELATIONS:
            return []  # "the former French colony", "Israel's militia ally": another party, not France or Israel
        if any(t.lower_ == "ethnic" for t in mod_toks):
            # "ethnic Albanians in Serbia" are not Albania: the place or the other side decides
            role = self._role_in([h])
            span = doc[h.left_edge.i if h.left_edge.i < h.i else h.i:h.i + 1]
            return [Actor(name=_norm(span.text), sector=role.sector if role else "CVL",
                          role=role.role if role else "ethnic group",
                          spans=(Span(span.start_char, span.end_char, span.text, self.sent[h.i]),))]
        extra: list[tuple[str | None, str | None]] = []  # "Hungarian and Romanian officials"
        joined: str | None = None
        for t in mod_toks:
            if country or igo:
                break
            ent = self.entity_at(t.i)
            if ent is not None and (ent.country or ent.igo):
                country, igo = ent.country, ent.igo
                for c in t.conjuncts:
                    other = self.entity_at(c.i)
                    if other is not None and other is not ent and (other.country or other.igo):
                        extra.append((other.country, other.igo))
                break
        if country is None and igo is None:
            for t in mods:
                if t.dep_ == "poss" and t.pos_ == "PRON" and h.lemma_.lower() not in _COUNTERPARTS:
                    # "its vessels"; but "their counterparts" are the other side
                    for a in self._pronoun(t, depth + 1):
                        country, igo = a.country, a.igo
        if country is None and igo is None and depth < 2:
            # "the defence chiefs of Chile", "bases of the Kurdish militia",
            # "protesters in Nairobi", "students throughout Indonesia"
            preps = [p for p in h.rights if p.dep_ == "prep"]
            for cl in h.rights:  # "refugees fleeing the war in Liberia", "a newspaper based in Beirut"
                if cl.dep_ == "acl" and cl.tag_ in ("VBG", "VBN"):
                    preps += [p for p in cl.children if p.dep_ == "prep" and (p.lower_ in ("in", "from") or (
                        p.lower_ in ("with", "to") and cl.lemma_.lower() in _AFFILIATION))]
            # where someone is places people and groups, not things ("weapons for use in Ukraine")
            agentive = h.tag_ in ("NNS", "NNPS") or self._role_in([h]) is not None
            for p in preps:
                if p.lower_ not in ("of", "in", "from", "throughout", "across", "with", "to") or (
                        p.lower_ in ("with", "to") and p.head == h) or (p.lower_ != "of" and not agentive):
                    continue
                for obj in p.children:
                    if obj.dep_ != "pobj" or country or igo:
                        continue
                    ent = self.entity_at(obj.i)
                    if ent is not None and ent.kind != "PERSON" and not (ent.country or ent.igo):
                        found = [a for a in self._resolve(obj, depth + 1) if a.country or a.igo]
                        if found:  # "residents of the Turkish Black Sea coast"
                            country, igo = found[0].country, found[0].igo
                            if p.lower_ in ("of", "from"):  # "representatives of the two Koreas": of each
                                extra.extend((a.country, a.igo) for a in found[1:])
                    elif ent is not None:
                        if ent.kind != "PERSON" and (ent.country or ent.igo):
                            country, igo = ent.country, ent.igo
                            if p.lower_ == "of" and h.lemma_.lower() in _AFFILIATES and ent.kind == "ORG":
                                joined = ent.sector  # "members of the Muslim Brotherhood" are of its sector
                            if p.lower_ in ("of", "from"):  # "the governments of Kenya, Uganda and Tanzania": each
                                for conj in obj.conjuncts:
                                    other = self.entity_at(conj.i)
                                    if other is not None and other.kind != "PERSON" and (other.country or other.igo) \
                                            and (other.country, other.igo) != (country, igo):
                                        extra.append((other.country, other.igo))
                    elif obj.pos_ in _NOUN_POS:  # "residents of the Turkish Black Sea coast"
                        for a in self._resolve(obj, depth + 1):
                            # "positions of the Palestinian forces", not "every inch of Congolese soil"
                            if (a.country or a.igo) and (a.role is not None or a.kind is not None or obj.pos_ == "PROPN"
                                                         or obj.tag_ == "NNS" or obj.lemma_.lower() in PLACE_NOUNS):
                                country, igo = a.country, a.igo
                                break
        if country is None and igo is None and depth < 2:
            # "the Grand Mufti, the highest religious authority in Egypt, …": what the apposition says of it
            for ap in h.children:
                if ap.dep_ == "appos" and ap.pos_ in _NOUN_POS and ap.i not in self.token_ent:
                    found = [a for a in self._common(ap, depth + 1) if a.country or a.igo]
                    if found:
                        country, igo = found[0].country, found[0].igo
                        break
        if country is None and igo is None and h.tag_ == "NN" and all(t.dep_ == "det" and t.lower_ == "the"
                                                                      for t in h.lefts) and any(h.lefts):
            holder = self._title_holder(h)
            if holder is not None:
                return [holder]  # "Barack Obama said … The president urged …": the president just named
        words = [t for t in mod_toks if t.i not in self.token_ent] + [h]
        role = self._role_in(words, at_end=True) or (
            self._role_in(words) if h.lemma_.lower() in _INSTITUTIONS else None)  # "the military council"
        if country is None and igo is None and role is None:
            return []
        if country is None and igo is None and role is not None and role.role in _GENERIC_BODIES:
            igo = "IGO"  # "the international community": nations acting together, PLOVER's generic IGO
        left = min([h.i] + [t.i for t in mod_toks if t.i < h.i])
        while left < h.i and (doc[left].lower_ in _DETERMINERS or doc[left].is_punct or doc[left].is_space):
            left += 1
        span = doc[left:h.i + 1]
        return [Actor(
            name=_norm(span.text),
            country=c,
            igo=g,
            sector=role.sector if role else joined,
            role=role.role if role else None,
            kind=None,
            spans=(Span(span.start_char, span.end_char, span.text, self.sent[h.i]),),
        ) for c, g in [(country, igo), *extra]]

    def _mention_bounds(self, i: int) -> tuple[int, int]:
        ref = self.token_ent[i]
        start = end = i
        while start - 1 >= 0 and self.token_ent.get(start - 1) == ref and self.sent[start - 1] == self.sent[i]:
            start -= 1
        while end + 1 < len(self.doc) and self.token_ent.get(end + 1) == ref:
            end += 1
        return start, end + 1

    def _pronoun(self, h: Token, depth: int = 0) -> list[Actor]:
        """The antecedent of a pronoun, when one candidate stands out; else nothing. ``depth`` bounds
        the chain of pronouns resolved through each other ("their leaders said they …")."""
        if depth > _MAX_DEPTH:
            return []
        low = h.lower_
        doc = self.doc
        if low in FIRST_PERSON:
            speaker = self._speaker_at(h)
            if speaker is None:
                return []
            return [replace(speaker, name=speaker.name, spans=(Span(h.idx, h.idx + len(h.text), h.text,
                                                                      self.sent[h.i]),))]
        clause_subj = {c.i for c in h.head.children if c.dep_ in ("nsubj", "nsubjpass")}
        if low in ("him", "her") and h.dep_ in ("dobj", "pobj", "dative"):
            # an object pronoun: the nearest person before it in its sentence who is not a subject
            s = self.sent[h.i]
            for i in range(h.i - 1, -1, -1):
                if self.sent[i] != s:
                    break
                e = self.entity_at(i)
                if e is not None and e.kind == "PERSON" and doc[i].dep_ not in ("nsubj", "nsubjpass") and \
                        doc[self._mention_bounds(i)[1] - 1].dep_ not in ("nsubj", "nsubjpass"):
                    return [self._pron_actor(e, h)]
        if low in PERSON_PRONOUNS:
            # the nearest earlier subject that is a person, within two sentences; else the nearest person
            limit = self.sent[h.i] - 2
            fallback = None
            for i in range(h.i - 1, -1, -1):
                if self.sent[i] < limit:
                    break
                e = self.entity_at(i)
                tok = doc[i]
                if e is None and tok.dep_ == "nsubj" and tok.pos_ == "NOUN" and i not in clause_subj:
                    # "Peru's foreign minister will travel ... She will visit": a titled subject
                    role = self.registry.role(tok.lower_) or self.registry.role(tok.lemma_.lower())
                    if role is not None and role.sector in _PERSON_SECTORS and tok.tag_ == "NN":
                        found = self._resolve(tok, depth + 1)
                        if found:
                            return [replace(found[0], spans=(Span(h.idx, h.idx + len(h.text), h.text,
                                                                  self.sent[h.i]),))]
                if e is None or e.kind != "PERSON" or i in clause_subj:
                    continue
                if tok.dep_ in ("nsubj", "nsubjpass") or doc[self._mention_bounds(i)[1] - 1].dep_ in (
                        "nsubj", "nsubjpass"):
                    return [self._pron_actor(e, h)]
                if fallback is None:
                    fallback = e
            return [self._pron_actor(fallback, h)] if fallback else []
        if low in THING_PRONOUNS:
            if low == "it" and h.dep_ in ("nsubj", "nsubjpass") and h.head.dep_ == "ccomp":
                # "the Bolivian government said it …": the reporting clause's subject, also when the
                # reporting verb shares it ("Washington welcomed the talks but said it …")
                rep = h.head.head
                while rep.dep_ == "conj" and not any(c.dep_ == "nsubj" for c in rep.children):
                    rep = rep.head
                for c in rep.children:
                    if c.dep_ == "nsubj" and c.tag_ in ("NN", "NNP", "NNPS"):
                        found = [a for a in self._resolve(c, depth + 1) if a.coded]
                        if found:
                            return [replace(found[0], spans=(Span(h.idx, h.idx + len(h.text), h.text,
                                                                  self.sent[h.i]),))]
            # "its": the nearest coded country or organisation that is an argument, not a modifier,
            # and not the subject of the pronoun's own clause
            s = self.sent[h.i]
            own = self._np_root(h.head)
            for i in range(h.i - 1, -1, -1):
                if self.sent[i] < s - 1:
                    break
                e = self.entity_at(i)
                tok = doc[i]
                if e is None or e.kind in ("PERSON", "NORP") or not (e.country or e.igo):
                    continue
                if tok.i != own.i and (tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "appos") or (
                        tok.dep_ == "poss" and tok.head.dep_ in ("nsubj", "nsubjpass"))):
                    return [self._pron_actor(e, h)]
            return []
        if low in PLURAL_PRONOUNS:
            s = self.sent[h.i]
            # "Afghan rebel leaders said they would …": a plural subject earlier in the sentence
            for i in range(h.i - 1, -1, -1):
                if self.sent[i] != s:
                    break
                tok = doc[i]
                if tok.dep_ in ("nsubj", "nsubjpass") and tok.tag_ in ("NNS", "NNPS") and tok.head.i > i:
                    found = [a for a in self._resolve(tok, depth + 1) if a.coded]
                    if found:
                        return [replace(a, spans=(Span(h.idx, h.idx + len(h.text), h.text, s),)) for a in found]
            # the coordinated subject of the previous sentence ("Biden and Xi ... They agreed")
            for i in range(h.i - 1, -1, -1):
                if self.sent[i] < s - 1:
                    break
                tok = doc[i]
                if tok.dep_ in ("nsubj", "nsubjpass") and tok.conjuncts and self.entity_at(tok.i):
                    out = []
                    for c in (tok, *tok.conjuncts):
                        e = self.entity_at(c.i)
                        if e is not None:
                            out.append(self._pron_actor(e, h))
                    return out
        return []

    def home_country(self, ratio: float = HOME_RATIO, least: int = 3) -> str | None:
        """The country an article is about, when one clearly dominates its named mentions (at least
        three, and ``ratio`` times the next): the country of "the army" or "police" it does not name.
        Once the places are known (:meth:`use_places`) every place the gazetteer resolved counts for
        its country ("Texas", "San Antonio" for the USA; "Enfield", "Wood Green" for Britain), and the
        tagger's own place names do not count twice (nor a person it took for one: "Georgia Smith")."""
        counts: dict[str, int] = dict(self._place_counts or {})
        for e in self.entities:
            if e.country and not (self._place_counts is not None and e.kind in _PLACE_KINDS):
                counts[e.country] = counts.get(e.country, 0) + len(e.mentions)
        ranked = sorted(counts.values(), reverse=True)
        if not ranked or ranked[0] < least or (len(ranked) > 1 and ranked[0] < ratio * ranked[1]):
            return None
        return max(counts, key=lambda c: counts[c])

    def use_places(self, place_at: Mapping[int, Place]) -> None:
        """Countries from the gazetteer for names the actor registry does not know ("California",
        "Lagos"), then again the codes of people described by them ("California Governor X")."""
        changed = False
        counts: dict[str, int] = {}
        for place in {id(p): p for p in place_at.values()}.values():
            if place.country:
                counts[place.country] = counts.get(place.country, 0) + 1
        self._place_counts = counts
        for e in self.entities:
            if e.kind == "PERSON" and " " not in e.name and not (e.country or e.igo or e.role or e.registry_id):
                # a lone name the tagger took for a person but the gazetteer placed ("the Kherson region")
                p = next((place_at[s] for s, _ in e.mentions if s in place_at), None)
                if p is not None and p.country:
                    e.kind, e.country = "GPE", p.country
                    changed = True
                continue
            if (e.registry_id or "").startswith("capital:"):
                # "GEORGETOWN, Ky. -", "TRIPOLI, Lebanon -": the gazetteer, reading the dateline's state or
                # country, placed another town of the capital's name; it is no seat of Guyana's government.
                # Outside the dateline the same holds when the story names the capital's country nowhere
                # else and the town was placed in the story's own country ("a student at Georgetown College
                # in Kentucky" in a story about the USA): the town, and what it names, move.
                found = {place_at[s].country for s, _ in e.mentions if s in place_at and s in self.dateline}
                if not found and not self._named_elsewhere(e):
                    found = {place_at[s].country for s, _ in e.mentions if s in place_at} & {self.home_country()}
                if len(found) == 1 and None not in found and e.country not in found:
                    old, e.country, e.sector, e.registry_id = e.country, found.pop(), None, None
                    self._rehome_named_after(e, old)
                    changed = True
                continue
            if e.kind in ("GPE", "LOC", "FAC") and not e.country and not e.igo:
                for start, _ in e.mentions:
                    p = place_at.get(start)
                    if p is not None and p.country:
                        e.country = p.country
                        changed = True
                        break
            elif e.kind == "ORG" and not (e.country or e.igo or e.registry_id or e.role):
                # "regional forces from Tigray": a region or a country the tagger took for an organisation
                p = next((place_at[s] for s, _ in e.mentions if s in place_at), None)
                if p is not None and p.country and p.precision in ("admin1", "region", "country"):
                    e.kind, e.country = "GPE", p.country
                    changed = True
        if changed:
            for e in self.entities:
                if e.kind == "PERSON" and not e.country and not e.igo:
                    self._code_person(e)
        self._home_people()

    def _named_elsewhere(self, town: _Entity) -> bool:
        """Whether another entity of the story has the country a capital's name stands for."""
        return any(o is not town and o.country == town.country and town.name not in o.name
                   for o in self.entities)

    def _rehome_named_after(self, town: _Entity, old: str | None) -> None:
        """Bodies named after a town that turned out to be another country's ("Georgetown College") follow it."""
        for o in self.entities:
            if o is not town and o.kind == "ORG" and o.country == old and not o.registry_id and town.name in o.name:
                o.country = town.country

    def _home_people(self) -> None:
        """In a story set in one country, the people and bodies it names that neither the registry nor
        the text places elsewhere are of that country: "the mayor, Ann Roe", "a spokesman, Ben Ode",
        "the Riverside Tenants' Union" in a story about Canada are Canadian. Former office holders,
        foreigners the text marks as such and stories about several countries are left alone."""
        home = self.home_country()
        if home is None:
            return
        for e in self.entities:
            if e.kind in ("PERSON", "ORG") and not (e.country or e.igo or e.former or e.registry_id):
                e.country = home

    def set_speakers(self, quotes: list[Quote]) -> None:
        """Tell the mentions who speaks in each quotation, so that "we" and "our" inside it are the
        speaker's side ("“We will not tolerate it,” the minister said")."""
        self._speakers = [(q.content.start, q.content.end, q.speaker) for q in quotes
                          if q.speaker is not None and q.speaker.coded]

    def _speaker_at(self, h: Token) -> Actor | None:
        for start, end, actor in self._speakers:
            if start <= h.idx < end:
                return actor
        return None

    def _np_root(self, t: Token) -> Token:
        """The head of the clause argument a token belongs to (for excluding the clause's subject)."""
        while t.dep_ in ("prep", "pobj", "pcomp") and t.head != t:
            t = t.head
        return t

    def _last_two(self, h: Token) -> list[Actor]:
        """The pair "the two sides", "both countries" refers to: the most recent coordinated subject
        ("the army and the RSF agreed … both sides"), in this sentence or the one before; else, for
        countries, sides and parties, the two most recently named countries, and for leaders, presidents
        and ministers the two most recently named people of two countries; else nothing."""
        doc = self.doc
        s = self.sent[h.i]
        span = [i for i in range(h.i - 1, -1, -1) if self.sent[i] >= s - 1]
        for i in span:
            t = doc[i]
            conj = [c for c in t.children if c.dep_ == "conj"]
            if len(conj) != 1 or t.dep_ not in ("nsubj", "nsubjpass") or conj[0].i >= h.i:
                continue
            pair = [a for x in (t, conj[0]) for a in self._resolve(x, 1)[:1] if a.coded]
            if len(pair) == 2:
                return [replace(a, spans=(self._phrase_span(h),)) for a in pair]
        people = h.lemma_.lower() not in _COUNTRY_WORDS  # "both leaders": the two people just named
        found: list[_Entity] = []
        seen: set[str] = set()
        verb = h
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        own = {t.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
        for i in span:
            e = self.entity_at(i)
            if e is None or not e.country or e.country in seen or i in own:  # not who calls "both leaders"
                continue
            if (e.kind != "PERSON" or e.former) if people else not (e.registry_id or "").startswith(
                    ("country:", "demonym:", "capital:")):
                continue
            seen.add(e.country)
            found.append(e)
            if len(found) == 2:
                return [replace(self._pron_actor(x, h), spans=(self._phrase_span(h),)) for x in reversed(found)]
        return []

    def _last_body(self, h: Token) -> list[Actor]:
        """The international body "the bloc", "the alliance", "the world body" stands for: the one last named
        before it in this sentence or the three before ("the world body": the UN when none is)."""
        s = self.sent[h.i]
        world = h.lemma_.lower() == "body" and any(t.lower_ == "world" for t in h.lefts)
        best: tuple[int, _Entity] | None = None
        for e in self.entities:
            if not e.igo or e.kind == "PERSON" or e.former or (world and e.igo != "UN"):
                continue
            for start, _ in e.mentions:
                if start < h.i and self.sent[start] >= s - 3 and (best is None or start > best[0]):
                    best = (start, e)
        if best is not None:
            return [replace(self._pron_actor(best[1], h), spans=(self._phrase_span(h),))]
        if world:
            return [Actor(name="United Nations", igo="UN", sector="IGO", spans=(self._phrase_span(h),))]
        return []

    def _half(self, side: str) -> str | None:
        """The country "the North" or "the South" stands for: the one country the story names whose name
        begins so ("North Korea", "South Sudan"), when there is one."""
        found = {e.country for e in self.entities if e.country and e.kind in ("GPE", "NORP")
                 and e.name.startswith(side + " ")}
        return found.pop() if len(found) == 1 else None

    def _title_holder(self, h: Token) -> Actor | None:
        """The person a bare "the president", "the foreign minister" refers to: the last one named with
        that office in this sentence or the three before, a subject before others; None when none is."""
        role = self._role_in([h])
        if role is None or role.sector not in _PERSON_SECTORS:
            return None
        s = self.sent[h.i]
        best: tuple[int, int, _Entity] | None = None
        for e in self.entities:
            if e.kind != "PERSON" or not (e.country or e.igo) or e.former or e.role is None or not (
                    e.role == role.role or e.role.endswith(" " + role.role)):
                continue
            for start, end in e.mentions:
                if start >= h.i or self.sent[start] < s - 3:
                    continue
                subj = any(self.doc[i].dep_ in ("nsubj", "nsubjpass") for i in range(start, end))
                if best is None or (int(subj), start) > best[:2]:
                    best = (int(subj), start, e)
        return self._pron_actor(best[2], h) if best is not None else None

    def _group(self, h: Token) -> list[Actor]:
        """The countries a plural "countries", "governments" stands for: the list it is in apposition
        to ("Ghana, Togo and Benin, the countries that signed …"), or after "these" or "those" the
        most recent list of two or more countries, in this sentence or the one before."""
        doc = self.doc
        lists: list[Token] = []
        if h.dep_ == "appos":
            lists = [h.head]
        elif any(t.lower_ in ("these", "those") and t.dep_ == "det" for t in h.lefts):
            s = self.sent[h.i]
            lists = [doc[i] for i in range(h.i - 1, -1, -1) if self.sent[i] >= s - 1
                     and any(c.dep_ == "conj" for c in doc[i].children) and doc[i].dep_ != "conj"]
        for t in lists:
            members = [a for x in (t, *t.conjuncts) for a in self._resolve(x, 2)[:1] if a.kind == "GPE" and a.country]
            if len(members) >= 2 and len({a.country for a in members}) == len(members):
                return [replace(a, spans=(self._phrase_span(h),)) for a in members]
        return []

    def _phrase_span(self, h: Token) -> Span:
        """The noun phrase headed by ``h`` as evidence ("both sides", "the two countries")."""
        left = h.left_edge
        text = self.doc[left.i:h.i + 1].text
        return Span(left.idx, h.idx + len(h.text), text, self.sent[h.i])

    def _pron_actor(self, e: _Entity, h: Token) -> Actor:
        a = e.actor(self.doc, h.i, h.i + 1, self.sent)
        return a

    def at_date(self, actor: Actor, day: date | None) -> Actor:
        """A person's codes at an event's own date, when it differs from the article's
        ("sanctioned in 2018, when he was defence minister")."""
        if day is None or self.holders is None or actor.kind != "PERSON" or day == self.published:
            return actor
        h = self.holders.find(actor.name, day)
        if h is None or (h.current and (h.role, h.sector) == (actor.role, actor.sector)):
            return actor
        if h.current:
            return replace(actor, role=h.role, sector=h.sector, country=actor.country or h.country)
        return replace(actor, role=f"former {h.role}" if h.start <= day else actor.role,
                       sector=None if h.start <= day else actor.sector)

    def entity_records(self, *, story_only: bool = False, homed: bool = False) -> list[Actor]:
        """Every entity of the document as an Actor record (with all its mention spans); with
        ``story_only``, without the dateline's mentions (where a story was filed is no party to it); with
        ``homed``, the people nobody placed elsewhere are the country the story is set in (``home_country``)."""
        out = []
        doc = self.doc
        home = self.home_country(least=2) if homed else None
        for e in self.entities:
            spans = tuple(Span(doc[s].idx, doc[t - 1].idx + len(doc[t - 1].text), doc[s:t].text, self.sent[s])
                          for s, t in sorted(e.mentions) if not (story_only and s in self.dateline))
            if story_only and not spans:
                continue
            country = e.country
            if home and not (e.country or e.igo) and e.kind in _HOMED_KINDS:
                country = home
            out.append(Actor(name=e.name, country=country, igo=e.igo, sector=e.sector, role=e.role,
                             kind=e.kind, registry_id=e.registry_id, aliases=tuple(sorted(e.aliases)),
                             spans=spans))
        return out
