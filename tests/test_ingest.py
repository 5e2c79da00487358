"""Readers: every input format, the title separator, stdin, and one case per bad-input reason."""

from __future__ import annotations

import io
import json
import logging
import os
import sys
from datetime import date
from pathlib import Path

import pytest

from communique.errors import InputError
from communique.ingest import parse_published, read_articles
from communique.records import Article

GOOD = {"id": "good-1", "text": "The envoy arrived in Oslo.", "published": "2024-03-05"}
GOOD_ARTICLE = Article(id="good-1", text="The envoy arrived in Oslo.", published=date(2024, 3, 5))


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def read(paths: list[Path | str], **kwargs: object) -> tuple[list[Article], list[tuple[str, str]]]:
    errors: list[InputError] = []
    articles = list(read_articles(paths, errors=errors, **kwargs))  # type: ignore[arg-type]
    return articles, [(e.item, e.reason) for e in errors]


# --- formats ---------------------------------------------------------------------------------------------


def test_json_object(tmp_path: Path) -> None:
    obj = {
        "id": "a1",
        "url": "https://news.example/a1",
        "published": "2023-10-24",
        "title": "  Talks resume  ",
        "text": "Delegates met on Monday.\n",
        "source": "Example Wire",
        "language": "en",
    }
    f = write(tmp_path / "one.json", json.dumps(obj))
    assert read([f]) == (
        [
            Article(
                id="a1",
                text="Delegates met on Monday.\n",
                title="Talks resume",
                url="https://news.example/a1",
                source="Example Wire",
                published=date(2023, 10, 24),
                language="en",
            )
        ],
        [],
    )


def test_json_list(tmp_path: Path) -> None:
    objs = [{"id": "x", "text": "First."}, {"id": 7, "text": "Second."}]
    f = write(tmp_path / "many.json", json.dumps(objs))
    assert read([f]) == ([Article(id="x", text="First."), Article(id="7", text="Second.")], [])


@pytest.mark.parametrize("suffix", [".jsonl", ".ndjson"])
def test_json_lines(tmp_path: Path, suffix: str) -> None:
    lines = [json.dumps({"id": "l1", "text": "One."}), "", "   ", json.dumps({"id": "l2", "text": "Two."})]
    f = write(tmp_path / f"feed{suffix}", "\n".join(lines) + "\n")
    assert read([f]) == ([Article(id="l1", text="One."), Article(id="l2", text="Two.")], [])


def test_json_file_holding_json_lines(tmp_path: Path) -> None:
    f = write(tmp_path / "lines.json", '{"id": "a", "text": "A."}\n{"id": "b", "text": "B."}\n')
    assert read([f]) == ([Article(id="a", text="A."), Article(id="b", text="B.")], [])


def test_field_aliases(tmp_path: Path) -> None:
    obj = {"doc_id": "d", "headline": "H", "body": "B.", "date": "2022-01-02", "link": "u", "lang": "fr"}
    f = write(tmp_path / "alias.json", json.dumps(obj))
    assert read([f], languages=None)[0] == [
        Article(id="d", text="B.", title="H", url="u", published=date(2022, 1, 2), language="fr")
    ]


def test_missing_id_is_a_hash_of_url_else_text(tmp_path: Path) -> None:
    lines = '{"url": "https://x.example/1", "text": "A."}\n{"title": "T", "text": "B."}\n'
    f = write(tmp_path / "noid.jsonl", lines)
    articles, errors = read([f])
    assert errors == []
    assert [a.id for a in articles] == [
        Article.create("A.", url="https://x.example/1").id,
        Article.create("B.", title="T").id,
    ]
    assert len(articles[0].id) == 16 and articles[0].id != articles[1].id


def test_published_argument_fills_only_missing_dates(tmp_path: Path) -> None:
    f = write(
        tmp_path / "dates.jsonl",
        '{"id": "a", "text": "A.", "published": "2020-05-06"}\n{"id": "b", "text": "B."}\n'
        '{"id": "c", "text": "C.", "published": ""}\n',
    )
    articles, _ = read([f], published=date(2021, 1, 1))
    assert [a.published for a in articles] == [date(2020, 5, 6), date(2021, 1, 1), date(2021, 1, 1)]


@pytest.mark.parametrize(
    "value",
    [
        "2023-10-24",
        "2023-10-24T08:00:00Z",
        "2023-10-24T08:00:00",
        "2023-10-24T23:30:00-05:00",
        "2023-10-24 08:00",
        "2023-10-24 08:00:59",
        "2023/10/24",
        "Tue, 24 Oct 2023 08:00:00 GMT",
        " 2023-10-24 ",
    ],
)
def test_parse_published(value: str) -> None:
    assert parse_published(value) == date(2023, 10, 24)


@pytest.mark.parametrize("value", ["", "   ", None])
def test_parse_published_empty(value: str | None) -> None:
    assert parse_published(value) is None


