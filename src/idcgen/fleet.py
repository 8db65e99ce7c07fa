"""Lint many configs on every core: a process pool behind `idcgen lint DIR`.

A config repository holds hundreds to thousands of devices, and linting one is pure
Python CPU work, so files are linted in worker processes (one per CPU by default,
`--jobs N` to choose, `--jobs 1` for the plain serial loop). Results come back in input
order and the report is rendered from them exactly as in a serial run, so text, JSON and
SARIF output, the stderr lines and the exit code are byte-identical whatever `--jobs`.

- Workers are started with `fork` on Linux (they inherit the already imported detector,
  parsers and rules: nothing is imported twice) and `spawn` elsewhere; they import only
  `idcgen.lint` and what linting needs, never pydantic or jinja2 unless a rule renders a
  fix or `--site` is given.
- One file, or `--jobs 1`, never starts a pool.
- Ctrl-C: workers ignore SIGINT; the main process terminates them and the CLI exits 130
  ("interrupted"), without waiting for the files in flight.
- A worker that dies (killed, out of memory) breaks the pool: every file not finished by
  then is reported as not linted (an input error, exit 2) with a hint to rerun with
  `--jobs 1`; the files already linted keep their findings. Nothing hangs.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.context import BaseContext

    from idcgen.results import FileResult

PROGRESS_MIN_FILES = 20  # a progress line for this many files or more (stderr on a tty)
WORKER_DIED = ("not linted: a lint worker process died (killed, or out of memory) while "
               "this file was queued or in progress; rerun with --jobs 1 to find the file")

_OPTIONS: dict[str, Any] = {}  # lint_path keyword options, set in each worker


def worker_count(jobs: int | None, files: int) -> int:
    """Processes to use: `jobs` (0 or None: one per CPU), never more than files."""
    wanted = jobs if jobs else (os.cpu_count() or 1)
    return max(1, min(wanted, files))


def _start_context() -> BaseContext:
    import multiprocessing

    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _init_worker(options: dict[str, Any]) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl-C
    _OPTIONS.clear()
    _OPTIONS.update(options)


def _lint_one(path: str) -> FileResult:
    from idcgen.lint import lint_path

    return lint_path(path, **_OPTIONS)


def _preload() -> None:
    """Import the lint machinery before forking, so workers share it instead of each
    importing it (with spawn this only costs the main process a little)."""
    import idcgen.rules  # noqa: F401
    import idcgen.vendors.detect  # noqa: F401
    from idcgen.vendors import drivers

    for driver in drivers():
        driver.parse("", "<preload>")  # imports the driver's parser


def lint_files(paths: Sequence[str], *, jobs: int | None, options: dict[str, Any]
               ) -> Iterator[FileResult]:
    """`lint_path(path, **options)` for every path, in order; in parallel unless there is
    one file or `jobs` is 1."""
    from idcgen.lint import lint_path
    from idcgen.results import FileResult

    workers = worker_count(jobs, len(paths))
    if workers == 1:
        for path in paths:
            yield lint_path(path, **options)
        return
    # imported here: one file (the usual `idcgen lint FILE`) never pays for
    # multiprocessing / concurrent.futures (~20 ms of start-up)
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    _preload()
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=_start_context(),
                                   initializer=_init_worker, initargs=(options,))
    futures: list[Future[FileResult]] = []
    try:
        futures = [executor.submit(_lint_one, path) for path in paths]
        for path, future in zip(paths, futures, strict=True):
            try:
                yield future.result()
            except BrokenProcessPool:
                yield FileResult(path, error=WORKER_DIED)
    except BaseException:  # Ctrl-C, or the caller stopped early: do not wait for workers
        _terminate(executor, futures)
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _terminate(executor: ProcessPoolExecutor, futures: list[Future[FileResult]]) -> None:
    for future in futures:
        future.cancel()
    processes = getattr(executor, "_processes", None) or {}
    for process in list(processes.values()):
        process.terminate()
    for process in list(processes.values()):
        process.join(timeout=5)


class Progress:
    """`idcgen: 120/2000 files` on stderr, redrawn in place at most 10 times a second;
    only when stderr is a terminal and there are PROGRESS_MIN_FILES files or more, so
    it never reaches a pipe, a CI log or the report on stdout."""

    def __init__(self, total: int, stream: TextIO | None = None):
        self.stream = stream if stream is not None else sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = total >= PROGRESS_MIN_FILES and bool(isatty and isatty())
        self.total = total
        self.done = 0
        self._shown = False
        self._last = 0.0

    def advance(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last >= 0.1 or self.done == self.total:
            self._last = now
            self.stream.write(f"\ridcgen: {self.done}/{self.total} files")
            self.stream.flush()
            self._shown = True

    def clear(self) -> None:
        """Erase the progress line (before another stderr line, and at the end)."""
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False
