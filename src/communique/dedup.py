"""Near-duplicate articles (syndicated copies, lightly edited reprints, corrected versions).

An article's text becomes a set of word shingles (``SHINGLE`` consecutive words,
lower-cased, punctuation dropped), hashed with CRC-32; a MinHash signature of
``NUM_PERM`` values summarises the set (permutation *i* is
``(a_i·x + b_i) mod (2^61 − 1)``, kept to 32 bits, with ``a``, ``b`` drawn from a fixed
seed so signatures are the same in every process and every release). The signature is
cut into ``BANDS`` bands of ``ROWS`` values; each band hashes to one bucket of the LSH
index. Two articles sharing a bucket are candidates, and a candidate is a near-duplicate
when the signatures agree on at least ``THRESHOLD`` of their values (the estimated
Jaccard similarity of the shingle sets). With 40 bands of 3 rows, a pair at Jaccard 0.5
becomes a candidate with probability 0.995, a pair at 0.2 with 0.27.

Short texts need more: below ``SHORT_SHINGLES`` shingles (about sixty words) a pair must
reach ``SHORT_THRESHOLD``, since two briefs written from one template ("X and Y signed an
agreement on Monday …") share half their shingles while naming other countries; below
``MIN_SHINGLES`` (a line or two) only identical shingle sets are linked.

The index is persisted in the store (tables ``minhashes`` and ``lsh_buckets``, see
``store.py``); ``link_duplicates`` looks a batch of new articles up in it (and in each
other), adds them, and says which are copies of which. A copy points at the first
stored article of its group (``articles.duplicate_of``), never at another copy.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import numpy as np
import numpy.typing as npt

__all__ = [
    "BANDS",
    "MIN_SHINGLES",
    "NUM_PERM",
    "ROWS",
    "SHINGLE",
    "SHORT_SHINGLES",
    "SHORT_THRESHOLD",
    "THRESHOLD",
    "Duplicate",
    "MinHash",
    "link_duplicates",
    "minhash",
    "shingles",
]

SHINGLE = 4
NUM_PERM = 120
BANDS = 40
ROWS = 3
THRESHOLD = 0.5
SHORT_SHINGLES = 60
SHORT_THRESHOLD = 0.7
MIN_SHINGLES = 10

_PRIME = np.uint64((1 << 61) - 1)
_MASK = np.uint64(0xFFFFFFFF)
_rng = np.random.default_rng(0x636F6D6D)  # fixed: signatures must not change between runs
_A = _rng.integers(1, 1 << 32, size=NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, 1 << 32, size=NUM_PERM, dtype=np.uint64)
_WORD = re.compile(r"\w+")

Signature = npt.NDArray[np.uint32]


def shingles(text: str, k: int = SHINGLE) -> set[int]:
    """The CRC-32 hashes of the text's ``k``-word shingles (the whole text when shorter)."""
    words = _WORD.findall(text.lower())
    if not words:
        return set()
    if len(words) <= k:
        return {zlib.crc32(" ".join(words).encode("utf-8"))}
    return {zlib.crc32(" ".join(words[i : i + k]).encode("utf-8")) for i in range(len(words) - k + 1)}


@dataclass(frozen=True, slots=True)
class MinHash:
    """An article's MinHash signature, its LSH buckets and how many shingles it had."""

    signature: Signature
    n_shingles: int

    @property
    def buckets(self) -> list[int]:
        """One 63-bit bucket per band (band number folded in, so bands never collide)."""
        out = []
        for band in range(BANDS):
            chunk = self.signature[band * ROWS : (band + 1) * ROWS].tobytes()
            digest = hashlib.blake2b(chunk, digest_size=8, salt=band.to_bytes(16, "little")).digest()
            out.append(int.from_bytes(digest, "little") >> 1)
        return out

    def similarity(self, other: MinHash) -> float:
        """The estimated Jaccard similarity of the two shingle sets."""
        return float(np.count_nonzero(self.signature == other.signature)) / NUM_PERM

    def to_bytes(self) -> bytes:
        return self.signature.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes, n_shingles: int) -> MinHash:
        return cls(np.frombuffer(data, dtype="<u4").astype(np.uint32), n_shingles)