# --- plain text ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "title", "text"),
    [
        ("Title\n---\nBody.", "Title", "Body."),
        ("  Two\n line title \n\n-----\n\n\nBody one.\n\nBody two.\n\n", "Two line title",
         "Body one.\n\nBody two."),
        ("\n\nJust text.\n  Indented.\n\n", None, "Just text.\n  Indented."),
        ("---\nBody after a bare rule.\n", None, "Body after a bare rule."),
        ("Title\n  ------  \nBody.", "Title", "Body."),
        ("Title\r\n---\r\nLine one.\r\nLine two.\r\n", "Title", "Line one.\nLine two."),
        ("Not\n--\na separator", None, "Not\n--\na separator"),
        ("Title\n---\nBody.\n---\nMore.", "Title", "Body.\n---\nMore."),
        ("One.\nTwo.\nThree.\nFour.\n---\nFive.", None, "One.\nTwo.\nThree.\nFour.\n---\nFive."),
    ],
    ids=["simple", "multiline-title", "no-separator", "no-title", "spaced-dashes", "crlf", "two-dashes",
         "second-rule-in-text", "rule-after-long-text"],
)  # fmt: skip
def test_text_file(tmp_path: Path, content: str, title: str | None, text: str) -> None:
    f = write(tmp_path / "story-7.txt", content)
    assert read([f], published=date(2023, 10, 24)) == (
        [Article(id="story-7", text=text, title=title, published=date(2023, 10, 24))],
        [],
    )


@pytest.mark.parametrize("name", ["notes.md", "README"])
def test_any_other_file_is_text(tmp_path: Path, name: str) -> None:
    f = write(tmp_path / name, "Headline\n---\nBody.")
    assert read([f]) == ([Article(id=Path(name).stem, text="Body.", title="Headline")], [])


def test_directory_is_read_recursively_in_path_order(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "B text.")
    write(tmp_path / "a.json", json.dumps({"id": "a", "text": "A text."}))
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "c.jsonl", json.dumps({"id": "c", "text": "C text."}) + "\n")
    write(tmp_path / "ignored.md", "Not read in a directory.")
    write(tmp_path / ".hidden.txt", "Hidden.")
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".git" / "x.txt", "Hidden too.")
    assert read([tmp_path]) == (
        [Article(id="a", text="A text."), Article(id="b", text="B text."), Article(id="c", text="C text.")],
        [],
    )


def test_a_single_path_string_is_one_path(tmp_path: Path) -> None:
    f = write(tmp_path / "solo.txt", "Alone.")
    assert list(read_articles(str(f))) == [Article(id="solo", text="Alone.")]


# --- stdin -----------------------------------------------------------------------------------------------


DAY = date(2023, 1, 2)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            '{"id": "s1", "text": "One."}\n\n{"id": "s2", "text": "Two.", "published": "2020-02-02"}\n',
            [Article(id="s1", text="One.", published=DAY),
             Article(id="s2", text="Two.", published=date(2020, 2, 2))],
        ),
        ('{\n  "id": "p",\n  "text": "Pretty."\n}\n', [Article(id="p", text="Pretty.", published=DAY)]),
        ('[{"id": "l", "text": "Listed."}]', [Article(id="l", text="Listed.", published=DAY)]),
        ("Piped title\n---\nPiped body.\n",
         [Article.create("Piped body.", title="Piped title", published=DAY)]),
        (
            "{braces} open this text\nbut it is prose.\n",
            [Article.create("{braces} open this text\nbut it is prose.", published=DAY)],
        ),
    ],
    ids=["jsonl", "json-object", "json-list", "text", "text-starting-with-brace"],
)  # fmt: skip
def test_stdin(monkeypatch: pytest.MonkeyPatch, content: str, expected: list[Article]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(content))
    assert read(["-"], published=DAY) == (expected, [])


