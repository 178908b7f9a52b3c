"""Exit codes of the command line: 0 conforms, 1 violations, 2 bad input, 3 imri-kg itself failed (a missing or
broken shacl-rust, a fault), 130 interrupted; each error one line, with the traceback only under IMRI_KG_DEBUG."""

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from pyoxigraph import RdfFormat

from imri_kg.cli import cli
from imri_kg.cli.base import Commands, failure
from imri_kg.importers.coding_sheet import read_coding_sheet
from imri_kg.store import open_store
from imri_kg.store.bulk import side_paths

TESTS = Path(__file__).resolve().parents[1]
GOOD = TESTS / "data" / "sheets" / "coded-evidence-good.csv"  # three valid rows
MIXED = TESTS / "data" / "sheets" / "coded-evidence-mixed.csv"  # valid and broken rows
NOT_INSTALLED = (f"error: shacl-rust is not installed, and imri-kg needs it; install it with: {sys.executable} -m pip "
                 "install 'shacl-rust<0.3,>=0.2.12'\n")


def invoke(*args: str, env: dict | None = None):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)


@pytest.fixture
def sliced(monkeypatch):
    """Every coding sheet read in slices of one row, so that even GOOD takes the path of big sheets: shacl-rust in
    worker processes (validation/slices.py)."""
    monkeypatch.setitem(read_coding_sheet.__kwdefaults__, "slice_rows", 1)


def shim(folder: Path, code: str) -> dict:
    """An environment whose Python processes import `code` as shacl_rust (the worker processes of slices too)."""
    folder.mkdir()
    (folder / "shacl_rust.py").write_text(code, encoding="utf-8")
    return {"PYTHONPATH": os.pathsep.join([str(folder), os.environ.get("PYTHONPATH", "")])}


def test_the_verdicts_keep_their_codes():
    assert invoke("validate", str(GOOD)).exit_code == 0
    result = invoke("validate", str(MIXED))
    assert result.exit_code == 1
    assert "does not conform" in result.output


def test_help_documents_the_exit_codes():
    result = invoke("--help")
    assert result.exit_code == 0
    assert " ".join(result.output.split()).endswith(
        "Exit codes: 0 ok; 1 the data do not pass a check; 2 usage or input error (the message names the file, row "
        "and column); 3 imri-kg itself failed, e.g. a package is missing (the message says what to do; "
        "IMRI_KG_DEBUG=1 shows the traceback); 130 interrupted (Ctrl-C).")


@pytest.mark.parametrize("command", ["validate", "import"])
def test_missing_shacl_rust_is_named_with_exit_3(monkeypatch, command):
    monkeypatch.setitem(sys.modules, "shacl_rust", None)  # what `import shacl_rust` does when it is not installed
    result = invoke(command, str(GOOD))
    assert (result.exit_code, result.stdout, result.stderr) == (3, "", NOT_INSTALLED)


def test_missing_shacl_rust_on_a_big_sheet_is_named_before_any_worker_starts(monkeypatch, sliced):
    monkeypatch.setitem(sys.modules, "shacl_rust", None)
    result = invoke("validate", str(GOOD))
    assert (result.exit_code, result.stdout, result.stderr) == (3, "", NOT_INSTALLED)


