"""The one script that draws every area chart in the browser: Vega, Vega-Lite and vega-embed, bundled.

vl-convert ships the libraries it renders with and bundles them into a self-contained classic script
(~900 KB, ~5 s to generate), so the report needs no CDN. The file name carries the versions: a build copies
the bundle from the report it replaces when the name matches, so the bundle is generated once per vl-convert
version (and at most once per process), and a browser never keeps a stale copy after an upgrade.
"""

from __future__ import annotations

import functools
import shutil
from pathlib import Path


def bundle_name() -> str:
    """Asset file name, keyed by every version that changes the bundle's content."""
    import vl_convert

    vega_lite = vl_convert.get_vegalite_versions()[-1]
    return (
        f"vega-{vl_convert.get_vega_version()}_vega-lite-{vega_lite}"
        f"_vega-embed-{vl_convert.get_vega_embed_version()}_vl-convert-{vl_convert.__version__}.js"
    )


@functools.cache
def _generate(name: str) -> str:
    """`name` is the cache key: the same process never bundles the same versions twice."""
    import vl_convert

    return vl_convert.javascript_bundle(vl_version=vl_convert.get_vegalite_versions()[-1])


def write_bundle(assets: Path, previous_assets: Path) -> str:
    """Put the bundle into `assets`, copied from the previous report's assets when it has these versions.

    Returns the file name, for the pages' script tags.
    """
    name = bundle_name()
    assets.mkdir(parents=True, exist_ok=True)
    previous = previous_assets / name
    if previous.is_file():
        shutil.copyfile(previous, assets / name)
    else:
        (assets / name).write_text(_generate(name), encoding="utf-8")
    return name
