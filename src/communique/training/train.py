"""Train the trigger model on the team's corpus: ``make train`` (``python -m communique.training.train``).

1. Read the valid passages of ``corpus/passages`` (see ``corpus/GUIDELINE.md``).
2. Parse them with the pipeline's spaCy model, exactly as ``code`` does.
3. Label each candidate word: the head word of an event's trigger takes the event's type (so do the
   trigger's words that the lexicon lists); every other candidate is ``NONE``; the remaining words of
   a trigger are left out (neither event nor non-event).
4. Fit a multinomial logistic regression (AdaGrad, L2, a fixed seed) and write it to
   ``src/communique/events/data/trigger_model.npz``.

A tenth of the passages (every tenth by id) is held out first and scored, so the log says how well
the model finds triggers it did not see; the final model is then fitted on all passages.
Runs on CPU in well under a minute on 2 cores.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
import zlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..actors.registry import load_registry
from ..events.lexicon import Lexicon, load_lexicon
from ..events.model import CANDIDATE_POS, NONE, TriggerModel, dense, features
from . import corpus

log = logging.getLogger("communique.train")

LABELS = (NONE, "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
          "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
OUT = Path(__file__).resolve().parents[1] / "events" / "data" / "trigger_model.npz"
SEED = 13


def lexicon_types(lex: Lexicon) -> dict[str, tuple[str, ...]]:
    """Lemma → the event types its lexicon entries code (verbs and nouns together)."""
    out: dict[str, list[str]] = {}
    for table in (lex.verbs, lex.nouns):
        for lemma, entries in table.items():
            for e in entries:
                if e.type not in out.setdefault(lemma, []):
                    out[lemma].append(e.type)
    return {k: tuple(v) for k, v in out.items()}


@dataclass
class Example:
    passage: str
    feats: list[str]
    label: int
    vector: np.ndarray


def examples(passages: Sequence[dict], nlp, lex_types: Mapping[str, tuple[str, ...]]) -> tuple[list[Example],
                                                                                                 set[str]]:
    """Labelled candidate words of the passages, and the lemmas seen as triggers."""
    texts = [corpus.text_of(p) for p in passages]
    docs = list(nlp.pipe(texts, batch_size=64))
    labelled: list[tuple[str, object, dict[int, str], set[int]]] = []
    trigger_lemmas: set[str] = set()
    for p, doc in zip(passages, docs, strict=True):
        offsets, at = [], 0
        for s in p["sentences"]:
            offsets.append(at)
            at += len(s) + 1
        label: dict[int, str] = {}
        skip: set[int] = set()
        for e in p["events"]:
            start = offsets[e["sentence"]] + p["sentences"][e["sentence"]].index(e["trigger"])
            span = doc.char_span(start, start + len(e["trigger"]), alignment_mode="expand")
            if span is None or not len(span):
                continue
            root = span.root
            for t in span:
                if t.pos_ not in CANDIDATE_POS:
                    continue
                if t == root or t.lemma_.lower() in lex_types:
                    label.setdefault(t.i, e["type"])
                    trigger_lemmas.add(t.lemma_.lower())
                else:
                    skip.add(t.i)
        labelled.append((p["id"], doc, label, skip))
    out = []
    index = {name: i for i, name in enumerate(LABELS)}
    for pid, doc, label, skip in labelled:
        for t in doc:  # type: ignore[attr-defined]
            if t.pos_ not in CANDIDATE_POS or t.i in skip:
                continue
            lemma = t.lemma_.lower()
            if t.i not in label and lemma not in trigger_lemmas and lemma not in lex_types:
                continue
            out.append(Example(pid, features(t, lex_types.get(lemma, ())), index[label.get(t.i, NONE)], dense(t)))
    return out, trigger_lemmas


def fit(data: Sequence[Example], n_labels: int, epochs: int = 12, rate: float = 0.2, l2: float = 1e-5,
        min_count: int = 2, seed: int = SEED, use_dense: bool = True) -> dict:
    """Multinomial logistic regression on binary sparse features (and, with ``use_dense``, the
    standardised context vectors) by AdaGrad; sparse features seen fewer than ``min_count`` times
    are dropped. Returns the keyword arguments of TriggerModel's weights."""
    counts = Counter(f for ex in data for f in set(ex.feats))
    names = sorted(f for f, c in counts.items() if c >= min_count)
    index = {f: i for i, f in enumerate(names)}
    rows = [np.array(sorted({index[f] for f in ex.feats if f in index}), dtype=np.int64) for ex in data]
    y = np.array([ex.label for ex in data], dtype=np.int64)
    x = np.stack([ex.vector for ex in data]).astype(np.float64)
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    x = (x - mean) / scale / np.sqrt(x.shape[1])  # a whole vector weighs about one sparse feature
    w = np.zeros((len(names), n_labels), dtype=np.float64)
    g2 = np.full_like(w, 1e-8)
    v = np.zeros((x.shape[1], n_labels), dtype=np.float64)
    gv2 = np.full_like(v, 1e-8)
    rng = np.random.default_rng(seed)
    for epoch in range(epochs):
        order = rng.permutation(len(data))
        loss = 0.0
        for k in order:
            r = rows[k]
            z = w[r].sum(axis=0) if len(r) else np.zeros(n_labels)
            if use_dense:
                z = z + x[k] @ v
            z -= z.max()
            p = np.exp(z)
            p /= p.sum()
            loss -= float(np.log(p[y[k]] + 1e-12))
            p[y[k]] -= 1.0
            if len(r):
                grad = p[None, :] + l2 * w[r]
                g2[r] += grad * grad
                w[r] -= rate * grad / np.sqrt(g2[r])
            if use_dense:
                gv = np.outer(x[k], p) + l2 * v
                gv2 += gv * gv
                v -= rate * gv / np.sqrt(gv2)
        log.info("epoch %d: mean loss %.4f", epoch + 1, loss / max(1, len(data)))
    out: dict = {"index": index, "weights": w.astype(np.float32)}
    if use_dense:
        out.update(dense_weights=v.astype(np.float32), dense_mean=mean.astype(np.float32),
                   dense_scale=(scale * np.sqrt(x.shape[1])).astype(np.float32))
    return out


