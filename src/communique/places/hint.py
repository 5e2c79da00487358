"""Where an article was written, read from its web address and outlet: a weak prior for its toponyms.

* The country of a country-code top-level domain (``.co.uk`` → GBR, ``.ca`` → CAN, ``.com.au`` → AUS);
  generic domains (``.com``, ``.org``, ``.news``) and the country codes sold as vanity names (``.tv``,
  ``.fm``, ``.ly``, ``.ms`` …) say nothing.
* Place names inside the host name, once the words newspapers are named with are set apart
  ("richmondregister" → Richmond + register, "thelancasterandmorecambecitizen" → Lancaster, Morecambe),
  inside the folders of the path ("/news/local/los_angeles_metro/", "/news/canada/edmonton/") and in the
  outlet's name ("The Gainesville Times"). Each is still ambiguous: the resolver weighs its candidates
  with the article's own evidence (:mod:`.resolve`).

Nothing here is about particular outlets; it reads any address the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from .gazetteer import Gazetteer, fold

# country codes mostly sold as words or for their look, not used by the country's own press
_VANITY = {"tv", "fm", "am", "me", "io", "co", "ly", "to", "cc", "ws", "ai", "nu", "tk", "la", "ms", "gl", "sh",
           "ag", "vc", "st", "dj", "gg", "im", "fo", "gd", "mu", "re", "su", "eu", "bz", "cx", "md", "ac", "as"}
_CC_ALIASES = {"uk": "GB"}
# the second-level labels of country domains ("co.uk", "com.au", "org.eg")
_SECOND_LEVEL = {"co", "com", "org", "net", "gov", "ac", "edu", "ne", "or", "gen", "ltd", "plc", "nic", "mil", "sch",
                 "nom", "info", "news", "web", "gob", "go", "nsw", "vic", "qld"}
# words outlets are named with, and sections of their sites: never a place in an address
_OUTLET_WORDS = frozenset("""
news newspaper newspapers paper papers times herald register tribune gazette journal post daily online press star
stars courier record recorder leader observer chronicle sun dispatch telegram telegraph sentinel review monitor
citizen independent advocate enquirer inquirer examiner express mail mercury bee globe democrat republican
standard statesman messenger banner beacon bulletin ledger argus eagle pilot item reporter today weekly free
guardian echo voice world age call union progress signal now local live tv radio fm am media network net web
digital extra plus mirror evening morning sunday weekend week the and of my your our for
city county state area community magazine blog patch gleaner clarion picayune constitution palladium
intelligencer appeal commercial courant hometown report headlines breaking current metro region regional
edition editions home index main front page pages section sections story stories article articles content
contents service services feed feeds rss topic topics tag tags category categories archive archives sport
sports business opinion opinions politics political entertainment life lifestyle living health science
education crime courts weather obituaries obits photos photo video videos gallery community events event
features feature columns column columnist letters editorial editorials national international world nation
us uk www www2 m mobile amp static cdn api newsroom newsmanager templates template dynamic display displayarticle
public print printer email share comments forum forums wire wires ap apnews reuters afp upi staff special
special reports arts culture travel food money markets market economy tech technology auto autos homes
real estate jobs classifieds lottery traffic neighborhoods neighbourhoods towns villages schools school
people faces focus inside insider spotlight scene beat watch update updates latest top this is police fire
province provincial
""".split())
_MIN_NAME = 4  # letters: "la", "wv", "bc" in an address are too often something else
_PATH_TOWN = 10_000  # a town in the path's folders: sections are words, and small towns are named like words
_HOST_TOWN = 1_000
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True, slots=True)
class Hint:
    """What an article's address says about where it was written."""

    country: str | None = None  # ISO-3 of the country-code domain
    names: tuple[str, ...] = ()  # gazetteer keys of places named in the host, the path or the outlet
    path_names: tuple[str, ...] = ()  # those of them read from the path's folders (larger towns only)

    def __bool__(self) -> bool:
        return bool(self.country or self.names)


