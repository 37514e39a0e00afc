"""``kg serve`` in a subprocess on a free loopback port: a server a query may crash without taking the tests.

>>> ServedProcess.__name__
'ServedProcess'
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench.soak import tree_memory
from endpoint.server import free_port


class ServedProcess:
    """``kg serve --dist DIST`` with ``KG_*`` settings from ``env``; a context manager."""

    def __init__(self, dist: Path, log: Path, **env: object):
        self.dist, self.log = dist, log
        self.port = free_port()
        self.env = {**os.environ, **{f"KG_{key.upper()}": str(value) for key, value in env.items()}}
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ServedProcess:
        command = [sys.executable, "-m", "cli", "serve", "--dist", str(self.dist), "--port", str(self.port)]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"kg serve exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(self.url + "/sparql", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"kg serve at {self.url} was not ready")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def memory(self) -> int:
        """Resident bytes of the server process and every process under it."""
        return tree_memory(self.process.pid)

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
