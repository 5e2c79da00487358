"""Quotation marks: the stretches of text that stand between them.

One pass over the quotation-mark characters of the text. Each mark is read as
opening or closing from its neighbours, so a mark typed the wrong way round
(``”Mr. Trump …”``) still opens, and straight marks pair up as well as curly ones.
Marks nest (``"… the question: “As you know …” Forty-three …"``); only the
outermost stretch is kept.

A quotation may run over several paragraphs: by the news convention, a paragraph
that ends inside a quotation leaves it without a closing mark and the next
paragraph opens with one. An opening mark whose paragraph ends unclosed therefore
continues in the next paragraph when that paragraph opens with a mark (and does
not start a new speaker's turn, ``"PENCE: …``); otherwise it ends with its paragraph.

Single marks (``‘in their heads’``) count only outside double marks, and only where
they cannot be apostrophes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DOUBLE = "\"“”„«»"
_SINGLE = "‘’'"
_MARK = re.compile(r"''|``|[\"“”„«»‘’'\n]")
_OPEN_BEFORE = " \t\n\xa0([{—–-/:"
_TURN = re.compile(r"[\"“”„«]?\s*[A-Z][A-Z.'’ -]{1,30}:\s")


@dataclass(frozen=True, slots=True)
class Marked:
    """One quoted stretch: ``start``/``end`` include the marks, ``inner_*`` exclude them."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    single: bool = False
    closed: bool = True

    def words(self, text: str) -> int:
        return len(text[self.inner_start:self.inner_end].split())


def _is_space(c: str) -> bool:
    return c == "" or c.isspace()


def _opens(text: str, i: int, ch: str) -> bool | None:
    """True for an opening mark, False for a closing one, None when the context cannot tell."""
    prev = text[i - 1] if i > 0 else ""
    j = i + len(ch)
    nxt = text[j] if j < len(text) else ""
    before_ok = prev == "" or prev in _OPEN_BEFORE
    after_word = nxt != "" and not nxt.isspace()
    if ch in ("“", "„", "«", "``"):
        return not (not before_ok and not after_word)
    if ch in ("”", "»"):
        return bool(before_ok and after_word and prev in "\n")  # "”Mr. Trump" at a paragraph's start
    if before_ok and after_word:
        return True
    if not before_ok and (nxt == "" or nxt.isspace() or not nxt.isalnum()):
        return False
    return None


def _single_opens(text: str, i: int, ch: str) -> bool | None:
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if prev.isalnum() and nxt.isalnum():
        return None  # an apostrophe: don't, Clinton’s
    if (prev == "" or prev in _OPEN_BEFORE) and nxt.isalnum() and ch in "‘'":
        return True
    if prev and not prev.isspace() and (nxt == "" or not nxt.isalnum()) and ch in "’'":
        return False
    return None


def find_marked(text: str) -> list[Marked]:
    """The outermost quoted stretches of ``text``, in order."""
    out: list[Marked] = []
    depth = 0
    start = -1  # the outermost opening mark
    kinds: list[str] = []
    widths: list[int] = []
    single_start = -1
    for mt in _MARK.finditer(text):
        i = mt.start()
        ch = mt.group()
        w = len(ch)
        kind = '"' if ch == "''" else ch
        if ch == "\n":
            if single_start >= 0:
                single_start = -1
            if depth and not _continues(text, i):
                end = i
                while end > start and text[end - 1].isspace():
                    end -= 1
                out.append(Marked(start, end, start + widths[0], end, closed=False))
                depth, kinds, widths, start = 0, [], [], -1
            continue
        if ch in _SINGLE:
            if depth:
                continue
            how = _single_opens(text, i, ch)
            if how is True and single_start < 0:
                single_start = i
            elif how is False and single_start >= 0:
                out.append(Marked(single_start, i + 1, single_start + 1, i, single=True))
                single_start = -1
            continue
        how = _opens(text, i, ch)
        if how is None:  # a straight mark between words: close an open straight mark, else open
            how = not (kinds and kinds[-1] == kind)
        if how and kind == '"' and kinds and kinds[-1] == kind:
            how = False  # straight marks do not nest
        if how:
            if depth and _paragraph_start(text, i):
                continue  # the opening mark that continues a quotation in a new paragraph
            if depth == 0:
                start = i
                single_start = -1
            depth += 1
            kinds.append(kind)
            widths.append(w)
        elif depth:
            depth -= 1
            kinds.pop()
            if depth == 0:
                out.append(Marked(start, i + w, start + widths[0], i))
                start = -1
            widths.pop()
    if depth:
        end = len(text.rstrip())
        out.append(Marked(start, end, start + widths[0], end, closed=False))
    return out


def _paragraph_start(text: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and text[j] in " \t\xa0":
        j -= 1
    return j < 0 or text[j] == "\n"


def _continues(text: str, i: int) -> bool:
    """Whether the paragraph after the line break at ``i`` continues an open quotation."""
    j = i
    n = len(text)
    while j < n and text[j].isspace():
        j += 1
    if j >= n or (text[j] not in _DOUBLE and not text.startswith("''", j)):
        return False
    return _TURN.match(text, j) is None
