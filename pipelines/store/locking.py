"""Exclusive file locks (flock) with a bounded wait and a message that names the holder.

The kernel releases an flock when its holder dies, however it dies, so a lock never goes stale
and no pid has to be trusted (pids are reused). The lock file itself stays in place: deleting
it while another process waits on it would let two processes hold "the" lock at once.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

POLL_SECONDS = 0.2


class LockTimeout(RuntimeError):
    """Another process held the lock for longer than we were willing to wait."""


def holder(path: Path) -> dict:
    """What the current holder wrote into the lock file (pid, host, since, what, token); {} if unknown."""
    try:
        return json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}


def describe(info: dict) -> str:
    if not info:
        return "another process"
    return f"{info.get('what', 'a process')} (pid {info.get('pid')} on {info.get('host')}, since {info.get('since')})"


def is_held(path: Path) -> bool:
    """Whether some process holds the lock now (a quick try, released at once)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


@contextmanager
def file_lock(
    path: Path,
    *,
    wait: float,
    what: str,
    token: str = "",
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Hold an exclusive flock on `path`, waiting at most `wait` seconds for the current holder.

    `what` and `token` are written into the file for the next one who has to wait (and for a
    child of this process that must know the lock is held on its behalf).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, path, wait, on_wait)
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
            "what": what,
            "token": token,
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _acquire(fd: int, path: Path, wait: float, on_wait: Callable[[str], None] | None) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    busy = describe(holder(path))
    if wait <= 0:
        raise LockTimeout(f"{path} is held by {busy}; not waiting")
    if on_wait:
        on_wait(f"waiting up to {wait:g} s for {busy} to release {path}")
    deadline = time.monotonic() + wait
    while True:
        time.sleep(POLL_SECONDS)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise LockTimeout(
                    f"gave up after {wait:g} s: {path} is still held by {describe(holder(path))}"
                ) from None
