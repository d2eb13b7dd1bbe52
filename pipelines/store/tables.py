"""Shape the stage outputs into the star schema's tables, with polars expressions."""

from __future__ import annotations

import polars as pl

from pipelines.core import near_duplicates
from pipelines.core.models import DUPLICATE, NO_CONTENT, OK
from pipelines.core.status import with_document_status
from pipelines.store.warehouse import Tables, add_key

# Lower is more authoritative; v_latest_facts picks the lowest.
AUTHORITY_RANK = {"bulletin": 1, "congress": 2, "government": 2, "plan": 2, "bureau": 3, "news": 4}
_PLAN_NUMERALS = "一二三四五六七八九十"


def _plan_name(n: int) -> str:
    """1 → 一五, 14 → 十四五: five-year plans counted from 1953."""
    if n <= 10:
        head = _PLAN_NUMERALS[n - 1]
    elif n < 20:
        head = "十" + _PLAN_NUMERALS[n - 11]
    else:
        head = _PLAN_NUMERALS[n // 10 - 1] + "十" + (_PLAN_NUMERALS[n % 10 - 1] if n % 10 else "")
    return head + "五"


def dim_period(first: int = 1949, last: int = 2100) -> pl.DataFrame:
    years = pl.int_range(first, last + 1, eager=True).alias("year").cast(pl.Int32)
    frame = pl.DataFrame(years).with_columns(
        plan_no=pl.when(pl.col("year") >= 1953).then((pl.col("year") - 1953) // 5 + 1)
    )
    names = {n: _plan_name(n) for n in frame["plan_no"].drop_nulls().unique().to_list()}
    return (
        frame.with_columns(
            five_year_plan=pl.col("plan_no").replace_strict(names, default=None, return_dtype=pl.String),
            plan_start_year=(1953 + (pl.col("plan_no") - 1) * 5).cast(pl.Int32),
            plan_end_year=(1953 + (pl.col("plan_no") - 1) * 5 + 4).cast(pl.Int32),
        )
        .with_columns(is_plan_end=(pl.col("year") == pl.col("plan_end_year")).fill_null(False))
        .drop("plan_no")
    )


def mark_duplicates(manifest: pl.DataFrame) -> pl.DataFrame:
    """Key every file by its path; the first path with some content owns it, later ones are duplicates."""
    keyed = add_key(manifest, "document_key", ["source_file"]).sort("source_file")
    owner = (
        keyed.filter(pl.col("status") == OK).group_by("content_hash").agg(pl.col("source_file").min().alias("owner"))
    )
    return (
        keyed.join(owner, on="content_hash", how="left")
        .with_columns(
            duplicate_of=pl.when((pl.col("status") == OK) & (pl.col("owner") != pl.col("source_file"))).then(
                pl.col("owner")
            )
        )
        .with_columns(
            status=pl.when(pl.col("duplicate_of").is_not_null()).then(pl.lit(DUPLICATE)).otherwise("status"),
            error=pl.when(pl.col("duplicate_of").is_not_null())
            .then(pl.format("same content as {}; its facts are counted there", "duplicate_of"))
            .otherwise("error"),
        )
        .drop("owner")
    )


def dim_document(
    documents: pl.DataFrame, reads: pl.DataFrame, cleans: pl.DataFrame, contexts: pl.DataFrame
) -> pl.DataFrame:
    """Documents with their status (core.status: the first stage that did not end ok) and context."""
    frame = (
        with_document_status(documents, reads, cleans, contexts)
        .join(reads.drop("status", "error", "source_file", strict=False), on="content_hash", how="left")
        .join(contexts.drop("status", "error"), on="content_hash", how="left")
    )
    return frame.with_columns(
        authority_rank=pl.col("source_type").replace_strict(AUTHORITY_RANK, default=5, return_dtype=pl.Int32),
    ).sort("source_file")


COPY_SCHEMA = {
    "source_file": pl.String,
    "same_report_as": pl.String,
    "same_report_similarity": pl.Float64,
    "same_report_figures": pl.Float64,
}


def same_report_copies(docs: pl.DataFrame, texts: pl.DataFrame) -> pl.DataFrame:
    """Read documents that are another copy of a report (core.near_duplicates), with their canonical copy.

    The canonical copy is the text rather than the PDF, then the first path. Texts are read from the
    clean stage's files, each file once and only its rows of these documents; only each document's
    fingerprint is kept.
    """
    ordered = texts.join(docs.select("document_key", "source_file", "file_type"), on="document_key").sort(
        pl.col("file_type") != "txt", "source_file"
    )
    by_hash: dict[str, near_duplicates.Fingerprint] = {}
    for (path,), group in ordered.group_by("clean_path"):
        read = (
            pl.scan_parquet(path)
            .select("content_hash", "simplified_text")
            .filter(pl.col("content_hash").is_in(group["content_hash"].implode()))
            .collect()
        )
        by_hash.update((h, near_duplicates.fingerprint(text)) for h, text in read.iter_rows())
    fingerprints = [(name, by_hash[h]) for name, h in ordered.select("source_file", "content_hash").iter_rows()]
    copies = near_duplicates.same_reports(fingerprints)
    return pl.DataFrame(
        [(c.document, c.canonical, c.similarity.text, c.similarity.figures) for c in copies],
        schema=COPY_SCHEMA,
        orient="row",
    )


def build_tables(
    *,
    documents: pl.DataFrame,
    reads: pl.DataFrame,
    cleans: pl.DataFrame,
    contexts: pl.DataFrame,
    accepted: pl.DataFrame,
    rejected: pl.DataFrame,
    indicators: pl.DataFrame,
    areas: pl.DataFrame,
    text_files: pl.DataFrame,
) -> Tables:
    """`reads` and `cleans` carry everything but the texts, which load from the Parquet files
    `text_files` names (content_hash, read_path, clean_path)."""
    docs = dim_document(documents, reads, cleans, contexts)
    ok_docs = docs.filter(pl.col("status") == OK).select("document_key", "content_hash")
    texts = (
        ok_docs.join(cleans.select("content_hash"), on="content_hash", how="semi")
        .join(text_files, on="content_hash")
        .join(reads.select("content_hash", pl.col("n_chars").fill_null(0)), on="content_hash", how="left")
        .sort("document_key")
    )
    docs = docs.join(same_report_copies(docs, texts), on="source_file", how="left", maintain_order="left")
    # a page that cleaned to nothing keeps its audit: the noise shows what it held
    audited = docs.filter(pl.col("status").is_in([OK, NO_CONTENT])).select("document_key", "content_hash")
    read_noise = audited.join(reads.select("content_hash", "removals"), on="content_hash").with_columns(
        stage=pl.lit("read")
    )
    clean_noise = audited.join(cleans.select("content_hash", "removals"), on="content_hash").with_columns(
        stage=pl.lit("clean")
    )
    noise = (
        pl.concat([read_noise, clean_noise])
        .explode("removals")
        .drop_nulls("removals")
        .with_columns(seq=pl.int_range(pl.len()).over("document_key", "stage").cast(pl.Int32))
        .unnest("removals")
        .rename({"start": "char_start", "end": "char_end", "text": "removed_text"})
        .sort("document_key", "stage", "seq")
    )
    facts = accepted.join(ok_docs.select("document_key"), on="document_key", how="semi").sort("fact_key")
    quarantine = (
        rejected.join(ok_docs.select("document_key"), on="document_key", how="semi")
        .with_columns(  # rejections outside the expectation suites (conflicts) are in words already
            reason_in_words=pl.coalesce("reason_in_words", "reason")
            if "reason_in_words" in rejected.columns
            else pl.col("reason")
        )
        .sort("fact_key", "reason")
    )
    return Tables(
        dim_indicator=indicators.sort("indicator_code"),
        dim_area=areas.sort("area_key"),
        dim_period=dim_period(),
        dim_document=docs,
        fact_indicator=facts,
        fact_rejected=quarantine,
        document_text=texts,
        noise_removed=noise,
    )


def dim_area(gazetteer_csv) -> pl.DataFrame:
    """The shipped gazetteer as the area dimension, with each area's province in English too."""
    areas = pl.read_csv(gazetteer_csv, schema_overrides={"adcode": pl.String})
    provinces = areas.filter(pl.col("level") == "province").select(
        pl.col("name").alias("province"), pl.col("name_en").alias("province_en")
    )
    return areas.join(provinces, on="province", how="left").select(
        pl.col("adcode").alias("area_key"),
        pl.col("name").alias("name_zh"),
        "name_en",
        "level",
        pl.col("province").alias("province_zh"),
        "province_en",
        pl.col("parent").alias("parent_zh"),
    )
