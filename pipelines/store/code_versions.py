"""Stage code versions derived from the code a stage actually runs.

A stage's version hashes its entry modules, every `pipelines` module they import (directly or
not, at module level or inside a function), the data files those modules name, and any extra
files (the stage runner itself). Editing any of them gives the stage a new cache folder, so
nothing computed by older code is reused; nobody keeps a list of modules by hand.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
from functools import cache
from pathlib import Path

PACKAGE = "pipelines"
DATA_PACKAGE = f"{PACKAGE}.data"


def _module_file(name: str) -> Path | None:
    """The source file of a `pipelines` module, or None when `name` is not one."""
    if name != PACKAGE and not name.startswith(f"{PACKAGE}."):
        return None
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    return Path(spec.origin) if spec and spec.origin and spec.origin.endswith(".py") else None


@cache
def _data_files() -> dict[str, Path]:
    folder = _module_file(DATA_PACKAGE)
    assert folder is not None, "pipelines.data is a package"
    return {p.name: p for p in folder.parent.iterdir() if p.is_file() and p.suffix != ".py"}


def _imports(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Every module name an import statement in the tree may refer to (submodules included)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = module.split(".")
                anchor = parts if is_package else parts[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _data_named(tree: ast.AST) -> set[Path]:
    """Data files whose name appears as a string in the module ('areas.csv')."""
    files = _data_files()
    return {
        files[node.value]
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in files
    }


@cache
def _scan(name: str) -> tuple[Path, frozenset[str], frozenset[Path]] | None:
    """A `pipelines` module's file, the modules it may import and the data files it names."""
    path = _module_file(name)
    if path is None:
        return None
    tree = ast.parse(path.read_bytes(), filename=str(path))
    imported = _imports(tree, name, path.name == "__init__.py")
    if "." in name:
        imported.add(name.rsplit(".", 1)[0])  # importing a module runs its package's __init__
    return path, frozenset(imported), frozenset(_data_named(tree))


def inputs(*entry_modules: str) -> list[Path]:
    """The source and data files the entry modules run on, sorted."""
    seen: dict[str, Path] = {}
    data: set[Path] = set()
    todo = list(entry_modules)
    while todo:
        name = todo.pop()
        if name in seen or (found := _scan(name)) is None:
            continue
        seen[name], imported, named = found
        data |= named
        todo.extend(imported)
    return sorted({*seen.values(), *data})


def code_version(files: list[Path]) -> str:
    """A short hash of the files' paths (within the package) and contents."""
    digest = hashlib.sha256()
    root = Path(_module_file(PACKAGE) or ".").parent
    for path in sorted(set(files)):
        digest.update(str(path.relative_to(root) if path.is_relative_to(root) else path.name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
