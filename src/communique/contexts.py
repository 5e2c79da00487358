"""PLOVER contexts (the "why" of an event: military, diplomatic, territory, …) per event and per article.

The phrase lexicon is data: ``contexts.toml`` beside this module (documented at its
top), one table per context code of the ontology. This module loads and checks it,
then reads each parsed document once::

    found = find_contexts(doc, sent_tokens, load_contexts())   # spaCy stays in here
    found.for_event(event)    # ('military', 'territory')  best first
    found.for_article(events) # ('military',)              the article's main contexts

A sentence scores one point per lexicon term (half a point for a weak term), matched
on the lower-cased word or its lemma, longest phrase first. An event adds the
scores of the sentences that report it and the points its actor's and recipient's
sectors, its type and mode, and a cross-border dyad give. A file that breaks the
schema raises :class:`~communique.errors.DataFileError` naming the file and entry.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from spacy.tokens import Doc

from ._data import read_toml
from .errors import DataFileError
from .ontology import Ontology, load_ontology
from .records import Actor, Event

__all__ = ["ContextLexicon", "DocContexts", "find_contexts", "load_contexts", "plain_crime"]

_DATA_FILE = "contexts.toml"
_TABLE_KEYS = {"terms", "weak", "sectors", "events", "international"}
_WEIGHTS = {"terms": 1.0, "weak": 0.5}
_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
_POSSESSIVE = re.compile(r"(?<=\w)('s)\b")


@dataclass(frozen=True, slots=True)
class _Term:
    """One lexicon phrase: its words (lower case unless written with capitals) and what it scores."""

    words: tuple[str, ...]
    context: str
    weight: float
    exact: tuple[bool, ...]  # per word: written with capitals, so matched case-sensitively


@dataclass(frozen=True, slots=True)
class ContextLexicon:
    """The loaded phrase lexicon, indexed by first word, with the event rules and thresholds."""

    version: str
    codes: tuple[str, ...]  # every context, in the ontology's order
    first: Mapping[str, tuple[_Term, ...]]  # first word -> terms starting with it, longest first
    sectors: Mapping[str, tuple[str, ...]]  # PLOVER sector -> contexts
    events: Mapping[str, tuple[str, ...]]  # "TYPE" or "TYPE:mode" -> contexts
    international: Mapping[str, tuple[str, ...]]  # TYPE -> contexts when the dyad crosses a border
    event_min_score: float = 1.0
    event_max: int = 3
    article_min_share: float = 0.5
    article_min_sentences: int = 2
    article_short: int = 6
    article_max: int = 3
    #: contexts of plain crime and the courts: a story whose text has only these holds no political event
    not_political: frozenset[str] = frozenset()
    #: sectors that make an event political wherever it happens (an opposition leader arrested, a soldier shot)
    political_sectors: frozenset[str] = frozenset()

    def __len__(self) -> int:
        """The number of terms (words and phrases)."""
        return sum(len(ts) for ts in self.first.values())


# --------------------------------------------------------------------------- loading


def _longest(term: _Term) -> tuple[int, float]:
    """Sort key: longer phrases first, then full terms before weak ones."""
    return -len(term.words), -term.weight


def _fail(source: str, key: str, problem: str) -> DataFileError:
    return DataFileError(f"{source}: [{key}] {problem}; fix the entry or restore the bundled file")


def _strings(source: str, key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(source, key, "must be a list of non-empty strings")
    return value


def _number(source: str, key: str, value: Any, low: float, high: float) -> float:
    whole = isinstance(low, int) and isinstance(high, int)
    kinds = int if whole else int | float
    if isinstance(value, bool) or not isinstance(value, kinds) or not low <= value <= high:
        raise _fail(source, key, f"must be {'a whole' if whole else 'a'} number from {low} to {high}")
    return float(value)


def _words(term: str) -> tuple[str, ...]:
    """The tokens spaCy makes of a term: hyphens between letters and punctuation are dropped, "'s" split off."""
    text = _POSSESSIVE.sub(r" \1", _HYPHEN.sub(" ", term.strip()))
    return tuple(w if w == "'s" else (w.strip("'\".,;:") or w) for w in text.split())


def _settings(raw: Any, source: str, name: str, spec: Mapping[str, tuple[float, float]]) -> dict[str, float]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _fail(source, name, "must be a table")
    if unknown := set(raw) - set(spec):
        raise _fail(source, name, f"unknown key(s) {sorted(unknown)}; known: {sorted(spec)}")
    return {k: _number(source, f"{name}.{k}", v, *spec[k]) for k, v in raw.items()}


def parse_contexts(data: Mapping[str, Any], source: str, ontology: Ontology) -> ContextLexicon:
    """Check a parsed contexts file against the ontology and index it."""
    if unknown := set(data) - {"version", "event", "article", "contexts"}:
        raise _fail(source, ", ".join(sorted(unknown)), "unknown top-level key; known: version, event, article, "
                                                        "contexts")
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        raise _fail(source, "version", "must be a non-empty string")
    tables = data.get("contexts")
    if not isinstance(tables, dict):
        raise _fail(source, "contexts", "is missing or not a table")
    codes = tuple(ontology.contexts)
    if strangers := [c for c in tables if c not in ontology.contexts]:
        raise _fail(source, f"contexts.{strangers[0]}", f"is not a PLOVER context; known: {', '.join(codes)}")
    if missing := [c for c in codes if c not in tables]:
        raise _fail(source, f"contexts.{missing[0]}", "is missing: every PLOVER context needs a table")

    first: dict[str, list[_Term]] = {}
    sectors: dict[str, list[str]] = {}
    events: dict[str, list[str]] = {}
    international: dict[str, list[str]] = {}
    for code in codes:
        table = tables[code]
        where = f"contexts.{code}"
        if not isinstance(table, dict):
            raise _fail(source, where, "must be a table")
        if unknown := set(table) - _TABLE_KEYS:
            raise _fail(source, where, f"unknown key(s) {sorted(unknown)}; known: {sorted(_TABLE_KEYS)}")
        if not table.get("terms"):
            raise _fail(source, f"{where}.terms", "is missing: every context needs at least one term")
        seen: set[tuple[str, ...]] = set()
        for kind, weight in _WEIGHTS.items():
            for term in _strings(source, f"{where}.{kind}", table.get(kind, [])):
                words = _words(term)
                exact = tuple(w != w.lower() for w in words)
                t = _Term(tuple(w if e else w.lower() for w, e in zip(words, exact, strict=True)), code, weight, exact)
                if t.words in seen:
                    raise _fail(source, f"{where}.{kind}", f"{term!r} is listed twice in this context")
                seen.add(t.words)
                first.setdefault(t.words[0], []).append(t)
        for sector in _strings(source, f"{where}.sectors", table.get("sectors", [])):
            if ontology.sector(sector) is None:
                raise _fail(source, f"{where}.sectors", f"{sector!r} is not a PLOVER sector")
            sectors.setdefault(sector, []).append(code)
        for rule in _strings(source, f"{where}.events", table.get("events", [])):
            etype = rule.split(":", 1)[0]
            if not ontology.is_type(etype):
                raise _fail(source, f"{where}.events", f"{rule!r}: {etype!r} is not a PLOVER event type")
            events.setdefault(rule, []).append(code)
        for etype in _strings(source, f"{where}.international", table.get("international", [])):
            if not ontology.is_type(etype):
                raise _fail(source, f"{where}.international", f"{etype!r} is not a PLOVER event type")
            international.setdefault(etype, []).append(code)

    ev = _settings(data.get("event"), source, "event", {"min_score": (0.0, 100.0), "max": (1, len(codes))})
    raw_art = dict(data.get("article") or {}) if isinstance(data.get("article"), dict) else data.get("article")
    not_political = _strings(source, "article.not_political", raw_art.pop("not_political", [])) \
        if isinstance(raw_art, dict) else []
    if strangers := [c for c in not_political if c not in ontology.contexts]:
        raise _fail(source, "article.not_political", f"{strangers[0]!r} is not a PLOVER context")
    political_sectors = _strings(source, "article.political_sectors", raw_art.pop("political_sectors", [])) \
        if isinstance(raw_art, dict) else []
    if strangers := [c for c in political_sectors if ontology.sector(c) is None]:
        raise _fail(source, "article.political_sectors", f"{strangers[0]!r} is not a PLOVER sector")
    art = _settings(raw_art, source, "article",
                    {"min_share": (0.0, 1.0), "min_sentences": (1, 1000), "short": (0, 100000),
                     "max": (1, len(codes))})

    def freeze(d: dict[str, list[str]]) -> Mapping[str, tuple[str, ...]]:
        return MappingProxyType({k: tuple(v) for k, v in d.items()})

    return ContextLexicon(
        version=version,
        codes=codes,
        first=MappingProxyType({w: tuple(sorted(ts, key=_longest)) for w, ts in first.items()}),
        sectors=freeze(sectors),
        events=freeze(events),
        international=freeze(international),
        event_min_score=ev.get("min_score", 1.0),
        event_max=int(ev.get("max", 3)),
        article_min_share=art.get("min_share", 0.5),
        article_min_sentences=int(art.get("min_sentences", 2)),
        article_short=int(art.get("short", 6)),
        article_max=int(art.get("max", 3)),
        not_political=frozenset(not_political),
        political_sectors=frozenset(political_sectors),
    )


def _load(path: Path | None, ontology: Ontology) -> ContextLexicon:
    data, source = read_toml(path, _DATA_FILE, "contexts")
    return parse_contexts(data, source, ontology)


@functools.lru_cache(maxsize=1)
def _default() -> ContextLexicon:
    return _load(None, load_ontology())


def load_contexts(path: str | Path | None = None, *, ontology: Ontology | None = None) -> ContextLexicon:
    """Load and check the contexts lexicon: the bundled ``contexts.toml`` or a file of the same shape."""
    if path is None and ontology is None:
        return _default()
    return _load(Path(path) if path is not None else None, ontology or load_ontology())


# --------------------------------------------------------------------------- reading a document


@dataclass(frozen=True, slots=True)
class DocContexts:
    """The context scores of every sentence of one document: a record, no spaCy objects.

    ``sentences[i]`` maps each context found in sentence ``i`` to its score."""

    sentences: tuple[Mapping[str, float], ...]
    lexicon: ContextLexicon = field(repr=False)

    def _rules(self, event: Event) -> Counter[str]:
        """The points an event's actor and recipient sectors, type, mode and dyad give."""
        lex = self.lexicon
        score: Counter[str] = Counter()
        for actor in (event.actor, event.recipient):
            if actor is not None and actor.sector:
                score.update(lex.sectors.get(actor.sector, ()))
        score.update(lex.events.get(event.type, ()))
        if event.mode:
            score.update(lex.events.get(f"{event.type}:{event.mode}", ()))
        a, r = event.actor, event.recipient
        if a is not None and r is not None and a.country and r.country and a.country != r.country:
            score.update(lex.international.get(event.type, ()))
        return score

    def for_event(self, event: Event) -> tuple[str, ...]:
        """The event's contexts, best first: its sentences' terms plus its sectors, type, mode and dyad."""
        score = self._rules(event)
        for i in _sentences_of(event):
            if 0 <= i < len(self.sentences):
                score.update(self.sentences[i])
        return _best(score, self.lexicon.event_min_score, self.lexicon.event_max, self.lexicon.codes)

    def for_article(self, events: Iterable[Event] = ()) -> tuple[str, ...]:
        """The article's main contexts, counted in sentences (an event's rules count in its sentence):
        the top one and those found nearly as often."""
        lex = self.lexicon
        per_sentence: list[dict[str, float]] = [dict(s) for s in self.sentences]
        for e in events:
            i = e.trigger.sentence
            if i is not None and 0 <= i < len(per_sentence):
                rules = self._rules(e)
                for c in rules:  # once per sentence, however many events it holds
                    per_sentence[i][c] = max(per_sentence[i].get(c, 0.0), self.sentences[i].get(c, 0.0) + rules[c])
        counts: Counter[str] = Counter()
        total: dict[str, float] = {}
        for sc in per_sentence:
            for c, v in sc.items():
                if v >= lex.event_min_score:
                    counts[c] += 1
                    total[c] = total.get(c, 0.0) + v
        if not counts:
            return ()
        top = max(counts.values())
        floor = lex.article_min_sentences if len(self.sentences) >= lex.article_short else 1
        kept = [c for c, n in counts.items() if n >= floor and n >= lex.article_min_share * top]
        rank = {c: i for i, c in enumerate(lex.codes)}
        kept.sort(key=lambda c: (-counts[c], -total[c], rank.get(c, len(rank))))
        return tuple(kept[: lex.article_max])


