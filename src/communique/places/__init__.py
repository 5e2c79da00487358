"""Places: toponyms in the text resolved to coordinates.

This first resolver knows what the actor registry knows: countries (centroid) and
seats of government (their coordinates). Other toponyms the model finds are kept
with their text and null coordinates rather than guessed. Names used as actors
("Washington said", "Beijing's influence") and nationality words are not places.
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..actors import Registry
from ..mentions import Mentions
from ..records import Place, Span

_PLACE_KINDS = {"GPE", "LOC", "FAC"}
_ACTOR_DEPS = {"nsubj", "nsubjpass", "poss", "agent", "compound", "amod", "nmod"}


def find_places(doc: Doc, m: Mentions, registry: Registry, sent_of: list[int]) -> tuple[list[Place], dict[int, Place]]:
    """Places in text order, and a map from each place token to its Place."""
    out: list[Place] = []
    by_token: dict[int, Place] = {}
    for e in m.entities:
        if e.kind not in _PLACE_KINDS:
            continue
        rid = e.registry_id or ""
        for start, end in e.mentions:
            span = doc[start:end]
            root = span.root
            if root.dep_ in _ACTOR_DEPS and rid.startswith(("capital:", "country:", "metonym:")) and \
                    not (root.dep_ == "compound" and root.head.ent_type_ in ("GPE", "LOC", "FAC")):
                continue  # an actor or a modifier ("Washington said", "US officials"), not a place
            lat = lon = None
            precision = None
            country = e.country
            info = registry.country(e.country) if e.country else None
            if rid.startswith("country:") and info is not None:
                lat, lon, precision = info.lat, info.lon, "country"
            elif rid.startswith("capital:") and info is not None:
                lat, lon, precision = info.capital_lat, info.capital_lon, "city"
            p = Place(name=e.name, country=country, lat=lat, lon=lon, precision=precision,
                      span=Span(span.start_char, span.end_char, span.text, sent_of[start]))
            out.append(p)
            for i in range(start, end):
                by_token[i] = p
    out.sort(key=lambda p: p.span.start if p.span else 0)
    return out, by_token
