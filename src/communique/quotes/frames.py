"""Content and source from reporting cues: the frames of ``cues.toml`` read off the parse.

``CueFrames`` holds one article's text, parse and quotation marks, with the position
helpers every stage of the quote finder shares, and finds attributions from:

* reporting verbs, in the frames the lexicon gives them (complement clause, quotation,
  addressee's that-clause, agentless passive, "seem" with its complement, infinitive, object,
  prepositional object), with the fallbacks for what the parser gets wrong ("CLAUSE, X said" with the clause
  unattached; "…, officials, who spoke on condition of anonymity, told the AP");
* nouns of saying with their that-clause or infinitive ("Trump's claim that …");
* source phrases ("according to X, …").

Internal to ``communique.quotes``.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from spacy.attrs import IDX
from spacy.tokens import Doc, Token

from ..mentions import Mentions
from .lexicon import Cue, CueLexicon
from .marks import Marked, find_marked
from .speakers import Speakers

MIN_WORDS = 4
_TRIM = " \t\n\xa0,.;:—–-"


@dataclass
class _Attr:
    """An attribution being built: character spans of content and cue, the speaker's head token."""

    start: int
    end: int
    cue: tuple[int, int] | None
    speaker: Token | None = None
    speaker_chars: tuple[int, int] | None = None  # a speaker given by text only (turns, dashes)
    via: str = "clause"
    left: int = -1  # where the cue's own clause begins (its subject, auxiliaries, the cue)


