"""The serve command: the SPARQL endpoint, API and web interface."""

import errno
import ipaddress
import os
import re
import socket
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from imri_kg.cli.base import BASE_OPTION, STORE_OPTION, cli, located_errors
from imri_kg.errors import InputError

if TYPE_CHECKING:
    import uvicorn
    from pyoxigraph import Store

    from imri_kg.api.settings import Settings


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="TCP port.")
@STORE_OPTION
@BASE_OPTION
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Seconds a query may run before it is stopped.")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(1),
              help="Cap on the rows (or triples) of one result.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Query worker processes, each holding the store.")
@click.option("--write-token-file", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="Allow SPARQL updates bearing 'Authorization: Bearer TOKEN', TOKEN being this file's first line "
                   "(or set the environment variable IMRI_KG_WRITE_TOKEN). Without a token the endpoint is "
                   "read-only.")
@click.option("--write-token", default=None, hidden=True,
              help="Deprecated: a token on the command line shows in `ps`; use --write-token-file or the "
                   "environment variable IMRI_KG_WRITE_TOKEN.")
@click.option("--cors-origin", "cors_origins", multiple=True,
              help="Origin allowed to call the API from a browser (repeat; '*' for any).")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="A host name the server answers for besides localhost, 127.0.0.1 and [::1] (repeat; '*' for "
                   "any), e.g. a reverse proxy's. On loopback, requests naming another host get 421, so that a web "
                   "page whose name was pointed at this machine (DNS rebinding) reads nothing.")
@click.option("--cache-mb", default=64, show_default=True, type=click.IntRange(0),
              help="Memory for answers to repeated library questions (0: answer every time afresh).")
@located_errors
def serve(host: str, port: int, store_dir: Path | None, base: str, timeout: float, max_rows: int, workers: int,
          write_token_file: Path | None, write_token: str | None, cors_origins: tuple[str, ...],
          allowed_hosts: tuple[str, ...], cache_mb: int) -> None:
    """Serve the SPARQL endpoint, the question library and linked data over HTTP (http://127.0.0.1:8000)."""
    from imri_kg.api.settings import Settings

    write_token = to_write_token(write_token_file, write_token)
    for line in bind_warnings(host, writable=bool(write_token)):
        click.echo(line, err=True)
    settings = Settings(store_dir=store_dir, base=base, timeout=timeout, max_rows=max_rows, workers=workers,
                        write_token=write_token or None, cors_origins=cors_origins, cache_bytes=cache_mb * 2**20,
                        allowed_hosts=answered_hosts(host, allowed_hosts))
    local = open_built(settings)
    check_port_free(host, port)
    mode = "updates need the write token" if settings.write_token else "read-only"
    from imri_kg.api.early import EarlyApp

    # The workers start now; the server answers short queries once they are ready, the rest once the FastAPI app,
    # built meanwhile, has started (early.py).
    app = EarlyApp(settings, local)

    import uvicorn

    from imri_kg.api.onewrite import OneWriteProtocol  # a response's head and small body in one write

    # Ctrl-C: requests that are running get 5 s to end (a client holding half a request body would hold the
    # server up for ever).
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", http=OneWriteProtocol,
                            timeout_graceful_shutdown=5)
    server = ready_server(config, lambda url: f"imri-kg: ready ({mode}).\n  Web interface  {url}ui/\n"
                                              f"  SPARQL         {url}sparql\n  API docs       {url}docs\n"
                                              "  Stop with Ctrl-C.")
    app.on_failure = lambda: setattr(server, "should_exit", True)
    try:
        server.run()
    except KeyboardInterrupt:  # how the server is stopped: uvicorn shuts down, then raises Ctrl-C again
        pass
    if app.failure is not None:
        raise app.failure  # one line and its exit code (located_errors): 3 for a broken install
    # asyncio's runner may swallow that second Ctrl-C when the server's task has already ended (a race): then run()
    # returns; either way the server has stopped.
    if server.started:
        click.echo("imri-kg: stopped.", err=True)


