"""Endpoint benchmark: this server against ``oxigraph serve`` and ``rdflib-endpoint``.

All three load the same dump (``dist/kg.nt`` when built, else a generated graph
of the same shape) and answer the same query mix (lookups by IRI, joins,
aggregates, and the ``.rq`` files of ``queries/``) from several client threads
in a closed loop for a fixed time. Prints queries per second, p50 and p99
latency, and the ratios to the goals (≥ 1.0× Oxigraph's throughput, ≥ 10×
rdflib-endpoint's, p99 under 20 ms). This endpoint runs as ``kg serve`` does:
queries in worker processes over the on-disk store, answers cached, and again with its answer cache off.
Every server listens on 127.0.0.1 only and is stopped at the end.

The servers take turns (``--rounds`` windows each, in a rotating order), so a
shared machine's changing load falls on all of them alike; the load average is
printed before and after, and each server's CPU time per answered query (its
process and its workers), the figure least moved by other work on the machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx

from bench.synthetic import write_graph
from endpoint.store.publish import put_graph
from endpoint.server import free_port
from endpoint.settings import ServeSettings as Settings

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
CLIENT_TIMEOUT = 30.0
"""Seconds a client waits for one answer; a slower one counts as an error."""
GOALS = {"oxigraph": 1.0, "rdflib-endpoint": 10.0, "p99_ms": 20.0}


@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    accept: str = RESULTS_JSON


@dataclass
class Target:
    name: str
    url: str
    process: subprocess.Popen
    log: Path


@dataclass
class Run:
    target: str
    seconds: float
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: int = 0
    cpu: float | None = None
    """CPU seconds the server (its process and every child) spent in the measured windows."""
    distinct: set[tuple[str, str]] = field(default_factory=set)
    """The different (query, Accept) pairs answered in the measured windows: what a cache of answers cannot repeat."""

    def add(self, other: Run) -> None:
        """Count another window of the same server in this run."""
        self.seconds += other.seconds
        for kind, values in other.latencies.items():
            self.latencies[kind].extend(values)
        self.errors += other.errors
        self.distinct |= other.distinct
        if other.cpu is not None:
            self.cpu = (self.cpu or 0.0) + other.cpu

    @property
    def cpu_per_query_ms(self) -> float | None:
        return None if self.cpu is None or not self.all else self.cpu / len(self.all) * 1000

    @property
    def all(self) -> list[float]:
        return [value for values in self.latencies.values() for value in values]

    @property
    def rate(self) -> float:
        return len(self.all) / self.seconds


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile of ``values`` (nearest rank).

    >>> percentile([1, 2, 3, 4], 0.5), percentile([1, 2, 3, 4], 0.99)
    (2, 4)
    """
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


# --- the data and the query mix -------------------------------------------------------


def sample_iris(dump: Path, base: str) -> dict[str, list[str]]:
    """IRIs of local governments, partnerships and prefectures found in the dump."""
    found: dict[str, set[str]] = {"lg": set(), "partnership": set(), "prefecture": set()}
    prefecture = f"<{base}def/lgp#prefecture>"
    with dump.open(encoding="utf-8") as lines:
        for line in lines:
            subject, predicate, rest = line.split(" ", 2)
            for kind in ("lg", "partnership"):
                if subject.startswith(f"<{base}id/{kind}/"):
                    found[kind].add(subject[1:-1])
            if predicate == prefecture:
                found["prefecture"].add(rest.rsplit(" .", 1)[0].strip()[1:-1])
    return {kind: sorted(iris) for kind, iris in found.items()}


