"""Analysts' DuckDB 1.x clients can open the published file (storage compatibility version)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

OLDEST_SUPPORTED = "1.2.0"


def _install_old_duckdb(target: Path) -> None:
    uv = shutil.which("uv")
    command = (
        [uv, "pip", "install", "--quiet", "--python", sys.executable, "--target", str(target)]
        if uv
        else ["python3", "-m", "pip", "install", "--quiet", "--target", str(target)]
    )
    subprocess.run([*command, f"duckdb=={OLDEST_SUPPORTED}"], check=True, timeout=300)


def test_duckdb_1x_client_reads_the_published_warehouse(sample_build: Path, tmp_path: Path):
    _install_old_duckdb(tmp_path / "old")
    script = (
        "import duckdb, sys\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "print(duckdb.__version__)\n"
        "print(con.execute(\"SELECT value FROM v_indicator_facts WHERE region_name = '安阳市' "
        "AND indicator_code = 'air.pm25_mean' AND year = 2024 LIMIT 1\").fetchone()[0])\n"
        "print(con.execute('SELECT count(*) FROM v_latest_facts').fetchone()[0] > 0)\n"
    )
    out = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            f"import sys; sys.path.insert(0, {str(tmp_path / 'old')!r})\n" + script,
            str(sample_build),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.split()
    assert out == [OLDEST_SUPPORTED, "51.0", "True"]
