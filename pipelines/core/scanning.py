"""Finding many literal words in a text in one pass, on a compiled multi-pattern engine.

The gazetteer's ~6,300 area names and the literal cores of the indicator aliases are looked
for in every paragraph. Trying each word, or each start position, in Python ran at 10–20 MB/s;
Hyperscan compiles all the words into one automaton and scans at hundreds of MB/s, so the
finding costs little next to judging what was found.

The engine scans UTF-8 bytes; offsets are turned back into character offsets here, so callers
only ever see offsets into the `str` they passed. A database is compiled on first use in the
process that uses it (never at import: forked step processes build their own), and each thread
scans with its own scratch space, since Hyperscan releases the GIL while it scans.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator
from re import _constants as sre_constants  # the regex parser: which characters a pattern needs
from re import _parser as sre_parser
from typing import Any

import hyperscan


class Words:
    """A fixed set of literal words; `find` gives every occurrence, overlapping ones included,
    or with `once` only the first occurrence of each word (enough for `present`, and cheaper:
    the engine calls back into Python once per word found, not once per occurrence)."""

    def __init__(self, words: Iterable[str], *, once: bool = False):
        self.words: tuple[str, ...] = tuple(words)
        self._flags = hyperscan.HS_FLAG_SINGLEMATCH if once else 0
        if any(not w or "\x00" in w for w in self.words):
            raise ValueError("a word to scan for must be non-empty and hold no NUL character")
        self._db: hyperscan.Database | None = None
        self._lengths = tuple(len(w) for w in self.words)
        self._local = threading.local()

    def _database(self) -> hyperscan.Database:
        if self._db is None:  # two threads racing here both compile the same words: harmless
            db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            db.compile(
                expressions=[w.encode() for w in self.words],
                ids=list(range(len(self.words))),
                elements=len(self.words),
                flags=self._flags,
                literal=True,
            )
            self._db = db
        return self._db

    def _scratch(self, db: hyperscan.Database) -> hyperscan.Scratch:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(db)
        return scratch

    def find(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, word index) of every occurrence (the first only, for words scanned `once`),
        in character offsets, ordered by end."""
        if not self.words or not text:
            return []
        db = self._database()
        data = text.encode()
        ends: list[tuple[int, int]] = []

        def on_match(word: int, _from: int, to: int, _flags: int, _context: object) -> None:
            ends.append((to, word))

        db.scan(data, match_event_handler=on_match, scratch=self._scratch(db))
        if not ends:
            return []
        ends.sort()
        if len(data) == len(text):  # ASCII: byte offsets are character offsets
            return [(to - self._lengths[word], to, word) for to, word in ends]
        found = []
        chars = last = 0  # character offset of byte offset `last`
        for to, word in ends:
            if to != last:
                chars += len(data[last:to].decode())
                last = to
            found.append((chars - self._lengths[word], chars, word))
        return found

    def present(self, text: str) -> set[int]:
        """The indices of the words that occur in the text at least once."""
        found: set[int] = set()
        if self.words and text:
            db = self._database()
            db.scan(
                text.encode(),
                match_event_handler=lambda word, *_: found.add(word),
                scratch=self._scratch(db),
            )
        return found


# ----------------------------------------------------------------------------- literal cores


def literal_cores(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """Literals of which every match of the pattern holds at least one ('' when there are none).

    A regex that is run only on text holding one of its cores finds exactly what it finds when
    run everywhere, and the check is a substring test or a scan for many patterns at once.
    """
    if pattern.flags & re.IGNORECASE:
        return ("",)
    return _cores(list(sre_parser.parse(pattern.pattern)))


def _cores(nodes: list[Any]) -> tuple[str, ...]:
    """The best set of cores of a parsed sequence: its longest run of fixed characters, or the
    alternatives of a branch it must pass through, whichever has the longer shortest core."""
    best: tuple[str, ...] = (max(_runs(nodes), key=len),)
    for alternatives in _required_branches(nodes):
        cores = tuple(dict.fromkeys(c for alt in alternatives for c in _cores(alt)))
        if min(map(len, cores)) > min(map(len, best)):
            best = cores
    return best


def _runs(nodes: list[Any]) -> list[str]:
    runs, run = [""], ""
    for c in _fixed(nodes):
        run = run + c if c is not None else ""
        runs.append(run)
    return runs


def _fixed(nodes: list[Any]) -> Iterator[str | None]:
    """The characters a sequence always consumes, in order; None where adjacent fixed characters
    stop (a class, an optional part, a repeat, a branch)."""
    for op, arg in nodes:
        if op is sre_constants.LITERAL:
            yield chr(arg)
        elif op is sre_constants.SUBPATTERN:
            yield from _fixed(arg[-1])
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT, sre_constants.AT):
            continue  # consumes nothing: the characters on either side stay adjacent
        else:
            yield None


def _required_branches(nodes: list[Any]) -> Iterator[list[list[Any]]]:
    """The alternatives of each branch every match passes through (not inside an optional part)."""
    for op, arg in nodes:
        if op is sre_constants.BRANCH:
            yield [list(alt) for alt in arg[1]]
        elif op is sre_constants.SUBPATTERN:
            yield from _required_branches(list(arg[-1]))


class Gated:
    """A regex run only on text that holds one of its literal cores (exactly the same matches)."""

    def __init__(self, pattern: re.Pattern[str]):
        self.pattern = pattern
        self.cores = literal_cores(pattern)
        self._always = "" in self.cores
        # a character all cores share, tested first: one substring test rules most texts out (the
        # last one of the first core: 度 of 季度, 年 of 半年, where words vary at the front)
        shared = set.intersection(*(set(core) for core in self.cores))
        self._shared = next((c for c in reversed(self.cores[0]) if c in shared), "")
        # several cores: one scan for all of them (an alternation of literals is scanned in C)
        self._any = re.compile("|".join(map(re.escape, self.cores))).search

    def may_match(self, text: str) -> bool:
        if self._always:
            return True
        if self._shared not in text:
            return False
        return self._any(text) is not None if len(self.cores) > 1 else self.cores[0] in text

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text) if self.may_match(text) else iter(())

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self.may_match(text) else None


def cues(gated: Iterable[Gated]) -> str:
    """Characters of which a text must hold one for any of these regexes to match there (each
    one's shared character), or '' when some regex has none and may match anything."""
    shared = [g._shared if not g._always else "" for g in gated]
    return "" if not all(shared) else "".join(sorted(set(shared)))


def any_char(chars: str) -> Callable[[str], bool]:
    """A test whether a text holds one of the characters (always true for '': no cue, no
    shortcut); one scan for a character class, in C."""
    if not chars:
        return lambda _text: True
    search = re.compile(f"[{re.escape(chars)}]").search
    return lambda text: search(text) is not None
