"""Datelines: where a story was filed ("MONROVIA, Oct 21 (Reuters) -", "BEIRUT -", "NAIROBI 1996-08-22").

Read from the tokens' spelling only (capitals, digits, dashes), so it runs before the parse as well as
after it: the parser is given the dateline as a sentence of its own (a dateline parsed with the lead
makes the place the lead's subject), and the sentences the pipeline reports join it back to the lead.
"""

from __future__ import annotations

from spacy.tokens import Doc

_DASHES = frozenset({"-", "--", "—", "–", "―"})
_MONTH_WORDS = frozenset("jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july "
                         "august september october november december".split())


def _inner_hyphen(doc: Doc, k: int) -> bool:
    """A hyphen joining two words in capitals with no space around it ("POINTE-NOIRE")."""
    return (not doc[k - 1].whitespace_ and not doc[k].whitespace_ and k + 1 < len(doc)
            and doc[k - 1].is_upper and doc[k + 1].is_upper and doc[k + 1].is_alpha)


def datelines(doc: Doc) -> frozenset[int]:
    """Tokens of datelines: a place in capitals that opens a line or a sentence, then perhaps a date and
    an agency, then a dash ("MONROVIA, Oct 21 (Reuters) -", "BEIRUT -"), or a line of only a place in
    capitals and a date ("NAIROBI 1996-08-22"). Where a story was filed is a place, never an actor."""
    out: set[int] = set()
    n = len(doc)
    for start in range(n):
        t = doc[start]
        if not (t.is_sent_start or start == 0 or "\n" in doc[start - 1].text_with_ws):
            continue
        k = start
        while k < n and k - start < 8 and (doc[k].is_upper and doc[k].is_alpha or (
                k > start and doc[k].text in (".", "'", "&") and doc[k - 1].is_upper) or (
                k > start and doc[k].text == "-" and _inner_hyphen(doc, k))):
            k += 1  # "PORT-AU-PRINCE": a hyphen inside a name in capitals is part of it
        if k == start or not any(len(doc[x]) > 1 for x in range(start, k)):
            continue
        end = None
        j = k
        paren = False
        while j < n and j - k < 12:
            w = doc[j]
            # the dash that ends a dateline stands apart: "1996-12-18" holds hyphens, not the end
            if w.text in _DASHES and not paren and (w.text != "-" or doc[j - 1].whitespace_ or w.whitespace_):
                end = j + 1
                break
            if "\n" in w.text or (w.is_space and "\n" in w.text):
                end = j if j > k else None
                break
            if w.text == "(":
                paren = True
            elif w.text == ")":
                paren = False
            elif not (paren or w.text in (",", "/") or w.like_num or w.lower_.rstrip(".") in _MONTH_WORDS
                      or w.text in _DASHES or (w.is_upper and len(w) <= 6) or w.text[:1].isdigit()
                      or (j - k <= 3 and doc[k].text == "," and (w.is_title or w.text == "."))):
                break  # (the place's state or country: "GEORGETOWN, Ky. (WKYT) -", "TRIPOLI, Lebanon, May 22 -")
            j += 1
        if end is None and k < n and ("\n" in doc[k - 1].text_with_ws or j < n and "\n" in doc[j].text
                                      and j > k and all(doc[x].like_num or doc[x].text in _DASHES or
                                                        doc[x].text[:1].isdigit() for x in range(k, j))):
            end = j  # "NAIROBI 1996-08-22" on a line of its own
        if end is None and k < j < n and doc[j].is_title and all(
                doc[x].like_num or doc[x].text in _DASHES or doc[x].text[:1].isdigit() for x in range(k, j)) and any(
                len(doc[x].text) >= 4 and doc[x].text[:4].isdigit() for x in range(k, j)):
            end = j  # "NAIROBI 1996-08-22 Somali militiamen …": a place and a full date run straight into the story
        if end is not None:
            out.update(range(start, end))
    return frozenset(out)


def lead_starts(doc: Doc, marked: frozenset[int] | None = None) -> list[int]:
    """The first token of each lead that runs on after its dateline on the same line
    ("BEIRUT - Israeli jets struck …": "Israeli")."""
    marked = datelines(doc) if marked is None else marked
    return [i for i in range(1, len(doc)) if i not in marked and (i - 1) in marked
            and "\n" not in doc[i - 1].text_with_ws and not doc[i].is_space]