def query_mix(dump: Path, base: str, queries: Path | None) -> list[Callable[[random.Random], Query]]:
    """Makers of queries, each drawing its parameters from the dump."""
    iris = sample_iris(dump, base)
    lgs, partnerships = iris["lg"] or [base + "id/lg/none"], iris["partnership"] or [base + "id/partnership/none"]
    prefectures = iris["prefecture"] or lgs
    prologue = f"PREFIX lgp: <{base}def/lgp#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    makers: list[Callable[[random.Random], Query]] = [
        lambda rng: Query("lookup", f"SELECT ?p ?o WHERE {{ <{rng.choice(lgs)}> ?p ?o }}"),
        lambda rng: Query("lookup-construct", f"CONSTRUCT WHERE {{ <{rng.choice(partnerships)}> ?p ?o }}", N_TRIPLES),
        lambda rng: Query(
            "join",
            prologue + f"SELECT ?partner ?label ?kind WHERE {{ ?t lgp:party <{(lg := rng.choice(lgs))}> , ?partner ; "
            f"lgp:kind ?kind . FILTER(?partner != <{lg}>) OPTIONAL {{ ?partner rdfs:label ?label }} }}",
        ),
        lambda rng: Query(
            "join-prefecture",
            prologue + f"SELECT ?m ?label WHERE {{ ?m lgp:prefecture <{rng.choice(prefectures)}> ; rdfs:label ?label }}",
        ),
        lambda rng: Query(
            "aggregate-kind",
            prologue + "SELECT ?kind (COUNT(?t) AS ?n) WHERE { ?t lgp:kind ?kind } GROUP BY ?kind ORDER BY DESC(?n)",
        ),
        lambda rng: Query(
            "aggregate-partners",
            prologue + f"SELECT ?m (COUNT(?t) AS ?n) WHERE {{ ?m lgp:prefecture <{rng.choice(prefectures)}> . "
            "?t lgp:party ?m } GROUP BY ?m ORDER BY DESC(?n) LIMIT 10",
        ),
    ]
    if queries is not None and queries.is_dir():
        for path in sorted(queries.glob("*.rq")):
            text = path.read_text(encoding="utf-8")
            makers.append(lambda rng, text=text, name=path.stem: Query(f"rq:{name}", text))
    return makers


# --- servers ------------------------------------------------------------------------------


def _wait_ready(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            response = httpx.get(url, params={"query": "ASK {}"}, headers={"Accept": RESULTS_JSON}, timeout=2)
            if response.status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} was not ready after {timeout:.0f} s")


def _spawn(command: list[str], log: Path, env: dict | None = None) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})


def start_this(dump: Path, workdir: Path, workers: int | None, *, cache: bool = True) -> Target:
    dist = workdir / "dist"
    dist.mkdir(exist_ok=True)
    if not (dist / "kg.nt").exists():
        (dist / "kg.nt").symlink_to(dump.resolve())
    port = free_port()
    log = workdir / ("this.log" if cache else "this-uncached.log")
    command = [sys.executable, "-m", "cli", "serve", "--dist", str(dist), "--port", str(port)]
    if workers is not None:
        command += ["--workers", str(workers)]
    env = {"KG_RESULT_LIMIT": "100000", "KG_CLIENT_QUERIES": "64"}
    if not cache:
        env["KG_ANSWER_CACHE"] = "0"
    process = _spawn(command, log, env)
    url = f"http://127.0.0.1:{port}/sparql"
    _wait_ready(url, process, log, 300)
    return Target("this endpoint" if cache else "this, no cache", url, process, log)


def start_oxigraph(dump: Path, workdir: Path) -> Target:
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if binary is None:
        raise RuntimeError("no `oxigraph` binary (pip install oxigraph)")
    port = free_port()
    log = workdir / "oxigraph.log"
    # In memory, like this endpoint's store, and loaded the way `kg publish` loads a store.
    process = _spawn([binary, "serve", "--bind", f"127.0.0.1:{port}"], log)
    url = f"http://127.0.0.1:{port}/query"
    _wait_ready(url, process, log, 60)
    put_graph(dump, f"http://127.0.0.1:{port}/store")
    return Target("oxigraph", url, process, log)


def start_rdflib_endpoint(dump: Path, workdir: Path) -> Target:
    binary = shutil.which("rdflib-endpoint", path=str(Path(sys.executable).parent)) or shutil.which("rdflib-endpoint")
    if binary is None:
        raise RuntimeError("no `rdflib-endpoint` (pip install rdflib-endpoint)")
    port = free_port()
    log = workdir / "rdflib-endpoint.log"
    process = _spawn([binary, "serve", str(dump), "--host", "127.0.0.1", "--port", str(port)], log)
    url = f"http://127.0.0.1:{port}/"
    _wait_ready(url, process, log, 900)
    return Target("rdflib-endpoint", url, process, log)


def stop(target: Target) -> None:
    target.process.terminate()
    try:
        target.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        target.process.kill()
        target.process.wait()


# --- load -----------------------------------------------------------------------------------


def _client(url: str, makers, seed: int, warmup_end: float, end: float, run: Run, lock: threading.Lock) -> None:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=CLIENT_TIMEOUT)
    rng = random.Random(seed)
    latencies: dict[str, list[float]] = defaultdict(list)
    distinct: set[tuple[str, str]] = set()
    errors = 0
    turn = seed
    while (now := time.perf_counter()) < end:
        query = makers[turn % len(makers)](rng)
        turn += 1
        try:
            connection.request("GET", f"{parts.path}?{urlencode({'query': query.text})}", headers={"Accept": query.accept})
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=CLIENT_TIMEOUT)
            ok = False
        finished = time.perf_counter()
        elapsed = finished - now
        if ok and warmup_end <= finished <= end:
            latencies[query.kind].append(elapsed)
            distinct.add((query.text, query.accept))
        elif not ok and finished >= warmup_end:
            errors += 1  # a timeout may end after the window: it still failed
    connection.close()
    with lock:
        for kind, values in latencies.items():
            run.latencies[kind].extend(values)
        run.errors += errors
        run.distinct |= distinct


