"""Tiered compilation's background half: one worker thread that turns quick code into optimised code.

A compile with `tier="auto"` (see `pipeline.compile`) loads tier 0 at once -- the lowered LLVM IR
after SROA alone, through LLVM's fast instruction selector -- and `submit`s a `Job` that runs
the `llvm-opt` stage (LLVM's O3) and loads that code; the job's `done` callback swaps it into the
dispatcher.  Why a thread works here: llvmlite calls LLVM through ctypes, which releases the GIL for
the call, so O3 and machine-code generation run next to the Python that compiles the next function
or runs the program.  llvmlite serialises its own calls with one process-wide lock, so LLVM never
sees two threads at once (its contexts and target machines are not thread-safe); a thread that
calls LLVM while the worker is inside a long call waits for that one call, not for the job.

Rules that keep it free of deadlocks and surprises:

* a job takes no lock that a thread waiting for it could hold: not the dispatchers' compile lock,
  only the JIT engine's own short lock and the GIL (which `Job.wait` releases while it waits);
* `Job.wait` from a thread that did not start the job runs it right there if the worker has not
  begun it (no waiting behind a queue), and returns at once in the thread that runs it;
* an exception in a job is kept (`Job.error`), reported once as a `TierWarning`, and the quick
  code stays: it computes the same results;
* at interpreter exit (`atexit`, before daemon threads are stopped) jobs not yet started are
  dropped unless marked `keep`, and the running one is waited for, so no LLVM call is cut off
  while it holds llvmlite's lock; a fork waits for the running job and the child starts clean;
* the worker ends after `_IDLE_S` without work, so a program that compiled once and then runs
  (or forks: CPython warns about forking a process with threads) has no thread left.
"""
from __future__ import annotations

import atexit
import contextlib
import os
import threading
import warnings
from collections import deque
from collections.abc import Callable


class TierWarning(RuntimeWarning):
    """Optimising a function in the background failed; it keeps running its tier-0 code."""


class Job:
    """One background optimisation: `work()` then `done(result, error)`, each exactly once, then
    (when `work` succeeded) `then(result)`: what comes after the optimised code is in place, such
    as writing the cache entry.  The job is finished (`wait`) only after `then`."""

    __slots__ = ("label", "_work", "_done", "_then", "keep", "error", "then_error", "result", "_claimed",
                 "_thread", "_finished")

    def __init__(self, label: str, work: Callable[[], object],
                 done: Callable[[object, BaseException | None], None], *,
                 then: Callable[[object], None] | None = None, keep: bool = False):
        self.label = label
        self._work, self._done, self._then = work, done, then
        self.keep = keep                  # run it even at interpreter exit (it writes the cache)
        self.error: BaseException | None = None
        self.then_error: BaseException | None = None  # `then` failed (the optimised code stays)
        self.result: object = None
        self._claimed = False             # a thread has started it (under `_cv`)
        self._thread: threading.Thread | None = None
        self._finished = threading.Event()

    @property
    def finished(self) -> bool:
        return self._finished.is_set()

    def _claim(self) -> bool:
        with _cv:
            if self._claimed:
                return False
            self._claimed = True
            self._thread = threading.current_thread()
            return True

    def _run(self) -> None:
        try:
            self.result = self._work()
        except Exception as exc:  # kept and reported; the quick code stays
            self.error = exc
        try:
            self._done(self.result, self.error)
            if self._then is not None and self.error is None:
                try:
                    self._then(self.result)
                except Exception as exc:  # kept and reported; the optimised code stays
                    self.then_error = exc
        except Exception as exc:
            self.error = self.error or exc
        finally:
            self._finished.set()
        if self.error is not None:
            warnings.warn(f"jitlab: optimising {self.label} in the background failed "
                          f"({type(self.error).__name__}: {self.error}); it keeps running its tier-0 code",
                          TierWarning, stacklevel=2)
        elif self.then_error is not None:
            warnings.warn(f"jitlab: {self.label} runs its optimised code, but storing it in the cache failed "
                          f"({type(self.then_error).__name__}: {self.then_error})", TierWarning, stacklevel=2)

    def _cancel(self) -> None:
        """Drop a job that never started (exit, fork): it keeps its tier-0 code."""
        self.error = RuntimeError("not optimised: the process was exiting or forked")
        self._finished.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the job has run (running it here if no thread has started it); True when it
        succeeded.  In the thread that runs it, returns at once."""
        if self._thread is threading.current_thread():
            return self.finished and self.error is None
        if not self._finished.is_set() and self._claim():
            _forget(self)
            self._run()
        self._finished.wait(timeout)
        return self.finished and self.error is None


_cv = threading.Condition()
_queue: deque[Job] = deque()
_worker: threading.Thread | None = None
_closing = False
_current: Job | None = None  # the job the worker runs now
_running = threading.Lock()  # held while a job runs in the worker (a fork waits for it)


def submit(job: Job) -> Job:
    """Queue `job` for the worker thread (started on first use)."""
    global _worker
    with _cv:
        if _closing:
            job._cancel()
            return job
        _queue.append(job)
        if _worker is None:
            _worker = threading.Thread(target=_work_loop, name="jitlab-tier1", daemon=True)
            _worker.start()
        _cv.notify()
    return job


def _forget(job: Job) -> None:
    with _cv, contextlib.suppress(ValueError):
        _queue.remove(job)


_IDLE_S = 2.0  # the worker ends after this long without work (a later `submit` starts a new one)


def _work_loop() -> None:
    global _current, _worker
    while True:
        with _cv:
            if not _queue and not _closing:
                _cv.wait(_IDLE_S)
            if not _queue:
                if _worker is threading.current_thread():
                    _worker = None  # (so that a process forking later has no thread to warn about)
                return
            job = _current = _queue.popleft()
        with _running:
            if job._claim():
                job._run()
        _current = None


def wait_all(timeout: float | None = None) -> bool:
    """Wait for every job submitted so far (queued or running); True when all of them succeeded."""
    with _cv:
        jobs = [*([_current] if _current is not None else []), *_queue]
    results = [job.wait(timeout) for job in jobs]  # (every one waited for, not up to a failure)
    return all(results)


def _shutdown() -> None:
    """At exit: drop the jobs nobody needs, finish the ones that write the cache and the running one."""
    global _closing
    with _cv:
        _closing = True
        for job in [j for j in _queue if not j.keep]:
            _queue.remove(job)
            job._cancel()
        _cv.notify_all()
        worker = _worker
    if worker is not None and worker is not threading.current_thread():
        worker.join()


def _before_fork() -> None:
    _running.acquire()


def _after_fork_in_parent() -> None:
    _running.release()


def _after_fork_in_child() -> None:
    """The worker thread does not exist in the child: start afresh; queued jobs stay tier 0."""
    global _cv, _worker, _running, _current
    _running = threading.Lock()
    _cv = threading.Condition()
    if _current is not None and not _current.finished:
        _current._cancel()
    _worker = _current = None
    while _queue:
        _queue.popleft()._cancel()


atexit.register(_shutdown)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent,
                        after_in_child=_after_fork_in_child)
