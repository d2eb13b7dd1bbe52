"""How fast and how lean OCR is: scanned pages per second and the peak memory of a process
that reads scans, measured in a fresh process so the peak is OCR's own.

The models load once per process (timed apart); the pages are then read with read_pdf as the
read stage does, `--repeat` times. CPU seconds are given beside wall seconds, since on a shared
machine the wall time says as much about the neighbours as about OCR.

    python -m bench.ocr_speed [--dir tests/fixtures/scanned] [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

from pipelines.core import ocr, pdfs

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "scanned"


def measure(paths: list[Path], repeat: int) -> dict:
    start = time.perf_counter()
    ocr.engine()
    load_s = time.perf_counter() - start
    settings = ocr.OcrSettings()
    pages, wall, cpu = 0, time.perf_counter(), time.process_time()
    for _ in range(repeat):
        for path in paths:
            pages += len(pdfs.read_pdf(path, settings).ocr_pages)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "files": len(paths),
        "pages": pages,
        "model_load_s": round(load_s, 2),
        "pages_per_s": round(pages / wall, 3) if wall else None,
        "wall_s_per_page": round(wall / pages, 2) if pages else None,
        "cpu_s_per_page": round(cpu / pages, 2) if pages else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, default=FIXTURES, help="folder of scanned PDFs")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args(argv)
    paths = sorted(args.dir.glob("*.pdf"))
    if not paths:
        print(f"no PDFs in {args.dir}", file=sys.stderr)
        return 1
    result = measure(paths, args.repeat)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>16}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
