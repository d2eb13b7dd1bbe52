"""Score the cleaner on hand-labelled noisy pages: character-level removal precision and recall.

Fixture pages (tests/fixtures/noisy/*.txt) mark their labels inline:
``⟦-reason:…⟧`` wraps noise the cleaner must remove (reason as in cleaning.REASONS) and
``⟦+…⟧`` wraps body snippets it must keep. The markers are stripped and each piece is
NFKC-folded on its own, so the labelled offsets hold for the text the cleaner receives.
A name ending in ``.pdf.txt`` is cleaned as a PDF's text.

    python tests/noise_eval.py [--dir tests/fixtures/noisy] [-v]
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.core.cleaning import clean_text
from pipelines.core.models import CleanResult

FIXTURE_DIR = Path(__file__).parent / "fixtures" / "noisy"
MARK_RE = re.compile(r"⟦(?:-(?P<reason>[a-z_]+):|(?P<keep>\+))(?P<body>.*?)⟧", re.DOTALL)


@dataclass(frozen=True)
class Fixture:
    name: str
    text: str
    file_type: str
    noise: list[tuple[int, int, str]]  # labelled noise spans (start, end, reason)
    keep: list[tuple[int, int]]  # body snippets that must survive


@dataclass
class Scores:
    removed: int = 0  # non-space characters removed
    noise: int = 0  # non-space characters labelled noise
    hit: int = 0  # both
    snippets: int = 0
    kept: int = 0
    by_reason: dict[str, list[int]] = field(default_factory=dict)  # reason -> [removed, labelled]
    misses: list[str] = field(default_factory=list)
    false_removals: list[str] = field(default_factory=list)
    lost_snippets: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.hit / self.removed if self.removed else 1.0

    @property
    def recall(self) -> float:
        return self.hit / self.noise if self.noise else 1.0

    @property
    def keep_rate(self) -> float:
        return self.kept / self.snippets if self.snippets else 1.0


def load_fixture(path: Path) -> Fixture:
    raw = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    parts: list[str] = []
    noise: list[tuple[int, int, str]] = []
    keep: list[tuple[int, int]] = []
    pos = 0

    def emit(piece: str) -> tuple[int, int]:
        folded = unicodedata.normalize("NFKC", piece)
        start = sum(len(p) for p in parts)
        parts.append(folded)
        return start, start + len(folded)

    for m in MARK_RE.finditer(raw):
        if "⟦" in m.group("body"):
            raise ValueError(f"{path.name}: labels do not nest: {m.group()[:60]}")
        emit(raw[pos : m.start()])
        span = emit(m.group("body"))
        if m.group("keep"):
            keep.append(span)
        else:
            noise.append((*span, m.group("reason")))
        pos = m.end()
    emit(raw[pos:])
    file_type = "pdf" if path.name.endswith(".pdf.txt") else "txt"
    return Fixture(path.name, "".join(parts), file_type, noise, keep)


def load_fixtures(directory: Path = FIXTURE_DIR) -> list[Fixture]:
    return [load_fixture(p) for p in sorted(directory.glob("*.txt"))]


def _mask(n: int, spans: list[tuple[int, int]]) -> bytearray:
    mask = bytearray(n)
    for a, b in spans:
        mask[a:b] = b"\x01" * (b - a)
    return mask


def score(fixtures: list[Fixture], clean: Callable[..., CleanResult] = clean_text) -> Scores:
    sc = Scores()
    for fx in fixtures:
        result = clean(fx.text, file_type=fx.file_type)
        n = len(fx.text)
        removed = _mask(n, [(r.start, r.end) for r in result.removals])
        noise = _mask(n, [(a, b) for a, b, _ in fx.noise])
        solid = bytearray(0 if c.isspace() else 1 for c in fx.text)
        hit_mask = bytearray(r & s & z for r, s, z in zip(removed, noise, solid, strict=True))
        sc.removed += sum(r & z for r, z in zip(removed, solid, strict=True))
        sc.noise += sum(s & z for s, z in zip(noise, solid, strict=True))
        sc.hit += sum(hit_mask)
        for a, b, reason in fx.noise:
            tally = sc.by_reason.setdefault(reason, [0, 0])
            tally[0] += sum(hit_mask[a:b])
            tally[1] += sum(solid[a:b])
        missed = bytearray(s & z & (1 - r) for r, s, z in zip(removed, noise, solid, strict=True))
        extra = bytearray(r & z & (1 - s) for r, s, z in zip(removed, noise, solid, strict=True))
        sc.misses += [f"{fx.name}: {fx.text[a:b]!r}" for a, b in _spans_of(missed)]
        sc.false_removals += [f"{fx.name}: {fx.text[a:b]!r}" for a, b in _spans_of(extra)]
        for a, b in fx.keep:
            sc.snippets += 1
            if any(removed[a:b]):
                sc.lost_snippets.append(f"{fx.name}: {fx.text[a:b]!r}")
            else:
                sc.kept += 1
    return sc


def _spans_of(mask: bytearray) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = None
    for i, v in enumerate([*mask, 0]):
        if v and start is None:
            start = i
        elif not v and start is not None:
            out.append((start, i))
            start = None
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", type=Path, default=FIXTURE_DIR)
    ap.add_argument("-v", "--verbose", action="store_true", help="list missed, wrongly removed and lost spans")
    args = ap.parse_args(argv)
    fixtures = load_fixtures(args.dir)
    sc = score(fixtures)
    print(
        f"fixtures: {len(fixtures)}  noise chars: {sc.noise}  removed chars: {sc.removed}\n"
        f"precision: {sc.precision:.4f}  recall: {sc.recall:.4f}  body snippets kept: {sc.kept}/{sc.snippets}"
    )
    for reason, (hit, total) in sorted(sc.by_reason.items()):
        print(f"  {reason:16} recall {hit / total if total else 1:.4f}  ({hit}/{total})")
    if args.verbose:
        for title, items in (
            ("missed", sc.misses),
            ("wrongly removed", sc.false_removals),
            ("lost", sc.lost_snippets),
        ):
            for item in items:
                print(f"{title}: {item[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