NO_HINT = Hint()


def read_hint(gaz: Gazetteer, url: str | None, source: str | None = None) -> Hint:
    """The hint of an article's ``url`` and outlet ``source`` (either may be None)."""
    if not url and not source:
        return NO_HINT
    return _read(gaz, url or "", source or "")


@lru_cache(maxsize=4096)
def _read(gaz: Gazetteer, url: str, source: str) -> Hint:
    country = None
    names: list[str] = []
    path_names: list[str] = []
    host, path = "", ""
    if url:
        try:
            parts = urlsplit(url if "//" in url else "//" + url)
            host, path = (parts.hostname or "").lower(), unquote(parts.path or "")
        except ValueError:
            host = ""
    src = source.strip().lower()
    if not host and re.fullmatch(r"[a-z0-9.-]+\.[a-z]{2,}", src):
        host, src = src, ""  # an outlet given as its domain
    if host:
        labels = [x for x in host.split(".") if x]
        if len(labels) >= 2:
            tld = labels.pop()
            if len(tld) == 2 and tld not in _VANITY:
                country = gaz.iso3(_CC_ALIASES.get(tld, tld.upper()))
                if labels and len(labels) >= 2 and labels[-1] in _SECOND_LEVEL:
                    labels.pop()
        for label in labels:
            for part in label.split("-"):
                names += _segment(gaz, part, _HOST_TOWN, country)
    if path:
        folders = [f for f in path.split("/") if f][:-1]  # the last is the story's own slug or file
        for folder in folders:
            if any(ch.isdigit() for ch in folder):
                continue
            found = _segment(gaz, _NOT_LETTERS.sub("", fold(folder.replace("_", " ").replace("-", " "))),
                             _PATH_TOWN, country)
            path_names += found
    if src:
        words = [w for w in _WORD.findall(fold(src))]
        names += _segment(gaz, "".join(words), _HOST_TOWN, country)
    keys = tuple(dict.fromkeys(k for k in names + path_names))
    return Hint(country, keys, tuple(dict.fromkeys(path_names)))


_NOT_LETTERS = re.compile(r"[^a-z]")


def _segment(gaz: Gazetteer, text: str, min_pop: int, country: str | None) -> list[str]:
    """The place names of a word run together from outlet words and names ("lasvegassun" → ["las vegas"]);
    [] unless the whole run is read so. Of the readings, the one with the most letters in names, then the
    fewest pieces. A town must have ``min_pop`` people, unless it lies in the domain's ``country``
    (GeoNames gives many European towns no population)."""
    text = _NOT_LETTERS.sub("", text.lower())
    n = len(text)
    if n < _MIN_NAME or n > 60:
        return []
    # best[i]: (letters in names, -pieces, names) of the best reading of text[:i]
    best: list[tuple[int, int, tuple[str, ...]] | None] = [None] * (n + 1)
    best[0] = (0, 0, ())
    for i in range(n):
        b = best[i]
        if b is None:
            continue
        for j in range(i + 1, n + 1):
            piece = text[i:j]
            if piece in _OUTLET_WORDS:
                cand = (b[0], b[1] - 1, b[2])
            elif j - i >= _MIN_NAME and piece in gaz.joined and _big_enough(gaz, gaz.joined[piece], min_pop,
                                                                                     country):
                cand = (b[0] + j - i, b[1] - 1, (*b[2], gaz.joined[piece]))
            else:
                continue
            if best[j] is None or cand[:2] > best[j][:2]:  # type: ignore[index]
                best[j] = cand
    end = best[n]
    return list(end[2]) if end is not None else []


def _big_enough(gaz: Gazetteer, key: str, min_pop: int, country: str | None) -> bool:
    return any(c.primary and (c.kind in ("admin1", "country") or c.population >= min_pop
                              or country is not None and c.country == country) for c in gaz.lookup(key))
