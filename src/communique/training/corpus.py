"""The team's training corpus of news-style passages: reading, checking and converting it.

A corpus file is JSON Lines, one passage a line (``corpus/passages/*.jsonl``; the guideline is
``corpus/GUIDELINE.md``)::

    {"id": "mena-001", "genre": "wire", "published": "2024-03-12", "title": "...",
     "sentences": ["First sentence.", "Second sentence."],
     "events": [{"sentence": 0, "trigger": "met", "type": "CONSULT", "mode": "meet",
                 "source": {"text": "Kenya's president", "name": "William Ruto", "country": "KEN",
                            "sector": "GOV", "igo": null},
                 "target": null, "factuality": "asserted",
                 "date": {"start": "2024-03-11", "end": null},
                 "location": {"text": "Nairobi", "country": "KEN"}, "core": true}]}

The text of a passage is its sentences joined by one space. ``trigger`` is the word or words of
that sentence that say the event happened (the verb or the event noun); ``source.text`` /
``target.text`` are the words of the same sentence that name the side, or null where the
sentence does not name it (a side named in an earlier sentence). Every mention of an event is
coded in its own sentence; :func:`to_gold` merges repeated mentions the way the gold sets do
(one event per type, source and target).

``python -m communique.training.corpus check [PATH ...]`` checks every file and prints the
counts; ``python -m communique.training.corpus gold OUT_DIR [PATH ...]`` writes the passages as
``*.article.json`` / ``*.gold.json`` pairs that ``communique evaluate`` scores.

Standard library only, so it runs before the package's dependencies are installed.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import tomllib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

GENRES = ("wire", "broadsheet", "local", "transcript", "liveblog", "pressrelease")
FACTUALITY = ("asserted", "negated", "planned", "speculative", "hypothetical", "historical")
IGO_CLASSES = frozenset({"IGO", "NGO", "IMG", "ISM", "MNC", "UNO", "EUR"})
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,40}$")
MAX_SENTENCES = 8
#: A run of this many words shared with a gold text counts as copied.
COPY_WORDS = 8

DEFAULT_PATHS = ("corpus/passages",)


@dataclass(frozen=True)
class Vocab:
    """What a field may hold: types and their modes, sectors, countries, IGO codes."""

    modes: dict[str, frozenset[str]]
    sectors: frozenset[str]
    countries: frozenset[str]
    igos: frozenset[str]


@cache
def vocab() -> Vocab:
    pkg = resources.files("communique")
    onto = tomllib.loads(pkg.joinpath("ontology/plover.toml").read_text(encoding="utf-8"))
    modes = {name: frozenset((t.get("modes") or {}).keys()) for name, t in onto["types"].items()}
    sectors = frozenset(onto["sectors"]) | frozenset(onto.get("sector_aliases") or {})
    with pkg.joinpath("actors/data/countries.csv").open(encoding="utf-8") as f:
        countries = frozenset(row["iso3"] for row in csv.DictReader(f))
    with pkg.joinpath("actors/data/igos.csv").open(encoding="utf-8") as f:
        igos = frozenset(row["code"] for row in csv.DictReader(f)) | IGO_CLASSES
    return Vocab(modes, sectors, countries, igos)


@dataclass
class Report:
    """What :func:`check` found: errors (file:line: message) and the corpus counts."""

    errors: list[str] = field(default_factory=list)
    passages: int = 0
    sentences: int = 0
    event_sentences: int = 0
    events: int = 0
    types: Counter[str] = field(default_factory=Counter)
    genres: Counter[str] = field(default_factory=Counter)
    modes: Counter[str] = field(default_factory=Counter)
    factuality: Counter[str] = field(default_factory=Counter)
    no_event_passages: int = 0

    @property
    def empty_sentences(self) -> int:
        """Sentences that hold no event."""
        return self.sentences - self.event_sentences

    def summary(self) -> str:
        lines = [
            f"{self.passages} passages, {self.sentences} sentences, {self.events} events, "
            f"{self.empty_sentences} sentences without an event, {self.no_event_passages} passages without one",
            "types: " + ", ".join(f"{k} {v}" for k, v in sorted(self.types.items())),
            "genres: " + ", ".join(f"{k} {v}" for k, v in sorted(self.genres.items())),
            "factuality: " + ", ".join(f"{k} {v}" for k, v in sorted(self.factuality.items())),
        ]
        if self.errors:
            lines.append(f"{len(self.errors)} error(s):")
            lines.extend("  " + e for e in self.errors[:200])
        return "\n".join(lines)


def files(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(sorted(p.glob("**/*.jsonl")) if p.is_dir() else [p])
    return out


def read(paths: Iterable[str | Path]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, passage) for every line of the corpus files; ``where`` is ``file:line``."""
    for path in files(paths):
        with path.open(encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if line.strip():
                    where = f"{path}:{n}"
                    try:
                        obj = json.loads(line)
                    except json.JSONDecodeError as e:
                        yield where, {"__error__": f"not valid JSON ({e.msg})"}
                        continue
                    yield where, obj if isinstance(obj, dict) else {"__error__": "not a JSON object"}


def text_of(passage: dict[str, Any]) -> str:
    return " ".join(passage["sentences"])


def _side_errors(side: Any, sentence: str, what: str, v: Vocab) -> list[str]:
    if side is None:
        return []
    if not isinstance(side, dict):
        return [f"{what} must be an object or null"]
    errs = []
    extra = set(side) - {"text", "name", "country", "sector", "igo"}
    if extra:
        errs.append(f"{what} has unknown keys {sorted(extra)}")
    text = side.get("text")
    if text is not None and (not isinstance(text, str) or not text or text not in sentence):
        errs.append(f"{what}.text {text!r} is not in the event's sentence")
    if text is None and not side.get("name"):
        errs.append(f"{what} needs a text or a name")
    c = side.get("country")
    if c is not None and c not in v.countries:
        errs.append(f"{what}.country {c!r} is not an ISO 3166 alpha-3 code of actors/data/countries.csv")
    s = side.get("sector")
    if s is not None and s not in v.sectors:
        errs.append(f"{what}.sector {s!r} is not a PLOVER sector")
    igo = side.get("igo")
    if igo is not None and igo not in v.igos:
        errs.append(f"{what}.igo {igo!r} is not a code of actors/data/igos.csv nor IGO/NGO/IMG/ISM/MNC")
    if c is not None and igo is not None:
        errs.append(f"{what}: country and igo are exclusive (an IGO has country null)")
    return errs


def _date_errors(d: Any, what: str) -> list[str]:
    if d is None:
        return []
    if not isinstance(d, dict) or not isinstance(d.get("start"), str) or not _DATE.match(d["start"]):
        return [f"{what} must be null or {{'start': 'YYYY[-MM[-DD]]', 'end': ... or null}}"]
    end = d.get("end")
    if end is not None and (not isinstance(end, str) or not _DATE.match(end) or end < d["start"]):
        return [f"{what}.end must be null or a date not before start"]
    for v in (d["start"], end):
        if v and len(v) == 10:
            try:
                date.fromisoformat(v)
            except ValueError:
                return [f"{what}: {v} is not a calendar day"]
    return []


def event_errors(e: Any, sentences: list[str], v: Vocab) -> list[str]:
    if not isinstance(e, dict):
        return ["an event must be an object"]
    errs = []
    extra = set(e) - {"sentence", "trigger", "type", "mode", "source", "target", "factuality", "date",
                      "location", "core", "symmetric", "alt_types", "note"}
    if extra:
        errs.append(f"unknown keys {sorted(extra)}")
    i = e.get("sentence")
    if not isinstance(i, int) or not 0 <= i < len(sentences):
        return errs + [f"sentence {i!r} is not an index of the passage's sentences"]
    sent = sentences[i]
    trig = e.get("trigger")
    if not isinstance(trig, str) or not trig.strip() or trig not in sent:
        errs.append(f"trigger {trig!r} is not in sentence {i}")
    t = e.get("type")
    if t not in v.modes:
        errs.append(f"type {t!r} is not one of the 16 PLOVER types")
    elif e.get("mode") is not None and e["mode"] not in v.modes[t]:
        errs.append(f"mode {e['mode']!r} is not a mode of {t} ({', '.join(sorted(v.modes[t])) or 'none'})")
    for alt in e.get("alt_types") or []:
        if alt not in v.modes:
            errs.append(f"alt_types: {alt!r} is not a PLOVER type")
    errs += _side_errors(e.get("source"), sent, "source", v)
    errs += _side_errors(e.get("target"), sent, "target", v)
    if e.get("factuality") not in FACTUALITY:
        errs.append(f"factuality {e.get('factuality')!r} is not one of {', '.join(FACTUALITY)}")
    errs += _date_errors(e.get("date"), "date")
    loc = e.get("location")
    if loc is not None:
        if not isinstance(loc, dict) or not loc.get("text"):
            errs.append("location must be null or {'text': ..., 'country': ISO3}")
        elif loc.get("country") is not None and loc["country"] not in v.countries:
            errs.append(f"location.country {loc['country']!r} is not an ISO3 code")
    if not isinstance(e.get("core", False), bool) or not isinstance(e.get("symmetric", False), bool):
        errs.append("core and symmetric are true or false")
    return errs


def passage_errors(p: dict[str, Any], v: Vocab) -> list[str]:
    if "__error__" in p:
        return [p["__error__"]]
    errs = []
    extra = set(p) - {"id", "genre", "published", "title", "sentences", "events", "note"}
    if extra:
        errs.append(f"unknown keys {sorted(extra)}")
    if not isinstance(p.get("id"), str) or not _ID.match(p["id"]):
        errs.append(f"id {p.get('id')!r}: lower-case letters, digits and hyphens")
    if p.get("genre") not in GENRES:
        errs.append(f"genre {p.get('genre')!r} is not one of {', '.join(GENRES)}")
    errs += [f"published: {m}" for m in _date_errors({"start": p.get("published")}, "published")]
    if not isinstance(p.get("published"), str) or len(p["published"]) != 10:
        errs.append("published must be a day, YYYY-MM-DD")
    sents = p.get("sentences")
    if (not isinstance(sents, list) or not 1 <= len(sents) <= MAX_SENTENCES
            or not all(isinstance(s, str) and s.strip() and "\n" not in s for s in sents)):
        return errs + [f"sentences must be a list of 1 to {MAX_SENTENCES} non-empty one-line strings"]
    events = p.get("events")
    if not isinstance(events, list):
        return errs + ["events must be a list (empty where the passage holds none)"]
    for k, e in enumerate(events):
        errs += [f"event {k}: {m}" for m in event_errors(e, sents, v)]
    return errs


def _shingles(text: str, n: int = COPY_WORDS) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def gold_shingles(eval_dir: Path) -> set[tuple[str, ...]]:
    """Every run of COPY_WORDS words in the texts of the visible gold sets (to refuse copied text)."""
    out: set[tuple[str, ...]] = set()
    for path in eval_dir.glob("*/*.article.json"):
        try:
            out |= _shingles(json.loads(path.read_text(encoding="utf-8")).get("text") or "")
        except (OSError, ValueError):
            continue
    return out


#: Runs of words that any news text may share with another (not copying).
STOCK = ("on condition of anonymity", "told reporters", "said in a statement")


def check(paths: Iterable[str | Path], eval_dir: Path | None = None) -> Report:
    """Check every passage of the corpus files; with ``eval_dir``, also that no passage repeats
    a run of COPY_WORDS words of a gold text."""
    v = vocab()
    rep = Report()
    seen: dict[str, str] = {}
    texts: dict[str, str] = {}
    gold = gold_shingles(eval_dir) if eval_dir and eval_dir.is_dir() else set()
    for where, p in read(paths):
        errs = passage_errors(p, v)
        pid = p.get("id")
        if isinstance(pid, str):
            if pid in seen:
                errs.append(f"id {pid!r} repeats {seen[pid]}")
            seen[pid] = where
        if not errs:
            text = text_of(p)
            if text in texts:
                errs.append(f"same text as {texts[text]}")
            texts[text] = where
            copied = [s for s in _shingles(text) & gold if not any(w in " ".join(s) for w in STOCK)]
            if copied:
                errs.append(f"shares {len(copied)} run(s) of {COPY_WORDS} words with a gold text, "
                            f"e.g. {' '.join(copied[0])!r}: write your own")
        rep.errors += [f"{where}: {m}" for m in errs]
        if errs:
            continue
        rep.passages += 1
        rep.sentences += len(p["sentences"])
        rep.event_sentences += len({e["sentence"] for e in p["events"]})
        rep.events += len(p["events"])
        rep.no_event_passages += not p["events"]
        rep.genres[p["genre"]] += 1
        for e in p["events"]:
            rep.types[e["type"]] += 1
            rep.modes[f"{e['type']}/{e.get('mode')}"] += 1
            rep.factuality[e["factuality"]] += 1
    return rep


def _key(side: dict[str, Any] | None) -> tuple[str | None, str | None]:
    return (side.get("country"), side.get("igo")) if side else (None, None)


def _gold_side(s: dict[str, Any] | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {"name": s.get("name") or s.get("text"), "country": s.get("country"), "sector": s.get("sector"),
            "igo": s.get("igo")}


def to_gold(p: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The passage as an article and its gold answers, repeated mentions merged (first kept)."""
    text = text_of(p)
    offsets, at = [], 0
    for s in p["sentences"]:
        offsets.append(at)
        at += len(s) + 1
    article = {"id": p["id"], "url": None, "published": p["published"], "title": p.get("title") or "", "text": text}
    events, seen = [], set()
    for e in p["events"]:
        key = (e["type"], _key(e.get("source")), _key(e.get("target")))
        if key in seen:
            continue
        seen.add(key)
        start = offsets[e["sentence"]] + p["sentences"][e["sentence"]].index(e["trigger"])
        out = {"type": e["type"], "mode": e.get("mode"), "source": _gold_side(e.get("source")),
               "target": _gold_side(e.get("target")), "date": e.get("date"), "location": e.get("location"),
               "factuality": e["factuality"], "core": bool(e.get("core")), "sentence_index": e["sentence"],
               "trigger": e["trigger"], "trigger_char_start": start, "trigger_char_end": start + len(e["trigger"])}
        for k in ("symmetric", "alt_types"):
            if e.get(k):
                out[k] = e[k]
        events.append(out)
    return article, {"id": p["id"], "published": p["published"], "events": events}


def write_gold(out_dir: Path, paths: Iterable[str | Path]) -> int:
    """Write every valid passage as a gold pair under out_dir; the number written."""
    v = vocab()
    out_dir.mkdir(parents=True, exist_ok=True)
    n = 0
    for _where, p in read(paths):
        if passage_errors(p, v):
            continue
        article, gold = to_gold(p)
        (out_dir / f"{p['id']}.article.json").write_text(json.dumps(article, ensure_ascii=False), encoding="utf-8")
        (out_dir / f"{p['id']}.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
        n += 1
    return n


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("check", "gold"):
        print(__doc__)
        return 2
    if argv[0] == "gold":
        if len(argv) < 2:
            print("usage: python -m communique.training.corpus gold OUT_DIR [PATH ...]", file=sys.stderr)
            return 2
        n = write_gold(Path(argv[1]), argv[2:] or DEFAULT_PATHS)
        print(f"wrote {n} article/gold pairs to {argv[1]}")
        return 0
    eval_dir = Path(__file__).resolve().parents[4] / "shared" / "eval"
    rep = check(argv[1:] or DEFAULT_PATHS, eval_dir if eval_dir.is_dir() else None)
    print(rep.summary())
    return 1 if rep.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