def evaluate(model: TriggerModel, data: Sequence[Example]) -> dict[str, float]:
    """Word-level precision and recall of 'this word is an event trigger of this type'."""
    probs = model.scores([ex.feats for ex in data], np.stack([ex.vector for ex in data]))
    pred = probs.argmax(axis=1)
    gold = np.array([ex.label for ex in data])
    tp = int(((pred == gold) & (gold != 0)).sum())
    npred = int((pred != 0).sum())
    ngold = int((gold != 0).sum())
    found = int(((pred != 0) & (gold != 0)).sum())
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "trigger_recall_any_type": round(found / ngold, 3) if ngold else 0.0, "words": len(data),
            "triggers": ngold}


def _key(side: dict | None) -> tuple[str | None, str | None]:
    """(country, igo) of a corpus side, the igo as the coder codes it: an organ (UNSC) as its organisation (UN)."""
    if not side:
        return (None, None)
    igo = side.get("igo")
    return (side.get("country"), load_registry().org(igo) if igo else igo)


def side_examples(passages: Sequence[dict], model_name: str | None) -> list[tuple[str, list, int, str]]:
    """(passage id, candidates, index of the right one, the fixed rule's choice) for every one-sided event
    the coder finds in the corpus whose event the corpus codes in that sentence with the same type and
    named side."""
    from datetime import date

    from ..events.coder import Coder
    from ..events.sides import NOBODY, candidates, is_open, parties, rule_choice
    from ..pipeline import Pipeline
    from ..records import Article
    from ..settings import Settings

    settings = Settings(event_model="rules")
    pipe = Pipeline(replace(settings, model=model_name) if model_name else settings)
    pipe.coder = Coder(pipe.lexicon, pipe.ontology, None, use="rules", fill_sides=False)
    articles = [Article.create(corpus.text_of(p), id=p["id"], title=p.get("title"),
                               published=date.fromisoformat(p["published"])) for p in passages]
    by_id = {p["id"]: p for p in passages}
    out = []
    for coded in pipe.code(articles):
        p = by_id[coded.article.id]
        bounds, at = [], 0
        for sent in p["sentences"]:
            bounds.append((at, at + len(sent)))
            at += len(sent) + 1
        ps = parties(coded.entities)
        for e in coded.events:
            if is_open(e.actor) == is_open(e.recipient):
                continue
            s = next((k for k, (a, b) in enumerate(bounds) if a <= e.trigger.start < b + 1), None)
            open_actor = is_open(e.actor)
            known = e.recipient if open_actor else e.actor
            assert known is not None
            kk = (known.country, known.igo)
            label = None
            for g in p["events"]:
                if g["sentence"] != s or e.type not in {g["type"], *(g.get("alt_types") or [])}:
                    continue
                gk, go = (g.get("target"), g.get("source")) if open_actor else (g.get("source"), g.get("target"))
                if _key(gk) != kk:
                    continue
                label = (go or {}).get("country") or (NOBODY if not (go or {}).get("igo") else None)
                break
            if label is None:
                continue
            cands = candidates(e, ps, len(coded.sentences))
            names = [c for c, _ in cands]
            if label in names:
                out.append((p["id"], cands, names.index(label), rule_choice(e, ps)))
    return out


