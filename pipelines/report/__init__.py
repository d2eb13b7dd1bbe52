"""Static HTML evidence report of a published warehouse: every fact shown where it stands in its text.

Plain Python, no Dagster: the `evidence_report` asset calls `build_report`, and so can anyone holding a
warehouse file. The site is self-contained (local CSS and JS; charts drawn in the browser by a bundled copy of
Vega, see vega_bundle.py) and works offline.
"""

from pipelines.report.build import ReportSummary, build_report

__all__ = ["ReportSummary", "build_report"]