def minhash(text: str) -> MinHash:
    """The MinHash signature of a text's shingles (all values 2^32 − 1 for an empty text)."""
    hashes = shingles(text)
    if not hashes:
        return MinHash(np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32), 0)
    x = np.fromiter(hashes, dtype=np.uint64, count=len(hashes))
    # x < 2^32 and a < 2^32, so x·a fits in 64 bits; then mod p, + b, mod p, keep 32 bits.
    values = ((np.multiply.outer(x, _A) % _PRIME + _B) % _PRIME) & _MASK
    return MinHash(values.min(axis=0).astype(np.uint32), len(hashes))


def is_near_duplicate(a: MinHash, b: MinHash) -> tuple[bool, float]:
    """Whether ``a`` is a near-duplicate of ``b``, and the estimated similarity."""
    sim = a.similarity(b)
    n = min(a.n_shingles, b.n_shingles)
    if n < MIN_SHINGLES:
        return sim == 1.0 and a.n_shingles == b.n_shingles, sim
    return sim >= (SHORT_THRESHOLD if n < SHORT_SHINGLES else THRESHOLD), sim


@dataclass(frozen=True, slots=True)
class Duplicate:
    """``content_hash`` is a near-duplicate of the stored article ``duplicate_of``, with the
    estimated Jaccard ``similarity`` of their shingle sets."""

    content_hash: str
    duplicate_of: str
    similarity: float


def link_duplicates(con: duckdb.DuckDBPyConnection, items: Sequence[tuple[str, str]]) -> dict[str, Duplicate]:
    """Index ``items`` (content hash, text) of new articles, in order; return the near-duplicates among them.

    Each article is compared with the stored ones and with those before it in ``items``,
    and linked to the first stored article of its best match's group. Runs in the
    caller's transaction: the rows it adds to ``minhashes`` and ``lsh_buckets`` go or
    stay with the articles."""
    items = list(dict(items).items())
    if not items:
        return {}
    sigs = {h: minhash(text) for h, text in items}
    buckets = {h: sig.buckets for h, sig in sigs.items()}
    probe = sorted({b for bs in buckets.values() for b in bs})
    # Stored candidates: every stored article that shares a bucket with a new one.
    stored: dict[int, list[str]] = {}
    for bucket, h in con.execute(
        "SELECT bucket, content_hash FROM lsh_buckets WHERE bucket IN (SELECT unnest(?::UBIGINT[]))"
        " ORDER BY bucket, content_hash",
        [probe],
    ).fetchall():
        stored.setdefault(int(bucket), []).append(h)
    # hash → (signature, the root it is a copy of or None, insertion order)
    known: dict[str, tuple[MinHash, str | None, int]] = {}
    candidates = sorted({h for hs in stored.values() for h in hs})
    if candidates:
        for h, sig, n, dup, order in con.execute(
            "SELECT m.content_hash, m.signature, m.n_shingles, a.duplicate_of, a.store_order"
            " FROM minhashes m JOIN articles a USING (content_hash)"
            " WHERE m.content_hash IN (SELECT unnest(?::VARCHAR[]))",
            [candidates],
        ).fetchall():
            known[h] = (MinHash.from_bytes(sig, n), dup, int(order))
    next_order = 1 << 62  # the new articles come after every stored one
    out: dict[str, Duplicate] = {}
    batch_index: dict[int, list[str]] = {}
    for h, sig in sigs.items():
        best: tuple[float, int, str] | None = None  # (similarity, -order, hash): most similar, then oldest
        seen: set[str] = set()
        for bucket in buckets[h]:
            for other in (*stored.get(bucket, ()), *batch_index.get(bucket, ())):
                if other in seen or other not in known:
                    continue
                seen.add(other)
                other_sig, _, order = known[other]
                dup, sim = is_near_duplicate(sig, other_sig)
                if dup and (best is None or (sim, -order) > best[:2]):
                    best = (sim, -order, other)
        root: str | None = None
        if best is not None:
            root = known[best[2]][1] or best[2]
            out[h] = Duplicate(h, root, round(best[0], 4))
        known[h] = (sig, root, next_order)
        next_order += 1
        for bucket in buckets[h]:
            batch_index.setdefault(bucket, []).append(h)
    with con.appender("minhashes") as appender:
        appender.append_rows([(h, sig.to_bytes(), sig.n_shingles) for h, sig in sigs.items()])
    with con.appender("lsh_buckets") as appender:
        appender.append_rows([(b, h) for h in sigs for b in buckets[h]])
    return out