def tree_cpu(pid: int) -> float | None:
    """CPU seconds (user and system) of a process and its living descendants (Linux ``/proc``), None elsewhere."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    parents: dict[int, int] = {}
    times: dict[int, int] = {}
    try:
        entries = [entry for entry in Path("/proc").iterdir() if entry.name.isdigit()]
    except OSError:
        return None
    for entry in entries:
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = int(fields[11]) + int(fields[12])
    if pid not in times:
        return None
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += times.get(current, 0)
        todo.extend(child for child, parent in parents.items() if parent == current)
    return total / ticks


def load(target: Target, makers, *, clients: int, seconds: float, warmup: float) -> Run:
    """Closed loop: ``clients`` threads, each sending its next query when the last one is answered."""
    run = Run(target.name, seconds)
    lock = threading.Lock()
    start = time.perf_counter()
    cpu_timer = threading.Timer(warmup, lambda: setattr(run, "cpu", tree_cpu(target.process.pid)))
    cpu_timer.start()
    threads = [
        threading.Thread(target=_client, args=(target.url, makers, number, start + warmup, start + warmup + seconds, run, lock))
        for number in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cpu_timer.join()
    after = tree_cpu(target.process.pid)
    run.cpu = None if run.cpu is None or after is None else after - run.cpu
    return run


def check_answers(targets: list[Target], makers) -> list[str]:
    """Each query of the mix once on every server: do the row counts agree?"""
    problems = []
    for maker in makers:
        query = maker(random.Random(1))
        if query.accept != RESULTS_JSON:
            continue
        counts: dict[str, object] = {}
        for target in targets:
            try:
                response = httpx.get(
                    target.url, params={"query": query.text}, headers={"Accept": RESULTS_JSON}, timeout=CLIENT_TIMEOUT
                )
            except httpx.HTTPError as error:
                counts[target.name] = type(error).__name__
                continue
            body = response.json() if response.status_code == 200 else {}
            counts[target.name] = len(body.get("results", {}).get("bindings", [])) if body else response.status_code
        if len(set(counts.values())) > 1:
            problems.append(f"{query.kind}: {counts}")
    return problems


def _load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg()) + f" on {os.cpu_count()} cores"
    except OSError:
        return "unknown"


# --- report ---------------------------------------------------------------------------------


def report(runs: list[Run]) -> str:
    lines = [f"{'server':<18}{'queries':>9}{'q/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'CPU ms/q':>10}"]
    for run in runs:
        values = run.all
        cpu = run.cpu_per_query_ms
        lines.append(
            f"{run.target:<18}{len(values):>9}{run.rate:>10.1f}{percentile(values, .5) * 1000:>9.2f}"
            f"{percentile(values, .99) * 1000:>9.2f}{run.errors:>8}{'—' if cpu is None else f'{cpu:.2f}':>10}"
        )
    lines.append("CPU ms/q: the server's CPU time (all its processes) per answered query: steadier than q/s "
                 "on a shared machine.")
    for run in runs:
        if run.all:
            lines.append(f"{run.target}: {len(run.distinct):,} different queries among {len(run.all):,} answered "
                         f"({1 - len(run.distinct) / len(run.all):.0%} repeats, which a cache of answers may serve)")
    kinds = sorted({kind for run in runs for kind in run.latencies})
    lines.append("")
    lines.append("p50 / p99 ms by query" + "".join(f"{run.target:>24}" for run in runs))
    for kind in kinds:
        cells = []
        for run in runs:
            values = run.latencies.get(kind, [])
            cells.append(f"{percentile(values, .5) * 1000:>10.2f} / {percentile(values, .99) * 1000:<9.2f}" if values else f"{'-':>24}")
        lines.append(f"  {kind:<19}" + "".join(f"{cell:>24}" for cell in cells))
    for this in [run for run in runs if run.target in ("this endpoint", "this, no cache")]:
        lines.append("")
        for run in runs:
            if run.target in ("this endpoint", "this, no cache"):
                continue
            if not run.rate:
                lines.append(
                    f"throughput vs {run.target}: unbounded ({run.target} finished no query in {run.seconds:g} s;"
                    f" {run.errors} failed or timed out after {CLIENT_TIMEOUT:g} s)"
                )
                continue
            goal = GOALS.get(run.target)
            verdict = "" if goal is None else f" (goal ≥ {goal:g}×: {'met' if this.rate / run.rate >= goal else 'NOT met'})"
            cpu, theirs = this.cpu_per_query_ms, run.cpu_per_query_ms
            by_cpu = f"; by CPU per query {theirs / cpu:.2f}×" if cpu and theirs else ""
            lines.append(f"throughput of {this.target} vs {run.target}: {this.rate / run.rate:.2f}×{verdict}{by_cpu}")
        goal = GOALS["p99_ms"]
        built_in = [value for kind, values in this.latencies.items() if not kind.startswith("rq:") for value in values]
        for label, values in (("all queries", this.all), ("lookups, joins, aggregates", built_in)):
            p99 = percentile(values, 0.99) * 1000
            verdict = "met" if p99 < goal else "NOT met"
            lines.append(f"p99 of {this.target}, {label}: {p99:.1f} ms (goal < {goal:g} ms: {verdict})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    settings = Settings()
    parser = argparse.ArgumentParser(prog="python -m bench endpoint", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dump", type=Path, help="N-Triples dump to serve (default: dist/kg.nt, else a generated graph)")
    parser.add_argument("--triples", type=int, default=100_000, help="size of the generated graph (default 100000)")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured time per server (default 10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured time before (default 2)")
    parser.add_argument("--clients", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--rounds", type=int, default=5,
                        help="the measured time of each server is split in this many windows, the servers taking "
                             "turns, so a machine's changing load falls on all of them alike (default 5)")
    parser.add_argument("--workers", type=int, help="query worker processes of this endpoint (default: kg serve's)")
    parser.add_argument(
        "--servers", default="this,this-uncached,oxigraph,rdflib-endpoint",
        help="comma-separated subset to run (this-uncached: this endpoint with its answer cache off)",
    )
    parser.add_argument(
        "--queries", default=str(settings.queries), help="folder of extra .rq queries, or 'none' (default: queries/)"
    )
    parser.add_argument("--json", type=Path, help="also write the summary to this file")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as folder:
        workdir = Path(folder)
        dump = args.dump or settings.dist / "kg.nt"
        if not dump.is_file():
            dump = write_graph(workdir / "generated.nt", args.triples, base=settings.base)
            print(f"no {settings.dist / 'kg.nt'}: generated {sum(1 for _ in dump.open()):,} triples of the same shape")
        print(f"dump: {dump} ({dump.stat().st_size / 1e6:.1f} MB); {args.clients} clients, {args.seconds:g} s per server")
        queries = None if args.queries.lower() == "none" else Path(args.queries)
        makers = query_mix(dump, settings.base, queries)
        starters = {
            "this": lambda: start_this(dump, workdir, args.workers),
            "this-uncached": lambda: start_this(dump, workdir, args.workers, cache=False),
            "oxigraph": lambda: start_oxigraph(dump, workdir),
            "rdflib-endpoint": lambda: start_rdflib_endpoint(dump, workdir),
        }
        wanted = [name.strip() for name in args.servers.split(",") if name.strip()]
        runs: list[Run] = []
        targets: list[Target] = []
        try:
            for name in wanted:
                began = time.perf_counter()
                target = starters[name]()
                targets.append(target)
                print(f"{target.name}: ready in {time.perf_counter() - began:.1f} s at {target.url}", flush=True)
            for problem in check_answers(targets, makers):
                print(f"warning: servers disagree on {problem}")
            rounds = max(1, args.rounds)
            window = args.seconds / rounds
            measured: dict[str, Run] = {}
            print(f"load average before: {_load_average()}", flush=True)
            for turn in range(rounds):
                # Each round in another order: no server always runs first, or right after another.
                for target in targets[turn % len(targets):] + targets[:turn % len(targets)]:
                    run = load(target, makers, clients=args.clients, seconds=window,
                               warmup=args.warmup if turn == 0 else min(0.5, args.warmup))
                    if target.name in measured:
                        measured[target.name].add(run)
                    else:
                        measured[target.name] = run
            runs = [measured[target.name] for target in targets]
            for run in runs:
                print(f"{run.target}: {run.rate:.1f} q/s", flush=True)
            print(f"load average after: {_load_average()}", flush=True)
        finally:
            for target in targets:
                stop(target)
        print()
        print(report(runs))
        if args.json:
            summary = {
                run.target: {
                    "qps": run.rate,
                    "p50_ms": percentile(run.all, 0.5) * 1000,
                    "p99_ms": percentile(run.all, 0.99) * 1000,
                    "errors": run.errors,
                }
                for run in runs
            }
            args.json.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return 0