def plain_crime(found: DocContexts, events: Iterable[Event]) -> bool:
    """Whether a story is plain crime, a court case or business and nothing political: the contexts its text alone
    gives (not its events, which may be the very mistake) are all ``[article].not_political`` ones, no
    event crosses a border, and no event involves a side of ``[article].political_sectors`` (an opposition
    leader, a minister, soldiers, rebels, a journalist). Police arresting a burglar, a court sentencing a
    fraudster, a company agreeing to buy another: no event of state against state or people against state,
    as the guideline reads them. A side the registry of office holders knows makes it political."""
    lex = found.lexicon
    text = found.for_article(())
    if not text or not lex.not_political or not set(text) <= lex.not_political:
        return False
    # in a crime story "the authorities" are the police; in a business story the state acting is politics
    police = {"authorities"} if set(text) - {"economic"} else set()
    for e in events:
        a, r = e.actor, e.recipient
        if a is not None and r is not None and a.country and r.country and a.country != r.country:
            return False
        if any(x is not None and x.role not in police and (x.igo or x.sector in lex.political_sectors)
               for x in (a, r)):
            return False
        if any(_office_holder(x) for x in (a, r)):
            return False  # "police arrested Nawaz Sharif": someone who holds or held office is politics
    return True


def _office_holder(a: Actor | None) -> bool:
    """A person the registry of office holders knows (in office at the story's date or not)."""
    return a is not None and a.kind == "PERSON" and a.registry_id is not None


