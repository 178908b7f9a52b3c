"""Real SPARQL engines started on free loopback ports for the remote-store tests: oxigraph serve and Virtuoso.

Each `start_*` returns an `Engine` (its query URL and its process) or raises `Missing` when the engine is not
installed; the fixture skips on that locally and fails under CI=true.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx


class Missing(Exception):
    """The engine is not installed on this machine."""


@dataclass
class Engine:
    name: str
    url: str                      # the SPARQL query endpoint, as given to --store
    process: subprocess.Popen

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, process: subprocess.Popen, *, seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the engine exited with {process.returncode}:\n{log.read_text()[-2000:]}")
        try:
            if httpx.post(url, data={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"{url}: the engine did not answer within {seconds} s:\n{log.read_text()[-2000:]}")


def start_oxigraph(directory: Path) -> Engine:
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if binary is None:
        raise Missing("oxigraph serve is not installed (pip install oxigraph)")
    port = free_port()
    log = directory / "oxigraph.log"
    process = subprocess.Popen([binary, "serve", "--location", str(directory / "db"), "--bind", f"127.0.0.1:{port}"],
                               stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/query"
    _wait(url, process, seconds=30, log=log)
    return Engine("oxigraph", url, process)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
CheckpointInterval = 0
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxQueryMem = 500M
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 10
MaxClientConnections = 10
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
"""

# The anonymous SPARQL user may update (a throw-away test database on loopback).
VIRTUOSO_GRANTS = ("GRANT SPARQL_UPDATE TO \"SPARQL\";"
                   "DB.DBA.RDF_DEFAULT_USER_PERMS_SET('nobody', 7);")


def start_virtuoso(directory: Path) -> Engine:
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    if binary is None or isql is None:
        raise Missing("Virtuoso is not installed (apt-get install virtuoso-opensource; see tools/install-system-deps)")
    sql, http = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=directory, sql=sql, http=http))
    log = directory / "virtuoso.out"
    process = subprocess.Popen([binary, "+configfile", str(ini), "+foreground"], cwd=directory,
                               stdout=log.open("wb"), stderr=subprocess.STDOUT, env={**os.environ})
    url = f"http://127.0.0.1:{http}/sparql"
    _wait(url, process, seconds=120, log=log)
    done = subprocess.run([isql, f"127.0.0.1:{sql}", "dba", "dba", f"exec={VIRTUOSO_GRANTS}"], check=False,
                          capture_output=True, text=True, timeout=60)
    if done.returncode != 0 or "Error" in done.stdout + done.stderr:
        process.kill()
        raise RuntimeError(f"could not grant SPARQL updates: {done.stdout}{done.stderr}")
    return Engine("virtuoso", url, process)


STARTERS = {"oxigraph": start_oxigraph, "virtuoso": start_virtuoso}
