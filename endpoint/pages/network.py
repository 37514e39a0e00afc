"""A party's partners as a small network: the party in the middle, its partners around it,
drawn as inline SVG from a page's own rows (the world map is :mod:`endpoint.pages.worldmap`).

>>> from types import SimpleNamespace as NS
>>> ref = lambda n, code=None: NS(iri=f"http://x/id/{n}", name=n, en=None, code=code, japanese=False)
>>> kind = NS(iri="http://x/def/kind/sister-city", name="姉妹都市", en="sister city")
>>> tie = NS(partners=[ref("大連市")], kind=kind, countries=[ref("中国", "CN")])
>>> graph = network(ref("前橋市"), [tie])
>>> [node.name for node in graph.nodes], graph.nodes[0].ties
(['大連市'], 1)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_NODES = 24
WIDTH, HEIGHT = 640, 420
RX, MARGIN = 150, 24
"""Half the width of the ellipse the partners sit on; room kept above and below."""


@dataclass(frozen=True, slots=True)
class Node:
    iri: str
    name: str
    en: str | None
    x: float
    y: float
    ties: int
    kind: str
    side: str
    """``right`` or ``left`` of the party: where the name is written (beside the dot, away from the middle)."""


@dataclass(frozen=True, slots=True)
class Network:
    width: int
    height: int
    nodes: list[Node]
    more: int
    """Partners not drawn (beyond :data:`MAX_NODES`)."""


def _kind_key(kind) -> str:
    return kind.iri.rstrip("/").rsplit("/", 1)[-1] if kind is not None else "unknown"


def network(subject, ties) -> Network | None:
    """The partners of ``subject`` in ``ties``, most tied first, around it on an ellipse.

    The partners alternate right and left and are spaced evenly from top to bottom on
    each side, so the names, written beside their dots and away from the middle, never
    run into each other.
    """
    counts: dict[str, list] = {}
    for tie in ties:
        for partner in tie.partners:
            entry = counts.setdefault(partner.iri, [partner, 0, _kind_key(tie.kind)])
            entry[1] += 1
    if not counts:
        return None
    ranked = sorted(counts.values(), key=lambda e: (-e[1], e[0].name))
    shown = ranked[:MAX_NODES]
    sides = {"right": shown[0::2], "left": shown[1::2]}
    half = HEIGHT / 2 - MARGIN
    ry = half / 0.92
    nodes = []
    for side, members in sides.items():
        for index, (partner, n, kind) in enumerate(members):
            dy = 0.0 if len(members) == 1 else -half + 2 * half * index / (len(members) - 1)
            dx = RX * math.sqrt(1 - (dy / ry) ** 2) * (1 if side == "right" else -1)
            nodes.append(Node(partner.iri, partner.name, partner.en, round(WIDTH / 2 + dx, 1),
                              round(HEIGHT / 2 + dy, 1), n, kind, side))
    return Network(WIDTH, HEIGHT, nodes, len(ranked) - len(shown))