def fit_sides(data: Sequence[tuple[str, list, int, str]], epochs: int = 20, rate: float = 0.1, l2: float = 1e-4,
              seed: int = SEED) -> dict[str, float]:
    """Conditional logit over each event's candidates, by AdaGrad."""
    w: dict[str, float] = {}
    g2: dict[str, float] = {}
    rng = np.random.default_rng(seed)
    for epoch in range(epochs):
        loss = 0.0
        for k in rng.permutation(len(data)):
            _pid, cands, gold, _rule = data[k]
            z = np.array([sum(w.get(f, 0.0) for f in feats) for _c, feats in cands])
            z -= z.max()
            p = np.exp(z)
            p /= p.sum()
            loss -= float(np.log(p[gold] + 1e-12))
            p[gold] -= 1.0
            grads: dict[str, float] = {}
            for j, (_c, feats) in enumerate(cands):
                for f in feats:
                    grads[f] = grads.get(f, 0.0) + float(p[j])
            for f, gr in grads.items():
                gr += l2 * w.get(f, 0.0)
                g2[f] = g2.get(f, 1e-8) + gr * gr
                w[f] = w.get(f, 0.0) - rate * gr / float(np.sqrt(g2[f]))
        log.info("sides epoch %d: mean loss %.4f", epoch + 1, loss / max(1, len(data)))
    return w


def side_accuracy(model, data: Sequence[tuple[str, list, int, str]]) -> float:
    """Share of the examples whose right candidate the model (None: the fixed rule) chooses."""
    if not data:
        return 0.0
    ok = sum((model.choose(cands) if model is not None else rule) == cands[gold][0] for _pid, cands, gold, rule in data)
    return round(ok / len(data), 3)


def held_out(pid: str) -> bool:
    return zlib.crc32(pid.encode()) % 10 == 0


def train(paths: Sequence[str], out: Path, model_name: str | None = None, use_dense: bool = True) -> dict[str, float]:
    from .. import nlp as _nlp
    from ..settings import Settings

    t0 = time.perf_counter()
    rep = corpus.check(paths)
    if rep.errors:
        raise SystemExit("the corpus has errors; run `python -m communique.training.corpus check`:\n"
                         + "\n".join(rep.errors[:20]))
    passages = [p for _w, p in corpus.read(paths)]
    log.info("%d passages, %d events", len(passages), rep.events)
    nlp = _nlp.load(model_name or Settings().model)
    lex_types = lexicon_types(load_lexicon())
    data, lemmas = examples(passages, nlp, lex_types)
    log.info("%d candidate words, %d triggers (%.1f s)", len(data), sum(ex.label != 0 for ex in data),
             time.perf_counter() - t0)
    train_part = [ex for ex in data if not held_out(ex.passage)]
    test_part = [ex for ex in data if held_out(ex.passage)]
    fitted = fit(train_part, len(LABELS), use_dense=use_dense)
    scores = evaluate(TriggerModel(LABELS, lemmas=frozenset(lemmas), version="held-out", **fitted), test_part)
    log.info("held-out passages: %s", scores)
    fitted = fit(data, len(LABELS), use_dense=use_dense)
    version = f"corpus-{rep.passages}p-{rep.events}e"
    model = TriggerModel(LABELS, lemmas=frozenset(lemmas), version=version, **fitted)
    index = fitted["index"]
    out.parent.mkdir(parents=True, exist_ok=True)
    model.save(out)
    log.info("wrote %s (%d features, %.1f MB) in %.1f s", out, len(index), out.stat().st_size / 1e6,
             time.perf_counter() - t0)
    from ..events.sides import SideModel

    sides = side_examples(passages, model_name)
    train_s = [x for x in sides if not held_out(x[0])]
    test_s = [x for x in sides if held_out(x[0])]
    held = SideModel(fit_sides(train_s), "held-out")
    scores["sides_examples"] = len(sides)
    scores["sides_rule_accuracy"] = side_accuracy(None, test_s)
    scores["sides_model_accuracy"] = side_accuracy(held, test_s)
    log.info("open sides: %d examples; held-out accuracy: fixed rule %.3f, model %.3f", len(sides),
             scores["sides_rule_accuracy"], scores["sides_model_accuracy"])
    side_out = out.parent / "side_model.json"
    SideModel(fit_sides(sides), version).save(side_out)
    log.info("wrote %s in %.1f s", side_out, time.perf_counter() - t0)
    return scores


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m communique.training.train", description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", default=list(corpus.DEFAULT_PATHS), help="corpus files or folders")
    ap.add_argument("--out", type=Path, default=OUT, help="where to write the model (default: the package's)")
    ap.add_argument("--model", default=None, help="spaCy pipeline to parse with (default: the setting)")
    ap.add_argument("--no-dense", action="store_true", help="sparse features only, no context vectors")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    train(args.paths, args.out, args.model, use_dense=not args.no_dense)
    return 0


if __name__ == "__main__":
    sys.exit(main())
