"""Office holders: lookup at a date, seniority between offices held at once, and the user's file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from communique.actors import load_registry
from communique.actors.officeholders import (
    COLUMNS,
    OfficeHolders,
    default_holders,
    load_holders,
    seniority,
)
from communique.errors import DataFileError

HEADER = ",".join(COLUMNS) + "\n"


def _holders(tmp_path: Path, body: str, name: str = "officeholders.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


@pytest.mark.parametrize("role, rank", [
    ("president", 0), ("head of state", 0), ("King", 0), ("acting president", 0), ("supreme leader", 0),
    ("prime minister", 1), ("chancellor", 1), ("Interim Prime Minister", 1), ("head of government", 1),
    ("foreign minister", 2), ("defence minister", 2), ("secretary of state", 2), ("secretary of defense", 2),
    ("vice president", 3), ("national security adviser", 3), ("un secretary-general", 3),
])  # fmt: skip
def test_seniority(role: str, rank: int) -> None:
    assert seniority(role) == rank


# ------------------------------------------------------------------ the bundled file


@pytest.mark.parametrize("name, on, country, role, sector, current", [
    ("Joe Biden", date(2023, 5, 1), "USA", "president", "GOV", True),
    ("Joseph R. Biden", date(2015, 5, 1), "USA", "vice president", "GOV", True),
    ("Angela Merkel", date(2023, 5, 1), "DEU", "chancellor", "GOV", False),  # former: not GOV then
    # acting president who is also prime minister: the senior office, not the earlier one
    ("Han Duck-soo", date(2024, 12, 20), "KOR", "president", "GOV", True),
    ("Han Duck Soo", date(2025, 1, 10), "KOR", "prime minister", "GOV", True),
    # prime minister and (since 1971) defence minister: head of government outranks the ministry
    ("Mohammed bin Rashid Al Maktoum", date(2020, 1, 1), "ARE", "prime minister", "GOV", True),
    ("Saddam Hussein", date(2000, 1, 1), "IRQ", "president", "GOV", True),
    ("MBS", date(2018, 1, 1), "SAU", "defence minister", "MIL", True),
])  # fmt: skip
def test_find_bundled(name: str, on: date, country: str, role: str, sector: str, current: bool) -> None:
    h = default_holders().find(name, on)
    assert h is not None
    assert (h.country, h.role, h.sector, h.current) == (country, role, sector, current)


def test_a_shared_surname_names_the_one_in_office_that_day() -> None:
    h = default_holders().find("Maduro", date(2023, 12, 11))  # Nicolás (VEN), not Ricardo (HND, 2002-2006)
    assert h is not None and (h.country, h.current) == ("VEN", True)
    h = default_holders().find("Maduro", date(2004, 6, 1))
    assert h is not None and (h.country, h.current) == ("HND", True)
    assert default_holders().find("Maduro", date(2001, 6, 1)) is None  # neither in office then: ambiguous


def test_find_unknown_and_undated() -> None:
    assert default_holders().find("Nobody Atall", date(2020, 1, 1)) is None
    h = default_holders().find("Han Duck-soo", None)  # no date: the term begun last
    assert h is not None and (h.role, h.start) == ("president", date(2025, 3, 24))


def test_two_offices_at_once(tmp_path: Path) -> None:
    holders = OfficeHolders.from_csv(_holders(tmp_path, (
        "Ana Example,,XAA,prime minister,GOV,2020-01-01,,\n"
        "Ana Example,,XAA,acting president,GOV,2021-03-01,2021-06-01,\n"
        "Ana Example,,XAA,foreign minister,GOV,2019,,\n"
        "Ben Example,,XAA,defence minister,MIL,2018,2022,\n"
        "Ben Example,,XAA,foreign minister,GOV,2020,2022,\n"
    )))
    assert len(holders) == 5
    found = holders.find("Ana Example", date(2021, 4, 1))
    assert found is not None and found.role == "acting president"
    found = holders.find("Ana Example", date(2021, 7, 1))
    assert found is not None and found.role == "prime minister"
    found = holders.find("Ana Example", date(2019, 7, 1))
    assert found is not None and found.role == "foreign minister"
    found = holders.find("Ben Example", date(2021, 1, 1))  # equal seniority: the one begun last
    assert found is not None and found.role == "foreign minister"


def test_out_of_office_the_nearest_term_is_the_nearest_in_time(tmp_path: Path) -> None:
    # a term still running that begins years later is not nearer than one that ended last year
    holders = OfficeHolders.from_csv(_holders(tmp_path, (
        "Cai Example,,XAA,president,GOV,2008-09-09,2013-09-08,\n"
        "Cai Example,,XAA,senator,LEG,2024-03-10,,\n"
    )))
    found = holders.find("Cai Example", date(2015, 1, 1))
    assert found is not None and (found.role, found.current) == ("president", False)
    found = holders.find("Cai Example", date(2023, 1, 1))
    assert found is not None and (found.role, found.current) == ("senator", False)


def test_nobody_is_former_before_taking_office(tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    from communique.pipeline import Pipeline
    from communique.records import Article
    from communique.settings import Settings

    _holders(tmp_path, "Dora Example,,XAA,president,GOV,2010-01-01,2014-01-01,\n")
    pipe = Pipeline(Settings(registry=str(tmp_path)), nlp=pipeline.nlp)
    text = "Dora Example spoke to reporters in the capital."
    roles = {}
    for year in (2005, 2016):
        [coded] = list(pipe.code([Article.create(text, id="d", published=date(year, 3, 4))]))
        dora = next(e for e in coded.entities if e.name == "Dora Example")
        roles[year] = (dora.country, dora.role)
    assert roles == {2005: ("XAA", None), 2016: ("XAA", "former president")}


# ------------------------------------------------------------------ the user's file


USER = (
    # same person, overlapping term: replaces the bundled row (end corrected), keeps its aliases
    "Joe Biden,Uncle Joe,USA,president,GOV,2021-01-20,2025-01-19,Q6279\n"
    # same name without a QID, accents ignored: replaces the bundled row
    "Olaf Scholz,,DEU,chancellor,GOV,2021-12-08,2025-05-05,\n"
    # somebody new
    "Marta Lindqvist,M. Lindqvist,FRA,foreign minister,GOV,2030-01-01,,\n"
)


@pytest.mark.parametrize("as_folder", [True, False])
def test_user_file_extends_and_overrides(tmp_path: Path, as_folder: bool) -> None:
    path = _holders(tmp_path, USER)
    holders = load_holders(tmp_path if as_folder else path)
    assert len(holders) == len(default_holders()) + 1
    h = holders.find("Joseph Robinette Biden", date(2025, 1, 19))  # bundled alias, user row
    assert h is not None and (h.end, h.registry_id) == (date(2025, 1, 19), "wikidata:Q6279")
    assert h.aliases[0] == "Uncle Joe" and "Joseph R. Biden" in h.aliases
    h = holders.find("Joe Biden", date(2025, 1, 20))
    assert h is not None and not h.current  # the user's end, not the bundled one
    h = holders.find("Uncle Joe", date(2012, 1, 1))  # the user's alias finds the user's row only
    assert h is not None and not h.current and h.role == "president"
    h = holders.find("Joe Biden", date(2012, 1, 1))  # the bundled vice-presidency does not overlap: kept
    assert h is not None and h.role == "vice president" and h.current
    h = holders.find("Olaf Scholz", date(2025, 5, 6))
    assert h is not None and not h.current
    h = holders.find("M Lindqvist", date(2031, 1, 1))
    assert h is not None and (h.country, h.role, h.registry_id) == ("FRA", "foreign minister", "person:marta_lindqvist")
    assert default_holders().find("Marta Lindqvist", date(2031, 1, 1)) is None  # the bundled set is untouched


def test_load_holders_default_is_cached(tmp_path: Path) -> None:
    assert load_holders(None) is default_holders()
    (tmp_path / "groups.csv").write_text("name,aliases,country,sector,igo\n", encoding="utf-8")
    assert load_holders(tmp_path) is default_holders()  # a folder without officeholders.csv
    assert load_holders(tmp_path / "groups.csv") is default_holders()


def test_registry_accepts_a_folder_or_file_of_office_holders(tmp_path: Path) -> None:
    path = _holders(tmp_path, USER)
    assert load_registry(tmp_path).lookup("Kenya") is not None
    assert load_registry(path).lookup("Kenya") is not None


@pytest.mark.parametrize("body, message", [
    ("X,,usa,president,GOV,2020,,\n", r"officeholders.csv:2: country 'usa'"),
    ("X,,USA,president,GOV,,,\n", r"officeholders.csv:2: name, role and start are required"),
    ("X,,USA,president,GOV,2020-13-01,,\n", r"officeholders.csv:2: invalid date '2020-13-01'"),
    ("X,,USA,president,GOV,2020,2019,\n", r"officeholders.csv:2: end 2019-12-31 is before start 2020-01-01"),
])  # fmt: skip
def test_user_file_errors_name_the_line(tmp_path: Path, body: str, message: str) -> None:
    path = _holders(tmp_path, body)
    with pytest.raises(DataFileError, match=message):
        load_holders(path)


def test_user_file_bad_header_and_missing_path(tmp_path: Path) -> None:
    path = tmp_path / "officeholders.csv"
    path.write_text("name,country\nX,USA\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="header must be"):
        load_holders(tmp_path)
    with pytest.raises(DataFileError, match="no such file"):
        load_holders(tmp_path / "missing")


def test_bundled_file_is_valid() -> None:
    holders = default_holders()
    assert len(holders) >= 1000
    assert len({h.country for h in holders if h.country}) >= 60


@pytest.mark.slow
def test_pipeline_reads_the_user_file(tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    from communique.pipeline import Pipeline
    from communique.records import Article
    from communique.settings import Settings

    _holders(tmp_path, USER)
    pipe = Pipeline(Settings(registry=str(tmp_path)), nlp=pipeline.nlp)
    text = "On Monday, Marta Lindqvist told reporters she would travel to Kenya."
    [coded] = list(pipe.code([Article.create(text, id="u", published=date(2031, 3, 4))]))
    marta = next(e for e in coded.entities if e.name == "Marta Lindqvist")
    assert (marta.country, marta.sector, marta.role) == ("FRA", "GOV", "foreign minister")
    [before] = list(pipeline.code([Article.create(text, id="u", published=date(2031, 3, 4))]))
    assert next(e for e in before.entities if e.name == "Marta Lindqvist").country is None


def test_hyphens_in_a_name_are_spaces(tmp_path: Path) -> None:
    # transliterated names are hyphenated one way in one paper and another way in the next
    from communique.actors.officeholders import OfficeHolders

    holders = OfficeHolders.from_csv(_holders(tmp_path, "Abdel-Karim al-Tawil,,EGY,foreign minister,GOV,"
                                                        "2011-01-01,2013-01-01,\n"))
    for form in ("Abdel Karim al-Tawil", "Abdel-Karim al Tawil", "abdel karim al tawil"):
        h = holders.find(form, date(2012, 5, 1))
        assert h is not None and h.country == "EGY", form
