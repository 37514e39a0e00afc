"""Soak: ``kg serve`` under mixed load with heavy queries injected, for a bounded time, on loopback only.

Light clients send lookups and ``ASK {}`` in a closed loop; every few seconds a
burst of heavy queries (a property path closure over the whole graph, a sort
and a group over a cartesian product) arrives, which the server must stop at
its time limit. Prints the light queries' count, errors and p99, the heavy ones'
outcomes, and the memory of the server and its workers over time. Exits 1 when
a light query failed or memory grew (the end more than 1.5× the start plus
100 MB).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench.endpoint import percentile, sample_iris
from bench.synthetic import write_graph
from endpoint.server import free_port
from endpoint.settings import ServeSettings

VALUES = " ".join(str(n) for n in range(60))
HEAVY = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s (<http://www.w3.org/2000/01/rdf-schema#label>|!<http://www.w3.org/2000/01/rdf-schema#label>)* ?o }",
    f"SELECT (GROUP_CONCAT(STR(?a)) AS ?g) WHERE {{ VALUES ?a {{ {VALUES} }} VALUES ?b {{ {VALUES} }}"
    f" VALUES ?c {{ {VALUES} }} VALUES ?d {{ {VALUES} }} ?s ?p ?o }}",
    f"SELECT * WHERE {{ VALUES ?a {{ {VALUES} }} VALUES ?b {{ {VALUES} }} VALUES ?c {{ {VALUES} }}"
    f" VALUES ?d {{ {VALUES} }} }} ORDER BY DESC(?d) ?c LIMIT 1",
]


def tree_memory(pid: int) -> int:
    """Resident bytes of a process and all its descendants (Linux ``/proc``)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            parent = int(status.split("PPid:\t", 1)[1].split("\n", 1)[0])
            children.setdefault(parent, []).append(int(entry.name))
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        pending.extend(children.get(current, []))
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        if "VmRSS:" in status:
            total += int(status.split("VmRSS:", 1)[1].split()[0]) * 1024
    return total


def soak(dump: Path, *, seconds: float, clients: int, timeout: float, burst: int, every: float) -> dict:
    """Run the soak against a fresh server of ``dump``; the figures it measured."""
    settings = ServeSettings()
    with tempfile.TemporaryDirectory(prefix="kg-soak-") as folder:
        dist = Path(folder)
        (dist / "kg.nt").symlink_to(dump.resolve())
        port = free_port()
        url = f"http://127.0.0.1:{port}/sparql"
        env = {**os.environ, "KG_QUERY_TIMEOUT": str(timeout), "KG_CLIENT_QUERIES": "64"}
        log = (dist / "serve.log").open("wb")
        command = [sys.executable, "-m", "cli", "serve", "--dist", str(dist), "--port", str(port)]
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            deadline = time.monotonic() + 300
            while True:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"kg serve did not start: {(dist / 'serve.log').read_text()[-2000:]}")
                try:
                    if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            lgs = sample_iris(dump, settings.base)["lg"] or ["http://example.org/none"]
            return _load(url, server.pid, lgs, seconds=seconds, clients=clients, burst=burst, every=every)
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()