def test_missing_shacl_rust_from_the_installed_command(tmp_path):
    env = {**os.environ, **shim(tmp_path / "shim", "raise ModuleNotFoundError(\"No module named 'shacl_rust'\", "
                                                   "name='shacl_rust')\n")}
    done = subprocess.run([sys.executable, "-m", "imri_kg", "validate", str(GOOD)], capture_output=True, text=True,
                          env=env, cwd=tmp_path, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (3, "", NOT_INSTALLED)


def test_a_fault_inside_validation_is_exit_3_not_a_verdict(monkeypatch):
    from imri_kg.validation import slices

    def boom(*args, **kwargs):
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(slices, "merged", boom)  # in this process: every sheet's engine runs in worker processes
    result = invoke("validate", str(GOOD))
    assert (result.exit_code, result.stdout) == (3, "")
    assert re.fullmatch(r"error: imri-kg failed: RuntimeError: engine exploded \(in imri_kg\.validation\.\w+, \w+\)\. "
                        r"This is a fault of imri-kg, not a verdict on your data; run again with IMRI_KG_DEBUG=1 to "
                        r"see the traceback, and report it\.\n", result.stderr)


def test_a_failing_engine_in_the_workers_of_a_big_sheet_is_exit_3(tmp_path, sliced):
    env = shim(tmp_path / "shim", "def validate_file(*args, **kwargs):\n    raise RuntimeError('engine exploded')\n")
    result = invoke("validate", str(GOOD), env=env)  # this process keeps the real shacl-rust; the workers do not
    assert (result.exit_code, result.stdout, result.stderr) == (
        3, "", ("error: the SHACL check failed in its worker process: RuntimeError: engine exploded. No verdict was "
               "reached on your data; IMRI_KG_DEBUG=1 shows the worker's traceback.\n"))


def test_debug_shows_the_traceback_and_keeps_the_code(monkeypatch):
    from imri_kg.validation import slices

    def boom(*args, **kwargs):
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(slices, "merged", boom)  # in this process: every sheet's engine runs in worker processes
    result = invoke("validate", str(GOOD), env={"IMRI_KG_DEBUG": "1"})
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[-2] == "RuntimeError: engine exploded"
    assert lines[-1].startswith("error: imri-kg failed: RuntimeError: engine exploded (in imri_kg.validation.")


def test_a_failing_import_writes_nothing_and_exits_3(kb, tmp_path, monkeypatch):
    from imri_kg.validation import slices

    store_dir = tmp_path / "store"
    store = open_store(store_dir)
    store.bulk_extend(kb)
    store.flush()
    del store
    before = _dump(store_dir)

    def boom(*args, **kwargs):
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(slices, "merged", boom)  # in this process: every sheet's engine runs in worker processes
    result = invoke("import", str(GOOD), "--store", str(store_dir))
    assert result.exit_code == 3
    assert result.stderr.startswith("error: imri-kg failed: RuntimeError: engine exploded (in imri_kg.")
    assert _dump(store_dir) == before


def test_ctrl_c_while_importing_exits_130_and_leaves_the_store_to_its_undo_point(kb, tmp_path, monkeypatch):
    """As importers/test_writing.py, through the command: Ctrl-C is exit 130 (not click's "Aborted!" and exit 1,
    which a script reads as "violations"), and the store, next opened, is as it was."""
    from imri_kg.importers import files

    store_dir = tmp_path / "store"
    store = open_store(store_dir)
    store.bulk_extend(kb)
    store.flush()
    del store
    before = _dump(store_dir)

    def interrupted(load, tail: bytes) -> None:  # Ctrl-C as the loader is given the end of its input (store/held.py)
        load.abandon()  # what the end of the process does to the loader's thread
        raise KeyboardInterrupt

    monkeypatch.setattr(files.HeldLoad, "finish", interrupted)
    result = invoke("import", str(GOOD), "--store", str(store_dir))
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", "error: interrupted.\n")
    assert side_paths(store_dir).journal.exists()  # left to the undo point, which the next open puts back
    assert _dump(store_dir) == before


def test_an_error_outside_any_wrapped_command_is_one_line():
    @click.group(cls=Commands)
    def group() -> None:
        """A group as imri-kg's."""

    @group.command()
    def boom() -> None:
        raise LookupError("no such thing")

    result = CliRunner().invoke(group, ["boom"], catch_exceptions=False)
    assert result.exit_code == 3
    assert result.stderr.startswith("error: imri-kg failed: LookupError: no such thing (in imri-kg). This is a fault")


def test_usage_errors_stay_click_s():
    result = invoke("validate", "--format", "nosuch", str(GOOD))
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr


@pytest.mark.parametrize(("error", "expected"), [
    (ImportError("libfoo.so: cannot open shared object file", name="shacl_rust.shacl_rust"),
     (("shacl-rust is installed but cannot be loaded (libfoo.so: cannot open shared object file); reinstall it with: "
      f"{sys.executable} -m pip install 'shacl-rust<0.3,>=0.2.12' --force-reinstall"), 3)),
    (ModuleNotFoundError("No module named 'nothing_here'", name="nothing_here"),
     (("a Python package that imri-kg needs cannot be imported: No module named 'nothing_here'; reinstall imri-kg "
      "(pip install imri-kg)."), 3)),
    (ChildProcessError("the SHACL check stopped: its worker process was killed by SIGKILL; nothing was written. "
                       "Run it again."),
     ("the SHACL check stopped: its worker process was killed by SIGKILL; nothing was written. Run it again.", 3)),
    (OSError(28, "No space left on device", "store/000123.sst"), ("store/000123.sst: No space left on device", 2)),
    (KeyboardInterrupt(), ("interrupted.", 130)),
])
def test_each_kind_of_error_has_its_line_and_code(error, expected):
    assert failure(error) == expected


def _dump(store_dir: Path) -> list[bytes]:
    store = open_store(store_dir)  # as every writer does first: an import killed while writing is undone here
    lines = sorted((store.dump(format=RdfFormat.N_QUADS) or b"").splitlines())
    del store
    return lines


def test_out_makes_its_folder_as_every_command_does(tmp_path):
    for args, out in ((["export", "--graph", "ontology"], tmp_path / "a" / "b" / "onto.ttl"),
                      (["template"], tmp_path / "c" / "sheet.csv"),
                      (["matrix", "--rows", "level:theme", "--cols", "dimension:group"], tmp_path / "d" / "m.csv")):
        result = invoke(*args, "--out", str(out))
        assert result.exit_code == 0, result.output
        assert out.is_file()


def test_out_under_a_file_is_a_usage_error(tmp_path):
    (tmp_path / "file").write_text("x")
    result = invoke("export", "--out", str(tmp_path / "file" / "x.ttl"))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == (f"Error: Invalid value for '--out': {tmp_path / 'file'} is a file, not "
                                              "a folder.")


@pytest.mark.parametrize(("base", "why"), [("my-review", "No scheme found in an absolute IRI"),
                                           ("https://example.org/my review/", "Invalid IRI code point ' '")])
def test_a_base_that_is_no_iri_is_a_usage_error(base, why):
    result = invoke("list", "themes", "--base", base)  # was a ValueError deep in store/names.py
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == (f"Error: Invalid value for '--base': \"{base}\" is not an absolute IRI "
                                              f"({why}); e.g. https://w3id.org/imri/")


def test_a_damaged_store_is_an_input_error_not_a_fault(tmp_path):
    store_dir = tmp_path / "store"
    store_dir.mkdir()
    (store_dir / "CURRENT").write_text("x\n")  # RocksDB names its manifest here
    result = invoke("import", str(GOOD), "--store", str(store_dir))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("error: the store's files are damaged (Corruption: CURRENT file corrupted); rebuild it "
                             "(imri-kg build --store DIR in a new folder) or restore a copy.\n")
