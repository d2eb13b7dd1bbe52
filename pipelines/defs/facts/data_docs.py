"""Data Docs: static, offline HTML pages of one build's validation results.

GX renders each suite's results; its page shell, which loads Bootstrap, jQuery and fonts from
CDNs, is swapped for a self-contained one, so the pages open on a machine without network.
Kept out of the core: rendering is presentation, the core only validates.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from pipelines.core.validation import SuiteResult

_OFFLINE_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC",sans-serif;margin:0;color:#212529;
 font-size:14px;line-height:1.45;background:#fff}
a{color:#0b5cad}
nav.offline{padding:.6rem 1.5rem;border-bottom:1px solid #dee2e6;background:#f8f9fa}
main,.container-fluid{padding:1rem 1.5rem}
.row{display:flex;flex-wrap:wrap;gap:1rem}
.col-md-2{flex:0 0 14rem;min-width:0}.col-md-10{flex:1 1 40rem;min-width:0}
table{border-collapse:collapse;margin:.3rem 0}
td,th{border:1px solid #dee2e6;padding:.25rem .5rem;vertical-align:top;text-align:left}
.table-responsive{overflow-x:auto}
.card{border:1px solid #dee2e6;border-radius:4px;margin-bottom:1rem}
.card-header{background:#f1f3f5;padding:.4rem .7rem}
.card-body{padding:.5rem .7rem}
ul.nav{list-style:none;padding:0;margin:0}
.badge{display:inline-block;padding:0 .4em;border-radius:3px;font-size:85%;background:#e9ecef}
.badge-danger{background:#c82333;color:#fff}
.alert{padding:.3rem .6rem;border-radius:3px;background:#f1f3f5}
.text-danger,.fail{color:#c82333}.text-success,.pass{color:#1e7e34}.text-warning,.error{color:#a86400}
.text-info{color:#117a8b}
.collapse{display:none}.collapse:target{display:block}
pre{white-space:pre-wrap;font-size:12px;background:#f8f9fa;padding:.5rem}
.fas{font-style:normal}
.fa-check-circle::before{content:"\\2714"}.fa-times::before{content:"\\2718"}
.fa-exclamation-triangle::before{content:"\\26A0"}.fa-question-circle::before{content:"?"}
.fa-comment::before{content:"[why]"}
"""

_PAGE_TEMPLATE = """<!DOCTYPE html>
<html>
  <head>
    <meta charset="UTF-8"><meta name="viewport" content="width=device-width, initial-scale=1.0">
    <title>{{ page_title }}</title>
    <style>{% include 'offline_styles.css' %}</style>
  </head>
  <body>
    <nav class="offline"><a href="../index.html">All suites</a> / {{ page_title }}</nav>
    <div class="container-fluid">
      <div class="row">
        <div class="col-md-2">{% include 'table_of_contents.j2' %}</div>
        <div class="col-md-10">
        {% for section in sections %}
          {% set section_loop = loop -%}
          {% include 'section.j2' %}
        {% endfor %}
        </div>
      </div>
    </div>
  </body>
</html>
"""

_REMOTE_URL_IN_CSS = re.compile(r"url\(\s*['\"]?https?://[^)]*\)")
_REMOTE_TAGS = (
    re.compile(r"<script\b[^>]*>.*?</script\s*>", re.S | re.I),  # GX's scripts all need jQuery/Bootstrap from CDNs
    re.compile(r"<(?:link|img|iframe|source)\b[^>]*(?:src|href)\s*=\s*['\"]?(?:https?:)?//[^>]*>", re.I),
)


# GX links each result page to a suite page that this build does not write; the index lists the suite.
_SUITE_PAGE_LINK = re.compile(r'href="(?:\.\./)+expectations/([^"]+)\.html"')


def _offline_html(text: str) -> str:
    """Drop every script and every tag that would load something from the network."""
    for pattern in _REMOTE_TAGS:
        text = pattern.sub("", text)
    return _REMOTE_URL_IN_CSS.sub("none", text)


