"""The soak (``python -m bench soak``) as a test: 60 s of mixed load with heavy queries injected.

Left out of the default run (``-m "not soak"``); run it with ``pytest -m soak``.
"""

from __future__ import annotations

import pytest

from bench import soak


@pytest.mark.soak
def test_sixty_seconds_of_mixed_load(tmp_path):
    from bench.synthetic import write_graph
    from endpoint.settings import ServeSettings

    dump = write_graph(tmp_path / "graph.nt", 50_000, base=ServeSettings().base)
    figures = soak.soak(dump, seconds=60, clients=4, timeout=3, burst=4, every=5)
    assert figures["light"] and not figures["light_errors"]
    assert sum(figures["heavy"].values()) >= 20 and set(figures["heavy"]) == {503}
    assert soak.verdict(figures) == []
