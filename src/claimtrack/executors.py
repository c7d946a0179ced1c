"""Where the per-document stage of loading runs: in this process, or mapped over the
workers of a Dask distributed cluster (``claimtrack build --executor dask``).

Either way the results come back in the order of the inputs, so the corpus, its problems
and the release written from it are the same bytes.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import itertools
import multiprocessing
import os
import signal
import sys
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.pool import AsyncResult, Pool
from types import TracebackType
from typing import Any, TypeVar

Item = TypeVar("Item")
Shared = TypeVar("Shared")
Result = TypeVar("Result")

EXECUTORS = ("local", "dask")
#: From this many files (or documents) on, work is spread over processes by default.
PARALLEL_FROM = 32
#: Whether processes can be forked here (they inherit what they work on).
FORKS = "fork" in multiprocessing.get_all_start_methods()


def local_jobs(items: int) -> int:
    """How many processes work on ``items`` files by default: one per CPU, at most 4, from
    ``PARALLEL_FROM`` files on, where processes can be forked (they inherit what they read)."""
    if items < PARALLEL_FROM or not FORKS:
        return 1
    return min(os.cpu_count() or 1, 4)


class ExecutorError(Exception):
    """The executor cannot run: its engine is not installed, or its cluster is out of reach."""


class InProcess:
    """One item after another in this process."""

    def map(
        self,
        function: Callable[[Item, Shared], Result],
        items: Iterable[Item],
        shared: Shared,
    ) -> Iterator[Result]:
        return (function(item, shared) for item in items)


class Processes:
    """Items mapped over a pool of worker processes on this machine, in order. The workers
    are forked once ``shared`` is set, so they inherit it instead of receiving it. At most
    ``ahead`` results per worker wait to be taken: a consumer slower than the workers holds
    a few results, not all of them."""

    def __init__(self, workers: int, ahead: int = 4) -> None:
        self.workers = workers
        self.ahead = ahead

    def map(
        self,
        function: Callable[[Item, Shared], Result],
        items: Iterable[Item],
        shared: Shared,
    ) -> Iterator[Result]:
        global _TASK
        _TASK = (function, shared)
        try:
            with fork_pool(self.workers) as pool:
                waiting: deque[AsyncResult[Result]] = deque()
                remaining = iter(items)
                for item in itertools.islice(remaining, self.workers * self.ahead):
                    waiting.append(pool.apply_async(_run_task, (item,)))
                while waiting:
                    result = waiting.popleft().get()
                    for item in itertools.islice(remaining, 1):
                        waiting.append(pool.apply_async(_run_task, (item,)))
                    yield result
        finally:
            _TASK = None


def fork_pool(workers: int) -> Pool:
    """A pool of ``workers`` forked processes that leave Ctrl-C to this one: a terminal sends
    it to every process of the command, and a worker that took it would print a traceback
    and die with its task. This process stops them when it leaves the pool."""
    return multiprocessing.get_context("fork").Pool(workers, initializer=_ignore_interrupts)


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def _interrupts_ignored_by_children() -> Iterator[None]:
    """Processes started inside ignore Ctrl-C: an ignored signal stays ignored in a process
    started anew (Dask starts its workers so), and Python then installs no handler of its
    own; this process takes Ctrl-C again on leaving (one pressed meanwhile is lost)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread sets signal handlers
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


#: The function and shared data of the running Processes map (inherited by its workers).
_TASK: tuple[Callable[[Any, Any], Any], Any] | None = None


def _run_task(item: Any) -> Any:
    assert _TASK is not None
    function, shared = _TASK
    return function(item, shared)


