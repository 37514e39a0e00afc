"""Queries in worker processes over one read-only on-disk store: an overrun or a crash costs one query.

The engine cannot be interrupted: sorting, grouping and property paths run
inside one call that only the end of its process stops, and text nested deep
enough overflows its stack and ends the process. So read-only queries run in a
pool of worker processes, each opening the same on-disk store with
``Store.read_only`` and running :func:`endpoint.sparql.execute.execute` (checks,
query, serialisation) in a thread with a large stack. The server's event loop
only passes the request down a pipe and the finished bytes back.

- A query still running at ``KG_QUERY_TIMEOUT`` seconds (counted from its
  arrival, time spent waiting for a worker included) is answered 503, and its
  worker is killed and replaced; so is the worker of a query whose client left.
- Each worker's address space is capped (``KG_QUERY_MEMORY``): a query that needs
  more ends its worker, is answered 503, and the worker is replaced.
- At most ``32 × workers`` queries wait for a worker; more are answered 503 at once.
- When every worker has been busy for a quarter of a second and queries wait,
  extra workers start, one per waiting query, up to four times the pool's size
  (at least eight more), and stop once idle: light queries are answered while
  long ones run out their time.

Workers fork from a server process that has imported everything they need and
holds the graph in memory (:mod:`endpoint.sparql.preload`), so a replacement is
ready in a few tens of milliseconds, and light queries go on being answered
while heavy ones are stopped.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import pickle
import resource
import signal
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from endpoint.problem import Problem
from endpoint.sparql.execute import Limits, execute
from endpoint.sparql.protocol import QueryRequest, Reply

WORKER_STACK = 512 * 1024 * 1024
"""Bytes of stack of the thread that runs queries in a worker (reserved, not used, until needed)."""
QUEUE_PER_WORKER = 32
SURGE_AFTER = 0.25
"""Seconds every worker must have been busy with its query before a waiting query gets an extra worker."""
READY_TIMEOUT = 120.0
"""Seconds a new worker may take to open the store."""


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    """What a worker process needs: the store, the limits of each query, its memory cap."""

    store: str
    limits: Limits
    memory: int | None = None
    """Bytes of address space a query may add to its worker's (``RLIMIT_AS``); None for no cap."""
    dump: str | None = None
    """The N-Triples dump the store was loaded from: workers hold it in memory (:mod:`endpoint.sparql.preload`)."""


def _serve(conn, config: WorkerConfig) -> None:
    from pyoxigraph import Store

    from endpoint.sparql import preload
    from endpoint.store.backends import EmbeddedStore

    if config.dump is not None and preload.STORE is not None and preload.SOURCE == config.dump:
        backend = EmbeddedStore(preload.STORE)
    else:
        backend = EmbeddedStore(Store.read_only(config.store))
    conn.send_bytes(b"ready")
    while True:
        try:
            request: QueryRequest = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return
        try:
            reply = execute(backend, request, config.limits)
            out = ("ok", reply.body, reply.headers, reply.status)
        except Problem as problem:
            out = ("problem", problem.status, problem.detail, problem.headers)
        except MemoryError:
            out = ("problem", 503, _memory_message(config.memory), {})
        except Exception as error:  # a bug: say so in one line, keep serving
            out = ("problem", 500, f"the query failed: {type(error).__name__}: {error}", {})
        try:
            conn.send_bytes(pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL))
        except (BrokenPipeError, OSError):
            return


def worker_main(conn, config: WorkerConfig) -> None:
    """The body of a worker process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its workers itself
    if config.memory:
        # On top of what the worker holds already (the interpreter, the graph) and its stack.
        cap = _address_space() + WORKER_STACK + config.memory
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    threading.stack_size(WORKER_STACK)
    thread = threading.Thread(target=_serve, args=(conn, config), name="query")
    thread.start()
    thread.join()


def _address_space() -> int:
    """Bytes of address space of this process (Linux), 0 when unknown."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _memory_message(memory: int | None) -> str:
    limit = f" of {memory // 2**20:,} MB" if memory else ""
    return f"the query needed more memory than the limit{limit} per query (KG_QUERY_MEMORY)"


