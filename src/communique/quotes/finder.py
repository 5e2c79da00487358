"""The quote finder: attributions from cues and from the text, merged into ``Quote`` records.

``Finder.run`` makes one pass over the lexicon's candidate tokens (``CueFrames``), then
adds what only the text shows (a transcript's "PENCE: …", a dash source, quotations that
stand alone or continue an attribution in fragments, a few quoted words in somebody's
predicate), trims clauses that run on into the next attribution, drops reports that lie inside
another's reported content, and resolves speakers.

Internal to ``communique.quotes``.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Token

from ..records import Actor, Quote, Span
from .frames import MIN_WORDS, CueFrames, _Attr
from .lexicon import Cue
from .marks import Marked

_BOUNDARIES = (",", ";", " --", " —", " –", " and", " or", " but")
_DASH_SOURCE = re.compile(r"[ \t\xa0]*[―—–]{1,2}[ \t\xa0]*([A-Z][\w.'’-]*(?:[ \t\xa0]+[A-Z][\w.'’-]*){0,3})")
_TURN = re.compile(r"[\"“”]?[ \t]*([A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3})[ \t]*:[ \t]+(?=\S)")
_NOT_SPEAKERS = frozenset({"update", "note", "editor's note", "watch", "read more", "photo", "video", "source",
                           "related", "breaking", "exclusive", "analysis", "opinion", "live", "q", "a"})
_MINOR = frozenset({"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "by", "from"})


def _is_title(words: str) -> bool:
    """Title case ("Fox News Sunday", "Contract with America"): a name or a title."""
    ws = [w for w in re.findall(r"[\w'’-]+", words) if w.lower() not in _MINOR]
    return bool(ws) and all(w[0].isupper() or w[0].isdigit() for w in ws)


class Finder(CueFrames):
    """One article's quotations (see the package docstring)."""

    def cut_nested(self, attrs: list[_Attr]) -> None:
        """A clause that runs on into another attribution ends before it: "said the photos prove
        nothing, which she said were …" reports "the photos prove nothing"."""
        text = self.text
        for b in attrs:
            if b.cue is None or b.start < b.cue[0] or b.left < 0:
                continue
            left = b.left
            for a in attrs:
                if a is b or not (a.start < left < a.end) or (a.cue is not None and a.cue[0] >= left):
                    continue
                before = text[a.start:left].rstrip()
                p = next((p for p in _BOUNDARIES if before.endswith(p)), None)
                if p is not None and len(before) > len(p):  # the other clause starts right after ", " or "and"
                    a.start, a.end = self.trim(a.start, a.start + len(before) - len(p))

    # ------------------------------------------------------------------ text patterns

    def turns(self) -> list[_Attr]:
        """ "NAME: …" paragraphs: headlines ("Pence: Flowers Won't Be at Debate") and transcripts."""
        out: list[_Attr] = []
        text = self.text
        pos = 0
        first = True
        for para in text.split("\n"):
            p0 = pos
            pos += len(para) + 1
            if not para.strip():
                continue
            mt = _TURN.match(para)
            is_first, first = first, False
            if mt is None:
                continue
            name = mt.group(1)
            if name.lower() in _NOT_SPEAKERS:
                continue
            caps = name.isupper() and len(name) > 1
            if not (is_first or caps or self.is_person(p0 + mt.start(1))):
                continue
            c0, c1 = self.trim(p0 + mt.end(), p0 + len(para))
            k = self.mark_of(p0)
            if k is not None and k.start < p0:
                continue  # inside somebody else's quotation
            if c1 > c0:
                colon = p0 + mt.end(1) + para[mt.end(1):].index(":")
                out.append(_Attr(c0, c1, (colon, colon + 1), speaker_chars=(p0 + mt.start(1), p0 + mt.end(1)),
                                 via="turn"))
        return out

    def is_person(self, char: int) -> bool:
        e = self.m.entity_at(self.tok_at(char))
        return e is not None and e.kind == "PERSON"

    def attach_quotations(self, attrs: list[_Attr]) -> list[_Attr]:
        """Quoted stretches no attribution holds: a fragment of the attribution next to them in the
        paragraph, a quotation with a dash source after it, a quotation standing alone, or a few quoted
        words in somebody's predicate."""
        text = self.text
        out = sorted(attrs, key=lambda a: (a.start, a.end))
        headline_end = text.find("\n")
        for k in self.marks:
            starts = [a.start for a in out]
            j = bisect_right(starts, k.start)
            if (j > 0 and max(a.end for a in out[:j]) > k.start) or (j < len(out) and out[j].start < k.end):
                continue  # held by an attribution
            words = k.words(text)
            inner = text[k.inner_start:k.inner_end].rstrip()
            if words >= MIN_WORDS or inner[-1:] in ",.?!…":  # somebody's words, not a scare quote
                prev = max(out[:j], key=lambda a: a.end, default=None)
                if prev is not None and prev.via != "turn" and "\n" not in text[prev.end:k.start] \
                        and self.holds_mark(prev):
                    prev.end = k.end  # "“A,” said X. “B.”": one attribution in fragments
                    continue
                nxt = out[j] if j < len(out) else None
                if nxt is not None and nxt.via != "turn" and "\n" not in text[k.end:nxt.start] \
                        and self.holds_mark(nxt) and len(text[k.end:nxt.start].split()) <= 12 \
                        and not (inner[-1:] in ".?!" and self.mark_of(nxt.start) is None):
                    # (but "… “an outlaw nation.” Peru insisted that …" is a sentence of its own)
                    nxt.start = k.start  # "“A,” X said, “B.”" parsed as two sentences
                    continue
            if words >= MIN_WORDS:
                dash = _DASH_SOURCE.match(text, k.end)
                if dash is not None:
                    d0 = k.end + len(dash.group()) - len(dash.group().lstrip())
                    d1 = d0 + len(dash.group()[d0 - k.end:].split()[0])
                    a = _Attr(k.start, k.end, (d0, d1), speaker_chars=dash.span(1), via="dash")
                elif not k.single:
                    a = _Attr(k.start, k.end, None, via="alone")
                else:
                    continue
            else:
                if k.start > headline_end and _is_title(inner):
                    continue  # “Fox News Sunday”, ‘The 411’: a name, not somebody's words
                found = self.quoted_words(k)
                if found is None:
                    continue
                a = found
                same = next((b for b in out if b.via == "quoted words" and b.cue == a.cue), None)
                if same is not None:  # “disgusting” and “a con”
                    same.start, same.end = min(same.start, a.start), max(same.end, a.end)
                    out.sort(key=lambda a: (a.start, a.end))
                    continue
            out.insert(bisect_right(starts, a.start), a)
        return out

    def holds_mark(self, a: _Attr) -> bool:
        """Whether the attribution's content holds quoted words (a direct or mixed quotation)."""
        j = bisect_right(self.mark_starts, a.end) - 1
        return j >= 0 and self.marks[j].end > a.start

    def quoted_words(self, k: Marked) -> _Attr | None:
        """A few quoted words in somebody's predicate ("compared the protesters to a “pack of wolves”"):
        the argument that holds them, attributed to the subject of the nearest verb above them."""
        span = self.doc.char_span(k.start, k.end, alignment_mode="expand")
        if span is None:
            return None
        path: list[tuple[Token, Token]] = []  # (child, head) pairs up from the quoted words
        child = span.root
        while child.head != child and len(path) < 8:
            path.append((child, child.head))
            child = child.head
        # the nearest reporting verb above them ("tweeted … that Machado was “disgusting”"), else the
        # nearest verb with a subject ("compared the protesters to a “pack of wolves”")
        found = next(((c, n) for c, n in path if n.pos_ == "VERB" and self.lex.find(n.lemma_.lower(), n.lower_)
                      and self.speakers.subject(n) is not None), None)
        if found is None:
            found = next(((c, n) for c, n in path if n.pos_ in ("VERB", "AUX") and any(
                x.dep_ in ("nsubj", "nsubjpass") for x in n.children)), None)
        if found is None or found[0].dep_ in ("advmod", "npadvmod"):
            return None  # “deliberately” rammed: a scare quote
        child, node = found
        subj = self.speakers.subject(node)
        if subj is None or child.dep_ in ("nsubj", "nsubjpass", "csubj") or span.start <= subj.i < span.end:
            return None
        if self.mark_of(node.idx) is not None:
            return None
        c0, c1 = self.chars(child.left_edge.i, child.right_edge.i)
        if c1 <= c0:
            return None
        left = min(node.idx, subj.left_edge.idx)
        return _Attr(c0, c1, (node.idx, node.idx + len(node.text)), subj, via="quoted words", left=left)

    # ------------------------------------------------------------------ records

    def run(self) -> list[Quote]:
        """Attributions from the cue candidates, then from the text; one ``Quote`` per content span."""
        doc = self.doc
        phrases = self.lex.source_phrases
        firsts = {ph[0] for ph in phrases}
        verbs: list[tuple[Token, Cue]] = []
        attrs: list[_Attr] = []
        for i in self.lex.candidates(doc.to_array([LEMMA, LOWER])):  # tokens whose lemma or form is listed
            t = doc[i]
            if t.pos_ == "VERB" or (t.dep_ == "ROOT" and t.pos_ in ("NOUN", "PROPN")):  # "Trump claims that …"
                cue = self.lex.find(t.lemma_.lower(), t.lower_)
                if cue is not None:
                    verbs.append((t, cue))
                    continue
            if t.pos_ == "NOUN":
                cue = self.lex.nouns.get(t.lemma_.lower())
                if cue is not None:
                    a = self.from_noun(t, cue)
                    if a is not None:
                        attrs.append(a)
                    continue
            if t.lower_ in firsts:
                for ph in phrases:
                    if t.lower_ == ph[0] and all(t.i + j < len(doc) and doc[t.i + j].lower_ == w
                                                 for j, w in enumerate(ph)):
                        a = self.from_source_phrase(t, len(ph))
                        if a is not None:
                            attrs.append(a)
        self.speech_at = [t.idx for t, cue in verbs if cue.speech]
        for t, cue in verbs:
            a = self.from_verb(t, cue)
            if a is not None:
                attrs.append(a)
        self.cut_nested(attrs)
        attrs.extend(self.turns())
        attrs = self.attach_quotations(attrs)
        attrs = self.drop_embedded(attrs)
        out: list[Quote] = []
        seen: set[tuple[int, int]] = set()
        last: Quote | None = None
        for a in attrs:
            if (a.start, a.end) in seen:
                continue
            seen.add((a.start, a.end))
            q = self.quote(a, last)
            if q is None:
                continue
            out.append(q)
            if q.speaker is not None:
                last = q
        return out

    def drop_embedded(self, attrs: list[_Attr]) -> list[_Attr]:
        """A report inside another's reported words is part of that content, not an attribution of
        its own: "said he raised the $18 million he says he gave" or "noted that clients demand
        diverse teams" report one thing. An inner attribution whose cue and content both lie in
        another's content is dropped, unless it carries a quotation (somebody's own words) or its cue
        is a noun ("rejected Argentina's claim that …" reports the claim too)."""
        out: list[_Attr] = []
        for b in attrs:
            if b.cue is None or self.holds_mark(b) or self.doc[self.tok_at(b.cue[0])].pos_ == "NOUN":
                out.append(b)
            elif not any(
                    a is not b and a.start <= min(b.start, b.cue[0]) and b.end <= a.end
                    and (a.cue is None or not b.start <= a.cue[0] < b.end) for a in attrs):
                out.append(b)
        return out

    def quote(self, a: _Attr, last: Quote | None) -> Quote | None:
        """The record of one attribution, with its speaker resolved (``last``: the quotation before)."""
        text = self.text
        if not any(ch.isalnum() for ch in text[a.start:a.end]):
            return None  # a stray mark
        si = self.sent_of[self.tok_at(a.start)]
        content = Span(a.start, a.end, text[a.start:a.end], si)
        cue = Span(a.cue[0], a.cue[1], text[a.cue[0]:a.cue[1]], self.sent_of[self.tok_at(a.cue[0])]) \
            if a.cue else None
        direct = self.holds_mark(a)
        speaker: Actor | None = None
        sp: Span | None = None
        if a.speaker is not None:
            speaker, sp = self.speakers.resolve(a.speaker, content, last)
        elif a.speaker_chars is not None:
            speaker, sp = self.speakers.by_text(*a.speaker_chars)
        elif a.via == "alone":
            speaker, sp = self.speakers.alone(self.tok_at(a.start), last)
            if speaker is None:
                return None  # a title or a name in quotation marks, not somebody's words
        return Quote(content=content, speaker=speaker, speaker_span=sp, cue=cue, direct=direct)
