"""Shared fixtures: one end-to-end build of the sample raw folder per test session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import main as cli_main
from pipelines.settings import PROJECT_ROOT

RAW = PROJECT_ROOT / "raw"


@pytest.fixture(scope="session", autouse=True)
def _throwaway_dagster_instance() -> Iterator[None]:
    """Builds under test record their runs in a temporary instance, never in the operator's DAGSTER_HOME."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("DAGSTER_HOME", raising=False)
        yield


def build(raw: Path, warehouse: Path, *extra: str) -> int:
    """A build through the CLI, in this process: tests count per-document work by patching functions,
    which only works in-process; test_executors.py covers the other executors."""
    return cli_main(["build", "--raw-dir", str(raw), "--warehouse", str(warehouse), "--executor", "in_process", *extra])


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
