"""The bundled office holders beyond heads and foreign/defence ministers: ``data/officeholders.d/*.csv``
(a ``source`` column, required), the IGO of an official read from the first words of its role, and
one code per organisation (UN organs are coded UN)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from communique.actors import load_registry
from communique.actors.officeholders import DIR_COLUMNS, DIR_NAME, OfficeHolders, default_holders
from communique.errors import DataFileError
from communique.export import _actor_cells

HEADER = ",".join(DIR_COLUMNS) + "\n"
ROLE_SECTORS = {
    "interior minister": "GOV", "finance minister": "GOV", "central bank governor": "GOV",
    "justice minister": "GOV", "attorney general": "GOV", "speaker of parliament": "LEG",
    "deputy prime minister": "GOV",
}  # fmt: skip


def _file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "group.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _folder() -> list[Path]:
    d = resources.files("communique.actors") / "data" / DIR_NAME
    return sorted(Path(str(f)) for f in d.iterdir() if f.name.endswith(".csv"))


def test_the_bundled_set_reads_every_file_of_the_folder() -> None:
    holders = default_holders()
    files = _folder()
    assert files, "officeholders.d holds the role-group files"
    from_folder = [h for h in holders if h.source is not None]
    assert len(from_folder) == sum(len(OfficeHolders.from_csv(f)) for f in files)
    assert len(holders) == len(from_folder) + len(OfficeHolders.from_csv(
        Path(str(resources.files("communique.actors") / "data" / "officeholders.csv"))))


def test_folder_rows_use_the_agreed_roles_sectors_and_real_codes() -> None:
    reg = load_registry()
    for h in default_holders():
        if h.source is None:
            continue
        assert h.source.strip()
        assert h.country is None or reg.country(h.country) is not None, (h.name, h.country)
        if h.role in ROLE_SECTORS:
            assert h.sector == ROLE_SECTORS[h.role], (h.name, h.role, h.sector)
        assert h.country is not None or h.igo is not None, h.name
        assert h.start >= date(1940, 1, 1) and (h.end is None or h.end >= date(1990, 1, 1)), (h.name, h.start)


def test_no_person_holds_one_office_twice_at_once() -> None:
    """Two rows of one person in one role and country must not overlap (a handover day is allowed)."""
    terms: dict[tuple[str, str | None, str | None, str], list] = defaultdict(list)  # type: ignore[type-arg]
    for h in default_holders():
        terms[(h.registry_id, h.country, h.igo, h.role)].append(h)
    bad = []
    for key, hs in terms.items():
        hs.sort(key=lambda h: h.start)
        for a, b in zip(hs, hs[1:], strict=False):
            if a.end is None or a.end > b.start:
                bad.append((key, str(a.start), str(a.end), str(b.start)))
    assert bad == []


@pytest.mark.parametrize("name, on, country, role, sector", [
    ("Ben Bernanke", date(2010, 3, 1), "USA", "central bank governor", "GOV"),
    ("Elvira Nabiullina", date(2022, 3, 1), "RUS", "central bank governor", "GOV"),
    ("Mark Carney", date(2015, 1, 1), "GBR", "central bank governor", "GOV"),
    ("Mark Carney", date(2010, 1, 1), "CAN", "central bank governor", "GOV"),
])  # fmt: skip
def test_find_in_the_folder(name: str, on: date, country: str, role: str, sector: str) -> None:
    h = default_holders().find(name, on)
    assert h is not None and h.current
    assert (h.country, h.role, h.sector) == (country, role, sector)


def test_source_is_required_in_a_nine_column_file(tmp_path: Path) -> None:
    path = _file(tmp_path, "Ada Example,,XAA,finance minister,GOV,2001,2003,,ministry website\n"
                           "Bo Example,,XAA,finance minister,GOV,2003,,,\n")
    with pytest.raises(DataFileError, match=r"group\.csv:3: source is empty"):
        OfficeHolders.from_csv(path)


def test_a_short_row_names_its_line(tmp_path: Path) -> None:
    path = _file(tmp_path, "Ada Example,,XAA,finance minister,GOV,2001,2003\n")
    with pytest.raises(DataFileError, match=r"group\.csv:2: 9 values needed"):
        OfficeHolders.from_csv(path)


@pytest.mark.parametrize("role, igo", [
    ("un high commissioner for refugees", "UN"),
    ("un special envoy for syria", "UN"),
    ("imf managing director", "IMF"),
    ("world bank president", "WB"),
    ("au commission chairperson", "AU"),
    ("arab league secretary-general", "LAS"),
    ("opec secretary-general", "OPEC"),
    ("icc prosecutor", "ICC"),
    ("unhcr chief", "UNHCR"),
    ("unsc president", "UN"),  # an organ of the UN is coded UN
    ("nato secretary-general", "NATO"),
])  # fmt: skip
def test_the_igo_of_an_official_is_read_from_the_role(tmp_path: Path, role: str, igo: str) -> None:
    path = _file(tmp_path, f"Ada Example,,,{role},IGO,2001,2003,,its website\n")
    [h] = OfficeHolders.from_csv(path)
    assert (h.country, h.igo, h.source) == (None, igo, "its website")


def test_an_official_of_no_known_organisation_is_an_error(tmp_path: Path) -> None:
    path = _file(tmp_path, "Ada Example,,,grand vizier of nowhere,IGO,2001,2003,,a book\n")
    with pytest.raises(DataFileError, match=r"group\.csv:2: no country, and role 'grand vizier of nowhere'"):
        OfficeHolders.from_csv(path)


def test_eight_column_user_files_still_read(tmp_path: Path) -> None:
    path = tmp_path / "officeholders.csv"
    path.write_text("name,aliases,country,role,sector,start,end,qid\nAda Example,,XAA,president,GOV,2001,,\n",
                    encoding="utf-8")
    [h] = OfficeHolders.from_csv(path)
    assert (h.name, h.source) == ("Ada Example", None)


# ------------------------------------------------------------------ one code per organisation


@pytest.mark.parametrize("phrase, igo, registry_id", [
    ("UN Security Council", "UN", "igo:UNSC"),
    ("the Security Council", "UN", "igo:UNSC"),
    ("U.N. General Assembly", "UN", "igo:UNGA"),
    ("International Court of Justice", "UN", "igo:ICJ"),
    ("OCHA", "UN", "igo:OCHA"),
    ("United Nations", "UN", "igo:UN"),
    ("UNHCR", "UNHCR", "igo:UNHCR"),  # a separately governed agency keeps its own code
    ("WHO", "WHO", "igo:WHO"),
    ("KFOR", "NATO", "igo:KFOR"),
])  # fmt: skip
def test_organs_are_coded_with_their_organisation(phrase: str, igo: str, registry_id: str) -> None:
    e = load_registry().lookup(phrase)
    assert e is not None and (e.igo, e.registry_id) == (igo, registry_id)


def test_part_of_must_name_a_top_level_organisation(tmp_path: Path) -> None:
    (tmp_path / "igos.csv").write_text("code,name,aliases,kind,part_of\nXSUB,Sub Body,,IGO,XNONE\n",
                                       encoding="utf-8")
    with pytest.raises(DataFileError, match=r"igos\.csv:2: part_of 'XNONE'"):
        load_registry(tmp_path)
    (tmp_path / "igos.csv").write_text("code,name,aliases,kind,part_of\nXSUB,Sub Body,,IGO,UNSC\n",
                                       encoding="utf-8")
    with pytest.raises(DataFileError, match=r"part_of 'UNSC'"):
        load_registry(tmp_path)


def test_a_four_column_user_igos_file_still_reads(tmp_path: Path) -> None:
    (tmp_path / "igos.csv").write_text("code,name,aliases,kind\nXORG,Example Organisation,,IGO\n", encoding="utf-8")
    e = load_registry(tmp_path).lookup("Example Organisation")
    assert e is not None and e.igo == "XORG"


@pytest.mark.parametrize("country, igo, sector, code", [
    ("KEN", None, "GOV", "KENGOV"),
    (None, "UN", "IGO", "UN"),  # never UNIGO
    (None, "UN", "MIL", "UN"),  # never UNMIL (a UN mission's own code)
    (None, "NATO", None, "NATO"),
    (None, None, "REB", "REB"),
    (None, None, None, None),
])  # fmt: skip
def test_gdelt_actor_code_is_one_code_per_organisation(country: str | None, igo: str | None, sector: str | None,
                                                       code: str | None) -> None:
    assert _actor_cells("x", country, igo, sector)[0] == code


# ------------------------------------------------------------------ the resolver uses them


def _entity(coded, name):  # type: ignore[no-untyped-def]
    return next(e for e in coded.entities if e.name == name)


@pytest.mark.slow
@pytest.mark.parametrize("text, published, name, country, sector, role", [
    # a registered person, coded by the office held on the article's date
    ("Ben Bernanke warned lawmakers that growth was slowing.", date(2012, 3, 1),
     "Ben Bernanke", "USA", "GOV", "central bank governor"),
    ("Ben Bernanke warned lawmakers that growth was slowing.", date(2019, 3, 1),
     "Ben Bernanke", "USA", None, "former central bank governor"),
    ("Elvira Nabiullina raised interest rates again on Friday.", date(2023, 8, 15),
     "Elvira Nabiullina", "RUS", "GOV", "central bank governor"),
    ("Wolfgang Schäuble said Greece must keep its promises to its lenders.", date(2012, 6, 1),
     "Wolfgang Schäuble", "DEU", "GOV", "finance minister"),
    ("Nirmala Sitharaman presented the budget in parliament.", date(2024, 7, 23),
     "Nirmala Sitharaman", "IND", "GOV", "finance minister"),
    ("Bärbel Bas opened the session of the Bundestag.", date(2023, 9, 5),
     "Bärbel Bas", "DEU", "LEG", "speaker of parliament"),
    # titles the registry does not need to know the person for
    ("Interior Minister Tomas Vebrek ordered more patrols in the capital.", date(2024, 2, 1),
     "Tomas Vebrek", None, "GOV", "interior minister"),
    ("Lina Marovic, the central bank governor, kept rates on hold.", date(2024, 2, 1),
     "Lina Marovic", None, "GOV", "central bank governor"),
    ("Parliament Speaker Oren Talbek adjourned the session.", date(2024, 2, 1),
     "Oren Talbek", None, "LEG", "speaker of parliament"),
    ("The army chief, General Tomas Relvak, inspected the troops.", date(2024, 2, 1),
     "Tomas Relvak", None, "MIL", "army chief"),
])  # fmt: skip
def test_the_resolver_codes_new_roles(code_text, text: str, published: date, name: str,  # type: ignore[no-untyped-def]
                                      country: str | None, sector: str | None, role: str) -> None:
    e = _entity(code_text(text, published), name)
    assert (e.country, e.sector, e.role) == (country, sector, role)


def test_a_user_row_replaces_only_the_same_office(tmp_path: Path) -> None:
    """A user's corrected chancellorship must not drop the same person's finance ministry, which ended
    on the day the chancellorship began."""
    from communique.actors.officeholders import load_holders

    (tmp_path / "officeholders.csv").write_text(
        "name,aliases,country,role,sector,start,end,qid\nOlaf Scholz,,DEU,chancellor,GOV,2021-12-08,2025-05-05,\n",
        encoding="utf-8")
    holders = load_holders(tmp_path)
    assert [(h.role, h.start) for h in holders if h.name == "Olaf Scholz" and h.role == "finance minister"] == [
        ("finance minister", date(2018, 3, 14))]
    chancellor = holders.find("Olaf Scholz", date(2025, 5, 6))
    assert chancellor is not None and not chancellor.current  # the user's end, not the bundled one


def test_a_bare_surname_keeps_naming_the_main_files_person() -> None:
    """Roberto Fico, speaker of Italy's chamber 2018-22, does not take "Fico" from Robert Fico, Slovakia's
    prime minister, whose surname the main file gives."""
    h = default_holders().find("Fico", date(2020, 3, 1))
    assert h is not None and (h.name, h.country) == ("Robert Fico", "SVK")


def test_a_bare_surname_of_the_new_files_needs_its_owner_in_office() -> None:
    holders = default_holders()
    h = holders.find("Nabiullina", date(2022, 3, 1))
    assert h is not None and (h.country, h.current) == ("RUS", True)
    assert holders.find("Nabiullina", date(2005, 3, 1)) is None  # not in office then: no guess
    assert holders.find("Sanusi", date(2010, 3, 1)) is None  # two governors called Sanusi: no guess


def test_one_registry_id_per_name() -> None:
    """A name or alias names one person: the same person has the same name (and QID) in every file."""
    from communique.actors.officeholders import _fold

    ids: dict[str, set[str]] = defaultdict(set)
    for h in default_holders():
        for n in (h.name, *h.aliases):
            ids[_fold(n)].add(h.registry_id)
    clashes = {k: v for k, v in ids.items() if len(v) > 1}
    # two different people: Ireland's Micheál Martin (alias Michael Martin) and the Commons speaker
    assert set(clashes) <= {"michael martin"}, clashes


def test_evaluation_and_training_read_an_organ_as_its_organisation() -> None:
    from communique.evaluate import _actor_eq
    from communique.training.train import _key

    assert _actor_eq({"igo": "UNSC"}, {"igo": "UN"})
    assert not _actor_eq({"igo": "UNHCR"}, {"igo": "UN"})
    assert _key({"country": None, "igo": "UNSC"}) == (None, "UN")
    assert _key({"country": None, "igo": "XYZ"}) == (None, "XYZ")  # not in igos.csv: kept


def test_the_readme_counts_the_six_groups() -> None:
    """officeholders.README.md states the rows of this helper's six files; it must not go stale."""
    import re

    data = resources.files("communique.actors") / "data"
    text = (data / "officeholders.README.md").read_text(encoding="utf-8")
    m = re.search(r"Coverage of the six groups above \(([\d,]+) rows, (\d+) states\)", text)
    assert m is not None
    groups = ("interior", "finance", "central-bank", "justice", "speaker", "deputy-pm")
    rows = [h for g in groups for h in OfficeHolders.from_csv(Path(str(data / DIR_NAME / f"{g}.csv")))]
    assert int(m.group(1).replace(",", "")) == len(rows)
    assert int(m.group(2)) == len({h.country for h in rows})
