"""Near-duplicate documents: one report that arrives as a PDF and as a text, or mirrored on several sites.

Exact byte copies are caught by the content hash (status duplicate). Copies in another format or with
small differences (a re-flowed PDF with its image captions, a mirror with its own header line) are not
byte-equal, so they are compared by their clean simplified text, in two ways that must both agree:

- **Text**: Jaccard similarity of the sets of 5-character shingles of the text without spaces and
  punctuation, estimated by MinHash (``PERMUTATIONS`` stable 64-bit hashes; standard error about 0.03).
- **Figures**: Jaccard similarity of the multisets of numbers in the text. Next year's bulletin of the
  same office shares most of its wording (text similarity up to 0.97 when only the figures change), but
  not its figures; a copy of one report states the same figures.

Measured on ../shared/corpus (real, real_pdf, seeds) and raw/ (59 readable files, 9 same-report pairs
across formats; 1,711 pairs): same-report pairs have text ≥ 0.919 (MinHash estimate ≥ 0.906) and
figures ≥ 0.892; different reports have text ≤ 0.062 (estimate ≤ 0.102) and figures ≤ 0.25. A
template with 30% of its figures changed keeps text ≤ 0.974 but figures ≤ 0.643. The thresholds sit
between: ``TEXT_MIN`` 0.7, ``FIGURES_MIN`` 0.8.

Candidates come from locality-sensitive hashing (``BANDS`` bands, each a few rows of the text signature
and of a MinHash signature of the figures), so the work grows with the number of documents, not its
square, even when hundreds of documents share one template (their figures differ, so they rarely share a
band); only a fingerprint (1.5 KB and 8 bytes per figure) is kept per document.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

SHINGLE = 5  # characters; 5-grams of Chinese text are specific enough that unrelated reports share < 7%
PERMUTATIONS = 128
BANDS = 32  # a band: 4 text rows and 2 figure rows; a pair at (0.7, 0.8) becomes a candidate with p = 0.995
FIGURE_ROWS = 2
TEXT_MIN = 0.7
FIGURES_MIN = 0.8
_CHUNK = 1 << 14  # shingles per step: PERMUTATIONS × _CHUNK hashes (16 MB) at a time, whatever the text length
_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)
_NOT_WORD = re.compile(r"[\W_]+")
_FIGURE = re.compile(r"\d+(?:\.\d+)?")
_SPACE = re.compile(r"\s+")
# fixed seeds: the same text gives the same signature in every process and version
_SEEDS = np.random.default_rng(20240601).integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64)
_FIGURE_SEEDS = np.random.default_rng(20240602).integers(0, 2**63, size=BANDS * FIGURE_ROWS, dtype=np.uint64)


@dataclass(frozen=True)
class Fingerprint:
    """What is kept of a document to compare it with the others."""

    signature: np.ndarray  # PERMUTATIONS minimum hashes of its shingles
    figures: np.ndarray  # sorted stable hashes of its figures, the k-th 51 as "51#k": a multiset as a set
    figure_signature: np.ndarray  # BANDS × FIGURE_ROWS minimum hashes of the figures


@dataclass(frozen=True)
class Similarity:
    text: float  # estimated Jaccard similarity of the shingle sets
    figures: float  # Jaccard similarity of the multisets of numbers

    @property
    def same_report(self) -> bool:
        return self.text >= TEXT_MIN and self.figures >= FIGURES_MIN


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads the bits of a polynomial hash over all 64."""
    with np.errstate(over="ignore"):
        h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return h ^ (h >> np.uint64(31))


def _shingle_hashes(text: str) -> np.ndarray:
    """A stable 64-bit hash of every SHINGLE-character window of the text (the text itself if shorter)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    width = min(SHINGLE, len(codes))
    n = len(codes) - width + 1
    h = np.zeros(max(n, 0), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(width):
            h = h * np.uint64(1_000_003) + codes[j : j + n]
    return np.unique(_mix(h))


def _min_hashes(hashes: np.ndarray, seeds: np.ndarray) -> np.ndarray:
    """One minimum per seed over the hashes, each permuted by its seed (all ones for no hashes)."""
    signature = np.full(len(seeds), _MASK, dtype=np.uint64)
    for start in range(0, len(hashes), _CHUNK):
        chunk = hashes[start : start + _CHUNK]
        signature = np.minimum(signature, _mix(chunk[None, :] ^ seeds[:, None]).min(axis=1))
    return signature


def _stable_hash(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "little")


def fingerprint(simplified_text: str) -> Fingerprint:
    """The fingerprint of one document's clean simplified text."""
    signature = _min_hashes(_shingle_hashes(_NOT_WORD.sub("", simplified_text)), _SEEDS)
    # without whitespace: a PDF line break inside a figure (5⏎1) does not split it
    counts = Counter(_FIGURE.findall(_SPACE.sub("", simplified_text)))
    figures = np.unique(
        np.array([_stable_hash(f"{figure}#{k}") for figure, n in counts.items() for k in range(n)], dtype=np.uint64)
    )
    figure_signature = _min_hashes(figures, _FIGURE_SEEDS)
    return Fingerprint(signature=signature, figures=figures, figure_signature=figure_signature)


def similarity(a: Fingerprint, b: Fingerprint) -> Similarity:
    """Text and figure similarity of two documents (1.0 for figures when neither states any)."""
    shared = len(np.intersect1d(a.figures, b.figures, assume_unique=True))
    union = len(a.figures) + len(b.figures) - shared
    figures = shared / union if union else 1.0
    return Similarity(text=float(np.mean(a.signature == b.signature)), figures=figures)


def _candidates(fingerprints: Sequence[Fingerprint]) -> set[tuple[int, int]]:
    """Pairs (i < j) that share all rows of at least one band of their text and figure signatures."""
    rows = PERMUTATIONS // BANDS
    pairs: set[tuple[int, int]] = set()
    for band in range(BANDS):
        buckets: dict[bytes, list[int]] = {}
        for i, fp in enumerate(fingerprints):
            key = (
                fp.signature[band * rows : (band + 1) * rows].tobytes()
                + fp.figure_signature[band * FIGURE_ROWS : (band + 1) * FIGURE_ROWS].tobytes()
            )
            buckets.setdefault(key, []).append(i)
        for members in buckets.values():
            pairs.update((a, b) for k, a in enumerate(members) for b in members[k + 1 :])
    return pairs


@dataclass(frozen=True)
class Copy:
    """A document that is another copy of a report; `canonical` is the copy the report is counted as."""

    document: str
    canonical: str
    similarity: Similarity


def same_reports(documents: Iterable[tuple[str, Fingerprint]]) -> list[Copy]:
    """Group documents into reports; name every document that is not its report's canonical copy.

    `documents` come in order of preference: the first of a group is its canonical copy. Groups are
    the connected components of same-report pairs, so a chain of copies is one report.
    """
    names, fingerprints = [], []
    for name, fp in documents:
        names.append(name)
        fingerprints.append(fp)
    parent = list(range(len(names)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in sorted(_candidates(fingerprints)):
        if similarity(fingerprints[i], fingerprints[j]).same_report:
            a, b = root(i), root(j)
            parent[max(a, b)] = min(a, b)  # the smaller index, the preferred copy, stays the root
    return [
        Copy(names[i], names[root(i)], similarity(fingerprints[i], fingerprints[root(i)]))
        for i in range(len(names))
        if root(i) != i
    ]
