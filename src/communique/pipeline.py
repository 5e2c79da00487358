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
stores or shows reads the CodedArticle records it yields. A failure on one article
is logged, counted in ``Report`` and skipped: the batch goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from . import nlp as _nlp
from .actors import Registry, load_registry
from .actors.officeholders import OfficeHolders, load_holders
from .contexts import ContextLexicon, find_contexts, load_contexts
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
from .records import Article, CodedArticle, Span
from .report import Report
from .settings import Settings
from .time import extract_dates
from .tone import ToneLexicon, load_tone, measure_tone

log = logging.getLogger(__name__)

CODER_VERSION = "communique-0.1.0"


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
        """Every stage after the parse, for one article."""
        sents = list(doc.sents)
        sent_of = [0] * len(doc)
        sent_tokens: list[tuple[int, int]] = []
        sentences: list[Span] = []
        for i, s in enumerate(sents):
            for j in range(s.start, s.end):
                sent_of[j] = i
            sent_tokens.append((s.start, s.end))
            text = s.text.rstrip()
            sentences.append(Span(s.start_char, s.start_char + len(text), text, i))
        published = article.published
        m = Mentions(doc, self.registry, self.holders, published, sent_of)
        dates = extract_dates(doc, published)
        date_heads = []
        for ts in dates:
            if ts.span is None:
                continue
            cs = doc.char_span(ts.span.start, ts.span.end, alignment_mode="expand")
            if cs is not None and cs.root.i not in m.dateline:
                # the date of a dateline ("NAIROBI 1996-08-22") is when the story was filed, not when
                # the events of its first sentence happened ("killed on Tuesday")
                date_heads.append((ts, cs.root.i))
        places, place_at = find_places(doc, m, self.registry, sent_of, url=article.url, source=article.source)
        m.use_places(place_at)  # "California Governor Gavin Newsom": the state gives the country
        quotes = find_quotes(doc, m, sent_of, sent_tokens, text=article.text)
        m.set_speakers(quotes)  # "we" inside a quotation is the speaker's side
        coded = self.coder.code(doc, m, sent_of, sentences, date_heads, place_at, published)
        dates = refine_dates(dates, coded.refined)
        found = find_contexts(doc, sent_tokens, self.contexts)
        scored = measure_tone(doc, sent_tokens, self.tone)
        coded_events = []
        for e in coded.events:
            t = scored.of_sentences(e.mentions or (e.sentence_index or 0,))
            contexts = tuple(dict.fromkeys(e.contexts + found.for_event(e)))
            coded_events.append(replace(e.with_id(article.id), contexts=contexts, tone=t.score,
                                        tone_evidence=t.evidence))
        events = coded_events
        tone = scored.article
        return CodedArticle(
            article=article,
            events=tuple(events),
            entities=tuple(m.entity_records()),
            dates=tuple(dates),
            places=tuple(places),
            quotes=tuple(quotes),
            sentences=tuple(sentences),
            coder_version=CODER_VERSION,
            contexts=found.for_article(events),
            tone=tone.score,
            tone_evidence=tone.evidence,
        )

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
                yield text, a

        for doc, article in _nlp.parse(self.nlp, texts(), batch_size=self.settings.batch_size,
                                       processes=self.settings.processes):
            try:
                if len(doc.text) != len(article.text):
                    article = Article(article.id, doc.text, article.title, article.url, article.source,
                                      article.published, article.language)
                coded = self.code_doc(doc, article)
            except Exception as e:  # a bug on one article must not stop a batch of millions
                log.exception("coding %s failed", article.id)
                report.skip(article.id, f"coding error: {type(e).__name__}: {e}")
                continue
            report.coded += 1
            report.events += len(coded.events)
            yield coded


def code(articles: Iterable[Article], *, settings: Settings | None = None,
         report: Report | None = None) -> Iterator[CodedArticle]:
    """Code articles into events, entities, dates, places and quotes, streaming.

    >>> from communique import Article, code
    >>> [c] = code([Article.create("Germany and France signed a defence pact on Monday.")])
    """
    return Pipeline(settings).code(articles, report)
