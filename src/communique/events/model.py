"""The learned trigger model: how likely a word of a parsed sentence reports an event, and of which type.

A multinomial logistic regression over sparse features of the dependency parse (the word, its lemma
and part of speech, its head, its subject and objects and their entity types, the prepositions it
governs, its neighbours and what the predicate lexicon says of it). It is trained on the team's
corpus (``corpus/passages``, ``make train``) and ships as ``events/data/trigger_model.npz``: a
list of feature names, a float16 weight matrix and the labels (``NONE`` and the 16 PLOVER types).

Scoring needs no network and no other model: the parse is spaCy's, already done for every stage.
Only *candidate* words are scored: nouns, verbs and adjectives whose lemma the lexicon lists or
the training corpus saw as a trigger, so the cost stays a small share of the parse.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc, Token

from ..errors import DataFileError

NONE = "NONE"
_DATA = "events/data/trigger_model.npz"
CANDIDATE_POS = frozenset({"VERB", "NOUN", "ADJ"})
_CHILD_DEPS = frozenset({"dobj", "nsubj", "nsubjpass", "agent", "prt", "neg", "xcomp", "ccomp", "compound",
                         "amod", "poss", "dative", "attr", "acomp", "advmod", "aux", "auxpass", "mark"})
_ENT_TYPES = frozenset({"GPE", "NORP", "ORG", "PERSON", "LOC", "FAC", "MONEY", "CARDINAL", "DATE"})


def _ent(t: Token) -> str:
    """The entity type of a word or of the phrase it heads ("the Kenyan police" → NORP)."""
    if t.ent_type_:
        return t.ent_type_
    for c in t.children:
        if c.ent_type_ in _ENT_TYPES and c.dep_ in ("compound", "amod", "poss", "nmod"):
            return c.ent_type_
    return "-"


def features(t: Token, lex_types: Iterable[str] = ()) -> list[str]:
    """The sparse features of one candidate word (strings; unknown ones are ignored at scoring)."""
    lemma = t.lemma_.lower()
    pos = t.pos_
    f = ["b", f"w={t.lower_}", f"l={lemma}", f"p={pos}", f"t={t.tag_}", f"d={t.dep_}", f"lp={lemma}|{pos}",
         f"ld={lemma}|{t.dep_}", f"pd={pos}|{t.dep_}"]
    h = t.head
    f += [f"h={h.lemma_.lower()}", f"hp={h.pos_}", f"dh={t.dep_}|{h.lemma_.lower()}", f"lh={lemma}|{h.lemma_.lower()}"]
    for c in t.children:
        dep = c.dep_
        if dep == "prep":
            objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
            f.append(f"pp={c.lower_}")
            f.append(f"lpp={lemma}|{c.lower_}")
            for g in objs:
                f.append(f"ppo={c.lower_}|{g.lemma_.lower()}")
                f.append(f"ppe={c.lower_}|{_ent(g)}")
        elif dep in _CHILD_DEPS:
            cl = c.lemma_.lower()
            f.append(f"c={dep}")
            f.append(f"cl={dep}|{cl}")
            if dep in ("dobj", "nsubj", "nsubjpass", "agent", "poss", "compound", "amod", "dative", "attr"):
                f.append(f"ce={dep}|{_ent(c)}")
                f.append(f"lcl={lemma}|{dep}|{cl}")
            if dep == "agent":
                for g in c.children:
                    f.append(f"by={_ent(g)}")
    i = t.i
    doc = t.doc
    prev = doc[i - 1].lemma_.lower() if i > 0 else "<s>"
    nxt = doc[i + 1].lemma_.lower() if i + 1 < len(doc) else "</s>"
    f += [f"-1={prev}", f"+1={nxt}", f"-1l={prev}|{lemma}", f"+1l={lemma}|{nxt}"]
    if t.ent_type_:
        f.append(f"e={t.ent_type_}")
    if t.is_title and i > 0 and not doc[i - 1].is_sent_start:
        f.append("title")
    for ty in lex_types:
        f.append(f"lex={ty}")
        f.append(f"lexp={ty}|{pos}")
    return f


def dense(t: Token) -> np.ndarray:
    """The parse's own context vectors (spaCy's tok2vec output, ``doc.tensor``) of the word and its
    head, side by side: what the word means here, beyond its lemma. Zeros when the pipeline keeps
    no tensor."""
    tensor = t.doc.tensor
    if tensor is None or not len(tensor) or tensor.shape[0] != len(t.doc):
        return np.zeros(2 * DENSE_WIDTH, dtype=np.float32)
    row = np.asarray(tensor[t.i], dtype=np.float32)[:DENSE_WIDTH]
    head = np.asarray(tensor[t.head.i], dtype=np.float32)[:DENSE_WIDTH]
    out = np.zeros(2 * DENSE_WIDTH, dtype=np.float32)
    out[:len(row)] = row
    out[DENSE_WIDTH:DENSE_WIDTH + len(head)] = head
    return out


def dense_rows(doc: Doc, toks: Sequence[Token]) -> np.ndarray:
    """``dense`` of many words of one document at once: (len(toks), 2 * DENSE_WIDTH)."""
    out = np.zeros((len(toks), 2 * DENSE_WIDTH), dtype=np.float32)
    tensor = doc.tensor
    if tensor is None or not len(tensor) or tensor.shape[0] != len(doc) or not toks:
        return out
    width = min(DENSE_WIDTH, tensor.shape[1])
    tensor = np.asarray(tensor, dtype=np.float32)
    out[:, :width] = tensor[[t.i for t in toks], :width]
    out[:, DENSE_WIDTH:DENSE_WIDTH + width] = tensor[[t.head.i for t in toks], :width]
    return out


#: width of one token's context vector (en_core_web_sm's tok2vec gives 96)
DENSE_WIDTH = 96


@dataclass(frozen=True)
class TriggerModel:
    """Weights of the trigger classifier and the lemmas it scores."""

    labels: tuple[str, ...]
    index: Mapping[str, int]
    weights: np.ndarray  # (n_features, n_labels), float32
    lemmas: frozenset[str]  # lemmas seen as triggers in training (besides the lexicon's)
    version: str
    dense_weights: np.ndarray | None = None  # (2 * DENSE_WIDTH, n_labels)
    dense_mean: np.ndarray | None = None
    dense_scale: np.ndarray | None = None

    def is_candidate(self, t: Token, lexicon_lemmas: frozenset[str] | Mapping[str, object]) -> bool:
        if t.pos_ not in CANDIDATE_POS:
            return False
        lemma = t.lemma_.lower()
        return lemma in self.lemmas or lemma in lexicon_lemmas

    def scores(self, feats: list[list[str]], vectors: np.ndarray | None = None) -> np.ndarray:
        """Probabilities (n, n_labels) for n feature lists (and their dense vectors, when the model
        has dense weights)."""
        out = np.zeros((len(feats), len(self.labels)), dtype=np.float32)
        idx = self.index
        rows: list[int] = []
        owner: list[int] = []
        for k, fs in enumerate(feats):
            for x in fs:
                if (j := idx.get(x)) is not None:
                    rows.append(j)
                    owner.append(k)
        if rows:  # every candidate's known features summed at once: one gather, one sum per run of rows
            who = np.asarray(owner)
            starts = np.flatnonzero(np.r_[True, who[1:] != who[:-1]])
            out[who[starts]] = np.add.reduceat(self.weights[np.asarray(rows)], starts, axis=0)
        if self.dense_weights is not None and vectors is not None and len(vectors):
            out += self.standardise(vectors) @ self.dense_weights
        out -= out.max(axis=1, keepdims=True)
        np.exp(out, out=out)
        out /= out.sum(axis=1, keepdims=True)
        return out

    def standardise(self, vectors: np.ndarray) -> np.ndarray:
        if self.dense_mean is None or self.dense_scale is None:
            return vectors
        return (vectors - self.dense_mean) / self.dense_scale

    def save(self, path: Path) -> None:
        names = sorted(self.index, key=self.index.__getitem__)
        extra: dict[str, Any] = {}
        if self.dense_weights is not None:
            extra = {"dense_weights": self.dense_weights.astype(np.float32),
                     "dense_mean": np.asarray(self.dense_mean, dtype=np.float32),
                     "dense_scale": np.asarray(self.dense_scale, dtype=np.float32)}
        np.savez_compressed(path, features=np.array(names), weights=self.weights.astype(np.float16),
                            labels=np.array(self.labels), lemmas=np.array(sorted(self.lemmas)),
                            version=np.array([self.version]), **extra)


def _from_npz(data: Mapping[str, np.ndarray], source: str) -> TriggerModel:
    try:
        names = [str(x) for x in data["features"]]
        labels = tuple(str(x) for x in data["labels"])
        weights = np.asarray(data["weights"], dtype=np.float32)
        lemmas = frozenset(str(x) for x in data["lemmas"])
        version = str(data["version"][0])
        dw = np.asarray(data["dense_weights"], dtype=np.float32) if "dense_weights" in data else None
        dm = np.asarray(data["dense_mean"], dtype=np.float32) if "dense_mean" in data else None
        ds = np.asarray(data["dense_scale"], dtype=np.float32) if "dense_scale" in data else None
    except (KeyError, IndexError, ValueError) as e:
        raise DataFileError(f"{source}: not a trigger model ({e}); rebuild it with `make train`") from e
    if weights.shape != (len(names), len(labels)) or not labels or labels[0] != NONE:
        raise DataFileError(f"{source}: weights {weights.shape} do not fit {len(names)} features and "
                            f"labels {labels}; rebuild it with `make train`")
    if dw is not None and (dw.shape != (2 * DENSE_WIDTH, len(labels)) or dm is None or ds is None):
        raise DataFileError(f"{source}: dense weights {dw.shape} do not fit; rebuild it with `make train`")
    return TriggerModel(labels, {n: i for i, n in enumerate(names)}, weights, lemmas, version, dw, dm, ds)


def load_model(path: Path | None = None) -> TriggerModel | None:
    """The shipped model (or the one at ``path``); None when the package was built without one."""
    if path is None:
        return _bundled()
    with np.load(path, allow_pickle=False) as data:
        return _from_npz(data, str(path))


@functools.cache
def _bundled() -> TriggerModel | None:
    ref = resources.files("communique").joinpath(_DATA)
    if not ref.is_file():
        return None
    with ref.open("rb") as f, np.load(f, allow_pickle=False) as data:
        return _from_npz(data, f"communique/{_DATA}")


def doc_scores(model: TriggerModel, doc: Doc, lex_types: Mapping[str, tuple[str, ...]]) -> dict[int, np.ndarray]:
    """Token index → label probabilities, for the candidate words of a parsed document.
    ``lex_types`` maps a lemma to the event types the lexicon gives it."""
    toks = [t for t in doc if model.is_candidate(t, lex_types)]
    if not toks:
        return {}
    vectors = dense_rows(doc, toks) if model.dense_weights is not None else None
    probs = model.scores([features(t, lex_types.get(t.lemma_.lower(), ())) for t in toks], vectors)
    return {t.i: probs[k] for k, t in enumerate(toks)}
