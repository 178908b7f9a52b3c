"""Shared pieces of the command line: the group, the --store and --base options, located errors."""

import shutil
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from imri_kg.errors import InputError
from imri_kg.store.names import DEFAULT_BASE

if TYPE_CHECKING:
    from pyoxigraph import Store

# The store and build modules are imported by the functions that use them, so that `imri-kg serve` (cli/__init__.py)
# loads only its own command and starts quickly.


class StoreParam(click.ParamType):
    """--store: an on-disk store directory (a Path), or a SPARQL engine's query endpoint URL (kept as a string)."""

    name = "DIR|URL"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path | str:
        if isinstance(value, str) and value.lower().startswith(("http://", "https://")):  # remote.is_remote
            return value
        return click.Path(file_okay=False, path_type=Path).convert(value, param, ctx)  # type: ignore[no-any-return]


STORE_OPTION = click.option("--store", "store_dir", type=StoreParam(),
                            help="On-disk Oxigraph store directory, or a SPARQL 1.1 query endpoint URL "
                                 "(http://...; see README). Without it, the knowledge base is built in memory.")
BASE_OPTION = click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI of the data.")


def located_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Print input errors without a traceback and exit 2."""
    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            message = str(exc)
        except OSError as exc:  # a full or read-only disk, a store locked by another program: one line, not a trace
            message = (f"{exc.filename}: " if exc.filename else "") + (exc.strerror or str(exc).splitlines()[0])
        # Exit outside the except block: the error's traceback, and the store its frames hold, are freed first.
        click.echo(f"error: {message}", err=True)
        sys.exit(2)
    return wrapper


def _graph(store_dir: Path | None, base: str) -> "Store":
    """The store to read: the on-disk one opened read-only (which must have been built), or a fresh in-memory
    build."""
    from imri_kg.kb.build import build_store, is_built
    from imri_kg.store import open_read_only
    from imri_kg.store.remote import is_remote

    if store_dir is None:
        return build_store(base=base)
    store = open_read_only(store_dir, base=base)
    if not is_built(store, base=base):
        raise InputError(f"the store holds no knowledge base; run: imri-kg build --store {store_dir}",
                         path=None if is_remote(store_dir) else store_dir)
    return store


def _writable(store_dir: Path | None, base: str) -> "Store":
    """The store a command writes to, built: in memory, or on disk with its write lock held until the command
    ends (locking.py), so that no other writer can interleave."""
    from imri_kg.kb.build import build_store, is_built
    from imri_kg.store import open_store
    from imri_kg.store.locking import write_lock
    from imri_kg.store.remote import is_remote

    if store_dir is None:
        return build_store(base=base)
    if not is_remote(store_dir):
        click.get_current_context().with_resource(write_lock(store_dir))  # a build under way may be making it
        if not Path(store_dir).is_dir():  # checked before opening, which would create an empty store
            raise InputError(f"no store is here; run: imri-kg build --store {store_dir}", path=store_dir)
    store = open_store(store_dir, base=base)
    if not is_built(store, base=base):
        raise InputError(f"the store holds no knowledge base; run: imri-kg build --store {store_dir}",
                         path=None if is_remote(store_dir) else store_dir)
    return store


def _on_disk(store_dir: Path | None, base: str) -> "Store":
    """The on-disk store that an import writes to; importing into a throw-away in-memory build makes no sense."""
    if store_dir is None:
        raise InputError("importing needs an on-disk store: add --store DIR (built with imri-kg build --store DIR).")
    return _writable(store_dir, base)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="imri-kg")
def cli() -> None:
    """imri-kg: the evidence on implementing mental-health recovery into services, as a knowledge graph."""


def terminal_width() -> int | None:
    """The terminal's width in characters when standard output is one; None (no limit) when piped or redirected."""
    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size((100, 24)).columns