class CueFrames:
    """One article's text, parse and quotation marks, and the attributions its cues give."""

    def __init__(self, doc: Doc, m: Mentions, sent_of: list[int], sent_tokens: list[tuple[int, int]],
                 lex: CueLexicon, text: str | None = None) -> None:
        self.doc = doc
        self.text = doc.text if text is None else text
        self.m = m
        self.sent_of = sent_of
        self.sent_tokens = sent_tokens
        self.lex = lex
        self.marks = find_marked(self.text)
        self.quotations = [k for k in self.marks if k.words(self.text) >= MIN_WORDS]
        self.starts = doc.to_array(IDX).tolist()
        self.mark_starts = [k.start for k in self.marks]
        self.quote_starts = [k.start for k in self.quotations]
        self.speakers = Speakers(doc, self.text, m, sent_of, lambda i: self.mark_of(doc[i].idx) is not None,
                                 lambda t: self.lex.find(t.lemma_.lower(), t.lower_) is not None)
        self.speech_at: list[int] = []

    # ------------------------------------------------------------------ positions

    def tok_at(self, char: int) -> int:
        return max(0, bisect_right(self.starts, char) - 1)

    def mark_of(self, char: int) -> Marked | None:
        """The quoted stretch that holds character ``char``."""
        j = bisect_right(self.mark_starts, char) - 1
        if j >= 0 and self.marks[j].start <= char < self.marks[j].end:
            return self.marks[j]
        return None

    def chars(self, a: int, b: int) -> tuple[int, int]:
        """Characters of tokens a..b (inclusive), widened to whole quoted stretches and trimmed."""
        doc = self.doc
        c0, c1 = doc[a].idx, doc[b].idx + len(doc[b].text)
        k = self.mark_of(c0)
        if k is not None:
            c0 = min(c0, k.start)
        k = self.mark_of(c1 - 1)
        if k is not None:
            c1 = max(c1, k.end)
        return self.trim(c0, c1)

    def trim(self, c0: int, c1: int) -> tuple[int, int]:
        text = self.text
        while c1 > c0 and text[c1 - 1] in _TRIM:
            c1 -= 1
        while c0 < c1 and text[c0] in _TRIM:
            c0 += 1
        return c0, c1

    # ------------------------------------------------------------------ cues

    def from_verb(self, v: Token, cue: Cue) -> _Attr | None:
        if self.mark_of(v.idx) is not None or v.dep_ in ("amod", "compound", "nmod"):
            return None
        if v.pos_ != "VERB" and not any(c.dep_ in ("ccomp", "acl") for c in v.children):
            return None
        if v.dep_ == "acl" and v.tag_ == "VBN":  # "a group called …", "the plan announced in May"
            return None
        span: tuple[int, int] | None = None
        via = ""
        for frame in cue.frames:
            span = self.frame(v, cue, frame)
            if span is not None and span[1] > span[0]:
                via = frame
                break
        speaker: Token | None = None
        if (span is None or span[1] <= span[0]) and cue.speech:
            span, speaker = self.tail_attribution(v)
        if span is None or span[1] <= span[0]:
            return None
        if via != "raising":
            speaker = speaker or self.speakers.subject(v)
        outer = self.lex.find(v.head.lemma_.lower(), v.head.lower_) if v.dep_ in ("ccomp", "xcomp") else None
        if outer is not None and (not cue.speech or (outer.speech and v.dep_ == "ccomp")):
            return None  # "said he thinks …", "said officials said …", "wanted to know …": the outer cue reports it
        if not cue.speech:
            if (speaker is None and via not in ("passive", "raising")) or (
                    speaker is not None and speaker.lower_ == "you"):
                return None
        else:
            span = self.with_quotations(v, span)
        c_end = v.idx + len(v.text)
        for c in v.children:
            if c.dep_ == "prt" and c.i == v.i + 1:  # "pointed out"
                c_end = c.idx + len(c.text)
        return _Attr(span[0], span[1], (v.idx, c_end), speaker, via=via, left=v.left_edge.idx)

    def clause(self, v: Token, cue: Cue) -> tuple[int, int] | None:
        """The complement clause of ``v``; for verbs of saying also the sentence around a parenthetical
        or inverted cue ("“…,” said X", "The museum, Mr. Obama said, would …")."""
        comps = [c for c in v.children if c.dep_ == "ccomp" or (
            v.pos_ != "VERB" and c.dep_ == "acl" and any(x.lower_ == "that" and x.dep_ == "mark" for x in c.children))]
        if not comps and cue.speech and v.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ == "as" for c in v.children):
            # "Hawaii, as one of his advisers pointed out, does not get …": the sentence around the cue
            s0, s1 = self.sent_tokens[self.sent_of[v.i]]
            return self.chars(s0, s1 - 1)
        if not comps and cue.speech:
            # "Obama said after the vote he would not sign …": a finite clause without a
            # subordinator, parsed as an adverbial clause
            comps = [c for c in v.rights if c.dep_ == "advcl" and c.pos_ in ("VERB", "AUX")
                     and not any(x.dep_ in ("mark", "advmod") and x.i < c.i for x in c.children)
                     and any(x.dep_ in ("nsubj", "nsubjpass") for x in c.children)]
        if comps:
            a = min(c.left_edge.i for c in comps)
            b = max(c.right_edge.i for c in comps)
            return self.chars(a, b)
        if cue.speech and (v.dep_ == "parataxis" or (v.dep_ == "ccomp" and self.mark_of(v.head.idx)) or (
                v.dep_ == "conj" and v.head.i < v.left_edge.i < v.i and self.doc[v.left_edge.i - 1].text == ",")):
            # "“…,” said X", "The museum, Mr. Obama said, would …": the sentence around the cue
            s0, s1 = self.sent_tokens[self.sent_of[v.i]]
            a, b = v.left_edge.i, v.right_edge.i
            if a > s0 and self.doc[a - 1].text in (":", ";"):
                return None  # "We know this story: the junta promised elections …" is no report
            if b >= s1 - 1 or all(t.is_punct for t in self.doc[b + 1:s1]):
                if a <= s0:
                    return None
                c0, c1 = self.chars(s0, a - 1)
                j = bisect_right(self.mark_starts, c1) - 1
                if j >= 0 and c0 <= self.marks[j].start and self.marks[j].end < c1 \
                        and len(self.text[self.marks[j].end:c1].split()) <= 15:
                    c1 = self.marks[j].end  # "“…,” Flynn, a top Trump surrogate, said"
                return c0, c1
            if a <= s0:
                return self.chars(b + 1, s1 - 1)
            return self.chars(s0, s1 - 1)
        if cue.speech:
            return self.misparsed_clause(v)
        return None

    def frame(self, v: Token, cue: Cue, frame: str) -> tuple[int, int] | None:
        """The content of ``v`` in one frame of the lexicon, as a character span, or None."""
        if frame == "clause":
            return self.clause(v, cue)
        if frame == "quote":
            if v.dep_ in ("relcl", "acl", "amod"):
                return None  # "one official, who briefed reporters …, told …": the quotation is the other verb's
            return self.quotation_near(v)
        if frame == "addressee":  # "told a meeting of leaders that …" with the clause on the object
            for c in v.children:
                if c.dep_ in ("dobj", "dative"):
                    for d in c.children:
                        if d.dep_ in ("acl", "ccomp", "relcl") and any(
                                x.dep_ == "mark" and x.lower_ == "that" for x in d.children):
                            return self.chars(d.left_edge.i, d.right_edge.i)
            return None
        if frame == "passive":  # "One tenant in five is thought to be behind on rent": no source, the whole claim
            subj = next((c for c in v.children if c.dep_ == "nsubjpass"), None)
            comp = next((c for c in v.children if c.dep_ in ("xcomp", "ccomp") or (  # "was accused of lying"
                c.dep_ == "prep" and c.lower_ in ("of", "for")
                and any(x.dep_ in ("pcomp", "pobj") for x in c.children))), None)
            if subj is not None and comp is not None and subj.i < v.i < comp.i \
                    and not any(c.dep_ == "agent" for c in v.children):
                return self.chars(subj.left_edge.i, comp.right_edge.i)
            return None
        if frame == "raising":  # "The plan seems to be failing", "it appears that …": the writer's impression
            subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
            comp = next((c for c in v.children if c.dep_ in ("xcomp", "ccomp", "acomp", "oprd")), None)
            if subj is not None and comp is not None and subj.i < v.i < comp.i:
                return self.chars(subj.left_edge.i, comp.right_edge.i)
            return None
        if frame == "infinitive":
            for c in v.children:
                if c.dep_ in ("xcomp", "ccomp") and (c.tag_ == "VBG" or any(
                        x.dep_ == "aux" and x.lower_ == "to" for x in c.children)):
                    return self.chars(c.left_edge.i, c.right_edge.i)
            return None
        if frame == "object":
            for c in v.children:
                if c.dep_ == "dobj" and (c.pos_ != "PRON" or any(d.dep_ == "oprd" for d in v.children)):
                    right = c.right_edge.i
                    for d in v.children:  # "called the charges unsubstantiated", "described the deal as …"
                        if d.i > right and (d.dep_ in ("oprd", "ccomp") or (d.dep_ == "prep" and (
                                d.lower_ == "as" or (cue.group == "stance" and d.lower_ in cue.preps)))):
                            right = d.right_edge.i  # … "blamed the army for the delay"
                    return self.chars(c.left_edge.i, right)
            return None
        if frame.startswith("prep:"):
            word = frame[5:]
            for c in v.children:
                if c.dep_ == "prep" and c.lower_ == word:
                    objs = [o for o in c.children if o.dep_ in ("pobj", "pcomp")]
                    if objs:
                        return self.chars(min(o.left_edge.i for o in objs), max(o.right_edge.i for o in objs))
            return None
        return None

    def misparsed_clause(self, v: Token) -> tuple[int, int] | None:
        """A reported clause before "X said" that the parser did not attach to the cue:
        "Rules unclear on whether part-time workers qualify, lawyers say." """
        doc = self.doc
        if any(c.i > v.i and c.dep_ not in ("punct", "advmod", "npadvmod", "prep") for c in v.children):
            return None
        s0 = self.sent_tokens[self.sent_of[v.i]][0]
        for c in reversed(list(v.lefts)):
            if c.dep_ == "nsubj":
                left = c.left_edge.i
                if left - 1 > s0 and doc[left - 1].text == "," and not self.mark_of(doc[left - 1].idx) \
                        and (any(t.pos_ in ("VERB", "AUX") for t in doc[s0:left - 1])
                             or all(r.dep_ == "punct" for r in v.rights)):
                    return self.chars(s0, left - 2)
                break
        return None

    def tail_attribution(self, v: Token) -> tuple[tuple[int, int] | None, Token | None]:
        """ "CLAUSE, senior officials, who spoke on condition of anonymity, told the AP." when the parser
        lost the attribution: the noun phrase before the cue is the speaker, the sentence before it the
        content."""
        doc = self.doc
        s0, s1 = self.sent_tokens[self.sent_of[v.i]]
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in v.children) or v.right_edge.i < s1 - 1 and not all(
                t.is_punct for t in doc[v.right_edge.i + 1:s1]):
            return None, None  # the cue has its own subject, or the sentence goes on after it
        j = v.i - 1
        if j > s0 and doc[j].text == ",":  # skip ", who spoke on condition of anonymity,"
            k = j - 1
            while k > s0 and doc[k].text != ",":
                k -= 1
            if k > s0 and doc[k + 1].lower_ in ("who", "which", "that"):
                j = k - 1
            else:
                return None, None
        head = doc[j]
        if head.pos_ not in ("NOUN", "PROPN") or self.mark_of(head.idx) is not None:
            return None, None
        k = j
        while k - 1 > s0 and doc[k - 1].pos_ in ("NOUN", "PROPN", "ADJ", "DET", "NUM") and doc[k - 1].text != ",":
            k -= 1
        if k - 1 <= s0 or doc[k - 1].text != ",":
            return None, None
        if not (self.m.actors(head, expand=False) or head.pos_ == "PROPN"):
            return None, None
        span = self.chars(s0, k - 2)
        return (span if span[1] > span[0] else None), head

    def in_sentence(self, v: Token) -> list[Marked]:
        """The quotations of the sentence of ``v`` that do not hold ``v``."""
        s0, s1 = self.sent_tokens[self.sent_of[v.i]]
        c0, c1 = self.doc[s0].idx, self.doc[s1 - 1].idx + len(self.doc[s1 - 1].text)
        j = max(0, bisect_right(self.quote_starts, c0) - 1)
        out = []
        for k in self.quotations[j:]:
            if k.start >= c1:
                break
            if k.end > c0 and not (k.start <= v.idx < k.end):
                out.append(k)
        return out

    def with_quotations(self, v: Token, span: tuple[int, int]) -> tuple[int, int]:
        """A speech verb's content takes in every quotation of its sentence ("“A,” X said, “B.”")."""
        c0, c1 = span
        for k in self.in_sentence(v):
            lo, hi = (v.idx, k.start) if k.start > v.idx else (k.end, v.idx)
            j = bisect_right(self.speech_at, lo)
            if j < len(self.speech_at) and self.speech_at[j] < hi:
                continue  # "“A,” X said, adding, “B.”": B is the other cue's
            c0, c1 = min(c0, k.start), max(c1, k.end)
        return c0, c1

    def quotation_near(self, v: Token) -> tuple[int, int] | None:
        """Quotations the speech verb ``v`` introduces: in its sentence, just before it, or after "said:"."""
        s0, s1 = self.sent_tokens[self.sent_of[v.i]]
        doc, text = self.doc, self.text
        c0, c1 = doc[s0].idx, doc[s1 - 1].idx + len(doc[s1 - 1].text)
        found = self.in_sentence(v)
        if not found:
            # "“….” Caddell said." with the quotation parsed as a sentence of its own
            j = bisect_right(self.quote_starts, c0) - 1
            if j >= 0 and self.quotations[j].end <= c0 and not text[self.quotations[j].end:c0].strip(_TRIM) \
                    and not any(t.pos_ in ("VERB", "AUX") for t in doc[s0:v.i]) \
                    and all(c.dep_ in ("punct", "nsubj", "advmod", "npadvmod", "prep") for c in v.rights):
                found = [self.quotations[j]]
        if not found:
            # "X said:" followed by the quotation (in the next sentence or paragraph)
            rest = text[v.idx + len(v.text):c1].strip()
            if rest.endswith(":") or (not rest and text[c1:c1 + 1] != "."):
                j = bisect_right(self.quote_starts, c1 - 1)
                if j < len(self.quotations) and not text[c1:self.quotations[j].start].strip():
                    found = [self.quotations[j]]
        if not found:
            return None
        return self.trim(min(k.start for k in found), max(k.end for k in found))

    def from_noun(self, n: Token, cue: Cue) -> _Attr | None:
        """ "Trump's claim that …", "a Reuters report that …", "his threat to veto …"."""
        if self.mark_of(n.idx) is not None:
            return None
        a = n
        for _ in range(4):  # "said the claim that …": the outer cue reports it
            a = a.head
            outer = self.lex.find(a.lemma_.lower(), a.lower_) if a.pos_ == "VERB" else None
            if outer is not None and outer.speech:
                return None
        span: tuple[int, int] | None = None
        for frame in cue.frames:
            for c in n.rights:
                if c.dep_ not in ("acl", "ccomp", "appos", "relcl"):
                    continue
                marks = [x.lower_ for x in c.children if x.i < c.i and x.dep_ in ("mark", "aux")]
                if (frame == "clause" and any(w in ("that", "whether", "if") for w in marks)) or (
                        frame == "infinitive" and "to" in marks):
                    span = self.chars(c.left_edge.i, c.right_edge.i)
                    break
            if span is not None:
                break
        if span is None or span[1] <= span[0]:
            return None
        speaker = next((c for c in n.lefts if c.dep_ == "poss"), None)
        if speaker is None:
            speaker = next((c for c in reversed(list(n.lefts)) if c.dep_ == "compound" and c.pos_ == "PROPN"), None)
        if speaker is None:
            for p in n.rights:
                if p.dep_ == "prep" and p.lower_ in ("by", "from"):
                    speaker = next((o for o in p.children if o.dep_ == "pobj"), None)
        return _Attr(span[0], span[1], (n.idx, n.idx + len(n.text)), speaker, via="noun", left=n.left_edge.idx)

    def from_source_phrase(self, t: Token, n: int) -> _Attr | None:
        """ "according to X, CLAUSE": the content is the rest of the sentence."""
        doc = self.doc
        last = doc[t.i + n - 1]
        phrase_r = max(t.right_edge.i, last.right_edge.i, last.i)
        src = next((c for c in last.children if c.dep_ == "pobj"), None)
        if src is None:  # "according to show insiders" with "show" taken for a verb
            src = next((x for x in reversed(doc[last.i + 1:phrase_r + 1]) if x.pos_ in ("NOUN", "PROPN")), None)
        if src is None:
            return None
        phrase_r = max(phrase_r, src.right_edge.i)
        s0, s1 = self.sent_tokens[self.sent_of[t.i]]
        left = (s0, t.i - 1)
        right = (phrase_r + 1, s1 - 1)
        # the clause the phrase hangs on: before it ("…, according to X") unless it opens the sentence
        a, b = left if left[1] - left[0] >= 2 and (t.head.i < t.i or right[1] - right[0] < 2) else right
        if b < a:
            return None
        c0, c1 = self.chars(a, b)
        if c1 <= c0:
            return None
        return _Attr(c0, c1, (t.idx, last.idx + len(last.text)), src, via="according")
