"""Preloaded by the multiprocess executor's forkserver, so every forked step starts warm.

Without it each step re-imports the code location, the stage code, pyarrow and Dagster's
storage (seconds per step on two cores). Importing here must not start polars' or Arrow's
thread pools: children forked from a process whose pools are running deadlock on them.
"""

import dagster._core.storage.base_storage  # noqa: F401  (the instance's storage, imported by every step)
import pyarrow  # noqa: F401  (the IO managers' Parquet)

from pipelines.definitions import defs

# resolving the definitions imports every module under pipelines/defs and the stage code they wire
defs()
