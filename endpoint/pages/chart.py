"""Ties per decade and family of kind as a stacked bar chart, drawn as inline SVG (no script).

>>> from types import SimpleNamespace as NS
>>> twin = NS(iri="http://x/def/kind/twinning", name="姉妹・友好", en="twinning")
>>> chart = decade_chart([NS(decade=1960, family=twin, count=30), NS(decade=1990, family=None, count=10)])
>>> [bar.label for bar in chart.bars], chart.top, [(s.family, s.count) for s in chart.bars[0].stacks]
(['1960s', '1970s', '1980s', '1990s'], 30, [('twinning', 30)])
"""

from __future__ import annotations

from dataclasses import dataclass

FAMILIES = ("twinning", "disaster-cooperation", "thematic-cooperation", "other")
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 250, 40, 28, 22


@dataclass(frozen=True, slots=True)
class Stack:
    family: str
    count: int
    y: float
    height: float


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    x: float
    width: float
    total: int
    stacks: list[Stack]


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    top: int
    ticks: list[tuple[float, int]]
    """``(y, value)`` of the horizontal grid lines."""
    legend: list[tuple[str, str, str]]
    """``(family, Japanese, English)`` of the families drawn."""


def _family(ref) -> str:
    key = ref.iri.rstrip("/").rsplit("/", 1)[-1] if ref is not None else "other"
    return key if key in FAMILIES else "other"


def _nice(top: int) -> int:
    step = 1
    while step * 10 < top:
        step *= 10
    return max(step, 1) if top else 1


def decade_chart(rows) -> Chart | None:
    """The chart of ``rows`` (``decade``, ``family`` ref or None, ``count``); None when there are none."""
    if not rows:
        return None
    counts: dict[int, dict[str, int]] = {}
    names: dict[str, tuple[str, str]] = {"other": ("その他", "other")}
    for row in rows:
        family = _family(row.family)
        if row.family is not None:
            names[family] = (row.family.name, row.family.en or row.family.name)
        by_family = counts.setdefault(row.decade, {})
        by_family[family] = by_family.get(family, 0) + row.count
    decades = list(range(min(counts), max(counts) + 10, 10))
    top = max(sum(by_family.values()) for by_family in counts.values())
    plot_height = HEIGHT - BOTTOM - TOP
    step = _nice(top)
    # The axis ends at the tick above the tallest bar, so every bar sits under a grid line.
    axis = -(-top // step) * step
    scale = plot_height / axis
    slot = (WIDTH - LEFT) / len(decades)
    bars = []
    for index, decade in enumerate(decades):
        by_family = counts.get(decade, {})
        y = HEIGHT - BOTTOM
        stacks = []
        for family in FAMILIES:
            count = by_family.get(family, 0)
            if count:
                height = count * scale
                y -= height
                stacks.append(Stack(family, count, round(y, 1), round(height, 1)))
        bars.append(Bar(f"{decade}s", round(LEFT + index * slot + slot * 0.15, 1), round(slot * 0.7, 1),
                        sum(by_family.values()), stacks))
    step = _nice(top)
    ticks = [(round(HEIGHT - BOTTOM - value * scale, 1), value) for value in range(0, axis + 1, step)]
    drawn = [family for family in FAMILIES if any(s.family == family for bar in bars for s in bar.stacks)]
    return Chart(WIDTH, HEIGHT, bars, top, ticks, [(family, *names.get(family, (family, family))) for family in drawn])
