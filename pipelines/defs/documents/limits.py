"""What one document may cost in the per-document stages, as a resource the operator can set."""

import os

import dagster as dg

from pipelines.worker import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, ENV_DOC_MEMORY_MB, ENV_DOC_TIMEOUT_S, Limits


class DocumentLimits(dg.ConfigurableResource):
    """Seconds per stage and megabytes per document; unset fields come from ENVREPORTS_DOC_* at
    run time, else the defaults. A timeout of 0 runs the stages in the step's own process,
    without limits (for a debugger or a profiler)."""

    timeout_s: int | None = None
    memory_mb: int | None = None

    def limits(self) -> Limits:
        env = Limits.from_env()
        return Limits(
            timeout_s=env.timeout_s if self.timeout_s is None else self.timeout_s,
            memory_mb=env.memory_mb if self.memory_mb is None else self.memory_mb,
        )


def _from_env(name: str) -> dg.EnvVar | None:
    """EnvVar where the operator set one (the UI shows it as such); else resolved at run time."""
    return dg.EnvVar.int(name) if os.environ.get(name) else None


defs = dg.Definitions(
    resources={
        "document_limits": DocumentLimits(
            timeout_s=_from_env(ENV_DOC_TIMEOUT_S),
            memory_mb=_from_env(ENV_DOC_MEMORY_MB),
        )
    }
)

__all__ = ["DEFAULT_MEMORY_MB", "DEFAULT_TIMEOUT_S", "DocumentLimits", "defs"]
