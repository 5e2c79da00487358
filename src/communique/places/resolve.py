"""Toponyms of one article found and resolved against the gazetteer (see the package docstring)."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from spacy.attrs import IS_ALPHA, IS_LOWER, IS_PUNCT, IS_TITLE, IS_UPPER, LENGTH, LIKE_NUM
from spacy.tokens import Doc, Token

from ..actors import Registry
from ..mentions import Mentions
from ..records import Place, Span
from .gazetteer import Candidate, Gazetteer, demonyms, fold, load_gazetteer, not_places
from .hint import NO_HINT, Hint, read_hint

_PLACE_KINDS = {"GPE", "LOC", "FAC"}
# score weights (log10 population is the unit): bonuses for what the article says, penalties for doubt
_W = {"capital": 2.0, "alternate": 4.0, "country": 1.5, "foreign": 1.5, "admin1": 2.0, "us_local": 1.0,
     "near": 1.5, "county": 3.0, "state_name": 3.0,
     # the article's address (.hint): its country's domain, the hinted home town itself, a town near it,
     # a place in its admin1 unit; and, for a hinted name itself, the US when the domain is generic
     "tld": 1.0, "home": 3.0, "home_near": 1.5, "home_admin1": 1.5, "home_us": 2.0,
     "home_neighbour": 1.0, "home_context": 1.0}
# a capital or landmark in these roles stands for a government ("Washington said", "Beijing's influence")
_ACTOR_DEPS = {"nsubj", "nsubjpass", "agent", "poss", "csubj"}
_DETERMINERS = {"the", "a", "an"}
_CONNECTORS = {"of", "de", "du", "des", "la", "le", "el", "al", "and", "-", "upon", "on", "am", "sur"}
# big enough to be taken on the gazetteer's word alone when the model did not call it a place
_BIG_CITY = 100_000
#: lower-case words after an admin1 unit's name that news writes as part of it ("Kaduna state", "Donetsk oblast")
_UNIT_WORDS = frozenset({"state", "province", "region", "governorate", "oblast", "krai", "county", "department"})
_MAX_TOWNS = 40  # candidates kept for one name
_SMALL_TOWN = 1_000  # below this, a name outside the model's places needs a qualifier
_PATH_TOWN = 10_000  # a town named in the folders of the article's address (not its host) is a larger one
_CONTEXT_TOWN = 10_000  # a town the model took for a person or an organisation, kept in a story about its state
# words that make a capitalised phrase an organisation or a person, never a toponym
_NOT_PLACE_WORDS = {
    "university", "college", "school", "academy", "council", "department", "police", "hospital", "church",
    "company", "corp", "inc", "ltd", "association", "party", "committee", "commission", "ministry", "office",
    "court", "club", "team", "agency", "bank", "institute", "center", "centre", "foundation", "society",
    "union", "board", "news", "times", "post", "herald", "journal", "tribune", "press", "daily", "radio",
    "television", "tv", "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "president", "minister", "says", "said",
}  # fmt: skip
_MONTHS_DAYS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                "sunday", "christmas", "easter"}
_LOCATIVE = {"in", "at", "near", "from", "to", "outside", "across", "throughout", "around", "into", "through",
             "toward", "towards", "between", "inside", "within", "via", "of", "on", "off", "along", "visit",
             "visited", "visiting"}
_DIRECTIONS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
               "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern", "southeastern",
               "southwestern", "upper", "lower", "greater", "downtown", "metro", "mid", "inner", "outer", "upstate"}
_NATURAL = {"river", "creek", "lake", "lakes", "mountain", "mountains", "mount", "bay", "island", "islands", "valley",
            "sea", "ocean", "gulf", "strait", "canal", "forest", "park", "desert", "peninsula", "coast", "beach",
            "falls", "hills", "hill", "ridge", "canyon", "springs", "reservoir", "dam", "harbor", "harbour"}
_ETHNIC = {"native", "african", "asian", "hispanic", "latin", "arab", "pacific", "first"}
_RESIDENTS = {"man", "woman", "boy", "girl", "resident", "native", "teen", "teenager", "couple", "family",
              "mother", "father", "child", "youth", "student", "homeowner", "area", "neighborhood", "neighbourhood",
              "suburb", "city", "town", "village", "township", "county", "region", "province", "state", "district",
              "downtown", "outskirts", "mayor", "citizen", "voter", "driver", "motorist", "official", "police",
              "people", "community"}
_PLACE_TAILS = {"station", "elementary", "middle", "high", "estates", "crossing", "park", "township", "twp",
                "junction", "heights", "village", "springs", "mills", "landing", "square", "hall", "county", "parish",
                "road", "street", "avenue", "boulevard", "lane", "drive", "highway", "bridge", "airport"}
# words after a name that make it a street ("Elm Street", "Gaza Road"), capitalised as streets are
_STREETS = {"Street", "St.", "Road", "Rd.", "Avenue", "Ave.", "Boulevard", "Blvd.", "Lane", "Drive", "Dr.",
            "Highway", "Terrace", "Crescent", "Close", "Way", "Place", "Court", "Parkway", "Pike"}
# the local bodies and offices a town or county names ("Springdale Police", "Oakdale Fire Department",
# "Marion County Sheriff Jane Doe", "Galway City Council"): the name before them is a place
_INSTITUTIONS = {"Police", "Fire", "Sheriff", "Mayor", "Chamber", "Councillor", "Councilman",
                 "Councilwoman", "Selectmen", "Aldermen", "Coroner", "Commissioners", "Clerk", "Auditor", "Assessor",
                 "Treasurer", "Prosecutor", "Jail", "Detention", "Correctional", "Schools", "Superintendent",
                 "Trustees"}
_INSTITUTION_PAIRS = {("City", "Council"), ("City", "Hall"), ("City", "Manager"), ("City", "Schools"),
                      ("City", "Commission"), ("City", "Police"), ("City", "Attorney"), ("City", "Clerk"),
                      ("City", "Public"), ("Volunteer", "Fire"),
                      ("Town", "Council"), ("Town", "Hall"), ("Town", "Board"), ("Town", "Manager"),
                      ("Village", "Council"), ("Village", "Board"), ("Village", "Hall"), ("Public", "Library"),
                      ("Public", "Schools"), ("School", "Board"), ("School", "District"), ("Parks", "and"),
                      ("Planning", "Commission")}
_PREFIX_APART = re.compile(r"\b(de|la|le|du|mc|van)([a-z]{3,})")
_PREFIX_TOGETHER = re.compile(r"\b(de|la|le|du|mc|van) ([a-z]{3,})")
_COURTS = {"Circuit", "District", "Superior", "Probate", "Chancery", "Municipal", "Magistrate"}
_FORMER = {"former", "interim", "acting", "then", "downtown", "historic", "local", "deputy", "assistant", "chief",
           "retired", "veteran"}
_COUNTY_NAME = re.compile(r"(.+?\b(?:county|parish|borough))\b")
_PARTIES = {"D", "R", "I", "DFL", "Dem", "Rep", "Ind"}
_TITLES = {"mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt", "col", "capt", "sgt", "judge", "president",
           "senator", "governor", "mayor", "minister", "king", "queen", "prince", "pope", "saint"}


@dataclass
class _Toponym:
    start: int
    end: int
    text: str
    source: str  # ner, country, capital, landmark, demonym, relabel, embedded, ngram, qualifier
    cands: list[Candidate]
    country: str | None = None  # the registry's country for this name
    qualifier: _Toponym | None = None
    counties: tuple[str, ...] = ()
    chosen: Candidate | None = None
    score: float = 0.0
    keep: bool = True
    qualifies: bool = False  # is itself the qualifier of the name before it
    actor: bool = False  # a capital in an actor's role: a metonym, unless it resolves to another town
    label: str = ""  # the model's label for a relabelled name
    cue: bool = False  # object of a locative preposition ("in X", "from X")
    dateline: bool = False  # "MIDDLETOWN — ...": the town a local story is filed from
    metonym: bool = False  # a seat of government standing for the government: listed, never an event's place
    listed: bool = False  # a country named in a list of countries or regions ("the Middle East, Italy and Russia")
    county_key: str = ""  # the folded county name when the text leaves out "County" ("Camden and Charlton counties")


@lru_cache(maxsize=4)
def gazetteer_for(registry: Registry) -> Gazetteer:
    """The gazetteer, with the registry's centroids for countries GeoNames' point file lacks; loaded once.
    Call it when the pipeline starts so that the first article does not pay for the load."""
    return load_gazetteer({c.iso3: (c.lat, c.lon) for c in registry.countries()})


def find_places(doc: Doc, m: Mentions, registry: Registry, sent_of: list[int], *, url: str | None = None,
                source: str | None = None) -> tuple[list[Place], dict[int, Place]]:
    """Places in text order, and a map from each place token to its Place. ``url`` and ``source``
    (the outlet) are hints about where the article was written; either may be None."""
    gaz = gazetteer_for(registry)
    finder = _Finder(doc, m, registry, gaz)
    tops = finder.find()
    _Resolver(gaz, tops, finder.demonyms, read_hint(gaz, url, source)).resolve()
    out: list[Place] = []
    by_token: dict[int, Place] = {}
    for t in tops:
        if not t.keep:
            continue
        span = doc[t.start:t.end]
        c = t.chosen
        if c is None:
            p = Place(name=t.text, country=t.country, span=Span(span.start_char, span.end_char, span.text,
                                                                    sent_of[t.start]))
        else:
            p = Place(name=c.name, country=c.country, admin1=c.admin1, lat=c.lat, lon=c.lon,
                      geonames_id=c.geonames_id, precision=c.precision,
                      span=Span(span.start_char, span.end_char, span.text, sent_of[t.start]))
        out.append(p)
        if t.source == "demonym" or t.metonym:
            continue  # a nationality word or a government named by its seat never locates an event
        for i in range(t.start, t.end):
            by_token[i] = p
    out.sort(key=lambda p: p.span.start if p.span else 0)
    return out, by_token


# ------------------------------------------------------------------------------ finding

#: a compass point alone names a region of the story's country ("aid shipments to the North"), never the
#: village of that name GeoNames also knows
_COMPASS = frozenset({"north", "south", "east", "west", "north-east", "north-west", "south-east", "south-west",
                      "northeast", "northwest", "southeast", "southwest"})


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end and (doc[start].lower_ in _DETERMINERS or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct and doc[end - 1].text != "."
                           or doc[end - 1].is_space):
        end -= 1
    return start, end


def _is_actor(tok: Token) -> bool:
    return tok.dep_ in _ACTOR_DEPS


def _caps(doc: Doc) -> list[bool]:
    """:func:`_capitalised` for every token, read from the Doc's arrays (creating Token objects is slow)."""
    arr = doc.to_array([IS_TITLE, IS_UPPER, IS_ALPHA, IS_LOWER, IS_PUNCT, LIKE_NUM, LENGTH])
    out = []
    for i, (title, upper, alpha, low, punct, num, length) in enumerate(arr.tolist()):
        if punct or num:
            out.append(False)
        elif title or (upper and length > 1):
            out.append(True)
        elif alpha and not low and not upper:
            out.append(doc[i].text[:1].isupper())  # "McPherson", "DeKalb"
        else:
            out.append(False)
    return out


