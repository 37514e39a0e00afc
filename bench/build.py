"""Build benchmark: the vendored sources stage by stage, resolution throughput, and the build at scale.

``python -m bench build [--runs N] [--reference SOURCE:SCALE] [--scales 1,10,100]``:

1. builds the vendored sources into a temporary folder N times and prints each
   stage's median time, the total, and mentions resolved per second (parsing
   excluded, a fresh resolver each run so the memo starts empty);
2. for each scale, writes synthetic sources of that many times the vendored
   rows (:mod:`bench.synthetic_sources`) into a temporary folder, builds them
   in a fresh process with ``kg build``'s pipeline, and prints a table of
   seconds and peak resident memory per stage, then the growth of each stage
   from one scale to the next as an exponent: time grows as scale^k, so k ≈ 1
   is linear and k > 1.15 is flagged as super-linear;
3. the reference national graph (``--reference``, the Japan–China list at 100×
   beside the other sources as they are: about 40k records and 1.4 M triples)
   against the goal of 20 s and 1.5 GB.

A stage's memory is the process's peak resident set while it runs (Linux
``VmHWM``, reset at the start of each stage); ``shacl (alongside)`` runs in a
forked process whose peak includes the pages it shares with the build. The
``total`` row's memory is the build process's peak (its largest stage's).
Generated sources live in a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 5.0
SCALES = (1, 10, 100)
REFERENCE = "japan-china-2024:100"
"""The national graph the goals are stated for: the Japan–China list a hundred times longer, the other sources as they are."""
REFERENCE_SECONDS, REFERENCE_MIB = 20.0, 1430  # 1.5 GB
SUPERLINEAR = 1.15
"""Growth exponent above which a stage is flagged: time or memory growing faster than the data."""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench build")
    parser.add_argument("--runs", type=int, default=3, help="builds of the vendored sources to time (median reported)")
    parser.add_argument("--scales", default=",".join(map(str, SCALES)),
                        help="comma-separated scales of the synthetic build ('' to skip)")
    parser.add_argument("--reference", default=REFERENCE,
                        help=f"SOURCE:SCALE built against the goals (default {REFERENCE}; '' to skip)")
    parser.add_argument("--measure", nargs=2, metavar=("MANIFEST", "DIST"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(Path(args.measure[0]), Path(args.measure[1]))))
        return 0
    vendored(args.runs)
    scales = [float(s) for s in args.scales.split(",") if s.strip()]
    status = at_scale(scales) if scales else 0
    return (reference(args.reference) if args.reference else 0) or status


def vendored(runs: int) -> None:
    from kg.build import build
    from kg.config import Settings
    from kg.resolve.resolver import Resolver
    from mapping.ingest import ingest

    stages: dict[str, list[float]] = {}
    totals = []
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(dist=Path(folder))
        for _ in range(runs):
            start = time.perf_counter()
            result = build(settings)
            totals.append(time.perf_counter() - start)
            for stage, seconds in result.timings.items():
                stages.setdefault(stage, []).append(seconds)
    print(f"full build of {len(result.ingestion.sources)} sources, {result.triple_count} triples "
          f"(median of {runs} runs):")
    for stage, seconds in stages.items():
        print(f"  {stage:<8} {statistics.median(seconds):6.2f} s")
    total = statistics.median(totals)
    verdict = "meets" if total <= GOAL_SECONDS else "misses"
    print(f"  {'total':<8} {total:6.2f} s  ({verdict} the {GOAL_SECONDS:.0f} s goal; "
          f"load average {' '.join(f'{v:.1f}' for v in os.getloadavg())} on {os.cpu_count()} cores)")

    with tempfile.TemporaryDirectory() as folder:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "cli", "build", "--dist", folder], capture_output=True, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    outcome = "" if run.returncode == 0 else f" (failed: {(run.stderr.strip().splitlines() or ['?'])[-1]})"
    print(f"  `kg build`, the whole command (start-up and imports too): {wall:.2f} s wall, "
          f"{cpu:.2f} s CPU with its SHACL process{outcome}; load average "
          f"{' '.join(f'{v:.1f}' for v in os.getloadavg())}")

    ingestion = ingest(settings.manifest)
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        resolver = Resolver.load(settings.curated)
        loaded = time.perf_counter()
        mentions = len(resolver.records(ingestion).resolutions())
        end = time.perf_counter()
        rates.append((mentions, loaded - start, end - loaded))
    mentions, load, resolve = rates[len(rates) // 2]
    print(f"resolution: {mentions} mentions in {resolve:.2f} s = {mentions / resolve:,.0f} mentions/s "
          f"(+ {load:.2f} s to load the code table and gazetteers)")


# --- one build, measured (run in a fresh process) ------------------------------------------------


def _peak_kib() -> int | None:
    """The process's peak resident set since the last reset, in KiB (None where /proc has no VmHWM)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        pass