def open_built(settings: "Settings") -> "Store | None":
    """The on-disk store opened read-only for the server's own reads (the workers open their own), after checking
    that it holds a knowledge base; None for an in-memory build. A SPARQL engine is only checked (InputError
    when it holds no knowledge base). Only pyoxigraph is imported for a store on disk."""
    store_dir, base = settings.store_dir, settings.base
    if store_dir is None:
        return None
    if str(store_dir).lower().startswith(("http://", "https://")):  # a SPARQL engine (store.remote.is_remote)
        from imri_kg.kb.build import is_built
        from imri_kg.store import open_store

        if not is_built(open_store(store_dir, base=base), base=base):
            raise InputError(f"the store holds no knowledge base; run: imri-kg build --store {store_dir}")
        return None
    from imri_kg.api.pool import open_read_store
    from imri_kg.store.names import graph_iri

    if not Path(store_dir).is_dir():  # else RocksDB's "No such file ... CURRENT"
        raise InputError(f"no store is here; run: imri-kg build --store {store_dir}", path=store_dir)
    try:
        store = open_read_store(settings)
    except OSError as exc:
        raise InputError(f"cannot open the store read-only: {exc}", path=store_dir) from None
    if not store.contains_named_graph(graph_iri("kb", base=base)):  # kb.build.is_built, without its imports
        raise InputError(f"the store holds no knowledge base; run: imri-kg build --store {store_dir}",
                         path=store_dir)
    return store


def check_port_free(host: str, port: int) -> None:
    """Fail with one line, before anything is built, when another program already listens on the port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            hint = "pick another with --port" if exc.errno == errno.EADDRINUSE else "check --host"
            raise InputError(f"cannot listen on {host}:{port}: {exc.strerror}; {hint}.") from None


def ready_server(config: "uvicorn.Config", message: Callable[[str], str]) -> "uvicorn.Server":
    """A uvicorn server that prints `message(url)` once its port really answers (uvicorn is imported late: it is
    only needed by this command)."""
    import uvicorn

    class ReadyServer(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                host = config.host if ":" not in config.host else f"[{config.host}]"
                port = self.servers[0].sockets[0].getsockname()[1] if self.servers else config.port
                click.echo(message(f"http://{host}:{port}/"), err=True)

    return ReadyServer(config)


def to_write_token(path: Path | None, given: str | None) -> str | None:
    """The write token: from --write-token-file, else the environment, else the deprecated --write-token."""
    if given:
        click.echo("imri-kg: WARNING: --write-token is deprecated: the token shows in `ps` and the shell history. "
                   "Use --write-token-file FILE or the environment variable IMRI_KG_WRITE_TOKEN.", err=True)
    if path is not None:
        try:
            lines = path.read_text(encoding="utf-8").strip().splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the write token: {exc}", path=path) from None
        if not lines or not lines[0].strip():
            raise InputError("the write-token file is empty.", path=path)
        return lines[0].strip()
    return os.environ.get("IMRI_KG_WRITE_TOKEN") or given or None


def _loopback(host: str) -> bool:
    """Whether every address `host` names is loopback, resolved as the listening socket resolves it (127.1,
    2130706433 and LOCALHOST are loopback too)."""
    try:
        found = socket.getaddrinfo(host.strip("[]"), None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return False
    return bool(found) and all(ipaddress.ip_address(str(a[4][0]).split("%")[0]).is_loopback for a in found)


_NAME = re.compile(r"[a-z0-9._\-]+|\[[0-9a-f:.]+\]")  # a name or address, lower case (host_name), no wildcard


def answered_hosts(host: str, extra: tuple[str, ...]) -> tuple[str, ...] | None:
    """The host names a server listening on `host` answers for (Settings.allowed_hosts): on loopback the loopback
    names, the address listened on and `extra`; elsewhere any (None), unless `extra` names some."""
    if "*" in extra or not (extra or _loopback(host)):
        return None
    from imri_kg.api.headers import _HOST, LOOPBACK_NAMES, host_name

    for name in extra:
        if not name or not _HOST.fullmatch(name) or not _NAME.fullmatch(host_name(name)):
            raise InputError(f'--allowed-host "{name}" is not a host name (or address, IPv6 in brackets); '
                             "wildcards are not taken: give each name.")
    bare = host.strip("[]")
    own = [] if bare in ("0.0.0.0", "::") else [host_name(f"[{bare}]" if ":" in bare else bare)]
    return tuple(dict.fromkeys([*LOOPBACK_NAMES, *own, *(host_name(name) for name in extra)]))


def bind_warnings(host: str, *, writable: bool) -> list[str]:
    """What to tell the operator about listening on `host`: nothing on loopback; a warning elsewhere, stronger
    when updates are allowed."""
    if _loopback(host):
        return []
    lines = [(f"imri-kg: WARNING: listening on {host}, not loopback: anyone who can reach this machine can query "
              "it. Put it behind a reverse proxy with TLS and rate limits, or bind 127.0.0.1.")]
    if writable:
        lines.append("imri-kg: WARNING: updates are allowed (write token set) on a public interface: the token "
                     "travels in clear without TLS, and whoever holds it can change or erase the data.")
    return lines
