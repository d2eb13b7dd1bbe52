"""Metadata helpers shared by assets: previews, per-document tables and column schemas for operators."""

import re
from collections.abc import Mapping

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
        cells = ["" if v is None else md_text(str(v).replace("\n", " ")) for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return dg.MetadataValue.md("\n".join(lines))


MARKDOWN_MARKUP = re.compile(r"([\\`*_\[\]<>#|])")
"""Characters that Dagster's Markdown (descriptions, md metadata) would read as markup."""


def md_text(text: str) -> str:
    """Text that Dagster's Markdown shows as written: a file named `_draft_.txt` or an error quoting `<tag>`
    would otherwise turn italic or vanish as HTML."""
    return MARKDOWN_MARKUP.sub(r"\\\1", text)


def counts(frame: pl.DataFrame, column: str) -> dict[str, int]:
    return {str(k): int(v) for k, v in frame.group_by(column).len().sort(column).iter_rows()}


def _type_name(dtype: pl.DataType) -> str:
    """A polars type as the catalog shows it: `string`, `int32`, `list[string]`, `struct`."""
    if isinstance(dtype, pl.List):
        return f"list[{_type_name(dtype.inner)}]"
    if isinstance(dtype, pl.Struct):
        return "struct<" + ", ".join(f"{f.name}: {_type_name(f.dtype)}" for f in dtype.fields) + ">"
    return str(dtype).lower()


def column_schema(schema: Mapping[str, pl.DataType]) -> dg.TableSchema:
    """The catalog's column list (`dagster/column_schema`) of a polars schema, in its column order."""
    return dg.TableSchema(columns=[dg.TableColumn(name, _type_name(dtype)) for name, dtype in schema.items()])


def table_metadata(frame: pl.DataFrame) -> dict[str, object]:
    """What every table-like asset reports of its value: its rows and its columns."""
    return {"dagster/row_count": frame.height, "dagster/column_schema": column_schema(frame.schema)}
