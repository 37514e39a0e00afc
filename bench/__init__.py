"""Benchmarks, run as ``python -m bench [endpoint|build|all]`` (``make bench``).

Each benchmark is a module of this package with ``main(argv) -> int``; add one
to :data:`bench.__main__.BENCHMARKS` to make it runnable.
"""