def _timeout_message(timeout: float) -> str:
    return f"the query ran longer than the limit of {timeout:g} s (KG_QUERY_TIMEOUT) and was stopped"


class _Pending:
    __slots__ = ("request", "future", "timer", "worker")

    def __init__(self, request: QueryRequest, future: asyncio.Future):
        self.request, self.future = request, future
        self.timer: asyncio.TimerHandle | None = None
        self.worker: _Worker | None = None


class _Worker:
    __slots__ = ("process", "conn", "ready", "job", "since")

    def __init__(self, process, conn):
        self.process, self.conn = process, conn
        self.ready = False
        self.job: _Pending | None = None
        self.since = time.monotonic()
        """When its current job was given to it."""


class QueryPool:
    """``size`` worker processes over the read-only store at ``config.store``; queries under ``timeout``.

    Use from the event loop's thread: :meth:`start`, then :meth:`run` per query, :meth:`close`.
    """

    def __init__(self, config: WorkerConfig, *, size: int, timeout: float):
        self.config, self.size, self.timeout = config, size, timeout
        self.queue_limit = QUEUE_PER_WORKER * size
        self.most = max(4 * size, size + 8)
        """Workers at most, extra ones included."""
        self._context = multiprocessing.get_context("forkserver")
        preloads = ["endpoint.sparql.workers"]
        if config.dump is not None:
            # Read when the forkserver starts, at the first worker (one pool per server process).
            os.environ["KG_WORKER_DUMP"] = config.dump
            preloads.append("endpoint.sparql.preload")
        self._context.set_forkserver_preload(preloads)
        self._workers: set[_Worker] = set()
        self._idle: list[_Worker] = []
        self._queue: deque[_Pending] = deque()
        self._closed = False
        self._surge_check: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.stopped = 0
        """Queries stopped at the time limit or for a client that left."""
        self.lost = 0
        """Workers that ended during a query (memory limit, engine failure)."""

    # --- life -------------------------------------------------------------------------

    async def start(self) -> None:
        """Start the workers; return once every one has opened the store."""
        self._loop = asyncio.get_running_loop()
        for _ in range(self.size):
            self._spawn()
        deadline = time.monotonic() + READY_TIMEOUT
        while len(self._workers) < self.size or not all(worker.ready for worker in self._workers):
            if time.monotonic() > deadline or len(self._workers) < self.size:
                self.close()
                raise RuntimeError(f"the query workers could not open the store at {self.config.store}")
            await asyncio.sleep(0.01)

    def close(self) -> None:
        self._closed = True
        if self._surge_check is not None:
            self._surge_check.cancel()
        for worker in list(self._workers):
            self._retire(worker)
        for pending in self._queue:
            if not pending.future.done():
                pending.future.set_exception(Problem(503, "the server is stopping"))
        self._queue.clear()

    @property
    def pids(self) -> list[int]:
        """Process ids of the workers (for tests and monitoring)."""
        return [worker.process.pid for worker in self._workers]

    def _spawn(self) -> None:
        parent, child = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=worker_main, args=(child, self.config), name="kg-query-worker", daemon=True
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self._workers.add(worker)
        self._loop.add_reader(parent.fileno(), self._readable, worker)
        # uvloop makes a watched descriptor non-blocking; messages are read and written whole
        # (a reply is read once its first bytes are there, while the worker writes the rest).
        os.set_blocking(parent.fileno(), True)

    def _retire(self, worker: _Worker) -> None:
        """Stop a worker for good (its current job, if any, is answered by the caller)."""
        if worker not in self._workers:
            return
        self._workers.discard(worker)
        if worker in self._idle:
            self._idle.remove(worker)
        try:
            self._loop.remove_reader(worker.conn.fileno())
        except (OSError, ValueError):
            pass
        worker.conn.close()
        if worker.process.is_alive():
            worker.process.kill()
        # Reap it soon, off the loop's way (a worker forked by the forkserver is reaped there).
        self._loop.call_later(1.0, worker.process.join, 0)

    def _replace(self, worker: _Worker) -> None:
        self._retire(worker)
        if not self._closed and len(self._workers) < self.size:
            self._spawn()

    # --- queries ------------------------------------------------------------------------

    async def run(self, request: QueryRequest) -> Reply:
        """The answer to ``request`` from a worker; a :class:`Problem` for every failure."""
        if len(self._queue) >= self.queue_limit:
            raise Problem(503, "too many queries are waiting: try again shortly", {"Retry-After": "1"})
        future = self._loop.create_future()
        pending = _Pending(request, future)
        pending.timer = self._loop.call_later(self.timeout, self._expire, pending)
        self._queue.append(pending)
        self._dispatch()
        try:
            kind, *rest = await future
        except asyncio.CancelledError:
            self._abandon(pending)  # the client left: its query stops too
            raise
        finally:
            pending.timer.cancel()
        if kind == "ok":
            body, headers, status = rest
            return Reply(body, headers, status)
        status, detail, headers = rest
        raise Problem(status, detail, headers)

    def _dispatch(self) -> None:
        while self._idle and self._queue:
            pending = self._queue.popleft()
            if pending.future.done():
                continue
            worker = self._idle.pop()
            worker.job, pending.worker, worker.since = pending, worker, time.monotonic()
            try:
                worker.conn.send_bytes(pickle.dumps(pending.request, protocol=pickle.HIGHEST_PROTOCOL))
            except OSError:
                worker.job = pending.worker = None
                self._queue.appendleft(pending)
                self._replace(worker)
        if self._queue and self._surge_check is None and not self._closed:
            self._surge_check = self._loop.call_later(SURGE_AFTER, self._surge)

    def _surge(self) -> None:
        """Start one more worker if queries still wait and every worker is held by a long one."""
        self._surge_check = None
        waiting = any(not pending.future.done() for pending in self._queue)
        if not waiting or self._closed:
            return
        now = time.monotonic()
        starting = sum(not worker.ready for worker in self._workers)
        held = all(worker.job is not None and now - worker.since >= SURGE_AFTER for worker in self._workers if worker.ready)
        if held:
            wanted = sum(not pending.future.done() for pending in self._queue) - starting
            for _ in range(max(0, min(wanted, self.most - len(self._workers)))):
                self._spawn()
        self._surge_check = self._loop.call_later(SURGE_AFTER, self._surge)

    def _readable(self, worker: _Worker) -> None:
        try:
            message = worker.conn.recv_bytes()
        except (EOFError, OSError):
            self._died(worker)
            return
        if not worker.ready:
            worker.ready = True
        else:
            pending, worker.job = worker.job, None
            if pending is not None:
                pending.worker = None
                if not pending.future.done():
                    pending.future.set_result(pickle.loads(message))
        if len(self._workers) > self.size and not any(not p.future.done() for p in self._queue):
            self._retire(worker)  # an extra worker, no longer needed
            return
        self._idle.append(worker)
        self._dispatch()

    def _died(self, worker: _Worker) -> None:
        pending, worker.job = worker.job, None
        if pending is not None:
            self.lost += 1
            if not pending.future.done():
                message = (
                    _memory_message(self.config.memory)
                    + ", or failed in the engine; the server goes on"
                )
                pending.future.set_result(("problem", 503, message, {}))
        elif not worker.ready and not self._closed:
            # It could not even open the store: do not spawn in a loop.
            self._retire(worker)
            return
        self._replace(worker)
        self._dispatch()

    def _expire(self, pending: _Pending) -> None:
        if pending.future.done():
            return
        self.stopped += 1
        pending.future.set_result(("problem", 503, _timeout_message(self.timeout), {}))
        self._stop_worker_of(pending)

    def _abandon(self, pending: _Pending) -> None:
        if pending.worker is not None:
            self.stopped += 1
            self._stop_worker_of(pending)

    def _stop_worker_of(self, pending: _Pending) -> None:
        worker = pending.worker
        if worker is not None and worker.job is pending:
            worker.job = pending.worker = None
            self._replace(worker)
            self._dispatch()


def store_ready(path: Path) -> bool:
    return (path / "CURRENT").is_file()