def _load(url: str, pid: int, lgs: list[str], *, seconds: float, clients: int, burst: int, every: float) -> dict:
    end = time.monotonic() + seconds
    lock = threading.Lock()
    light: list[float] = []
    light_errors: list[str] = []
    heavy: dict[int, int] = {}
    memory: list[tuple[float, int]] = []
    started = time.monotonic()

    def light_client(number: int) -> None:
        with httpx.Client(timeout=30) as client:
            turn = number
            while time.monotonic() < end:
                turn += 1
                text = "ASK {}" if turn % 3 == 0 else f"SELECT ?p ?o WHERE {{ <{lgs[turn % len(lgs)]}> ?p ?o }}"
                began = time.perf_counter()
                try:
                    status = client.get(url, params={"query": text}, headers={"Accept": "application/sparql-results+json"}).status_code
                except httpx.HTTPError as error:
                    status, text = 0, type(error).__name__
                took = time.perf_counter() - began
                with lock:
                    if status == 200:
                        light.append(took)
                    else:
                        light_errors.append(f"{status} {text[:60]}")

    def heavy_query(text: str) -> None:
        try:
            status = httpx.get(url, params={"query": text}, timeout=60).status_code
        except httpx.HTTPError:
            status = 0
        with lock:
            heavy[status] = heavy.get(status, 0) + 1

    def injector() -> None:
        turn = 0
        while time.monotonic() + every < end:
            time.sleep(every)
            threads = [threading.Thread(target=heavy_query, args=(HEAVY[(turn + n) % len(HEAVY)],)) for n in range(burst)]
            turn += burst
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

    def sampler() -> None:
        while time.monotonic() < end:
            memory.append((time.monotonic() - started, tree_memory(pid)))
            time.sleep(1)

    threads = [threading.Thread(target=light_client, args=(n,)) for n in range(clients)]
    threads += [threading.Thread(target=injector), threading.Thread(target=sampler)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    memory.append((time.monotonic() - started, tree_memory(pid)))
    return {"light": light, "light_errors": light_errors, "heavy": heavy, "memory": memory}


def verdict(figures: dict) -> list[str]:
    """What went wrong, if anything."""
    problems = []
    if figures["light_errors"]:
        problems.append(f"{len(figures['light_errors'])} light queries failed, e.g. {figures['light_errors'][:3]}")
    if not figures["light"]:
        problems.append("no light query was answered")
    memory = [value for _, value in figures["memory"]]
    settled = memory[min(len(memory) - 1, 3):]  # after start-up
    if settled and settled[-1] > settled[0] * 1.5 + 100 * 2**20:
        problems.append(f"memory grew from {settled[0] / 2**20:.0f} MB to {settled[-1] / 2**20:.0f} MB")
    return problems


def main(argv: list[str] | None = None) -> int:
    settings = ServeSettings()
    parser = argparse.ArgumentParser(prog="python -m bench soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dump", type=Path, help="N-Triples dump to serve (default: dist/kg.nt, else a generated graph)")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the soak (default 60)")
    parser.add_argument("--clients", type=int, default=4, help="light client threads (default 4)")
    parser.add_argument("--timeout", type=float, default=3.0, help="the server's KG_QUERY_TIMEOUT (default 3)")
    parser.add_argument("--burst", type=int, default=4, help="heavy queries per burst (default 4)")
    parser.add_argument("--every", type=float, default=5.0, help="seconds between bursts (default 5)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kg-soak-data-") as folder:
        dump = args.dump or settings.dist / "kg.nt"
        if not dump.is_file():
            dump = write_graph(Path(folder) / "generated.nt", 100_000, base=settings.base)
        figures = soak(dump, seconds=args.seconds, clients=args.clients, timeout=args.timeout, burst=args.burst, every=args.every)
    light, memory = figures["light"], figures["memory"]
    print(f"soak: {args.seconds:g} s, {args.clients} light clients, {args.burst} heavy queries every {args.every:g} s,"
          f" time limit {args.timeout:g} s")
    print(f"light queries: {len(light):,} answered, {len(figures['light_errors'])} failed,"
          f" p50 {percentile(light, .5) * 1000:.1f} ms, p99 {percentile(light, .99) * 1000:.1f} ms,"
          f" slowest {max(light, default=0) * 1000:.0f} ms")
    print("heavy queries: " + ", ".join(f"{count} answered {status}" for status, count in sorted(figures["heavy"].items())))
    marks = memory[:: max(1, len(memory) // 8)] + memory[-1:]
    print("memory (server and workers): " + ", ".join(f"{at:.0f} s {value / 2**20:.0f} MB" for at, value in marks))
    problems = verdict(figures)
    for problem in problems:
        print(f"FAILED: {problem}")
    if not problems:
        print("soak passed: no light query failed, memory flat")
    return 1 if problems else 0
