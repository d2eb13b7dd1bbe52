"""A child process that runs one document's stages at a time, under a memory and a time limit.

A PDF that inflates to gigabytes, a page of millions of path operators or a pattern that
backtracks for hours must cost one document a status, never the build. None of that can be
stopped from inside: pdfium aborts the whole process when an allocation fails, and code stuck
in C ignores Python's signals. So the stages run in a child process whose address space is
capped (RLIMIT_AS), and the parent waits for each stage's answer with a deadline; when the
deadline passes or the child dies, the parent kills it, reports the limit that was hit, and
starts a fresh child for the next document.

The child is a fresh interpreter (no thread or lock of the parent is copied into it), started
once per shard and reused, so a document costs one round trip through a socket, not a process start.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import os
import resource
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from pipelines.core.models import FAILED, TIMED_OUT, TOO_COMPLEX

ENV_DOC_TIMEOUT_S = "ENVREPORTS_DOC_TIMEOUT_S"
ENV_DOC_MEMORY_MB = "ENVREPORTS_DOC_MEMORY_MB"
DEFAULT_TIMEOUT_S = 120.0
DEFAULT_MEMORY_MB = 2048
START_TIMEOUT_S = 120.0  # a child's imports on a loaded machine; not counted against a document

_DONE = "done"
_READY = "ready"
_OUT_OF_MEMORY = "out_of_memory"

Emit = Callable[[str, Any], None]
Task = Callable[[Any, Emit], None]


@dataclass(frozen=True)
class Limits:
    """What one document may cost: seconds per stage, and megabytes of address space beyond
    what the worker maps once its code is loaded.

    A timeout of 0 runs the stages in the calling process with no limit at all (for a
    debugger or a profiler); a memory limit of 0 leaves the child's memory uncapped.
    """

    timeout_s: float = DEFAULT_TIMEOUT_S
    memory_mb: int = DEFAULT_MEMORY_MB

    @property
    def isolated(self) -> bool:
        return self.timeout_s > 0

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Limits:
        env = os.environ if environ is None else environ
        return cls(
            timeout_s=float(env.get(ENV_DOC_TIMEOUT_S) or DEFAULT_TIMEOUT_S),
            memory_mb=int(float(env.get(ENV_DOC_MEMORY_MB) or DEFAULT_MEMORY_MB)),
        )


@dataclass(frozen=True)
class LimitHit:
    """The stage that was running when the child was stopped, as a document status."""

    stage: str
    status: str  # TIMED_OUT | TOO_COMPLEX | FAILED (the child crashed)
    error: str


def _die_with_parent() -> None:
    """Linux: the kernel kills the child when the process that started it dies, so a killed
    build leaves no worker behind chewing on a bomb."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _address_space() -> int:
    """Bytes of address space this process maps now (shared libraries included, as RLIMIT_AS counts)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _serve(conn: Connection, task: Task, memory_mb: int) -> None:
    """The child's loop: one job in, the stage results out, then DONE."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when the child stops
    if memory_mb > 0:
        limit = _address_space() + memory_mb * 1024 * 1024  # on top of the interpreter and its libraries
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    conn.send(_READY)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            task(job, lambda stage, value: conn.send((stage, value)))
        except MemoryError:
            conn.send((_OUT_OF_MEMORY, None))
            sys.stdout.flush()
            os._exit(1)  # the heap may be in any state: a fresh child takes the next document
        conn.send((_DONE, None))


