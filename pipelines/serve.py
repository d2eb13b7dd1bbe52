"""`envreports serve`: the evidence report and the Data Docs over http on 127.0.0.1.

Browsers refuse to open file:// links from a web page such as the Dagster UI, so the UI links
to these served URLs instead. Only the two output folders are served, each under its own
prefix (/report/, /data_docs/); folders are never listed and no path leaves its folder.
"""

from __future__ import annotations

import html
import posixpath
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from pipelines.settings import Settings, serve_url

NOWHERE = "/nonexistent/envreports-serve"  # what a refused path translates to: answered 404


def served_folders(settings: Settings) -> dict[str, Path]:
    """URL prefix → folder: the only places the server answers from."""
    return {"report": settings.report_dir, "data_docs": settings.data_docs_dir}


def served_url(prefix: str, relative: str | PurePosixPath | Path = "index.html") -> str:
    """The URL of a served file, under ENVREPORTS_SERVE_URL (what the UI's metadata links to)."""
    return f"{serve_url()}/{prefix}/{quote(PurePosixPath(relative).as_posix())}"


class OutputsHandler(SimpleHTTPRequestHandler):
    """Serves files under the output folders only: no listings, nothing outside them."""

    def __init__(self, *args, folders: dict[str, Path], **kwargs):
        self.folders = {prefix: folder.resolve() for prefix, folder in folders.items()}
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        parts = [p for p in posixpath.normpath(unquote(urlsplit(path).path)).split("/") if p]
        if not parts or parts[0] not in self.folders or any(p in ("..", ".") or "\\" in p for p in parts):
            return NOWHERE
        root = self.folders[parts[0]]
        target = root.joinpath(*parts[1:]).resolve()
        if not target.is_relative_to(root):  # a link pointing out of the folder
            return NOWHERE
        return str(target) + ("/" if path.split("?")[0].endswith("/") else "")

    def list_directory(self, path: str | Path):
        self.send_error(HTTPStatus.NOT_FOUND, "no listing")
        return None

    def do_GET(self) -> None:
        if urlsplit(self.path).path in ("", "/"):
            self._home()
            return
        super().do_GET()

    def _home(self) -> None:
        links = "".join(f"<li><a href='/{html.escape(p)}/index.html'>{html.escape(p)}</a></li>" for p in self.folders)
        body = f"<!DOCTYPE html><meta charset='utf-8'><title>envreports</title><ul>{links}</ul>".encode()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # the UI's terminal stays readable
        return


def make_server(settings: Settings, host: str, port: int) -> ThreadingHTTPServer:
    """A server bound to host:port (port 0: a free one), not yet serving."""
    handler = partial(OutputsHandler, folders=served_folders(settings))
    return ThreadingHTTPServer((host, port), handler)
