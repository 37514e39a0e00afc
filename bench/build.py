"""Build benchmark: the full build of the vendored sources, stage by stage, and resolution throughput.

``python -m bench build [--runs N]`` builds into a temporary folder N times and
prints each stage's median time, the total, and mentions resolved per second
(parsing excluded, a fresh resolver each run so the memo starts empty).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 5.0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench build")
    parser.add_argument("--runs", type=int, default=3, help="builds to time (median reported)")
    args = parser.parse_args(argv)

    from kg.build import build
    from kg.config import Settings
    from kg.resolve.resolver import Resolver
    from mapping.ingest import ingest

    stages: dict[str, list[float]] = {}
    totals = []
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(dist=Path(folder))
        for _ in range(args.runs):
            start = time.perf_counter()
            result = build(settings)
            totals.append(time.perf_counter() - start)
            for stage, seconds in result.timings.items():
                stages.setdefault(stage, []).append(seconds)
    print(f"full build of {len(result.ingestion.sources)} sources, {result.triple_count} triples "
          f"(median of {args.runs} runs):")
    for stage, seconds in stages.items():
        print(f"  {stage:<8} {statistics.median(seconds):6.2f} s")
    total = statistics.median(totals)
    verdict = "meets" if total <= GOAL_SECONDS else "misses"
    print(f"  {'total':<8} {total:6.2f} s  ({verdict} the {GOAL_SECONDS:.0f} s goal)")

    ingestion = ingest(settings.manifest)
    rates = []
    for _ in range(args.runs):
        start = time.perf_counter()
        resolver = Resolver.load(settings.curated)
        loaded = time.perf_counter()
        mentions = len(resolver.records(ingestion).resolutions())
        end = time.perf_counter()
        rates.append((mentions, loaded - start, end - loaded))
    mentions, load, resolve = rates[len(rates) // 2]
    print(f"resolution: {mentions} mentions in {resolve:.2f} s = {mentions / resolve:,.0f} mentions/s "
          f"(+ {load:.2f} s to load the code table and gazetteers)")
    return 0
