"""The serve command: the SPARQL endpoint, API and web interface."""

from pathlib import Path

import click

from imri_kg.cli.base import BASE_OPTION, STORE_OPTION, cli, located_errors
from imri_kg.errors import InputError
from imri_kg.remote import is_remote
from imri_kg.store import is_built, open_store


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
@click.option("--write-token", envvar="IMRI_KG_WRITE_TOKEN", default=None,
              help="Allow SPARQL updates bearing 'Authorization: Bearer TOKEN' (env IMRI_KG_WRITE_TOKEN). "
                   "Without it the endpoint is read-only.")
@click.option("--cors-origin", "cors_origins", multiple=True,
              help="Origin allowed to call the API from a browser (repeat; '*' for any).")
@click.option("--cache-mb", default=64, show_default=True, type=click.IntRange(0),
              help="Memory for answers to repeated library questions (0: answer every time afresh).")
@located_errors
def serve(host: str, port: int, store_dir: Path | None, base: str, timeout: float, max_rows: int, workers: int,
          write_token: str | None, cors_origins: tuple[str, ...], cache_mb: int) -> None:
    """Serve the SPARQL endpoint, the question library and linked data over HTTP (http://127.0.0.1:8000)."""
    import uvicorn
    from pyoxigraph import Store as OxStore

    from imri_kg.api import Settings, create_app

    if is_remote(store_dir):
        if not is_built(open_store(store_dir, base=base), base=base):
            raise InputError(f"the store holds no knowledge base; run: imri-kg build --store {store_dir}")
    elif store_dir is not None:
        try:
            built = is_built(OxStore.read_only(str(store_dir)), base=base)
        except OSError as exc:
            raise InputError(f"cannot open the store read-only: {exc}", path=store_dir) from None
        if not built:
            raise InputError(f"the store holds no knowledge base; run: imri-kg build --store {store_dir}",
                             path=store_dir)
    settings = Settings(store_dir=store_dir, base=base, timeout=timeout, max_rows=max_rows, workers=workers,
                        write_token=write_token or None, cors_origins=cors_origins, cache_bytes=cache_mb * 2**20)
    click.echo(f"imri-kg: serving http://{host}:{port}/ (SPARQL at /sparql, questions at /api/queries); "
               + ("updates need the write token." if settings.write_token else "read-only."), err=True)
    uvicorn.run(create_app(settings, launch_workers=True), host=host, port=port, log_level="warning")
