"""Rows of one frame per key, as zero-copy slices of the frame sorted by that key."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl


class Parts:
    """What `partition_by(as_dict=True)` gives, without copying.

    partition_by copies every part into a frame of its own; thousands of documents' and areas'
    parts held at once were most of the report's memory growth with the corpus. A slice shares
    the sorted frame's buffers. Rows keep their order within a key.
    """

    def __init__(self, frame: pl.DataFrame, *keys: str, drop_keys: bool = False):
        ordered = frame.sort(*keys, maintain_order=True)
        spans = (
            ordered.select(keys)
            .with_row_index("_first")
            .group_by(*keys, maintain_order=True)
            .agg(pl.col("_first").first(), pl.len().alias("_n"))
        )
        self._frame = ordered.drop(keys) if drop_keys else ordered
        self._spans = {tuple(row[:-2]): (row[-2], row[-1]) for row in spans.iter_rows()}

    def __getitem__(self, key: tuple) -> pl.DataFrame:
        first, n = self._spans[key]
        return self._frame.slice(first, n)

    def get(self, key: tuple) -> pl.DataFrame:
        """The key's rows; no rows (with the columns) for a key that has none."""
        first, n = self._spans.get(key, (0, 0))
        return self._frame.slice(first, n)

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._spans)
