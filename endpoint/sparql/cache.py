"""What a read-only server may remember: recent answers, and how many queries each client has in flight.

>>> cache = AnswerCache(500)
>>> for name in "abcde":
...     cache.put(name, Reply(name.encode() * 50))
>>> cache.get("a") is None, cache.get("e").body[:1]
(True, b'e')
>>> slots = ClientSlots(1)
>>> with slots.hold("10.0.0.1"):
...     with slots.hold("10.0.0.1"):
...         pass
Traceback (most recent call last):
...
endpoint.problem.Problem: this client already has 1 queries running or waiting (KG_CLIENT_QUERIES): wait for their answers
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Iterator
from contextlib import contextmanager

from endpoint.problem import Problem
from endpoint.sparql.protocol import Reply

ENTRY_SHARE = 4
"""No one answer takes more than this fraction of the cache."""
OVERHEAD = 64
"""Bytes counted for each entry besides its body."""


class AnswerCache:
    """Answers by request (query, dataset, format, base), least recently used first out, within ``size`` bytes.

    Only successful answers are kept: errors and time-outs are not remembered.
    """

    def __init__(self, size: int):
        self.size = size
        self.used = 0
        self._entries: OrderedDict[Hashable, Reply] = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> Reply | None:
        reply = self._entries.get(key)
        if reply is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return reply

    def put(self, key: Hashable, reply: Reply) -> None:
        cost = len(reply.body) + OVERHEAD
        if reply.status != 200 or cost > self.size // ENTRY_SHARE or key in self._entries:
            return
        self._entries[key] = reply
        self.used += cost
        while self.used > self.size:
            _, old = self._entries.popitem(last=False)
            self.used -= len(old.body) + OVERHEAD


class ClientSlots:
    """At most ``most`` queries in flight per client address (429 beyond)."""

    def __init__(self, most: int):
        self.most = most
        self._counts: dict[str | None, int] = {}

    @contextmanager
    def hold(self, client: str | None) -> Iterator[None]:
        count = self._counts.get(client, 0)
        if count >= self.most:
            raise Problem(
                429,
                f"this client already has {self.most} queries running or waiting (KG_CLIENT_QUERIES):"
                " wait for their answers",
                {"Retry-After": "1"},
            )
        self._counts[client] = count + 1
        try:
            yield
        finally:
            left = self._counts[client] - 1
            if left:
                self._counts[client] = left
            else:
                del self._counts[client]
