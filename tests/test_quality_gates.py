"""Quality gates pinned at the measured scores (issue 13), as trafilatura's evaluation gate does.

The real pages (../shared/corpus/real plus real_pdf) and the seeds are built into temporary
warehouses through the CLI and scored with ../shared/eval/score.py; strict F1 must stay at what
was measured, less a hair, so a change that loses facts fails `make test`. Raise a pin when the
extractor improves. Without ../shared (a plain clone) the gates skip and say why.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from pipelines.settings import PROJECT_ROOT
from tests.conftest import RAW, build

SHARED = PROJECT_ROOT.parent / "shared"
SCORE = SHARED / "eval" / "score.py"
HAIR = 0.005
# strict F1 measured on this branch; see the commit that last changed a pin for the full report
PINS = {"real": 0.957, "seeds": 1.000}

pytestmark = pytest.mark.skipif(
    not SCORE.exists(), reason=f"{SHARED} is absent: the shared corpus and scorer are not beside this clone"
)


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shared_score", SCORE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _strict_f1(raw: Path, gold: Path, tmp: Path) -> float:
    warehouse = tmp / "warehouse" / "envreports.duckdb"
    assert build(raw, warehouse) == 0
    score = _scorer()
    codes = {r["code"] for r in score.csv.DictReader(score.CATALOGUE.open(encoding="utf-8"))}
    rows = score.read_gold(gold)
    files = {g["source_file"] for g in rows}
    gold_rows = [g for g in rows if g["code"] in codes]
    return score.score(gold_rows, score.read_predictions(warehouse, files, codes), strict=True)["f1"]


def test_real_pages_keep_their_measured_score(tmp_path: Path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for folder in ("real", "real_pdf"):
        for path in (SHARED / "corpus" / folder).iterdir():
            if path.is_file():
                shutil.copy2(path, raw / path.name)
    f1 = _strict_f1(raw, SHARED / "eval" / "real_gold.csv", tmp_path)
    assert f1 >= PINS["real"] - HAIR, f"real pages: strict F1 {f1:.3f} fell below the pin {PINS['real']:.3f}"


def test_seeds_keep_their_measured_score(tmp_path: Path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    f1 = _strict_f1(raw, SHARED / "eval" / "seed_gold.csv", tmp_path)
    assert f1 >= PINS["seeds"] - HAIR, f"seeds: strict F1 {f1:.3f} fell below the pin {PINS['seeds']:.3f}"
