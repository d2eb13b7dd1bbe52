"""One fact per key: a figure stated twice is one fact, a different figure for the same key is a conflict."""

from __future__ import annotations

import polars as pl


def merge_restatements(facts: pl.DataFrame, key: str = "fact_key") -> pl.DataFrame:
    """Keep each key's first mention; later mentions with another value stay, flagged `conflict`.

    Conflicts are not resolved here: the validation stage quarantines them with a reason, so
    the warehouse grain stays unique and nothing the document said is silently dropped.
    """
    ranked = facts.sort("document_key", "char_start").with_columns(
        mention=pl.int_range(pl.len()).over(key),
        first_value=pl.col("value").first().over(key),
    )
    return (
        ranked.filter((pl.col("mention") == 0) | pl.col("value").ne_missing(pl.col("first_value")))
        .unique([key, "value"], keep="first", maintain_order=True)
        .with_columns(conflict=pl.col("mention") > 0)
        .drop("mention", "first_value")
    )