class DaskExecutor:
    """Items mapped over a Dask distributed cluster: the scheduler at ``scheduler``, or a
    local cluster of ``workers`` processes started for the run and stopped after it. The
    workers must read the same data/ folder (a shared file system on a real cluster)."""

    def __init__(self, scheduler: str | None = None, workers: int = 2) -> None:
        self.scheduler = scheduler
        self.workers = workers
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> DaskExecutor:
        try:  # typed as Any: distributed ships no type hints for its constructors
            distributed: Any = importlib.import_module("distributed")
        except ImportError as error:
            raise ExecutorError(
                "--executor dask needs Dask's distributed scheduler: pip install 'claimtrack[dask]'"
            ) from error
        try:
            if self.scheduler is None:
                with _interrupts_ignored_by_children():
                    self._cluster = distributed.LocalCluster(
                        n_workers=self.workers,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,
                        # the scheduler's HTTP server (health, metrics; no dashboard) on a
                        # free port: Dask's default, 8787, may be another cluster's, and Dask
                        # then warns on stderr that it took another
                        scheduler_kwargs={"dashboard_address": ":0"},
                    )
                self._client = distributed.Client(self._cluster)
            else:
                self._client = distributed.Client(self.scheduler, timeout="10s")
        except (OSError, TimeoutError) as error:
            self.__exit__(None, None, None)
            where = self.scheduler or "a local cluster"
            raise ExecutorError(
                f"could not start or reach the Dask scheduler ({where}): {error}"
            ) from error
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None

    def map(
        self,
        function: Callable[[Item, Shared], Result],
        items: Iterable[Item],
        shared: Shared,
    ) -> Iterator[Result]:
        if self._client is None:
            raise ExecutorError("the Dask executor is used outside its `with` block")
        # Sent to every worker once, not with every task.
        # (in a list: a scattered dict would become a dict of futures, one per value)
        [shared_data] = self._client.scatter([shared], broadcast=True)
        items = list(items)  # passed by position, as the other executors pass it
        futures = self._client.map(function, items, [shared_data] * len(items), pure=False)
        for future in futures:
            yield future.result()
            future.release()  # a result is dropped on the cluster once it is taken


class ForkedCall:
    """``function()`` run in a forked process beside this one's work; ``result`` waits for
    it and gives what it returned, or raises what it raised. The process ignores Ctrl-C
    (this one takes it, as from the workers of a pool); used as a context manager, a call
    still running when the block is left is stopped: asked to end (SIGTERM, which it takes
    as an exit, so that its own ``with`` blocks end), then killed if it has not ended
    within ``STOP_SECONDS``."""

    STOP_SECONDS = 10.0

    def __init__(self, function: Callable[[], Any]) -> None:
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_call_and_send, args=(function, send))
        self._process.start()
        send.close()  # the child's end: this process only reads

    def result(self) -> Any:
        try:
            status, value = self._receive.recv()
        except EOFError:  # it died without a word (killed by the system, say)
            self._process.join()
            raise RuntimeError(
                f"a forked process ended with no result (exit code {self._process.exitcode})"
            ) from None
        self._process.join()
        if status == "raised":
            raise value
        return value

    def close(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(self.STOP_SECONDS)
            if self._process.is_alive():
                self._process.kill()
        self._process.join()
        self._receive.close()

    def __enter__(self) -> ForkedCall:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _call_and_send(function: Callable[[], Any], send: Any) -> None:
    """The process of ``ForkedCall``: run ``function`` and send what came of it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGALRM, _exit_on_signal)
    sys.unraisablehook = _exit_again_if_lost
    gc.callbacks.clear()  # the parent's collector hooks (distributed's) mean nothing here
    try:
        outcome: tuple[str, Any] = ("returned", function())
    except BaseException as error:  # sent, to be raised where the result is asked for
        # its traceback stays here: a note carries it (shown if it ever reaches one)
        error.add_note(f"raised in a forked process:\n{traceback.format_exc()}")
        outcome = ("raised", error)
    try:
        send.send(outcome)
    except Exception as error:  # what came of it does not pickle: say what it was
        send.send(("raised", RuntimeError(f"{outcome[1]!r} (not sent: {error})")))


def _exit_on_signal(number: int, frame: Any) -> None:
    """The exit SIGTERM asks for (SIGALRM asks for it again: ``_exit_again_if_lost``)."""
    raise SystemExit(128 + signal.SIGTERM)


def _exit_again_if_lost(unraisable: Any) -> None:
    """``sys.unraisablehook`` of ``ForkedCall``'s process. The exit a SIGTERM asks for is
    lost when the signal is taken where Python ignores exceptions, printing them ("Exception
    ignored in"): a collector hook, a finalizer. (An interrupted build with a Dask client
    printed it from the process writing the tables, which went on, to be killed 10 s later
    if still running.) Such an exit is asked for again 10 ms later (SIGALRM),
    rather than printed."""
    if isinstance(unraisable.exc_value, SystemExit):
        signal.setitimer(signal.ITIMER_REAL, 0.01)
    else:
        sys.__unraisablehook__(unraisable)


#: What reads the annotation files (loading.load_corpus).
Executor = InProcess | Processes | DaskExecutor
