"""What a build changed in the published warehouse: documents added, changed, removed; facts added, dropped.

The CLI reads the keys of the warehouse it is about to replace (one read-only query per table,
before the run) and compares them with the new file's. Fact keys are deterministic hashes of a
fact's content (store.warehouse.add_key), so an unchanged fact keeps its key across builds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Keys:
    """The identity of a published warehouse's documents and facts."""

    documents: dict[str, str | None] = field(default_factory=dict)  # source_file → content_hash
    facts: frozenset[str] = frozenset()


def read_keys(warehouse: Path) -> Keys | None:
    """The published warehouse's keys; None when there is none yet or it cannot be read as one."""
    import duckdb

    if not warehouse.is_file():
        return None
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return None
    try:
        documents = dict(con.execute("SELECT source_file, content_hash FROM v_documents").fetchall())
        facts = frozenset(key for (key,) in con.execute("SELECT fact_key FROM v_indicator_facts").fetchall())
    except duckdb.Error:
        return None
    finally:
        con.close()
    return Keys(documents, facts)


def describe_changes(before: Keys | None, after: Keys) -> str:
    """One line for the build summary; a first build says so instead of counting everything as added."""
    if before is None:
        return f"changes: first build of this warehouse ({len(after.documents)} documents, {len(after.facts)} facts)"
    old, new = before.documents, after.documents
    added = len(new.keys() - old.keys())
    removed = len(old.keys() - new.keys())
    changed = sum(1 for name in new.keys() & old.keys() if new[name] != old[name])
    facts_added = len(after.facts - before.facts)
    facts_dropped = len(before.facts - after.facts)
    if not (added or removed or changed or facts_added or facts_dropped):
        return "changes: none (same documents, same facts)"
    return (
        f"changes: documents {added} added, {changed} changed, {removed} removed; "
        f"facts {facts_added} added, {facts_dropped} dropped"
    )