def _person_part(name: str) -> str:
    """The words of a "person" name after the last word of an office or a body ("Marion County Sheriff
    Jane Doe" → "Jane Doe"; "Oakdale Fire Department" → "")."""
    words = name.split()
    if words[0].lower() in _DIRECTIONS or words[0].lower() in ("historic", "old"):
        return ""  # "Historic Dublin", "Downtown Greer": a part of a town, not a person
    for i in range(len(words) - 1, -1, -1):
        w = words[i].strip(".,").removesuffix("'s").removesuffix("’s")
        if w in _INSTITUTIONS or w.lower() in _NOT_PLACE_WORDS or w.lower() in _TITLES or w.lower() in (
                "county", "city", "chief", "department", "volunteer", "deputy", "sgt", "capt", "officer"):
            return " ".join(words[i + 1:])
    return name


def _capitalised(t: Token) -> bool:
    return (t.is_title or (t.is_upper and len(t.text) > 1) or (t.text[:1].isupper() and t.is_alpha)) \
        and not t.is_punct and not t.like_num


class _Finder:
    def __init__(self, doc: Doc, m: Mentions, registry: Registry, gaz: Gazetteer) -> None:
        self.doc, self.m, self.registry, self.gaz = doc, m, registry, gaz
        self.tops: list[_Toponym] = []
        self.taken: set[int] = set()
        self.demonyms: Counter[str] = Counter()  # "Palestinian", "Russian": context, not places
        # words of people's names in this article: "Welch", "Jordan" after "Michael Jordan"
        names = {n for e in m.entities if e.kind == "PERSON" for n in (e.name, *e.aliases) if len(n.split()) > 1}
        names |= {ent.text for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1}
        self.place_names = {n for n in names if self._named_place(n)}  # "Avondale Estates" is a town
        # the model's "people" named after a place and a facility ("Greer Station", "Glen Carbon Elementary")
        names = {n for n in names if n.split()[-1].lower().strip(".") not in _PLACE_TAILS}
        # "Marion County Sheriff Jane Doe": the person is what follows the office
        names = {p for p in map(_person_part, names) if p}
        self.person_words = {w for n in names - self.place_names for w in n.split()}
        # news shortens a person to the surname: a name's first word alone is more often a town
        self.surnames = {w for n in names - self.place_names for w in n.split()[1:]}
        self.words = not_places()
        self.caps = _caps(doc)
        self._lower: dict[int, str] = {}

    def lower(self, i: int) -> str:
        low = self._lower.get(i)
        if low is None:
            low = self._lower[i] = self.doc[i].lower_
        return low

    def add(self, start: int, end: int, source: str, cands: list[Candidate], country: str | None = None,
            counties: tuple[str, ...] = ()) -> _Toponym | None:
        if start >= end or any(i in self.taken for i in range(start, end)):
            return None
        if end < len(self.doc) and self.doc[end].text in _STREETS:
            return None  # "Elm Street", "London Road": a street named after a place is not that place
        if end < len(self.doc) and self.doc[end].text in ("County", "Parish") and end not in self.taken \
                and source in ("ner", "relabel", "ngram", "country", "capital"):
            more = self.gaz.county_states(self.doc[start:end + 1].text)
            if more:  # the model's "Guernsey" of "Guernsey County"
                end, cands, counties = end + 1, [], more
                if source in ("country", "capital"):  # "Guernsey County", "Lebanon County": not the country
                    source, country = "ner", None
        if end < len(self.doc) and self.doc[end].text == "City" and end not in self.taken and not counties \
                and source != "institution":  # not "Galway City" of "Galway City Council"
            towns = [c for c in self.gaz.lookup(fold(self.doc[start:end + 1].text)) if c.kind in ("city", "capital")]
            if towns:  # the model's "New York" of "New York City"
                end, cands = end + 1, towns
        t = _Toponym(start, end, self.doc[start:end].text, source, cands, country, counties=counties)
        if counties:  # "Madison County Detention Center": the county's own name
            found = _COUNTY_NAME.match(fold(t.text))
            t.county_key = found.group(1) if found else fold(t.text)
            if not self.gaz.county_states(t.county_key):  # "DeSoto Parish": GeoNames' "De Soto Parish"
                t.county_key = next((v for v in (_PREFIX_APART.sub(r"\1 \2", t.county_key),
                                                 _PREFIX_TOGETHER.sub(r"\1\2", t.county_key))
                                     if self.gaz.county_states(v)), t.county_key)
        self.tops.append(t)
        self.taken.update(range(start, end))
        return t

    def lookup(self, text: str) -> tuple[list[Candidate], tuple[str, ...]]:
        """Gazetteer candidates for a name, with the usual spelling variants; US county states.
        Of a very common name ("Springfield", "San José") only the most populous towns are kept."""
        key = fold(text)
        cands = self.gaz.lookup(key)
        if len(cands) > _MAX_TOWNS:
            towns = sorted((c for c in cands if c.kind in ("city", "capital")),
                           key=lambda c: (not c.primary, -c.population))
            cands = [c for c in cands if c.kind not in ("city", "capital")] + towns[:_MAX_TOWNS]
        counties: tuple[str, ...] = ()
        if key.endswith((" county", " parish", " borough")):
            counties = self.gaz.county_states(key)
        if not cands and not counties:
            # "DeSoto Parish" / "De Soto Parish", "La Porte" / "LaPorte": the prefix written apart or together
            for variant in (_PREFIX_APART.sub(r"\1 \2", key), _PREFIX_TOGETHER.sub(r"\1\2", key)):
                if variant != key:
                    cands = self.gaz.lookup(variant)
                    if variant.endswith((" county", " parish", " borough")):
                        counties = self.gaz.county_states(variant)
                    if cands or counties:
                        break
        if not cands and "." in text:
            cands = self.gaz.abbreviation(text)  # "Ky.", "B.C.", "W.Va."
        if not cands:
            for a, b in (("-", " "), (" city", "")):
                if a in key:
                    cands = self.gaz.lookup(key.replace(a, b))
                    if a == " city":  # "New York City", "Quebec City": the town, not the state or province
                        cands = [c for c in cands if c.kind in ("city", "capital")]
                    if cands:
                        break
        return cands, counties

    def find(self) -> list[_Toponym]:
        doc, m, gaz = self.doc, self.m, self.gaz
        self._curated()
        self._county_lists()
        self._districts()
        self._institutions()
        self._place_demonyms()
        for e in m.entities:
            rid = e.registry_id or ""
            for s0, e0 in e.mentions:
                start, end = _trim(doc, s0, e0)
                if start >= end:
                    continue
                span = doc[start:end]
                root = span.root
                text = span.text
                if rid.startswith(("country:", "capital:")) and text in self.person_words:
                    continue  # "Georgia Stevens", and Georgia later in the same story
                if rid.startswith("country:"):
                    c = gaz.country(e.country or "")
                    cands, _ = self.lookup(text)
                    # "Georgia" the state, "England" the part, "Palestine, Texas" the town
                    if c is not None and not any(x.kind == "country" and x.country == c.country for x in cands):
                        cands.insert(0, c)
                    self.add(start, end, "country", cands, e.country)
                elif rid.startswith("capital:"):
                    cands, _ = self.lookup(text)
                    t = self.add(start, end, "capital", cands, e.country)
                    if t is not None:
                        # "Washington said": dropped after resolution if it is the seat of government
                        t.actor = _is_actor(root)
                elif rid.startswith("metonym:"):
                    if _is_actor(root):
                        continue
                    cands = [x for x in self.lookup(text)[0] if x.kind == "landmark"]
                    if cands:
                        self.add(start, end, "landmark", cands, e.country)
                elif rid.startswith("demonym:"):
                    if e.country:
                        self.demonyms[e.country] += 1
                        c = gaz.country(e.country)
                        if c is not None and self.demonym_of_country(start, end):
                            self.add(start, end, "demonym", [c], e.country)
                elif rid.startswith(("igo:", "group:", "person:")) or \
                        (rid and not rid.startswith("capital:")):
                    continue
                elif e.kind in _PLACE_KINDS:
                    if not any(self.caps[k] for k in range(start, end)) or text.lower() in _COMPASS:
                        continue  # "the east coast", "the North": a part of the story's own country, no town
                    cands, counties = self.lookup(text)
                    if not cands and not counties and end - start > 1 and doc[end - 1].text not in _STREETS:
                        cands, counties = self.inner(start, end)  # not the "Elm" of "Elm Street"
                    t = self.add(start, end, "ner", cands, counties=counties)
                    if t is not None:
                        t.cue = self.locative(start, end)
                elif e.kind == "PERSON" and end - start > 2 and any(
                        doc[k].text in ("County", "Parish") for k in range(start + 1, end - 1)):
                    self.embedded(start, end)  # "Marion County Crimestoppers" is no person
                elif e.kind in ("ORG", "PERSON", "NORP"):
                    if e.kind == "PERSON" and text not in self.place_names and (
                            len(e.name.split()) > 1 or any(len(a.split()) > 1 for a in e.aliases)) and not (
                            len(text.split()) == 1 and all(n.split()[0] == text for n in [e.name, *e.aliases]
                                                           if len(n.split()) > 1)):
                        # part of a person's full name; news shortens a person to the surname, so a name that
                        # only ever heads the longer one is a town ("Greer" of "Greer Station")
                        continue
                    words = {w.lower().strip(".") for w in text.split()}
                    if e.kind == "ORG" and len(words) > 1 and not self._named_place(text):
                        self.embedded(start, end)  # not inside "Red Deer", a town the model took for a name
                    if words & _NOT_PLACE_WORDS:
                        continue
                    if start > 0 and doc[start - 1].lower_.strip(".") in _TITLES:
                        continue
                    if not self.plausible(start, end):
                        continue
                    cands, counties = self.lookup(text)
                    if cands or counties:
                        t = self.add(start, end, "relabel", cands, counties=counties)
                        if t is not None:
                            t.label, t.cue = e.kind, self.locative(start, end)
        self._ngrams()
        self._qualifiers()
        self.tops.sort(key=lambda t: t.start)
        for t in self.tops:
            if self.dateline(t.start, t.end):
                t.dateline = t.cue = True
        for a, b in zip(self.tops, self.tops[1:], strict=False):
            gap = [self.lower(k) for k in range(a.end, b.start)]
            if gap and len(gap) <= 2 and all(w in (",", "and", "or") for w in gap) and all(
                    x.source == "country" or any(c.kind not in ("city", "capital", "admin1", "admin2")
                                                 for c in x.cands) for x in (a, b)):
                a.listed = b.listed = True
        return self.tops

    def dateline(self, start: int, end: int) -> bool:
        """A name in capitals that opens a line or a sentence and is followed by a dash or a comma and a
        state: "MIDDLETOWN — ", "SOUTH CHARLESTON, W.Va. --"."""
        doc = self.doc
        if end >= len(doc) or not all(doc[k].is_upper or not doc[k].is_alpha for k in range(start, end)):
            return False
        if not any(doc[k].is_alpha and len(doc[k]) > 1 for k in range(start, end)):
            return False
        nxt = doc[end].text
        if start > 0 and not (doc[start].is_sent_start or "\n" in doc[start - 1].text_with_ws
                              or doc[start - 1].is_punct and doc[start - 1].text in (".", "!", "?")):
            # after a byline's date or a headline run on: "May 4, 2010 GRANVILLE -- Village officials ..."
            if not (nxt in ("—", "–", "--", "―") or nxt == "-" and doc[end - 1].whitespace_) \
                    or sum(len(doc[k]) for k in range(start, end) if doc[k].is_alpha) < 4 \
                    or end + 1 >= len(doc) or not doc[end + 1].text[:1].isupper():
                return False
        return nxt in ("—", "–", "-", "--", "―") or (
            nxt == "," and end + 1 < len(doc) and doc[end + 1].text[:1].isupper())

    def inner(self, start: int, end: int) -> tuple[list[Candidate], tuple[str, ...]]:
        """The place inside a longer name the model called a place: "North Texas", "Long Beach Airport",
        "Greer City Hall", "Henry County Courthouse" (not a river or lake named after a town)."""
        doc = self.doc
        if doc[end - 1].lower_ in _NATURAL:
            return [], ()
        i = start
        while i < end - 1 and doc[i].lower_ in _DIRECTIONS:
            i += 1
        for j in range(end - (1 if i == start else 0), i, -1):
            if doc[j - 1].is_punct or doc[j - 1].lower_ in _DIRECTIONS:
                continue
            cands, counties = self.lookup(doc[i:j].text)
            cands = [c for c in cands if c.primary]
            if (cands or counties) and not self.words.issuperset({fold(doc[k].text) for k in range(i, j)}):
                return cands, counties
        return [], ()

    def demonym_of_country(self, start: int, end: int) -> bool:
        """A nationality word that points at its country ("Latvian climbers", "the Sri Lankan army"), not a
        language ("spoke French"), part of a name ("American Airlines") or an ethnic term ("Native American")."""
        doc = self.doc
        if doc[start].ent_type_ in ("LANGUAGE", "WORK_OF_ART", "PRODUCT", "LAW"):
            return False
        prev = doc[start - 1] if start > 0 else None
        return not (prev is not None and (prev.lower_ in _ETHNIC or prev.text == "-"))

    def _named_place(self, name: str) -> bool:
        """Is a multi-word name exactly a populated place's own name ("Avondale Estates")?"""
        return any(c.primary and c.kind in ("city", "capital") and fold(c.name) == fold(name)
                   for c in self.gaz.lookup(name))

    def embedded(self, start: int, end: int) -> None:
        """A toponym that begins an organisation's name or follows its "of", "in" or "at", or follows
        an acronym: "Texas Department of Transportation", "University of Kentucky", "Gainesville Police
        Department", "Children's Hospital in Winnipeg", "CBC Toronto"."""
        doc = self.doc
        spots = [start] + [k + 1 for k in range(start, end - 1) if doc[k].lower_ in ("of", "in", "at")]
        if end - start > 1 and doc[start].is_upper and len(doc[start].text) >= 2 and doc[start].is_alpha:
            spots.append(start + 1)  # a broadcaster's or a chain's town: "CTV Winnipeg", "CBC Toronto"
        for i in spots:
            for j in range(min(end, i + 3), i, -1):
                if j == end and i == start:
                    continue  # the whole name: not embedded
                if not all(self.caps[i:j]) or doc[j - 1].lower_ in _NOT_PLACE_WORDS:
                    continue
                text = doc[i:j].text
                if not self.plausible(i, j):
                    continue
                cands, counties = self.lookup(text)
                if cands or counties:
                    t = self.add(i, j, "embedded", cands, counties=counties)
                    if t is not None:
                        t.label = "ORG"
                    break

    def plausible(self, start: int, end: int) -> bool:
        """A name outside the model's places that could be one: not a common word, month or person."""
        doc = self.doc
        words = [doc[k] for k in range(start, end)]
        if len(words) == 1 and (words[0].is_stop or words[0].lower_ in _MONTHS_DAYS or len(words[0].text) < 3
                                or words[0].lower_ in self.words):
            return False
        if any(w.text in self.surnames for w in words) or any(w.ent_type_ == "PERSON" for w in words) \
                and not self.m.entity_at(start):
            return False
        if {w.lower_.strip(".") for w in words} & _NOT_PLACE_WORDS:
            return False
        return not (start > 0 and doc[start - 1].lower_.strip(".") in _TITLES)

    def locative(self, start: int, end: int) -> bool:
        """Is the name the object of a locative preposition or verb ("in X", "near X", "visited X")?"""
        root = self.doc[start:end].root
        if root.dep_ in ("compound", "nmod", "amod") and root.head.lemma_.lower() in _RESIDENTS:
            return True  # "a Gainesville man", "Lancaster residents"
        while root.dep_ in ("compound", "conj", "appos") and root.head != root:
            root = root.head
        return root.dep_ in ("pobj", "dobj") and root.head.lower_ in _LOCATIVE

    def _curated(self) -> None:
        """Multi-word names of curated regions, before the registry's shorter names inside them:
        "South China Sea" (not China), "Gulf of Mexico", "Sea of Japan", "Korean Peninsula"."""
        doc, caps, heads = self.doc, self.caps, self.gaz.curated_heads
        n = len(doc)
        i = 0
        while i < n:
            longest = heads.get(self.lower(i), 0) if caps[i] else 0
            if not longest:
                i += 1
                continue
            found = None
            for j in range(min(n, i + longest), i + 1, -1):
                # "Washington state", "Donetsk oblast", "Kursk region": an admin1 unit's alias may end in a
                # lower-case word for a unit; only an admin1 unit takes it ("the Sahel region" is no admin1 alias)
                generic = not caps[j - 1] and self.lower(j - 1) in _UNIT_WORDS
                if (not caps[j - 1] and not generic) or "\n" in doc[i:j].text:
                    continue
                cands = [c for c in self.gaz.lookup(doc[i:j].text)
                         if c.primary and c.kind not in ("city", "capital", "country")
                         and (not generic or c.kind == "admin1")]
                if cands:
                    found = (j, cands)
                    break
            if found is None:
                i += 1
                continue
            self.add(i, found[0], "ner", found[1])
            i = found[0]

    def _county_lists(self) -> None:
        """Counties named together before "counties" or "parishes": "Camden and Charlton counties",
        "Navarro, Henderson and Ellis counties"."""
        doc, caps = self.doc, self.caps
        for k in range(1, len(doc)):
            word = self.lower(k)
            if word not in ("counties", "parishes") or not caps[k - 1]:
                continue
            suffix = " County" if word == "counties" else " Parish"
            end = k
            while end > 0:
                start = end
                while start > 0 and caps[start - 1] and end - start < 3:
                    start -= 1
                if start == end:
                    break
                name = doc[start:end].text
                states = self.gaz.county_states(name + suffix)
                if not states or any(c.kind in ("admin1", "country") for c in self.gaz.lookup(name)):
                    break  # "Indiana counties": the counties of a state
                t = self.add(start, end, "county", [], counties=states)
                if t is not None:
                    t.county_key = fold(name + suffix)
                if start > 0 and self.lower(start - 1) in (",", "and"):
                    end = start - 1
                    if end > 0 and self.lower(end - 1) == "," and self.lower(start - 1) == "and":
                        end -= 1  # "A, B, and C counties"
                else:
                    break

    def _institutions(self) -> None:
        """The town or county that names a local body or office: "the Springdale Police", "Oakdale Fire
        Department", "Marion County Sheriff Jane Doe", "Galway City Council", "Lakewood Mayor Ann Smith"."""
        doc, caps = self.doc, self.caps
        n = len(doc)
        for k in range(1, n):
            word = doc[k].text
            court = word in _COURTS and k + 1 < n and doc[k + 1].text in ("Court", "Judge", "Courthouse")
            if not court and word not in _INSTITUTIONS and (
                    k + 1 >= n or (word, doc[k + 1].text) not in _INSTITUTION_PAIRS):
                continue
            if not caps[k - 1] or k - 1 in self.taken:
                continue
            start = k
            while start > 0 and caps[start - 1] and k - start < 4 and "\n" not in doc[start - 1].text_with_ws \
                    and self.lower(start - 1) not in _DETERMINERS:  # "A Spartanburg Circuit Court judge"
                start -= 1
            for i in range(start, k):
                if i > start and self.lower(i - 1).strip(".") not in _TITLES | _FORMER:
                    break  # the whole name or nothing: not "Middlesex" of "Southwest Middlesex Mayor"
                if any(j in self.taken for j in range(i, k)) or self.lower(i).strip(".") in _TITLES | _FORMER:
                    continue
                words = {self.lower(j).strip(".") for j in range(i, k)}
                if words & _NOT_PLACE_WORDS or (k - i == 1 and (doc[i].is_stop or self.lower(i) in _MONTHS_DAYS)):
                    continue
                if any(doc[j].text in self.surnames for j in range(i, k)):
                    break
                if court:  # "Mercer Circuit Court": a county's court, the county named without "County"
                    name = doc[i:k].text
                    counties = () if name.endswith(("County", "Parish")) else self.gaz.county_states(name + " County")
                    if counties:
                        t = self.add(i, k, "institution", [], counties=counties)
                        if t is not None:
                            t.label, t.county_key = "ORG", fold(name + " County")
                        break
                cands, counties = self.lookup(doc[i:k].text)
                if any(c.kind == "country" for c in cands):
                    break  # "Israel Police": the registry's country
                cands = [c for c in cands if c.primary and c.kind in ("city", "capital", "admin1")]
                if any(c.kind == "admin1" for c in cands):
                    cands = [c for c in cands if c.kind == "admin1"]  # "Victoria Police": the state's
                if cands or counties:
                    model = all(doc[j].ent_type_ in _PLACE_KINDS for j in range(i, k))  # the model's place too
                    t = self.add(i, k, "ner" if model else "institution", cands, counties=counties)
                    if t is not None:
                        t.label = "ORG"
                        if counties and not t.county_key:
                            t.county_key = fold(doc[i:k].text)
                    break

    def _place_demonyms(self) -> None:
        """Names for the people of a state, province or region the registry lacks ("Iowans", "Ontarians",
        "the Abkhaz servicemen"): the place they stand for, like a nationality word for its country."""
        table = demonyms()
        doc, n = self.doc, len(self.doc)
        for k in range(n):
            if not self.caps[k] or k in self.taken:
                continue
            for size in (2, 1):
                words = tuple(doc[j].text for j in range(k, min(n, k + size)))
                place = table.get(words) if len(words) == size else None
                if place is None:
                    continue
                if doc[k].ent_type_ in ("ORG", "PERSON", "FAC", "WORK_OF_ART", "PRODUCT") and (
                        doc[k].ent_iob_ != "B" or k + size < n and doc[k + size].ent_iob_ == "I"):
                    break  # inside a longer name: "the Houston Texans", "Virginian Railway"
                if doc[k].ent_type_ in ("LANGUAGE", "LAW") or k > 0 and (
                        self.lower(k - 1) in _ETHNIC or doc[k - 1].text == "-"):
                    break  # "spoke Sinhalese", "Native Hawaiians"
                cands = [c for c in self.gaz.lookup(place) if c.primary and c.kind not in ("city", "capital")]
                if cands:
                    self.add(k, k + size, "demonym", cands[:1])
                break

    def _districts(self) -> None:
        """A legislator's party and home district: "Rep. Ann Smith, D-Braxton", "Sen. Tom Bakk (DFL-Cook)": the
        town, else the county of that name."""
        doc, caps = self.doc, self.caps
        n = len(doc)
        for k in range(1, n - 2):
            if doc[k].text != "-" or doc[k - 1].text not in _PARTIES or not caps[k + 1] \
                    or doc[k - 1].whitespace_ or doc[k].whitespace_:
                continue
            end = k + 2
            while end < n and caps[end] and end - k <= 3 and not doc[end - 1].whitespace_ == "":
                end += 1
            if end < n and not doc[end].is_punct:
                continue
            name = doc[k + 1:end].text
            cands = [c for c in self.gaz.lookup(name) if c.kind in ("city", "capital") and c.primary]
            counties = self.gaz.county_states(name + " County")
            if cands or counties:
                t = self.add(k + 1, end, "district", cands, counties=counties)
                if t is not None and counties:
                    t.county_key = fold(name + " County")

    def _ngrams(self) -> None:
        """Capitalised n-grams outside any name that the gazetteer knows."""
        doc, m = self.doc, self.m
        n = len(doc)
        i = 0
        while i < n:
            if not self.caps[i] or i in self.taken or i in m.token_ent or doc[i].ent_type_ == "PERSON":
                i += 1
                continue
            found = None
            for j in range(min(n, i + 4), i, -1):
                if not self.caps[j - 1] or any(k in self.taken or k in m.token_ent for k in range(i, j)):
                    continue
                if any(not self.caps[k] and self.lower(k) not in _CONNECTORS for k in range(i, j)):
                    continue
                cands, counties = self.lookup(doc[i:j].text)
                if cands or counties:
                    found = (j, cands, counties)
                    break
            if found is None:
                i += 1
                continue
            j, cands, counties = found
            if not self.plausible(i, j) or not self.dateline(i, j) and any(
                    doc[k].pos_ != "PROPN" for k in range(i, j) if doc[k].lower_ not in _CONNECTORS) \
                    and not self.locative(i, j):  # the tagger's adjective in "a vulnerable Croydon resident"
                i = j
                continue
            top = self.add(i, j, "ngram", cands, counties=counties)
            if top is not None:
                top.cue = self.locative(i, j)
            i = j

    def _qualifiers(self) -> None:
        """"Paris, Texas", "Springfield, Ill.", "Red Deer, Alta.": the name after the comma qualifies the first."""
        doc, gaz = self.doc, self.gaz
        by_start = {t.start: t for t in self.tops}
        by_end = {t.end: t for t in self.tops}
        for t in self.tops:  # "London's Docklands", "Jerusalem's Old City": the owner qualifies the place
            if t.start >= 2 and doc[t.start - 1].tag_ == "POS" and (q0 := by_end.get(t.start - 1)) is not None \
                    and t.qualifier is None and q0.cands:
                t.qualifier = q0
                owners = {qc.country for qc in q0.cands}
                # where the gazetteer knows no such place there, the place is within its owner
                t.cands = [c for c in t.cands if c.country in owners] or list(q0.cands)
        for t in sorted(self.tops, key=lambda x: x.start):
            k = t.end
            if k + 1 >= len(doc) or doc[k].text != ",":
                continue
            q = by_start.get(k + 1)
            if q is not None:
                if any(c.kind in ("admin1", "country") for c in q.cands) or q.source == "country":
                    t.qualifier, q.qualifies = q, True
                continue
            # an abbreviation: "Ky.", "W.Va.", "W. Va.", "TX"
            for j in range(min(len(doc), k + 4), k + 1, -1):
                if any(i in self.taken for i in range(k + 1, j)):
                    continue
                text = "".join(doc[i].text for i in range(k + 1, j))
                if not text[:1].isupper():
                    continue
                cands = gaz.abbreviation(text)
                if not cands and j == k + 2 and doc[k + 1].text.endswith(".") is False and \
                        j < len(doc) and doc[j].text == ".":
                    cands = gaz.abbreviation(text + ".")
                if cands:
                    q2 = self.add(k + 1, j, "qualifier", cands)
                    if q2 is not None:
                        t.qualifier, q2.qualifies = q2, True
                        by_start[k + 1] = q2
                    break


