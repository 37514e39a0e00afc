"""Queries run in worker threads, under a time limit.

pyoxigraph releases the GIL while it evaluates, so queries run in parallel on a
pool of threads while the event loop keeps serving. The engine offers no way to
cancel a query, so a query past its time is abandoned: the client gets its
answer at once, and the worker stops at the next chunk of results it writes
(streamed results), or when the engine returns (sorts and aggregates finish
their work first). The pool is bounded, so abandoned work cannot pile up
without limit.

Most queries take a millisecond or two. The loop's thread first waits for
that long, synchronously, and only then hands the wait over to asyncio: a
query answered within the wait skips asyncio's cross-thread wake-up, which
costs more than a lookup query itself (measured: about 1.6 times the CPU per
request without this wait).

>>> import asyncio
>>> runner = Runner(timeout=1.0, workers=2)
>>> asyncio.run(runner.run(lambda cancelled: 6 * 7))
42
>>> runner.close()
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


class QueryTimeout(Exception):
    """The work did not finish within the time limit."""

    def __init__(self, timeout: float):
        self.timeout = timeout
        super().__init__(f"the query ran longer than the limit of {timeout:g} s (KG_QUERY_TIMEOUT)")


def _call(job: Callable[[threading.Event], T], cancelled: threading.Event) -> T:
    try:
        return job(cancelled)
    except Exception as error:
        # pyoxigraph results may only be dropped by the thread that made them; the
        # frames of a traceback would carry them over to the event loop's thread.
        raise error.with_traceback(None) from None


class Runner:
    """Runs blocking store work in a bounded thread pool, each job under ``timeout`` seconds."""

    def __init__(self, *, timeout: float, workers: int = 8, wait_inline: float = 0.002):
        self.timeout = timeout
        self.wait_inline = min(wait_inline, timeout)
        """Seconds the loop's thread waits for a job before handing the wait to asyncio."""
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="query")

    async def run(self, job: Callable[[threading.Event], T]) -> T:
        """The result of ``job(cancelled)``; raises :class:`QueryTimeout` when it is too slow.

        ``cancelled`` is set when the time is up, for a job that can stop early.
        """
        cancelled = threading.Event()
        work = self._pool.submit(_call, job, cancelled)
        try:
            return work.result(timeout=self.wait_inline)
        except concurrent.futures.TimeoutError:
            pass
        loop = asyncio.get_running_loop()
        future = asyncio.wrap_future(work, loop=loop)
        expired = []

        def expire() -> None:
            expired.append(True)
            future.cancel()

        # A timer rather than asyncio.wait_for, which costs a task per query.
        timer = loop.call_later(self.timeout - self.wait_inline, expire)
        try:
            return await future
        except asyncio.CancelledError:
            cancelled.set()  # time is up, or the client left: either way the job may stop
            if expired:
                raise QueryTimeout(self.timeout) from None
            raise
        finally:
            timer.cancel()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
