"""A fact stated twice is one fact; another value under the same key is kept as a conflict."""

from __future__ import annotations

import polars as pl

from pipelines.core.restatements import merge_restatements


def test_restatements_merge_and_conflicts_are_flagged():
    facts = pl.DataFrame(
        {
            "document_key": ["d"] * 6,
            "char_start": [50, 10, 30, 70, 5, 90],
            "fact_key": ["pm25", "pm25", "pm25", "pm25", "days", "days"],
            "value": [51.0, 51.0, 49.0, 49.0, 226.0, None],
        }
    )
    merged = merge_restatements(facts).sort("char_start")
    assert merged.select("fact_key", "value", "conflict").rows() == [
        ("days", 226.0, False),
        ("pm25", 51.0, False),
        ("pm25", 49.0, True),
        ("days", None, True),
    ]


def test_first_mention_in_the_text_wins():
    facts = pl.DataFrame(
        {"document_key": ["d", "d"], "char_start": [200, 100], "fact_key": ["k", "k"], "value": [2.0, 1.0]}
    )
    merged = merge_restatements(facts)
    assert merged.filter(~pl.col("conflict"))["value"].to_list() == [1.0]
