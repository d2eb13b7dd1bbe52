"""What one document may cost in the per-document stages, as a resource the operator can set."""

import dagster as dg

from pipelines.worker import Limits


class DocumentLimits(dg.ConfigurableResource):
    """Seconds per stage and megabytes per document. Unset fields come from ENVREPORTS_DOC_TIMEOUT_S
    and ENVREPORTS_DOC_MEMORY_MB when the step runs (not when the code location loads, so a long-lived
    `dg dev` sees a changed environment), else the defaults. A timeout of 0 runs the stages in the
    step's own process, without limits (for a debugger or a profiler)."""

    timeout_s: float | None = None
    memory_mb: int | None = None

    def limits(self) -> Limits:
        env = Limits.from_env()
        return Limits(
            timeout_s=env.timeout_s if self.timeout_s is None else self.timeout_s,
            memory_mb=env.memory_mb if self.memory_mb is None else self.memory_mb,
        )


def limits_run_config(limits: Limits) -> dict:
    """Run config that pins the document limits (what `envreports build` passes, resolved once)."""
    return {"config": {"timeout_s": float(limits.timeout_s), "memory_mb": limits.memory_mb}}


defs = dg.Definitions(resources={"document_limits": DocumentLimits()})
