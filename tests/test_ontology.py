"""Tests for communique.ontology: the bundled PLOVER file and its schema check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import communique.ontology as ontology_module
from communique.errors import DataFileError
from communique.ontology import PLOVER_TYPES, Ontology, load_ontology, ontology_version

BUNDLED = Path(ontology_module.__file__).with_name("plover.toml")


@pytest.fixture(scope="module")
def onto() -> Ontology:
    return load_ontology()


def test_exactly_the_16_types(onto: Ontology) -> None:
    assert tuple(onto.types) == (
        "AGREE", "CONSULT", "SUPPORT", "CONCEDE",
        "COOPERATE", "AID", "RETREAT",
        "REQUEST", "ACCUSE", "REJECT", "THREATEN",
        "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
    )  # fmt: skip
    assert tuple(onto.types) == PLOVER_TYPES


@pytest.mark.parametrize(
    ("name", "quad"),
    [("AGREE", 1), ("CONSULT", 1), ("AID", 2), ("RETREAT", 2), ("ACCUSE", 3), ("THREATEN", 3),
     ("PROTEST", 4), ("SANCTION", 4), ("ASSAULT", 4)],
)  # fmt: skip
def test_quad_class(onto: Ontology, name: str, quad: int) -> None:
    assert onto.quad_class(name) == quad


@pytest.mark.parametrize(
    ("name", "score"),
    [("AGREE", 2.5), ("CONSULT", 2.5), ("SUPPORT", 5.0), ("CONCEDE", 4.5), ("COOPERATE", 9.5),
     ("AID", 10.0), ("RETREAT", 6.5), ("REQUEST", 0.0), ("ACCUSE", -3.0), ("REJECT", -2.0),
     ("THREATEN", -3.5), ("PROTEST", -5.0), ("SANCTION", -6.0), ("MOBILIZE", -5.5),
     ("COERCE", -7.0), ("ASSAULT", -9.0)],
)  # fmt: skip
def test_type_scores(onto: Ontology, name: str, score: float) -> None:
    assert onto.score(name) == score


def test_accuse_score_is_negative_and_within_its_modes(onto: Ontology) -> None:
    accuse = onto.types["ACCUSE"]
    assert accuse.score < 0
    mode_scores = [m.score for m in accuse.modes.values()]
    assert min(mode_scores) <= accuse.score <= max(mode_scores)


@pytest.mark.parametrize(
    ("name", "mode", "score"),
    [
        ("CONSULT", "visit", 4.0),
        ("CONSULT", "phone", 1.5),
        ("RETREAT", "disarm", 10.0),
        ("ACCUSE", "disapprove", -2.0),
        ("COERCE", "martial-law", -7.5),
        ("ASSAULT", "unconventional", -10.0),
        ("PROTEST", "vandalize", -5.0),  # no score in the manual: inherits the type's
        ("CONSULT", "no-such-mode", 2.5),  # unknown mode: the type's score
        ("AGREE", None, 2.5),
    ],
)
def test_mode_scores(onto: Ontology, name: str, mode: str | None, score: float) -> None:
    assert onto.score(name, mode) == score


@pytest.mark.parametrize(
    ("name", "root", "roots", "goldstein", "recipient"),
    [
        ("AGREE", "03", ("03",), 4.0, False),
        ("COOPERATE", "06", ("06",), 6.0, True),
        ("ACCUSE", "11", ("09", "11"), -2.0, False),
        ("SANCTION", "16", ("16",), -4.0, True),
        ("ASSAULT", "18", ("18", "19", "20"), -9.0, False),
    ],
)
def test_cameo_roots_and_goldstein(
    onto: Ontology, name: str, root: str, roots: tuple[str, ...], goldstein: float, recipient: bool
) -> None:
    et = onto.types[name]
    assert (et.cameo_root, et.cameo_roots, et.goldstein, et.requires_recipient) == (
        root,
        roots,
        goldstein,
        recipient,
    )


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("0411", ("CONSULT", "phone", None)),  # not listed: falls back to 041
        ("190", ("ASSAULT", None, "military")),
        ("042", ("CONSULT", "visit", None)),
        ("091", ("ACCUSE", "investigate", "crime")),
        ("112", ("ACCUSE", "disapprove", None)),
        ("0874", ("RETREAT", "disarm", "military")),
        ("08", ("CONCEDE", None, None)),
        ("163", ("SANCTION", "discontinue", "diplomatic")),
        ("1712", ("ASSAULT", "destroy", "human_security")),
        ("186", ("ASSAULT", "targeted", None)),
        ("2042", ("ASSAULT", "unconventional", "cbrn")),
        ("010", None),  # CAMEO 01 has no PLOVER equivalent
        ("", None),
        ("abc", None),
    ],
)
def test_from_cameo(onto: Ontology, code: str, expected: tuple[str, str | None, str | None] | None) -> None:
    assert onto.from_cameo(code) == expected


def test_crosswalk_covers_every_cameo_code_from_03(onto: Ontology) -> None:
    assert len(onto.cameo) == 274
    assert {code[:2] for code in onto.cameo} == {f"{n:02d}" for n in range(3, 21)}
    assert set(onto.cameo) <= set(onto.goldstein)


@pytest.mark.parametrize(
    ("code", "value"), [("01", 0.0), ("042", 1.9), ("0874", 10.0), ("13", -6.0), ("1823", -10.0)]
)
def test_goldstein_values(onto: Ontology, code: str, value: float) -> None:
    assert onto.goldstein[code] == value


def test_contexts_and_sectors(onto: Ontology) -> None:
    assert len(onto.contexts) == 37
    assert {"military", "diplomatic", "pro_autocracy", "trafficking"} <= set(onto.contexts)
    assert {"GOV", "MIL", "COP", "JUD", "LEG", "PTY", "REB", "OPP", "JRN", "MED", "NGO", "IGO"} <= set(
        onto.sectors
    )
    assert onto.sector("hlh") == "MED"
    assert onto.sector("XYZ") is None


def test_is_type(onto: Ontology) -> None:
    assert onto.is_type("ASSAULT")
    assert not onto.is_type("FIGHT")
    with pytest.raises(KeyError, match="FIGHT"):
        onto.quad_class("FIGHT")


def test_version() -> None:
    assert ontology_version()
    assert ontology_module.ONTOLOGY_VERSION == ontology_version() == load_ontology().version
    assert re.fullmatch(r"plover-\S+\+communique\.\d+", ontology_version())


def test_default_is_cached() -> None:
    assert load_ontology() is load_ontology()


def test_explicit_path_loads_the_same_data(tmp_path: Path) -> None:
    copy = tmp_path / "plover.toml"
    copy.write_text(BUNDLED.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_ontology(copy) == load_ontology()


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = BUNDLED.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "plover.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("[types.AGREE]", "[types.AGREEMENT]", "types.AGREE"),  # a type missing
        ("quad_class = 1", "quad_class = 5", "types.AGREE.quad_class"),
        ("score = 2.5", "score = 12.5", "types.AGREE.score"),
        ('"042" = { type = "CONSULT"', '"042" = { type = "MEET"', "cameo.042.type"),
        (
            '"0312" = { type = "AGREE", context = "military"',
            '"0312" = { type = "AGREE", context = "war"',
            "cameo.0312.context",
        ),
        (
            '"041" = { type = "CONSULT", mode = "phone"',
            '"041" = { type = "CONSULT", mode = "fax"',
            "cameo.041.mode",
        ),
        ('version = "', 'versio = "', "version"),
    ],
)
def test_broken_file_raises(tmp_path: Path, old: str, new: str, key: str) -> None:
    path = _broken(tmp_path, old, new)
    with pytest.raises(DataFileError) as err:
        load_ontology(path)
    message = str(err.value)
    assert message.startswith(str(path))
    assert key in message


def test_bad_toml_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("version = \n", encoding="utf-8")
    with pytest.raises(DataFileError, match="not valid TOML"):
        load_ontology(bad)
    with pytest.raises(DataFileError, match="cannot be read"):
        load_ontology(tmp_path / "absent.toml")


def test_every_lexicon_mode_is_an_ontology_mode() -> None:
    from communique.events.lexicon import load_lexicon

    ontology = load_ontology()
    lexicon = load_lexicon()
    unknown = {(e.type, mode) for es in (*lexicon.verbs.values(), *lexicon.nouns.values()) for e in es
               for mode in (e.mode, *(m for m, _ in e.modes), ) if mode and mode not in ontology.types[e.type].modes}
    assert unknown == set()