def measure(manifest: Path, dist: Path) -> dict:
    """Build ``manifest`` into ``dist``; seconds and peak MiB per stage, triples and records."""
    from kg.build import build
    from kg.config import Settings

    peaks: dict[str, float] = {}
    current: list[str] = []

    def progress(stage: str) -> None:
        if current and (peak := _peak_kib()) is not None:
            peaks[current[0]] = peak / 1024
        current[:] = [stage]
        _reset_peak()

    start = time.perf_counter()
    result = build(Settings(manifest=manifest, curated=manifest.parent / "curated", dist=dist), progress=progress)
    total = time.perf_counter() - start
    if current and (peak := _peak_kib()) is not None:
        peaks[current[0]] = peak / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    own, forked = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    if "shacl (alongside)" in result.timings:
        peaks["shacl (alongside)"] = children
        peaks.pop("shacl", None)
    return {
        "seconds": result.timings,
        "peak_mib": peaks,
        "total": total,
        # Resetting VmHWM resets what ru_maxrss reports too: the build's peak is its largest stage's.
        "process_peak_mib": max((mib for stage, mib in peaks.items() if stage != "shacl (alongside)"), default=None),
        "records": result.report.data["totals"]["records"],
        "triples": result.triple_count,
        "problems": result.report.data["counts"]["problems"],
        "ok": result.ok,
        "violations": len(result.validation.violations) if result.validation is not None else None,
        # CPU seconds: steadier than wall time on a shared machine (the SHACL process counted apart).
        "cpu": own.ru_utime + own.ru_stime,
        "cpu_shacl": forked.ru_utime + forked.ru_stime,
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


# --- the table -----------------------------------------------------------------------------------


def at_scale(scales: list[float]) -> int:
    rows: list[tuple[float, dict]] = []
    status = 0
    for scale in scales:
        figures = _built(scale)
        if figures is None:
            status = 1
            continue
        rows.append((scale, figures))
        print(f"{scale:g}×: {figures['records']:,} records, {figures['triples']:,} triples, "
              f"{figures['problems']} problems, {figures.get('violations')} SHACL violations, "
              f"built in {figures['total']:.1f} s "
              f"(sources generated in {figures['generated']:.1f} s), peak {_fmt(figures['process_peak_mib'], ',.0f')} MiB "
              f"(SHACL process {_fmt(figures['peak_mib'].get('shacl (alongside)'), ',.0f')} MiB); "
              f"CPU {figures['cpu']:.1f} s + SHACL {figures['cpu_shacl']:.1f} s; "
              f"load average {' '.join(f'{v:.1f}' for v in figures['load_average'] or ())} on {os.cpu_count()} cores",
              flush=True)
        if not figures["ok"]:
            status = 1
    if rows:
        print(table(rows))
    return status


def _built(scale: float, only: str | None = None) -> dict | None:
    """Generate sources at ``scale`` (``only`` that source) and build them in a fresh process: its figures."""
    from bench.synthetic_sources import write_sources

    name = f"{scale:g}×" + (f" {only}" if only else "")
    with tempfile.TemporaryDirectory(prefix=f"bench-{scale:g}x-") as folder:
        sources = Path(folder) / "sources"
        start = time.perf_counter()
        write_sources(sources, scale, only=only)
        generated = time.perf_counter() - start
        run = subprocess.run(
            [sys.executable, "-m", "bench", "build", "--measure", str(sources / "manifest.toml"),
             str(Path(folder) / "dist")], capture_output=True, text=True)
    if run.returncode != 0:
        print(f"{name}: the build failed: {(run.stderr.strip().splitlines() or ['?'])[-1]}", file=sys.stderr)
        return None
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    figures["generated"] = generated
    return figures


def reference(spec: str) -> int:
    """The build of one source at a scale (``japan-china-2024:100``) against the goals: seconds and peak memory."""
    source, _, scale = spec.partition(":")
    figures = _built(float(scale or 100), source)
    if figures is None:
        return 1
    peak = max(figures["process_peak_mib"] or 0, figures["peak_mib"].get("shacl (alongside)") or 0)
    verdict = ("meets" if figures["total"] <= REFERENCE_SECONDS and peak <= REFERENCE_MIB else "misses")
    print(f"{source} at {float(scale or 100):g}× (the others at 1×): {figures['records']:,} records, "
          f"{figures['triples']:,} triples, built in {figures['total']:.1f} s, peak {peak:,.0f} MiB "
          f"({verdict} the goal of {REFERENCE_SECONDS:g} s and {REFERENCE_MIB:,} MiB); "
          f"CPU {figures['cpu']:.1f} s + SHACL {figures['cpu_shacl']:.1f} s; stages "
          + ", ".join(f"{stage} {seconds:.1f}" for stage, seconds in figures["seconds"].items())
          + f"; load average {' '.join(f'{v:.1f}' for v in figures['load_average'] or ())}", flush=True)
    return 0 if figures["ok"] else 1


def table(rows: list[tuple[float, dict]]) -> str:
    """Seconds and peak MiB per stage and scale, and each stage's growth exponent between scales.

    >>> a = {"seconds": {"rdf": 1.0}, "peak_mib": {"rdf": 100.0}, "total": 1.0, "process_peak_mib": 100.0}
    >>> b = {"seconds": {"rdf": 20.0}, "peak_mib": {"rdf": 1000.0}, "total": 20.0, "process_peak_mib": 1000.0}
    >>> print(table([(1, a), (10, b)]))
    stage                     1× s     1× MiB     10× s    10× MiB    time k 1→10    mem k 1→10
    rdf                       1.00        100     20.00      1,000       1.30 (!)      1.00
    total                     1.00        100     20.00      1,000       1.30 (!)      1.00
    k: growth exponent (time or memory ∝ scale^k); (!) marks k > 1.15, a stage growing faster than the data.
    """
    stages = list(dict.fromkeys(stage for _, figures in rows for stage in figures["seconds"]))
    head = f"{'stage':<20}" + "".join(f"{f'{s:g}× s':>10}{f'{s:g}× MiB':>11}" for s, _ in rows)
    pairs = list(zip(rows, rows[1:]))
    head += "".join(f"{f'time k {a:g}→{b:g}':>15}{f'mem k {a:g}→{b:g}':>14}" for (a, _), (b, _) in pairs)
    lines = [head]

    def values(figures: dict, stage: str) -> tuple[float | None, float | None]:
        if stage == "total":
            return figures["total"], figures["process_peak_mib"]
        return figures["seconds"].get(stage), figures["peak_mib"].get(stage)

    for stage in [*stages, "total"]:
        line = f"{stage:<20}"
        for _, figures in rows:
            seconds, mib = values(figures, stage)
            line += f"{_fmt(seconds, '.2f'):>10}{_fmt(mib, ',.0f'):>11}"
        for (a, first), (b, second) in pairs:
            for index, width in ((0, 15), (1, 14)):
                k = _exponent(values(first, stage)[index], values(second, stage)[index], b / a)
                line += f"{'' if k is None else f'{k:.2f}' + (' (!)' if k > SUPERLINEAR else '    '):>{width}}"
        lines.append(line.rstrip())
    lines.append(f"k: growth exponent (time or memory ∝ scale^k); (!) marks k > {SUPERLINEAR}, "
                 "a stage growing faster than the data.")
    return "\n".join(lines)


def _fmt(value: float | None, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def _exponent(before: float | None, after: float | None, ratio: float) -> float | None:
    if not before or not after or before <= 0 or ratio <= 1:
        return None
    return math.log(after / before) / math.log(ratio)
