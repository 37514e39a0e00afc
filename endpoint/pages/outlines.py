"""Prefecture outlines for the maps, from the ``japanmap`` package's geometry (Apache-2.0).

The outlines (longitude, latitude) are read from the installed package's own data
file (``japanmap/japan.json``), never downloaded; the package is not imported, so
its drawing dependencies are not loaded. Without the package the maps keep their
dots only.

>>> outlines = prefecture_outlines()
>>> len(outlines), all(len(points) > 10 for points in outlines)
(47, True)
>>> min(lat for points in outlines for _, lat in points) < 27 < 45 < max(lat for points in outlines for _, lat in points)
True
"""

from __future__ import annotations

import importlib.util
import json
from functools import lru_cache
from pathlib import Path

SOURCE = "japanmap (Apache License 2.0), https://github.com/SaitoTsutomu/japanmap"
"""Where the outlines come from, as the maps credit it."""


@lru_cache(maxsize=1)
def prefecture_outlines() -> tuple[tuple[tuple[float, float], ...], ...]:
    """One ring of (longitude, latitude) per prefecture, in JIS X 0401 order; empty without ``japanmap``."""
    spec = importlib.util.find_spec("japanmap")
    if spec is None or not spec.submodule_search_locations:
        return ()
    data = Path(next(iter(spec.submodule_search_locations))) / "japan.json"
    if not data.is_file():
        return ()
    points, prefectures = json.loads(data.read_text(encoding="utf-8"))
    return tuple(
        tuple((float(points[index][0][0]), float(points[index][0][1])) for _, ring in borders for index in ring)
        for borders in prefectures
    )