def _offline_view() -> Any:
    """GX's page view with the CDN-loading page shell replaced by a self-contained one.

    GX renders the validation results (sections, expectations, observed values, unexpected
    value tables) with its own templates; only the shell (page.j2, which pulls Bootstrap,
    jQuery, Font Awesome and Vega from CDNs) is swapped for one with an inline stylesheet:
    GX's default styles with remote url()s removed plus a few rules standing in for Bootstrap.
    Collapsed blocks (tracebacks, notes) open through CSS :target, without JavaScript.
    """
    from great_expectations.render.view import DefaultJinjaPageView
    from jinja2 import ChoiceLoader, DictLoader

    gx_css = (
        resources.files("great_expectations")
        .joinpath("render/view/static/styles/data_docs_default_styles.css")
        .read_text(encoding="utf-8")
    )
    view = DefaultJinjaPageView()
    overrides = {
        "page.j2": _PAGE_TEMPLATE,
        "offline_styles.css": _REMOTE_URL_IN_CSS.sub("none", gx_css) + _OFFLINE_CSS,
    }
    view.env.loader = ChoiceLoader([DictLoader(overrides), view.env.loader])
    return view


def _page_name(suite: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", suite) + ".html"


def _status(ok: bool, errored: bool = False) -> str:
    if errored:
        return '<span class="error">ERROR</span>'
    return '<span class="pass">PASS</span>' if ok else '<span class="fail">FAIL</span>'


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """An HTML table from cells that are already escaped."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<div class='table-responsive'><table><tr>{head}</tr>{body}</table></div>"


def _index_html(suites: Sequence[SuiteResult], pages: dict[str, str]) -> str:
    """One page that alone shows every suite and expectation with its verdict and counts."""
    esc = html.escape
    summary = _table(
        ("suite", "severity", "status", "expectations", "failed", "raised", "details"),
        (
            (
                f"<a href='#{esc(s.suite)}'>{esc(s.suite)}</a>",
                esc(s.severity),
                _status(s.success),
                str(s.evaluated),
                str(s.failed),
                str(s.errored),
                f"<a href='{esc(pages[s.suite])}'>GX results</a>" if s.suite in pages else "",
            )
            for s in suites
        ),
    )
    sections = [
        f"<section id='{esc(s.suite)}'><h2>{esc(s.suite)} ({esc(s.severity)}) {_status(s.success)}</h2>"
        f"<p>{s.evaluated} expectations evaluated, {s.failed} failed, {s.errored} raised an exception.</p>"
        + _table(
            ("expectation", "status", "unexpected", "sample unexpected values", "exception", "why"),
            (
                (
                    f"<code>{esc(o.name)}</code>",
                    _status(o.success, o.exception is not None),
                    str(o.unexpected_count),
                    esc(", ".join(map(str, o.unexpected_sample[:10]))),
                    esc(o.exception or ""),
                    esc(o.notes or ""),
                )
                for o in s.expectations
            ),
        )
        + "</section>"
        for s in suites
    ]
    built = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        "<!DOCTYPE html><html><head><meta charset='UTF-8'><title>envreports data validation</title>"
        f"<style>{_OFFLINE_CSS}</style></head><body>"
        f"<nav class='offline'>envreports data validation, built {built}</nav>"
        f"<main>{summary}{''.join(sections)}</main></body></html>"
    )


def write_data_docs(suites: Iterable[SuiteResult], out_dir: Path) -> Path:
    """Static, offline Data Docs for one build: an index of all suites, plus GX's page per suite.

    Pages of an earlier build left in out_dir/validations are removed so the docs describe
    this build only.
    """
    suites = list(suites)
    pages_dir = out_dir / "validations"
    pages_dir.mkdir(parents=True, exist_ok=True)
    for stale in pages_dir.glob("*.html"):
        stale.unlink()
    pages: dict[str, str] = {}
    with_gx = [s for s in suites if s.gx_result is not None]
    if with_gx:
        from great_expectations.render.renderer import ValidationResultsPageRenderer

        renderer, view = ValidationResultsPageRenderer(), _offline_view()
        for s in with_gx:
            name = _page_name(s.suite)
            page = _SUITE_PAGE_LINK.sub(r'href="../index.html#\1"', view.render(renderer.render(s.gx_result)))
            (pages_dir / name).write_text(_offline_html(page), encoding="utf-8")
            pages[s.suite] = f"validations/{name}"
    index = out_dir / "index.html"
    index.write_text(_offline_html(_index_html(suites, pages)), encoding="utf-8")
    return index