class Worker:
    """Runs `task(job, emit)` for one job at a time in a child process under `limits`.

    `task` must be importable by name (the child imports it); it calls `emit(stage, value)`
    as each stage finishes, which restarts the clock for the next stage. `warm_up` (importable
    too) runs in the child once, before the memory limit: what every document shares is built
    there, and thread pools started there are not refused their stacks by the limit.
    """

    def __init__(self, task: Task, limits: Limits, warm_up: Callable[[], None] | None = None):
        self.task = task
        self.limits = limits
        self.warm_up = warm_up
        self._process: subprocess.Popen | None = None
        self._conn: Connection | None = None
        self.restarts = 0

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, job: Any, stages: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
        """(stage, value) for each stage the task finished; a LimitHit as the value of the
        stage it was on when a limit stopped it (`stages` names them in order)."""
        if not self.limits.isolated:
            yield from self._in_process(job, stages)
            return
        conn = self._start()
        conn.send(job)
        finished = False
        try:
            yield from self._results(conn, stages)
            finished = True
        finally:
            if not finished:  # abandoned mid-document: a child still busy with it must not answer the next one
                self._kill()

    def _in_process(self, job: Any, stages: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
        """The stages in this process, without limits; running out of memory still costs only
        the document (too_complex on the stage it was on), as in the child."""
        results: list[tuple[str, Any]] = []
        try:
            self.task(job, lambda stage, value: results.append((stage, value)))
        except MemoryError as exc:
            yield from results
            done = stages.index(results[-1][0]) + 1 if results else 0
            if done < len(stages):
                error = f"the {stages[done]} stage ran out of memory (MemoryError: {exc})"
                yield stages[done], LimitHit(stages[done], TOO_COMPLEX, error)
            return
        yield from results

    def _results(self, conn: Connection, stages: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
        done = 0  # stages finished; the next one is the one a limit stops
        while True:
            if not conn.poll(self.limits.timeout_s):
                self._kill()
                if done < len(stages):
                    yield stages[done], LimitHit(stages[done], TIMED_OUT, self._timeout_message(stages[done]))
                return
            try:
                stage, value = conn.recv()
            except (EOFError, OSError):
                code = self._kill()
                if done < len(stages):
                    yield stages[done], self._death(stages[done], code)
                return
            if stage == _DONE:
                return
            if stage == _OUT_OF_MEMORY:
                self._kill()
                if done < len(stages):
                    yield stages[done], LimitHit(stages[done], TOO_COMPLEX, self._memory_message(stages[done]))
                return
            done = stages.index(stage) + 1
            yield stage, value

    def _start(self) -> Connection:
        if self._process is not None and self._process.poll() is None and self._conn is not None:
            return self._conn
        self._kill()
        ours, theirs = socket.socketpair()
        with ours, theirs:
            # a fresh interpreter (`python -m pipelines.worker`), not a fork: no thread or lock of
            # the step is copied, and unlike multiprocessing's spawn the caller's __main__ is not re-run
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    __name__,
                    _name(self.task),
                    _name(self.warm_up) if self.warm_up else "",
                    str(self.limits.memory_mb),
                    str(theirs.fileno()),
                ],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
            )
            conn = Connection(ours.detach())
        self._process, self._conn = process, conn
        if not conn.poll(START_TIMEOUT_S) or conn.recv() != _READY:
            code = self._kill()
            raise RuntimeError(f"the document worker did not start (exit code {code})")
        return conn

    def _kill(self) -> int | None:
        """Stops the child (if any) and returns its exit code."""
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            conn.close()
        if process is None:
            return None
        if process.poll() is None:
            process.kill()
        self.restarts += 1
        return process.wait()

    def close(self) -> None:
        """Lets an idle child end on its own (EOF on its socket), killing it if it does not."""
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            conn.close()
        if process is not None:
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _timeout_message(self, stage: str) -> str:
        return (
            f"the {stage} stage needed more than {self.limits.timeout_s:g} s and was stopped "
            f"(the limit is {ENV_DOC_TIMEOUT_S})"
        )

    def _memory_message(self, stage: str) -> str:
        return (
            f"the {stage} stage needed more than {self.limits.memory_mb} MB of memory and was stopped "
            f"(the limit is {ENV_DOC_MEMORY_MB})"
        )

    def _death(self, stage: str, code: int | None) -> LimitHit:
        """A child killed by SIGABRT or SIGKILL ran out of memory (pdfium aborts when an allocation
        fails; the kernel's OOM killer sends SIGKILL); any other death is a crash."""
        how = f"signal {signal.Signals(-code).name}" if code and code < 0 else f"exit code {code}"
        if code in (-signal.SIGABRT, -signal.SIGKILL):
            return LimitHit(stage, TOO_COMPLEX, f"{self._memory_message(stage)} ({how})")
        return LimitHit(stage, FAILED, f"the {stage} stage crashed its process ({how})")


def _name(function: Callable) -> str:
    return f"{function.__module__}:{function.__qualname__}"


def _resolve(name: str) -> Callable:
    module, _, qualname = name.partition(":")
    found = importlib.import_module(module)
    for attr in qualname.split("."):
        found = getattr(found, attr)
    return found


def main(argv: list[str]) -> None:
    """`python -m pipelines.worker module:task [module:warm_up] memory_mb fd`: the child side of Worker."""
    task, warm_up, memory_mb, fd = argv
    if warm_up:
        _resolve(warm_up)()
    _serve(Connection(int(fd)), _resolve(task), int(memory_mb))


if __name__ == "__main__":
    main(sys.argv[1:])
