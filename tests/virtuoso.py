"""A private Virtuoso Open Source 7.2 (Debian ``virtuoso-opensource``) for the tests, on loopback only.

The stock ``/etc/virtuoso-opensource-7/virtuoso.ini`` listens on every
interface with the well-known ``dba``/``dba`` account. Here a fresh database
lives in a temporary folder, its ``virtuoso.ini`` binds both the SQL and the
HTTP port to 127.0.0.1 (free ports), the only folder it may read files from is
its own ``load/``, and ``dba``'s password is changed to a random one before
anything is loaded. No system service is involved.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from endpoint.server import free_port

ROW_LIMIT = 20_000
"""``ResultSetMaxRows`` of the test database: above the server's result limit (10,000 and one), below
the built graph's 105k triples, so both the working setting and a cut answer are exercised."""

INI = """\
[Database]
DatabaseFile       = {folder}/virtuoso.db
ErrorLogFile       = {folder}/virtuoso.log
LockFile           = {folder}/virtuoso.lck
TransactionFile    = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {folder}/virtuoso-temp.db
TransactionFile    = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
DirsAllowed        = {folder}/load
CaseMode           = 2
NumberOfBuffers    = 20000
MaxDirtyBuffers    = 15000
ThreadsPerQuery    = 2
MaxClientConnections = 20

[HTTPServer]
ServerPort         = 127.0.0.1:{http_port}
ServerRoot         = {folder}/www
ServerThreads      = 20
MaxClientConnections = 20
EnabledDavVSP      = 0
Charset            = UTF-8

[SPARQL]
ResultSetMaxRows           = {row_limit}
MaxQueryExecutionTime      = 60
MaxQueryCostEstimationTime = 400
"""


@dataclass(frozen=True)
class Virtuoso:
    """A running test database: its SPARQL endpoint, its Graph Store endpoint and ``dba``'s password."""

    sparql: str
    graph_store: str
    sql_port: int
    password: str
    folder: Path

    def isql(self, statements: str) -> str:
        """Run SQL statements through ``isql-vt`` as ``dba``; the output, or an error with Virtuoso's message."""
        return _isql(self.sql_port, self.password, statements)


def _isql(port: int, password: str, statements: str) -> str:
    result = subprocess.run(
        [shutil.which("isql-vt") or "isql-vt", f"127.0.0.1:{port}", "dba", password, "VERBOSE=OFF",
         "BANNER=OFF", "PROMPT=OFF", "ERRORS=STDOUT", f"EXEC={statements}"],
        capture_output=True, text=True, timeout=120,
    )
    if result.returncode != 0 or "*** Error" in result.stdout:
        raise RuntimeError(f"isql-vt: {(result.stdout + result.stderr).strip()}")
    return result.stdout


@contextmanager
def running_virtuoso(folder: Path, *, row_limit: int = ROW_LIMIT) -> Iterator[Virtuoso]:
    """A fresh Virtuoso database in ``folder``, serving on free loopback ports until the block ends."""
    binary = shutil.which("virtuoso-t")
    if binary is None:
        raise FileNotFoundError("virtuoso-t")
    sql_port, http_port = free_port(), free_port()
    (folder / "load").mkdir(parents=True, exist_ok=True)
    (folder / "www").mkdir(exist_ok=True)
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(folder=folder, sql_port=sql_port, http_port=http_port, row_limit=row_limit),
                   encoding="utf-8")
    process = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=folder,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ})
    base = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                answer = httpx.get(f"{base}/sparql", params={"query": "ASK {}"},
                                   headers={"Accept": "application/sparql-results+json"}, timeout=2)
                if answer.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log = folder / "virtuoso.log"
                tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
                raise RuntimeError(f"virtuoso did not start: {tail}")
            time.sleep(0.25)
        password = "kg" + secrets.token_hex(16)  # letters and digits: isql reads it unquoted
        _isql(sql_port, "dba", f"set password dba {password};")
        yield Virtuoso(f"{base}/sparql", f"{base}/sparql-graph-crud-auth", sql_port, password, folder)
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
