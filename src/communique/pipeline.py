"""``code(articles) -> Iterator[CodedArticle]``: the per-article stages, in order.

1. parse        nlp.py        spaCy, batched, optionally in several processes
2. mentions     mentions.py   names merged per article, coded as actors (actors/)
3. dates        time.py       temporal expressions → TimeSpan
4. places       places/       toponyms → Place
5. quotes       quotes.py     quotations with cue and speaker
6. events       events/       lexicon + dependency parse → Event, with factuality, date, place
7. contexts     contexts.py   PLOVER contexts per event and per article (contexts.toml)
8. tone         tone.py       tone per event and per article, with its evidence words (tone.toml)

Everything that scales maps this one function over partitions; everything that
stores or shows reads the CodedArticle records it yields.

Stages are isolated: a stage that raises on one article is logged and counted
(``Report.failed_stages``), and the article is still yielded with what the other
stages found, its ``failed_stages`` naming the stage(s) that failed. An article spaCy
cannot parse is yielded with no events and ``failed_stages == ("parse",)``, so its
text is stored and can be coded again later. The batch always goes on.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from . import nlp as _nlp
from .actors import Registry, load_registry
from .actors.officeholders import OfficeHolders, load_holders
from .contexts import ContextLexicon, DocContexts, find_contexts, load_contexts, plain_crime
from .errors import ConfigError
from .events.coder import EVENT_MODELS, Coder
from .events.lexicon import Lexicon, load_lexicon
from .events.merging import refine_dates
from .events.model import load_model
from .events.sides import load_side_model
from .mentions import Mentions
from .ontology import Ontology, load_ontology
from .places import find_places, gazetteer_for
from .quotes import find_quotes
from .records import Actor, Article, CodedArticle, Event, Place, Quote, Span, TimeSpan
from .report import Report
from .settings import Settings
from .time import extract_dates
from .tone import DocTone, ToneLexicon, load_tone, measure_tone

log = logging.getLogger(__name__)

CODER_VERSION = "communique-0.1.0"

# The names a CodedArticle's ``failed_stages`` uses, in stage order.
STAGES: tuple[str, ...] = ("parse", "mentions", "dates", "places", "quotes", "events", "contexts", "tone")

_T = TypeVar("_T")


class Pipeline:
    """The loaded resources (model, registry, lexicon, ontology) and the stages that use them."""

    def __init__(self, settings: Settings | None = None, *, nlp: Language | None = None) -> None:
        self.settings = settings or Settings()
        self.nlp = nlp or _nlp.load(self.settings.model)
        self.registry: Registry = load_registry(Path(self.settings.registry) if self.settings.registry else None)
        self.holders: OfficeHolders = load_holders(Path(self.settings.registry) if self.settings.registry else None)
        self.lexicon: Lexicon = load_lexicon()
        self.ontology: Ontology = load_ontology()
        if self.settings.event_model not in EVENT_MODELS:
            raise ConfigError(f"setting 'event_model': {self.settings.event_model!r} is not one of "
                              f"{', '.join(EVENT_MODELS)}")
        if self.settings.crime_stories not in ("skip", "code"):
            raise ConfigError(f"setting 'crime_stories': {self.settings.crime_stories!r} is not one of skip, code")
        use = self.settings.event_model
        self.trigger_model = load_model() if use in ("add", "both", "model") else None
        side_model = load_side_model() if use != "rules" else None
        if (use in ("add", "both", "model") and self.trigger_model is None) or (use != "rules" and side_model is None):
            log.warning("the package has no trained event models (run `make train`); coding with the rules alone")
        self.coder = Coder(self.lexicon, self.ontology, self.trigger_model, use=use, side_model=side_model)
        gazetteer_for(self.registry)  # load the gazetteer now, not inside the first article
        self.contexts: ContextLexicon = load_contexts()
        self.tone: ToneLexicon = load_tone()

    def code_doc(self, doc: Doc, article: Article) -> CodedArticle:
        """Every stage after the parse, for one article.

        Each stage runs in isolation: one that raises is logged and named in
        ``failed_stages``, its output is left empty, and the stages that do not need it
        still run, so the article is stored with what they found. A stage that needs the
        output of a failed one (everything needs ``mentions``; ``contexts`` and ``tone``
        use the events) runs on what there is."""
        failed: list[str] = []

        def stage(name: str, run: Callable[[], _T], fallback: _T) -> _T:
            try:
                return run()
            except Exception as e:  # one stage's bug must not cost the article what the others found
                log.warning("%s: stage %r failed: %s: %s", article.id, name, type(e).__name__,
                            _short(e), exc_info=log.isEnabledFor(logging.DEBUG))
                failed.append(name)
                return fallback

        sent_of = [0] * len(doc)
        sent_tokens = _nlp.sentence_bounds(doc)
        sentences: list[Span] = []
        for i, (a, b) in enumerate(sent_tokens):
            for j in range(a, b):
                sent_of[j] = i
            s = doc[a:b]
            end = s.start_char + len(s.text.rstrip())
            sentences.append(Span(s.start_char, end, article.text[s.start_char:end], i))  # the text, not the parse
        published = article.published
        m = stage("mentions", lambda: Mentions(doc, self.registry, self.holders, published, sent_of), None)
        no_dates: list[TimeSpan] = []
        no_heads: list[tuple[TimeSpan, int]] = []
        no_places: tuple[list[Place], dict[int, Place]] = ([], {})
        no_contexts: tuple[str, ...] = ()
        dates = stage("dates", lambda: extract_dates(doc, published, sent_tokens), no_dates)
        dateline = m.dateline if m is not None else frozenset()
        date_heads = stage("dates", lambda: self._date_heads(doc, dates, dateline), no_heads)
        places: list[Place] = []
        quotes: list[Quote] = []
        events: list[Event] = []
        entities: list[Actor] = []
        if m is not None:
            mentions = m
            places, place_at = stage("places", lambda: self._places(doc, mentions, sent_of, article), no_places)
            quotes = stage("quotes", lambda: self._quotes(doc, mentions, sent_of, sent_tokens, article), [])
            coded = stage("events", lambda: self.coder.code(doc, mentions, sent_of, sentences, date_heads,
                                                            place_at, published), None)
            if coded is not None:
                events = list(coded.events)
                dates = stage("dates", lambda: refine_dates(dates, coded.refined), dates)
            entities = stage("mentions", lambda: list(mentions.entity_records(homed=True)), [])
        found = stage("contexts", lambda: find_contexts(doc, sent_tokens, self.contexts),
                      DocContexts((), self.contexts))
        scored = stage("tone", lambda: measure_tone(doc, sent_tokens, self.tone), DocTone((), ()))

        def finish(e: Event) -> Event:
            t = scored.of_sentences(e.mentions or (e.sentence_index or 0,))
            contexts = tuple(dict.fromkeys(e.contexts + found.for_event(e)))
            return replace(e.with_id(article.id), contexts=contexts, tone=t.score, tone_evidence=t.evidence)

        if self.settings.crime_stories == "skip" and events and stage(
                "contexts", lambda: plain_crime(found, events), False):
            log.info("%s: a story of plain crime, the courts or business (%s): its %d event(s) are not coded",
                     article.id,
                     ", ".join(found.for_article(())), len(events))
            events = []
        events = stage("events", lambda: [finish(e) for e in events], [])
        article_contexts = stage("contexts", lambda: found.for_article(events), no_contexts)
        tone = scored.article
        return CodedArticle(
            article=article,
            events=tuple(events),
            entities=tuple(entities),
            dates=tuple(dates),
            places=tuple(places),
            quotes=tuple(quotes),
            sentences=tuple(sentences),
            coder_version=CODER_VERSION,
            contexts=article_contexts,
            tone=tone.score,
            tone_evidence=tone.evidence,
            failed_stages=tuple(n for n in STAGES if n in failed),
        )

    @staticmethod
    def _date_heads(doc: Doc, dates: Iterable[TimeSpan],
                    dateline: Collection[int] = ()) -> list[tuple[TimeSpan, int]]:
        """Each date with the token its expression hangs on, for the events stage. The date of a
        dateline ("NAIROBI 1996-08-22") is when the story was filed, not when the events of its
        first sentence happened ("killed on Tuesday"): it is left out."""
        heads = []
        for ts in dates:
            if ts.span is None:
                continue
            cs = doc.char_span(ts.span.start, ts.span.end, alignment_mode="expand")
            if cs is not None and cs.root.i not in dateline:
                heads.append((ts, cs.root.i))
        return heads

    def _places(self, doc: Doc, m: Mentions, sent_of: list[int],
                article: Article) -> tuple[list[Place], dict[int, Place]]:
        places, place_at = find_places(doc, m, self.registry, sent_of, url=article.url, source=article.source)
        m.use_places(place_at)  # "California Governor Gavin Newsom": the state gives the country
        return list(places), place_at

    def _quotes(self, doc: Doc, m: Mentions, sent_of: list[int], sent_tokens: list[tuple[int, int]],
                article: Article) -> list[Quote]:
        quotes = find_quotes(doc, m, sent_of, sent_tokens, text=article.text)
        m.set_speakers(quotes)  # "we" inside a quotation is the speaker's side
        return list(quotes)

    def _parsed(self, items: Iterable[tuple[str, Article]],
                report: Report) -> Iterator[tuple[Doc | None, Article]]:
        """``nlp.parse`` that survives an article spaCy cannot parse.

        When the batched parse raises, the articles it had taken but not returned are
        parsed again one at a time (the one that fails comes back with no Doc), and the
        batched parse resumes with the articles after them."""
        source = iter(items)
        taken: deque[tuple[str, Article]] = deque()

        def feed() -> Iterator[tuple[str, Article]]:
            for item in source:
                taken.append(item)
                yield item

        while True:
            try:
                for doc, article in _nlp.parse(self.nlp, feed(), batch_size=self.settings.batch_size,
                                               processes=self.settings.processes):
                    taken.popleft()
                    yield doc, article
                return
            except Exception as e:  # a parser bug on one text must not stop the batch
                log.warning("the batched parse failed (%s: %s); parsing its %d article(s) one by one",
                            type(e).__name__, _short(e), len(taken))
                while taken:
                    text, article = taken.popleft()
                    try:
                        one = self.nlp(text)
                    except Exception as e1:
                        log.warning("%s: stage 'parse' failed: %s: %s", article.id, type(e1).__name__, _short(e1))
                        yield None, article
                    else:
                        yield one, article

    def code(self, articles: Iterable[Article], report: Report | None = None) -> Iterator[CodedArticle]:
        report = report if report is not None else Report()
        limit = self.settings.max_chars

        def texts() -> Iterator[tuple[str, Article]]:
            for a in articles:
                report.read += 1
                text = a.text
                if not text.strip():
                    report.skip(a.id, "no text")
                    continue
                if len(text) > limit:
                    log.warning("%s: text cut from %d to %d characters (setting max_chars)", a.id, len(text), limit)
                    text = text[:limit]
                    a = Article(a.id, text, a.title, a.url, a.source, a.published, a.language)
                parsed, runs = _defused(text)
                if runs:
                    log.warning("%s: %d run(s) of %d or more punctuation marks parsed as spaces (spaCy would take "
                                "minutes over them); the stored text keeps them", a.id, runs, _LONGEST_RUN)
                yield parsed, a

        for doc, article in self._parsed(texts(), report):
            if doc is None:
                coded = CodedArticle(article=article, coder_version=CODER_VERSION, failed_stages=("parse",))
            else:
                try:
                    if len(doc.text) != len(article.text):
                        article = Article(article.id, doc.text, article.title, article.url, article.source,
                                          article.published, article.language)
                    coded = self.code_doc(doc, article)
                except Exception as e:  # a bug outside the stages (the sentences): still keep the article
                    log.warning("%s: stage 'parse' failed: %s: %s", article.id, type(e).__name__, _short(e),
                                exc_info=log.isEnabledFor(logging.DEBUG))
                    coded = CodedArticle(article=article, coder_version=CODER_VERSION, failed_stages=("parse",))
            report.coded += 1
            report.events += len(coded.events)
            for name in coded.failed_stages:
                report.failed_stages[name] += 1
            yield coded


# spaCy's parse of a run of punctuation marks with nothing between them grows with the square of its
# length (20,000 nested brackets: minutes). No news text has such a run; the parse sees it as spaces of
# the same length, so every offset still points into the article's own text.
_LONGEST_RUN = 1000
_PUNCTUATION_RUN = re.compile(rf"[^\w\s]{{{_LONGEST_RUN},}}")


def _defused(text: str) -> tuple[str, int]:
    """The text to parse, and how many over-long runs of punctuation became spaces in it."""
    runs = 0

    def blank(m: re.Match[str]) -> str:
        nonlocal runs
        runs += 1
        return " " * len(m.group())

    return _PUNCTUATION_RUN.sub(blank, text), runs


def _short(e: BaseException) -> str:
    """The first line of an exception's message, at most 200 characters (a RecursionError's can be long)."""
    text = str(e).strip().splitlines()[0] if str(e).strip() else ""
    return text[:200]


def code(articles: Iterable[Article], *, settings: Settings | None = None,
         report: Report | None = None) -> Iterator[CodedArticle]:
    """Code articles into events, entities, dates, places and quotes, streaming.

    >>> from communique import Article, code
    >>> [c] = code([Article.create("Germany and France signed a defence pact on Monday.")])
    """
    return Pipeline(settings).code(articles, report)