# ------------------------------------------------------------------------------ resolving

def _km(a: Candidate, b: Candidate) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


_Votes = defaultdict[tuple[str, str], float]  # (ISO-3, admin1 code) → how much the article points there
_NOTHING: tuple[Counter[str], _Votes] = (Counter(), defaultdict(float))


class _Resolver:
    """Scores every toponym's candidates against the rest of the article, in a few rounds."""

    def __init__(self, gaz: Gazetteer, tops: list[_Toponym], demonyms: Counter[str], hint: Hint = NO_HINT) -> None:
        self.gaz, self.tops, self.demonyms, self.hint = gaz, tops, demonyms, hint
        # the places the address names (folded name → candidates) and the one chosen for each
        self.home_cands: dict[str, list[Candidate]] = {}
        self.home: dict[str, Candidate] = {}
        self._neighbours: dict[str, list[Candidate]] | None = None  # each name's towns, for the address's
        for key in hint.names:
            min_pop = _PATH_TOWN if key in hint.path_names else 0
            cands = [c for c in gaz.lookup(key) if c.primary and (
                c.kind == "admin1" or c.kind in ("city", "capital") and c.population >= min_pop)
                and (hint.country is None or c.country == hint.country)]
            if cands:
                self.home_cands[key] = cands
        # context: what each name (folded) contributes; a name never counts as its own context
        self.by_key: dict[str, tuple[Counter[str], _Votes]] = {}
        self.countries: Counter[str] = Counter()
        self.admin1: _Votes = defaultdict(float)
        self.points: list[tuple[str, Candidate]] = []  # resolved towns and points, for proximity
        self.dominant: str | None = None
        # US counties the article names (folded) → the states that have one of that name
        self.counties: dict[str, set[str]] = {}
        for t in tops:
            if t.counties:
                self.counties.setdefault(t.county_key or fold(t.text), set()).update(t.counties)

    def _context(self, final: bool) -> None:
        """Countries and admin1 units the article names (resolved, or unambiguous before resolution)."""
        by_key: dict[str, tuple[Counter[str], _Votes]] = {}
        points: list[tuple[str, Candidate]] = []
        for t in self.tops:
            if t.source == "demonym" and t.country:
                continue  # counted in self.demonyms
            key = fold(t.text)
            cc, a1 = by_key.setdefault(key, (Counter(), defaultdict(float)))
            c = t.chosen if final else None
            if c is None:
                if t.source in ("country", "capital") and t.country and not final:
                    cc[t.country] += 1
                    continue
                if len(t.cands) == 1 and t.cands[0].kind == "admin1":
                    c = t.cands[0]
                elif t.qualifier is not None and len(t.qualifier.cands) == 1:
                    c = t.qualifier.cands[0]
                elif t.counties:
                    # a county names its state; a name shared by several states votes for each a little
                    for st in t.counties:
                        a1[("USA", st)] += 1.0 / len(t.counties)
                    cc["USA"] += 1  # whichever state's, a county of this name is American
                    continue
                else:
                    continue
            if c.country:
                cc[c.country] += 1
                if c.admin1 and c.kind not in ("country",):
                    a1[(c.country, c.admin1)] += 1
            if final and c.kind in ("city", "capital", "admin2") or c.precision == "point":
                points.append((key, c))
        self.by_key = by_key
        self.points = points
        self.countries = Counter()
        self.admin1 = defaultdict(float)
        for cc, a1 in by_key.values():
            self.countries.update(cc)
            for k, v in a1.items():
                self.admin1[k] += v
        self.countries.update(self.demonyms)
        if self.hint.country:  # the country of the address's domain: as if the article named it once more
            self.countries[self.hint.country] += 1
        for h in self.home.values():  # where the article was written: one more name of the article's own
            if h.country:
                self.countries[h.country] += 1
                if h.admin1:
                    self.admin1[(h.country, h.admin1)] += _W["home_context"]
        self.dominant = self.countries.most_common(1)[0][0] if self.countries else None

    def resolve(self) -> None:
        self._context(final=False)
        if self.home_cands:
            # the text speaks first: the address's names are read in the light of a resolution without them,
            # and then held fixed, so that they cannot confirm themselves through the places they swayed
            self._pass()
            self._context(final=True)
            self._home()
        for _ in range(3):
            self._pass()
            self._context(final=True)
        self._counties()
        self._decide()

    def _home(self) -> None:
        """The place each name of the address stands for: weighed like a toponym by the article's countries,
        admin1 units, counties and towns (not counting the text's own mentions of that name), and the other
        names of the address; the US when the domain says no country."""
        if not self.home_cands:
            return
        if self._neighbours is None:
            self._neighbours = {}
            for t in self.tops:
                if t.source not in ("demonym", "country", "capital") and t.qualifier is None:
                    self._neighbours.setdefault(fold(t.text), []).extend(
                        c for c in t.cands if c.kind in ("city", "capital") and c.primary)
        home: dict[str, Candidate] = {}
        for key, cands in self.home_cands.items():
            own_c, own_a = self.by_key.get(key, _NOTHING)
            best, best_s = None, -1e9
            for c in cands:
                # a capital takes no bonus here: an outlet named after a town is a local one
                s = 9.0 if c.kind == "admin1" else math.log10(c.population + 10)
                if c.country:
                    if self.countries.get(c.country, 0) - own_c.get(c.country, 0) > 0:
                        s += _W["country"]
                    if c.admin1 and c.kind != "admin1" and \
                            self.admin1.get((c.country, c.admin1), 0) - own_a.get((c.country, c.admin1), 0) > 0:
                        s += _W["admin1"]
                    if c.admin2 and c.admin1 in self.counties.get(c.admin2, ()):
                        s += _W["county"]
                if self.hint.country is None and c.country == "USA":
                    s += _W["home_us"]
                if c.kind in ("city", "capital"):
                    near = min((_km(c, p) for k, p in self.points if k != key and abs(p.lat - c.lat) < 2.0),
                               default=1e9)
                    near = min([near, *(_km(c, h) for k, h in self.home.items() if k != key
                                         and h.kind in ("city", "capital"))])
                    if near < 60:
                        s += _W["near"]
                    elif near < 200:
                        s += _W["near"] / 2
                    # the article's other names that could be towns near this one ("Berea" by Richmond)
                    s += _W["home_neighbour"] * min(3, sum(
                        1 for k, xs in self._neighbours.items() if k != key and any(
                            abs(x.lat - c.lat) < 0.5 and _km(c, x) < 50 for x in xs)))
                if s > best_s:
                    best, best_s = c, s
            if best is not None:
                home[key] = best
        self.home = home

    def _score_home(self, c: Candidate) -> float:
        """What the article's address adds to a candidate (see :meth:`_home`)."""
        s = 0.0
        if self.hint.country is not None and c.country == self.hint.country:
            s += _W["tld"]
        for h in self.home.values():
            if h.geonames_id is not None and h.geonames_id == c.geonames_id and h.kind == c.kind:
                s += _W["home"]
            elif h.kind in ("city", "capital") and c.kind in ("city", "capital") and abs(h.lat - c.lat) < 2.0:
                d = _km(c, h)
                if d < 60:
                    s += _W["home_near"]
                elif d < 200:
                    s += _W["home_near"] / 2
            if h.admin1 and c.kind != "admin1" and c.country == h.country and c.admin1 == h.admin1:
                s += _W["home_admin1"]
        return s

    def _score(self, t: _Toponym, key: str, c: Candidate, us_local: bool) -> float:
        kind = c.kind
        own_c, own_a = self.by_key.get(key, _NOTHING)
        if kind == "country":
            s = 10.0 if t.source in ("country", "demonym") else 7.0
        elif kind in ("admin1", "continent"):
            s = 9.0
        elif kind in ("city", "capital"):
            s = math.log10(c.population + 10) + (_W["capital"] if kind == "capital" else 0.0)
            if not c.primary:
                s -= _W["alternate"]
            if c.population < _BIG_CITY and any(x.kind == "admin1" and fold(x.name) == key for x in t.cands):
                s -= _W["state_name"]  # "Indiana" is the state, not the small town of that name elsewhere
        else:
            s = 9.0 if c.primary else 6.0
        if t.source == "country" and c.country == t.country and kind != "country":
            s += 3.0  # "England", "Scotland": the registry says the country, the gazetteer the part
        if c.country:
            n = self.countries.get(c.country, 0) - own_c.get(c.country, 0)
            if n > 0:
                s += _W["country"] + min(1.0, 0.25 * (n - 1))
            elif self.dominant is not None and self.dominant != c.country and kind != "country" \
                    and self.countries[self.dominant] - own_c.get(self.dominant, 0) >= 2:
                s -= _W["foreign"]  # a foreign place nothing else in the article points at
            # a town that shares its name with its own province ("Quebec") takes no bonus from that province:
            # the article's other places there speak for the province as much as for the town
            if c.admin1 and kind != "admin1" and not any(
                    x.kind == "admin1" and x.country == c.country and x.admin1 == c.admin1 for x in t.cands):
                a = self.admin1.get((c.country, c.admin1), 0) - own_a.get((c.country, c.admin1), 0)
                if a > 0:
                    s += _W["admin1"] + min(1.5, a)
            if us_local and c.country == "USA":
                s += _W["us_local"]
            if c.admin2 and not c.admin2.startswith(key + " ") and c.admin2 != t.county_key and \
                    c.admin1 in self.counties.get(c.admin2, ()):
                s += _W["county"]  # "Richmond" in a story that names Madison County, Kentucky's
        if kind in ("city", "capital") and self.points:
            near = min((_km(c, p) for k, p in self.points if k != key and abs(p.lat - c.lat) < 2.0), default=1e9)
            if near < 60:
                s += _W["near"]
            elif near < 200:
                s += _W["near"] / 2
        if self.hint:
            s += self._score_home(c)
        q = t.qualifier
        if q is not None and q.cands:
            ok = any(qc.country == c.country and (qc.kind == "country" or qc.admin1 == c.admin1)
                     for qc in q.cands)
            s += 20.0 if ok else -20.0
        return s

    def _pass(self) -> None:
        us_local = sum(v for (cc, _), v in self.admin1.items() if cc == "USA") >= 1
        groups: dict[str, list[_Toponym]] = {}
        for t in self.tops:
            groups.setdefault(fold(t.text), []).append(t)
        for key, ts in groups.items():
            # one sense per name: a qualified mention decides for the unqualified ones
            qualified = [t for t in ts if t.qualifier is not None]
            for t in ts:
                if not t.cands:
                    continue
                ref = t if t.qualifier is not None or not qualified else qualified[0]
                best, best_s = None, -1e9
                for c in self._eligible(ref, key):
                    s = self._score(ref, key, c, us_local)
                    if s > best_s:
                        best, best_s = c, s
                t.chosen, t.score = best, best_s
                q = ref.qualifier
                if best is not None and best.kind in ("city", "capital") and q is not None and not any(
                        qc.country == best.country and (qc.kind == "country" or qc.admin1 == best.admin1)
                        for qc in q.cands):
                    # "Holliday, Mo.": no town of that name there in the gazetteer; the state, not a namesake
                    # elsewhere
                    unit = next((qc for qc in q.cands if qc.kind in ("admin1", "country")), None)
                    if unit is not None:
                        t.chosen = Candidate(t.text, "city", unit.country, unit.admin1, unit.lat, unit.lon, None, 0,
                                             unit.precision)

    def _eligible(self, t: _Toponym, key: str) -> list[Candidate]:
        """A name the registry knows as a country is that country (or a part of it: "England"), unless a
        qualifier says otherwise or nothing else in the article is about that country and the other place
        lies in an admin1 unit the article names ("Palestine, Texas" in a Texas story)."""
        if t.source != "country" or t.qualifier is not None:
            # a town known only by an alternate name, with nothing in the article about its country,
            # is a guess: "Tortola" is not the Spanish village that GeoNames also calls so
            out = [c for c in t.cands if c.primary or c.population >= 100_000 or c.kind not in ("city", "capital")
                   or self.countries.get(c.country or "", 0) > 0 or t.qualifier is not None]
            return out
        named = [c for c in t.cands if c.primary and c.kind not in ("city", "capital", "country")
                 and fold(c.name) == key and c.country is None]
        if named:
            return named  # "North America": the continent, though the registry reads the country
        own = [c for c in t.cands if c.country == t.country]
        support = self.countries.get(t.country or "", 0) - self.by_key.get(key, _NOTHING)[0].get(
            t.country or "", 0)
        if support > 0 or t.listed:
            return own or t.cands
        other = [c for c in t.cands if c.country != t.country and c.country and
                 (c.kind == "admin1" or self.admin1.get((c.country, c.admin1 or ""), 0) >= 1
                  or c.admin2 is not None and c.admin1 in self.counties.get(c.admin2, ()))]
        return own + other

    def _counties(self) -> None:
        """US counties: the state the article's towns in a county of that name lie in, else the state the
        article names, else the state where its other names could be towns; placed at the mean of the
        county's towns (else the medoid of the article's towns in that state, else the state's point)."""
        for t in self.tops:
            if t.source == "district" and t.counties and t.chosen is not None and (
                    self.admin1.get((t.chosen.country or "", t.chosen.admin1 or ""), 0) <= 0
                    and any(self.admin1.get(("USA", st), 0) > 0 for st in t.counties)):
                t.chosen = None  # "D-Marion": a county of a state the article names, not a town elsewhere
            if not t.counties or t.chosen is not None:
                continue
            key = t.county_key or fold(t.text)
            states = set(t.counties)
            if t.qualifier is not None:
                states &= {c.admin1 for c in t.qualifier.cands if c.country == "USA" and c.admin1}
            elif len(states) > 1:
                # the county the article's address names a town of (a county of the town the paper is named after)
                homes = {h.admin1 for h in self.home.values() if h.country == "USA" and h.admin2 == key
                         and h.admin1 in states}
                if len(homes) == 1:
                    states = homes
            if len(states) > 1:
                own = self.by_key.get(fold(t.text), _NOTHING)[1]
                votes = {st: self.admin1.get(("USA", st), 0) - own.get(("USA", st), 0) for st in states}
                top = max(votes.values())
                if top > 0:
                    states = {st for st, v in votes.items() if v == top}
                # a chosen town of the article inside a county of this name (not one named after it)
                inside = {x.chosen.admin1 for x in self.tops if x.chosen is not None and x.chosen.admin2 == key
                          and x.chosen.admin1 in states and not key.startswith(fold(x.text) + " ")}
                if len(inside) == 1:
                    states = inside
            if len(states) > 1:
                votes = {st: v for st, v in votes.items() if st in states}
                top = max(votes.values())
                if top <= 0:
                    # nothing names a state: the states where the article's other names could be towns
                    # (twice as much when the town could be in this very county)
                    votes = {st: 0.0 for st in states}
                    for x in self.tops:
                        if x != t and fold(x.text) != key:
                            for st in {c.admin1 for c in x.cands if c.country == "USA" and c.kind in (
                                    "city", "capital") and c.admin1 in states}:
                                votes[st] += 1.0
                            for st in {c.admin1 for c in x.cands if c.country == "USA" and c.admin2 == key
                                       and c.admin1 in states}:
                                votes[st] += 1.0
                    top = max(votes.values())
                states = {st for st, v in votes.items() if v == top and v > 0}
            if len(states) != 1:
                continue
            state = next(iter(states))
            point = self.gaz.county_point(state, key)
            if point is not None:
                t.chosen = Candidate(t.text, "admin2", "USA", state, point[0], point[1], None, 0, "region")
                continue
            near = [x.chosen for x in self.tops if x.chosen is not None and x.chosen.country == "USA"
                    and x.chosen.admin1 == state and x.chosen.kind in ("city", "capital")]
            base = self.gaz.admin1("USA", state)
            if near:
                # the medoid of the article's towns in that state: local stories cluster around the county
                c = min(near, key=lambda a: sum(_km(a, b) for b in near))
                t.chosen = Candidate(t.text, "admin2", "USA", state, c.lat, c.lon, None, 0, "region")
            elif base is not None:
                t.chosen = Candidate(t.text, "admin2", "USA", state, base.lat, base.lon, None, 0, "region")

    def _decide(self) -> None:
        """Which names are kept: metonyms go; names found outside the model's places need evidence, and
        a name the model calls a place once is that place everywhere in the article ("Arlington" and
        "the Arlington Boys Club")."""
        for t in self.tops:
            if t.actor and t.chosen is not None and t.chosen.kind == "capital" and t.chosen.country == t.country:
                t.metonym = True  # "Washington said", "Beijing's influence": named, but it locates nothing
        sure = {fold(t.text) for t in self.tops if t.keep and t.chosen is not None
                and t.source in ("ner", "country", "capital", "qualifier")}
        for t in self.tops:
            if t.source == "ner" and t.chosen is None and t.end - t.start == 1 and not t.cue:
                # a one-word name that no gazetteer entry knows and no preposition places: more often
                # the model's mistake ("Pawlenty", "Narcan") than a hamlet; longer names (streets,
                # buildings) stay, unresolved
                t.keep = False
                continue
            if t.source in ("ner", "country", "capital", "landmark", "qualifier", "demonym", "county", "district"):
                continue
            if fold(t.text) in sure and t.chosen is not None:
                continue
            c = t.chosen
            if c is None:
                t.keep = False
                continue
            t.keep = self._strong(t, c)

    def _strong(self, t: _Toponym, c: Candidate) -> bool:
        """Enough evidence that a name the model did not call a place is one."""
        if t.source == "embedded":
            # inside an organisation's name: only what the article's own geography supports
            if c.kind == "admin2":
                return bool(t.counties)  # "Clark County Fire Department": a county placed by the article
            if c.kind in ("admin1", "country"):
                return c.primary
            return c.kind in ("city", "capital", "admin2") and c.primary and c.population >= _SMALL_TOWN and bool(
                c.country and c.admin1 and self.admin1.get((c.country, c.admin1), 0) >= 1)
        if t.source == "institution":
            # "the Springdale Police": a town of a state the article is about, or a sizeable one
            if c.kind == "admin2" or t.qualifier is not None:
                return True
            unit = (c.country or "", c.admin1 or "")
            own = self.by_key.get(fold(t.text), _NOTHING)[1].get(unit, 0)
            return c.primary and (self.admin1.get(unit, 0) - own >= 1 or
                                  c.population >= _CONTEXT_TOWN and fold(t.text) not in not_places())
        if c.kind == "admin2":
            return True
        if t.dateline and c.primary:
            return True
        if c.kind not in ("city", "capital"):
            return c.primary
        if t.qualifier is not None or t.qualifies:
            return True
        if not c.primary:
            return False
        in_context = c.population >= _SMALL_TOWN and bool(c.country and (
            self.admin1.get((c.country, c.admin1 or ""), 0) > 0
            or (c.population >= 10_000 and self.countries.get(c.country, 0) > 0)))
        if t.end - t.start > 1 and fold(c.name) == fold(t.text) and c.country and \
                self.countries.get(c.country, 0) > 0:
            return True  # a multi-word name that is exactly a town of a country the article is about
        if t.label in ("ORG", "PERSON"):
            # the model read a name or an organisation: only a locative ("in X", "a X man") overrules it
            if t.cue and (in_context or c.population >= _BIG_CITY):
                return True
            # a sizeable town of a state the article keeps naming ("Greer" in a South Carolina story)
            unit = (c.country or "", c.admin1 or "")
            own = self.by_key.get(fold(t.text), _NOTHING)[1].get(unit, 0)
            return c.population >= _CONTEXT_TOWN and self.admin1.get(unit, 0) - own >= 1
        if c.population >= _BIG_CITY:
            return True
        return in_context and (t.cue or t.label == "NORP")
