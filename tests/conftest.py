"""Shared fixtures: one end-to-end build of the sample raw folder per test session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import main as cli_main
from pipelines.settings import PROJECT_ROOT

RAW = PROJECT_ROOT / "raw"

# Tests count per-document work by patching functions, which only works inside this process;
# test_executors.py covers the other executors.
os.environ["ENVREPORTS_EXECUTOR"] = "in_process"
os.environ.pop("DAGSTER_HOME", None)


def build(raw: Path, warehouse: Path, *extra: str) -> int:
    return cli_main(["build", "--raw-dir", str(raw), "--warehouse", str(warehouse), *extra])


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples copied to a temp raw folder and built once through the CLI (the Dagster job)."""
    root = tmp_path_factory.mktemp("sample")
    raw = root / "raw"
    shutil.copytree(RAW, raw)
    warehouse = root / "warehouse" / "envreports.duckdb"
    assert build(raw, warehouse) == 0
    return warehouse


@pytest.fixture
def sample_db(sample_build: Path):
    con = duckdb.connect(str(sample_build), read_only=True)
    yield con
    con.close()