def test_stdin_bad_line_and_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = b'{"id": "ok", "text": "Fine."}\n{"id": "bad"\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    assert read(["-"]) == (
        [Article(id="ok", text="Fine.")],
        [("<stdin>:2", "invalid JSON: Expecting ',' delimiter (column 13)")],
    )


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty input"),
        (b"  \n\n", "empty input"),
        (b"caf\xe9\n", "not UTF-8 text (bad byte at offset 3); convert the file to UTF-8"),
    ],
)
def test_stdin_errors(monkeypatch: pytest.MonkeyPatch, raw: bytes, reason: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    assert read(["-"]) == ([], [("<stdin>", reason)])


# --- bad input: one reason per case, the good file next to it still comes through ---------------------------


BAD_CASES: list[tuple[str, str | bytes | None, str, str]] = [
    # (file name, content (None: no file), item suffix, reason)
    ("missing.txt", None, "", "file not found"),
    ("empty.txt", "", "", "empty file"),
    ("blank.json", " \n\t\n", "", "empty file"),
    ("blank.jsonl", "\n\n", "", "empty file"),
    ("broken.json", '{\n  "id": "a",\n  "text": "x"\n  "title": "y"\n}', "",
     "invalid JSON at line 4: Expecting ',' delimiter"),
    ("broken.jsonl", '{"text" "x"}\n', ":1", "invalid JSON: Expecting ':' delimiter (column 9)"),
    ("scalar.json", "42", "", "expected a JSON object or a list of objects"),
    ("emptylist.json", "[]", "", "no articles (the JSON list is empty)"),
    ("notobject.json", '[{"id": "g", "text": "G."}, 3]', "[1]",
     "expected a JSON object with 'text', got int"),
    ("notext.json", '{"id": "n", "title": "Only a title"}', "", "no text"),
    ("blanktext.jsonl", '{"id": "n", "text": "  \\n "}\n', ":1", "no text"),
    ("numbertext.json", '{"id": "n", "text": 12}', "", "'text' must be a string, not int"),
    ("listtitle.json", '{"text": "T.", "title": ["a"]}', "", "'title' must be a string, not list"),
    ("baddate.json", '{"text": "T.", "published": "2023-13-45"}', "",
     "invalid published date '2023-13-45' (use YYYY-MM-DD)"),
    ("numberdate.jsonl", '{"text": "T.", "published": 20230101}\n', ":1",
     "invalid published date 20230101 (use YYYY-MM-DD)"),
    ("latin1.txt", b"Caf\xe9 talks\n", "",
     "not UTF-8 text (bad byte at offset 3); convert the file to UTF-8"),
    ("latin1.jsonl", b'{"text": "caf\xe9"}\n', ":1",
     "not UTF-8 text (bad byte at offset 13); convert the file to UTF-8"),
    ("binary.txt", b"PK\x03\x04\x00\x00", "", "not a text file (it contains NUL bytes)"),
    ("titleonly.txt", "Just a title\n---\n\n", "", "no text"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "suffix", "reason"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_input_is_skipped_with_a_reason(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    name: str,
    content: str | bytes | None,
    suffix: str,
    reason: str,
) -> None:
    bad = tmp_path / name
    if content is not None:
        write(bad, content)
    good = write(tmp_path / "good.json", json.dumps(GOOD))
    with caplog.at_level(logging.WARNING, logger="communique.ingest"):
        articles, errors = read([bad, good])
    expected_good = [GOOD_ARTICLE]
    if name == "notobject.json":
        expected_good = [Article(id="g", text="G."), GOOD_ARTICLE]
    assert articles == expected_good
    assert errors == [(f"{bad}{suffix}", reason)]
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        ("communique.ingest", "WARNING", f"skipped {bad}{suffix}: {reason}")
    ]


def test_bad_lines_do_not_stop_the_file(tmp_path: Path) -> None:
    f = write(
        tmp_path / "mixed.jsonl",
        '{"id": "1", "text": "One."}\nnot json\n{"id": "3"}\n'
        '{"id": "4", "text": "Four.", "published": "2023-02-30"}\n{"id": "5", "text": "Five."}\n',
    )
    assert read([f]) == (
        [Article(id="1", text="One."), Article(id="5", text="Five.")],
        [
            (f"{f}:2", "invalid JSON: Expecting value (column 1)"),
            (f"{f}:3", "no text"),
            (f"{f}:4", "invalid published date '2023-02-30' (use YYYY-MM-DD)"),
        ],
    )


def test_empty_directory(tmp_path: Path) -> None:
    assert read([tmp_path]) == (
        [],
        [(str(tmp_path), "no input files in the directory (looked for .json, .jsonl, .ndjson, .csv, .tsv, "
                         ".parquet, .html, .htm, .xhtml, .rss, .atom, .xml, .warc, .txt; "
                         ".gz too for JSON Lines, CSV, TSV and WARC)")],
    )


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path: Path) -> None:
    f = write(tmp_path / "locked.txt", "Secret.")
    f.chmod(0)
    try:
        assert read([f]) == ([], [(str(f), "cannot read the file: permission denied")])
    finally:
        f.chmod(0o644)


def test_errors_list_is_optional(tmp_path: Path) -> None:
    assert list(read_articles([tmp_path / "nope.json", write(tmp_path / "g.json", json.dumps(GOOD))])) == [
        GOOD_ARTICLE
    ]


# --- JSON nested far too deep ------------------------------------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000
TOO_DEEP = "JSON nested too deeply (thousands of levels: not an article)"


@pytest.mark.parametrize("name,content,item", [
    ("deep.json", DEEP, ""),
    ("deep.jsonl", json.dumps(GOOD) + "\n" + '{"text": ' + DEEP + "}\n" + json.dumps(GOOD), ":2"),
], ids=["json", "jsonl-line"])
def test_json_nested_100000_levels_is_one_bad_item(tmp_path: Path, name: str, content: str, item: str) -> None:
    before = write(tmp_path / "a.json", json.dumps(GOOD))
    deep = write(tmp_path / name, content)
    after = write(tmp_path / "z.json", json.dumps({**GOOD, "id": "good-2"}))
    articles, errors = read([before, deep, after])
    kept = [a.id for a in articles]
    assert kept[0] == "good-1" and kept[-1] == "good-2" and len(kept) == (4 if item else 2)
    assert errors == [(f"{deep}{item}", TOO_DEEP)]


def test_json_nested_100000_levels_on_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(DEEP.encode()), encoding="utf-8"))
    assert read(["-"]) == ([], [("<stdin>", TOO_DEEP)])
