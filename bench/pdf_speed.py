"""How fast the read stage is: PDFs against raw pypdfium2 text extraction, and text files.

Both PDF readers run in the same process over the same files, alternating, after one
warm-up pass each (imports and font caches are not what we measure). The ratio is
read_document's time over pypdfium2's: the goal is at most 2.

    python bench/pdf_speed.py --dir raw --repeat 5
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium

from pipelines.core.reading import read_document


def raw_pdfium(paths: list[Path]) -> int:
    """Text of every page with nothing else done: the yardstick."""
    pages = 0
    for path in paths:
        doc = pdfium.PdfDocument(str(path))
        try:
            for index in range(len(doc)):
                page = doc[index]
                textpage = page.get_textpage()
                textpage.get_text_range()
                textpage.close()
                page.close()
                pages += 1
        finally:
            doc.close()
    return pages


def read_all(paths: list[Path]) -> int:
    """Runs read_document; returns the number of PDF pages read (0 for text files)."""
    pages = 0
    for path in paths:
        result = read_document(path)
        if result.status not in ("ok", "empty"):
            print(f"  {path.name}: {result.status} ({result.error})", file=sys.stderr)
        pages += len(result.pages)
    return pages


def timed(fn, paths: list[Path]) -> tuple[float, int]:
    start = time.perf_counter()
    count = fn(paths)
    return time.perf_counter() - start, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, required=True, help="folder with .pdf and .txt files")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes per reader (default 5)")
    args = parser.parse_args(argv)

    pdf_paths = sorted(p for p in args.dir.iterdir() if p.suffix.lower() == ".pdf")
    txt_paths = sorted(p for p in args.dir.iterdir() if p.suffix.lower() == ".txt")
    if not pdf_paths and not txt_paths:
        print(f"no .pdf or .txt files in {args.dir}", file=sys.stderr)
        return 1

    if pdf_paths:
        raw_pdfium(pdf_paths)
        read_all(pdf_paths)
        raw_time = ours_time = 0.0
        raw_pages = ours_pages = 0
        for _ in range(args.repeat):
            t, n = timed(raw_pdfium, pdf_paths)
            raw_time, raw_pages = raw_time + t, raw_pages + n
            t, n = timed(read_all, pdf_paths)
            ours_time, ours_pages = ours_time + t, ours_pages + n
        raw_rate, ours_rate = raw_pages / raw_time, ours_pages / ours_time
        print(f"PDF: {len(pdf_paths)} files, {raw_pages // args.repeat} pages, {args.repeat} passes")
        print(f"  raw pypdfium2 text : {raw_rate:8.1f} pages/s")
        print(f"  read_document      : {ours_rate:8.1f} pages/s")
        print(f"  ratio (time)       : {raw_rate / ours_rate:8.2f}x  (goal <= 2x)")

    if txt_paths:
        size = sum(p.stat().st_size for p in txt_paths)
        read_all(txt_paths)
        elapsed = sum(timed(read_all, txt_paths)[0] for _ in range(args.repeat))
        mb_per_s = size * args.repeat / elapsed / 1e6
        print(f"Text: {len(txt_paths)} files, {size / 1e3:.1f} kB, {args.repeat} passes")
        print(f"  read_document      : {mb_per_s:8.2f} MB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