def _sentences_of(event: Event) -> tuple[int, ...]:
    if event.mentions:
        return event.mentions
    return (event.trigger.sentence,) if event.trigger.sentence is not None else ()


def _best(score: Mapping[str, float], floor: float, limit: int, order: Sequence[str]) -> tuple[str, ...]:
    rank = {c: i for i, c in enumerate(order)}
    kept = [c for c, v in score.items() if v >= floor]
    kept.sort(key=lambda c: (-score[c], rank.get(c, len(rank))))
    return tuple(kept[:limit])


def find_contexts(doc: Doc, sent_tokens: Iterable[tuple[int, int]], lexicon: ContextLexicon) -> DocContexts:
    """Score every sentence of ``doc`` (token ranges ``sent_tokens``) for every context, in one pass."""
    first = lexicon.first
    texts: list[str] = []
    lowers: list[str] = []
    lemmas: list[str] = []
    person: list[bool] = []
    for tok in doc:
        if tok.is_punct or tok.is_space:
            continue
        texts.append(tok.text)
        lowers.append(tok.lower_)
        lemmas.append(tok.lemma_.lower())
        person.append(tok.ent_type_ == "PERSON")
    # map token ranges to positions in the kept-token lists
    kept_at: list[int] = []
    n = 0
    for tok in doc:
        kept_at.append(n)
        if not (tok.is_punct or tok.is_space):
            n += 1
    kept_at.append(n)

    def matches(term: _Term, i: int, end: int) -> bool:
        if i + len(term.words) > end:
            return False
        for k, (w, exact) in enumerate(zip(term.words, term.exact, strict=True)):
            j = i + k
            if exact:
                if texts[j] != w:
                    return False
            elif person[j] or (lowers[j] != w and lemmas[j] != w):
                return False
        return True

    out: list[Mapping[str, float]] = []
    for start, stop in sent_tokens:
        lo, hi = kept_at[start], kept_at[min(stop, len(doc))]
        score: dict[str, float] = {}
        covered: dict[str, int] = {}  # context -> first position not yet inside one of its matches
        for i in range(lo, hi):
            found = first.get(lowers[i], ())
            for key in {texts[i], lemmas[i]} - {lowers[i]}:
                if key in first:  # rare: a capitalised term or a lemma that differs from the word
                    found = tuple(sorted({*found, *first[key]}, key=_longest))
            for term in found:
                c = term.context
                if covered.get(c, lo) > i or not matches(term, i, hi):
                    continue
                score[c] = score.get(c, 0.0) + term.weight
                covered[c] = i + len(term.words)
        out.append(MappingProxyType(score))
    return DocContexts(tuple(out), lexicon)
