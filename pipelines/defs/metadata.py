"""Metadata helpers shared by assets: previews and per-document tables for operators."""

import dagster as dg
import polars as pl


def preview(frame: pl.DataFrame, rows: int = 10, max_chars: int = 80) -> dg.MarkdownMetadataValue:
    """A Markdown table of the first rows, long strings shortened so the UI stays readable."""
    head = frame.head(rows).with_columns(
        pl.col(c).str.slice(0, max_chars) for c, t in frame.schema.items() if t == pl.String
    )
    text_cols = [c for c, t in head.schema.items() if not isinstance(t, pl.List | pl.Struct)]
    head = head.select(text_cols)
    if head.is_empty():
        return dg.MetadataValue.md("_no rows_")
    lines = ["| " + " | ".join(head.columns) + " |", "|" + "---|" * len(head.columns)]
    for row in head.iter_rows():
        cells = ["" if v is None else str(v).replace("|", "\\|").replace("\n", " ") for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return dg.MetadataValue.md("\n".join(lines))


def counts(frame: pl.DataFrame, column: str) -> dict[str, int]:
    return {str(k): int(v) for k, v in frame.group_by(column).len().sort(column).iter_rows()}
