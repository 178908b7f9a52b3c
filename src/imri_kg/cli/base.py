"""Shared pieces of the command line: the group, the --store, --base and --out options, errors and exit codes."""

import os
import re
import shutil
import sys
import traceback
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


class OutFile(click.Path):
    """--out FILE: a file to write, whose folder is made when it does not exist yet (as `release` makes its
    folder), so that no command stops after its work for want of a folder."""

    def __init__(self) -> None:
        super().__init__(dir_okay=False, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        path: Path = super().convert(value, param, ctx)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            self.fail(f"{path.parent} is a file, not a folder.", param, ctx)
        except OSError as exc:
            self.fail(f"cannot make its folder {path.parent}: {exc.strerror}.", param, ctx)
        return path


STORE_OPTION = click.option("--store", "store_dir", type=StoreParam(),
                            help="On-disk Oxigraph store directory, or a SPARQL 1.1 query endpoint URL "
                                 "(http://...; see README). Without it, the knowledge base is built in memory.")


def absolute_iri(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An option whose value must be an absolute IRI (RFC 3987): checked before the command does any work, so that
    `--base "my base"` is a usage error rather than a failure deep inside."""
    from pyoxigraph import NamedNode

    if value is None:
        return None
    try:
        NamedNode(value)
    except ValueError as exc:
        raise click.BadParameter(f'"{value}" is not an absolute IRI ({exc}); e.g. {DEFAULT_BASE}') from None
    return value


BASE_OPTION = click.option("--base", default=DEFAULT_BASE, show_default=True, callback=absolute_iri,
                           help="Base IRI of the data.")


DEBUG = "IMRI_KG_DEBUG"  # set (to anything but 0): an error that ends a command prints its traceback too
EXIT_CODES = ("Exit codes: 0 ok; 1 the data do not pass a check; 2 usage or input error (the message names the file, "
              "row and column); 3 imri-kg itself failed, e.g. a package is missing (the message says what to do; "
              f"{DEBUG}=1 shows the traceback); 130 interrupted (Ctrl-C).")


def located_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Print an error as one line, without a traceback, and exit with its code (EXIT_CODES): 2 for bad input, 3 for
    a failure of imri-kg itself (a missing package, a fault), which a script must not read as "violations" (1)."""
    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # click's own usage errors (exit 2) and exits
        except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - every error ends as one line and its code
            message, code = failure(exc)
            if os.environ.get(DEBUG, "") not in ("", "0"):
                traceback.print_exc()
        # Exit outside the except block: the error's traceback, and the store its frames hold, are freed first.
        click.echo(f"error: {message}", err=True)
        sys.exit(code)
    return wrapper


def failure(exc: BaseException) -> tuple[str, int]:
    """The one line to print for an error that ends a command, and the exit code."""
    if isinstance(exc, InputError):
        return str(exc), 2
    if isinstance(exc, KeyboardInterrupt):
        # An import cut short is undone when its store is next opened (store/bulk.py); a build is one transaction.
        return "interrupted.", 130
    if isinstance(exc, ImportError):
        return missing_package(exc), 3
    if isinstance(exc, ChildProcessError):  # a worker process that was killed or failed (validation/slices.py)
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        if len(lines) < 2:
            return lines[0] if lines else type(exc).__name__, 3
        # "...failed in its worker process: <the worker's stderr>": the last line of that is its error
        return (f"{lines[0].split(':', 1)[0]}: {lines[-1]}. No verdict was reached on your data; {DEBUG}=1 shows "
                "the worker's traceback."), 3
    if isinstance(exc, RuntimeError) and str(exc).startswith("Corruption:"):  # RocksDB's word: not a fault of ours
        return (f"the store's files are damaged ({str(exc).splitlines()[0]}); rebuild it (imri-kg build --store DIR "
                "in a new folder) or restore a copy."), 2
    if isinstance(exc, OSError):  # a full or read-only disk, a store locked by another program
        return (f"{exc.filename}: " if exc.filename else "") + (exc.strerror or str(exc).splitlines()[0]), 2
    first = next((line for line in str(exc).splitlines() if line.strip()), "")
    return (f"imri-kg failed: {type(exc).__name__}{': ' + first if first else ''} ({where(exc)}). This is a fault "
            f"of imri-kg, not a verdict on your data; run again with {DEBUG}=1 to see the traceback, and report it."), 3


def where(exc: BaseException) -> str:
    """The innermost function of imri-kg that the error went through: "in MODULE, FUNCTION"."""
    tb, found = exc.__traceback__, "in imri-kg"
    while tb is not None:
        module, name = tb.tb_frame.f_globals.get("__name__", ""), tb.tb_frame.f_code.co_name
        if module.startswith("imri_kg") and not (module == __name__ and name in ("wrapper", "invoke")):
            found = f"in {module}, {name}"
        tb = tb.tb_next
    return found


def missing_package(exc: ImportError) -> str:
    """What to do when a module that imri-kg needs cannot be imported: install the requirement it comes from."""
    module = (exc.name or "").split(".")[0]
    requirement = next((r.split(";")[0].strip() for r in _requirements()
                        if _name(r).lower().replace("-", "_") == module.lower()), None)
    if requirement is None:
        return (f"a Python package that imri-kg needs cannot be imported: {exc}; reinstall imri-kg "
                "(pip install imri-kg).")
    package = _name(requirement)
    install = f"{sys.executable} -m pip install '{requirement}'"
    if isinstance(exc, ModuleNotFoundError) and exc.name == module:
        return f"{package} is not installed, and imri-kg needs it; install it with: {install}"
    return (f"{package} is installed but cannot be loaded ({str(exc).splitlines()[0]}); reinstall it with: "
            f"{install} --force-reinstall")


def _name(requirement: str) -> str:
    """The distribution's name in a requirement such as "shacl-rust>=0.2.12,<0.3; python_version>'3'"."""
    return re.split(r"[<>=!~ \[;]", requirement, maxsplit=1)[0]


def _requirements() -> list[str]:
    """imri-kg's declared requirements (pyproject.toml, as installed)."""
    from importlib.metadata import PackageNotFoundError, requires

    try:
        return requires("imri-kg") or []
    except PackageNotFoundError:
        return []


def engine_ready() -> None:
    """Import shacl-rust, which every SHACL check runs, before a command starts reading: on a big sheet the check
    runs in worker processes, where a missing or broken shacl-rust would only show as a failed worker."""
    import shacl_rust  # noqa: F401


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


def new_or_store(store_dir: Path | str | None) -> None:
    """Refuse to make a store in a folder that holds other files (RocksDB's files would be mixed in with them): the
    folder of a store that `build` or `load` writes is new, empty, or a store (which has a CURRENT file)."""
    from imri_kg.store.remote import is_remote

    if store_dir is None or is_remote(store_dir) or not Path(store_dir).is_dir():
        return
    folder = Path(store_dir)
    if not (folder / "CURRENT").is_file() and (first := next(folder.iterdir(), None)) is not None:
        raise InputError(f'holds "{first.name}" but no store; give a new or empty folder for a new store, or the '
                         "folder of an existing one.", path=folder)


def _on_disk(store_dir: Path | None, base: str) -> "Store":
    """The on-disk store that an import (or a removal) writes to; writing into a throw-away in-memory build makes no
    sense."""
    if store_dir is None:
        ctx = click.get_current_context(silent=True)
        command = ctx.command_path if ctx is not None else "this command"
        raise InputError(f"{command} writes to an on-disk store: add --store DIR (built with imri-kg build --store "
                         "DIR).")
    return _writable(store_dir, base)


class Commands(click.Group):
    """The group of commands: an error that ends any command is printed and exits as `located_errors` says, so that
    no command, however written, ends in a traceback or with exit 1 ("the data do not pass") for an error."""

    def invoke(self, ctx: click.Context) -> Any:
        return located_errors(super().invoke)(ctx)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES)
@click.version_option(package_name="imri-kg")
def cli() -> None:
    """imri-kg: the evidence on implementing mental-health recovery into services, as a knowledge graph."""


def terminal_width() -> int | None:
    """The terminal's width in characters when standard output is one; None (no limit) when piped or redirected."""
    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size((100, 24)).columns
