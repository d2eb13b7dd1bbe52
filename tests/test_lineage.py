"""The asset graph reads like the pipeline, the assets hold what their names say, and the table-like
assets show their columns in the catalog."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from pipelines import stages
from pipelines.definitions import defs
from pipelines.defs.documents.assets import CLEAN_RESULT_SCHEMA, READ_RESULT_SCHEMA
from pipelines.defs.metadata import column_schema
from pipelines.settings import settings_from_env

UPSTREAM = {
    "raw_documents": set(),
    "read_results": {"raw_documents"},
    "clean_results": {"read_results"},
    "extracted_facts": {"clean_results", "read_results"},  # pages and running headers come from the read
    "document_contexts": {"clean_results", "read_results"},
    "normalised_facts": {"extracted_facts", "raw_documents"},  # document keys and duplicates: the manifest
    # the document suites check each file's status, made of every stage's
    "validated_facts": {"normalised_facts", "raw_documents", "read_results", "clean_results", "document_contexts"},
    "rejected_facts": {"normalised_facts", "raw_documents", "read_results", "clean_results", "document_contexts"},
    "warehouse": {
        "validated_facts",
        "rejected_facts",
        "raw_documents",
        "read_results",
        "clean_results",
        "document_contexts",
    },
    "evidence_report": {"warehouse", "raw_documents"},  # the manifest's fingerprint marks the build published
}
TABLES = (
    "raw_documents",
    "read_results",
    "clean_results",
    "extracted_facts",
    "document_contexts",
    "normalised_facts",
    "validated_facts",
    "rejected_facts",
)
STATIC_SCHEMAS = {
    "read_results": READ_RESULT_SCHEMA,
    "clean_results": CLEAN_RESULT_SCHEMA,
    "extracted_facts": stages.RAW_FACT_SCHEMA,
    "document_contexts": stages.CONTEXT_SCHEMA,
}


def test_each_asset_depends_on_the_stage_before_it():
    graph = defs().resolve_asset_graph()
    upstream = {
        key.to_user_string(): {p.to_user_string() for p in graph.get(key).parent_keys}
        for key in graph.get_all_asset_keys()
    }
    assert upstream == UPSTREAM


def test_document_assets_declare_their_columns():
    specs = {s.key.to_user_string(): s for s in defs().resolve_all_asset_specs()}
    for name, schema in STATIC_SCHEMAS.items():
        assert specs[name].metadata["dagster/column_schema"] == column_schema(schema), name
    # the names say what they hold: results of each stage, the texts staying in the cache files they name
    for name in ("read_results", "clean_results"):
        columns = {c.name for c in specs[name].metadata["dagster/column_schema"].columns}
        assert not columns & {"text", "original", "clean_text", "simplified_text"}, name


def test_column_schema_names_nested_types():
    schema = column_schema({"n": pl.Int32, "pages": pl.List(pl.Struct({"number": pl.Int32, "method": pl.String}))})
    assert [(c.name, c.type) for c in schema.columns] == [
        ("n", "int32"),
        ("pages", "list[struct<number: int32, method: string>]"),
    ]


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "good.txt").write_text("2023年，安阳市环境空气质量优良天数为226天。", encoding="utf-8")
    (folder / "blank.txt").write_text("   \n", encoding="utf-8")
    return folder


def test_materialised_tables_match_their_schemas_and_the_warehouse_loads_from_its_inputs(raw: Path, tmp_path: Path):
    from pipelines.cli import build_job
    from pipelines.defs.resources import resources_run_config

    warehouse = tmp_path / "warehouse" / "envreports.duckdb"
    settings = settings_from_env({"ENVREPORTS_RAW_DIR": str(raw), "ENVREPORTS_WAREHOUSE": str(warehouse)})
    result = build_job().execute_in_process(
        run_config={"resources": resources_run_config(settings)}, instance=dg.DagsterInstance.ephemeral()
    )
    assert result.success
    metadata = {
        e.asset_key.to_user_string(): e.materialization.metadata for e in result.get_asset_materialization_events()
    }
    for name in TABLES:
        value = result.asset_value(name)
        assert metadata[name]["dagster/column_schema"].value == column_schema(value.schema), name
        assert metadata[name]["dagster/row_count"].value == value.height, name
        if name in STATIC_SCHEMAS:
            assert dict(value.schema) == STATIC_SCHEMAS[name], name
    reads = result.asset_value("read_results")
    cleans = result.asset_value("clean_results")
    assert sorted(reads["source_file"]) == ["blank.txt", "good.txt"]
    # each result names the cache file that holds its document's text, which the warehouse loads
    for frame, column, text in ((reads, "read_path", "text"), (cleans, "clean_path", "clean_text")):
        for content_hash, path in frame.select("content_hash", column).iter_rows():
            row = pl.read_parquet(path).filter(pl.col("content_hash") == content_hash)
            assert row.height >= 1 and row[text][0] is not None
    assert cleans.filter(pl.col("status") == "ok")["n_chars_clean"].to_list() == [
        len("2023年，安阳市环境空气质量优良天数为226天。")
    ]
