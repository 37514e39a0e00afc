"""``python -m bench [endpoint|build|soak|all] [options…]``: run one benchmark, or every one.

``all`` (the default) runs each registered benchmark whose module exists, with
its default options; options after a name go to that benchmark. A benchmark is
a module of this package with ``main(argv: list[str]) -> int``: register it in
``BENCHMARKS``; a registered module that does not exist yet is skipped by ``all``.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

BENCHMARKS = {
    "endpoint": "bench.endpoint",
    "build": "bench.build",
    "soak": "bench.soak",
}


def available() -> dict[str, str]:
    return {name: module for name, module in BENCHMARKS.items() if importlib.util.find_spec(module) is not None}


def main(argv: list[str]) -> int:
    if argv[:1] in (["-h"], ["--help"]):
        print(__doc__)
        return 0
    name, rest = (argv[0], argv[1:]) if argv and not argv[0].startswith("-") else ("all", argv)
    if name not in BENCHMARKS and name != "all":
        print(f"usage: python -m bench [{'|'.join([*BENCHMARKS, 'all'])}] [options]", file=sys.stderr)
        return 2
    ready = available()
    names = list(BENCHMARKS) if name == "all" else [name]
    status = 0
    for each in names:
        if each not in ready:
            print(f"{each}: no benchmark yet ({BENCHMARKS[each]} is missing)", file=sys.stderr)
            if name != "all":
                status = status or 2
            continue
        print(f"== {each} ==", flush=True)
        status = importlib.import_module(ready[each]).main(rest if name != "all" else []) or status
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
