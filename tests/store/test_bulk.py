"""Bulk loading into an on-disk store: graphs, all-or-nothing on bad input, and crash safety under SIGKILL."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import NamedNode, Quad, Store

from imri_kg.cli import cli
from imri_kg.errors import InputError
from imri_kg.store import graph_iri, open_store
from imri_kg.store.bulk import load_files, recover, side_paths, undo_point

EX = "http://example.org/"


def write_nt(path: Path, n: int, *, prefix: str = "s") -> Path:
    with open(path, "w") as f:
        f.writelines(f'<{EX}{prefix}{i}> <{EX}p> "value {i}" .\n' for i in range(n))
    return path


def count(store_dir: Path) -> int:
    store = open_store(store_dir)
    n = len(store)
    del store
    return n


def leftovers(store_dir: Path) -> list[str]:
    sides = side_paths(store_dir)
    return [p.name for p in (sides.loading, sides.loaded, sides.replaced) if p.exists()]


def test_load_into_graphs_and_add_to_an_existing_store(tmp_path):
    store_dir = tmp_path / "store"
    nt = write_nt(tmp_path / "a.nt", 300)
    nq = tmp_path / "b.nq"
    nq.write_text(f'<{EX}x> <{EX}p> <{EX}y> <{EX}g1> .\n<{EX}x> <{EX}p> <{EX}z> <{EX}g2> .\n')
    done = load_files([nt, nq], store_dir=store_dir, progress=False)
    assert (done.before, done.after, done.added, done.files) == (0, 302, 302, 2)
    again = load_files([write_nt(tmp_path / "c.nt", 10, prefix="t")], store_dir=store_dir, graph="extra")
    assert (again.before, again.after) == (302, 312)
    store = open_store(store_dir)
    assert len(list(store.quads_for_pattern(None, None, None, graph_iri("load")))) == 300
    assert len(list(store.quads_for_pattern(None, None, None, graph_iri("extra")))) == 10
    assert {g.value for g in store.named_graphs()} == {graph_iri("load").value, graph_iri("extra").value,
                                                       EX + "g1", EX + "g2"}
    del store
    assert leftovers(store_dir) == []


def test_a_bad_file_loads_nothing_and_is_located(tmp_path):
    store_dir = tmp_path / "store"
    load_files([write_nt(tmp_path / "a.nt", 50)], store_dir=store_dir)
    bad = tmp_path / "bad.ttl"
    bad.write_text(f'<{EX}a> <{EX}b> <{EX}c> .\n<{EX}a> <{EX}b> "unterminated .\n')
    with pytest.raises(InputError) as err:
        load_files([write_nt(tmp_path / "b.nt", 50, prefix="t"), bad], store_dir=store_dir)
    assert "bad.ttl" in str(err.value) and "line 2" in str(err.value)
    assert count(store_dir) == 50 and leftovers(store_dir) == []
    with pytest.raises(InputError, match="unknown RDF file type"):
        load_files([tmp_path / "x.csv"], store_dir=store_dir)


def test_cli_load(tmp_path):
    nt = write_nt(tmp_path / "a.nt", 20)
    result = CliRunner().invoke(cli, ["load", str(nt), "--store", str(tmp_path / "s"), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "20 new quads" in result.output and "the store holds 20" in result.output
    result = CliRunner().invoke(cli, ["load", str(tmp_path / "missing.nt"), "--store", str(tmp_path / "s")])
    assert result.exit_code == 2 and "missing.nt: file not found" in result.output


def side_store(path: Path, quads: list[Quad]) -> None:
    store = Store(str(path))
    store.extend(quads)
    store.flush()
    del store


def test_recovery_from_every_state_a_kill_can_leave(tmp_path):
    """The states between the steps of a load: unfinished (forgotten), finished before or during the swap
    (completed), swapped but not tidied (tidied)."""
    old = [Quad(NamedNode(EX + "old"), NamedNode(EX + "p"), NamedNode(EX + "o"))]
    new = old + [Quad(NamedNode(EX + "new"), NamedNode(EX + "p"), NamedNode(EX + "o"))]

    def state(name: str, store: bool, loading: bool, loaded: bool, replaced: bool) -> Path:
        store_dir = tmp_path / name / "store"
        store_dir.parent.mkdir()
        sides = side_paths(store_dir)
        if store:
            side_store(store_dir, old)
        if loading:
            side_store(sides.loading, new)
        if replaced:
            side_store(sides.replaced, old)
        if loaded:
            sides.loaded.touch()
        return store_dir

    # name: ((store, loading, loaded, replaced exist), what recover does, quads after)
    cases = {
        "during-load": ((True, True, False, False), "forgotten", 1),
        "loaded-before-swap": ((True, True, True, False), "completed", 2),
        "between-renames": ((False, True, True, True), "completed", 2),
        "after-swap": ((True, False, True, True), "cleaned", 1),
        "first-load-unfinished": ((False, True, False, False), "forgotten", 0),
    }
    for name, (flags, action, quads) in cases.items():
        store_dir = state(name, *flags)
        assert recover(store_dir) == action, name
        assert leftovers(store_dir) == [], name
        assert count(store_dir) == quads, name
        assert recover(store_dir) is None


BASE_QUADS = 1_000
LOAD_TRIPLES = 400_000


def test_sigkill_during_an_on_disk_import_leaves_all_or_none(tmp_path):
    """Kill `imri-kg load` with SIGKILL at several moments while it runs; the store then opens and holds the
    data from before plus either all of the new file or none of it."""
    big = write_nt(tmp_path / "big.nt", LOAD_TRIPLES, prefix="new")
    outcomes = []
    for i, delay in enumerate((0.0, 0.4, 1.0, 2.0, "loaded", None)):
        store_dir = tmp_path / f"store{i}"
        load_files([write_nt(tmp_path / f"base{i}.nt", BASE_QUADS)], store_dir=store_dir)
        process = subprocess.Popen([sys.executable, "-m", "imri_kg", "load", str(big), "--store", str(store_dir),
                                    "--no-progress"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while not side_paths(store_dir).loading.exists() and process.poll() is None:
                assert time.monotonic() < deadline, "the load did not start"
                time.sleep(0.005)
            if delay == "loaded":  # at the swap: the load is complete, so all of it must show
                while not side_paths(store_dir).loaded.exists() and process.poll() is None:
                    assert time.monotonic() < deadline, "the load did not finish"
                    time.sleep(0.001)
                os.kill(process.pid, signal.SIGKILL)
            elif delay is not None:
                time.sleep(delay)
                os.kill(process.pid, signal.SIGKILL)
        finally:
            process.wait(120)
        n = count(store_dir)
        assert n in (BASE_QUADS, BASE_QUADS + LOAD_TRIPLES), f"delay {delay}: {n} quads, a partial import"
        assert leftovers(store_dir) == []
        outcomes.append("none" if n == BASE_QUADS else "all")
    assert outcomes[0] == "none"  # killed as the side store appeared: nothing of the import may show
    assert outcomes[-2:] == ["all", "all"]  # killed at the swap, and not killed


def test_recovery_of_a_write_inside_an_undo_point(tmp_path):
    """The states a killed write leaves (store/bulk.py, undo_point): a journal with its checkpoint is undone (the
    checkpoint replaces the store), also when the kill came between the two renames of the undo; a checkpoint
    without a journal (not finished, or the write was whole) and a journal whose checkpoint is gone are deleted."""
    old = [Quad(NamedNode(EX + "old"), NamedNode(EX + "p"), NamedNode(EX + "o"))]
    new = old + [Quad(NamedNode(EX + "new"), NamedNode(EX + "p"), NamedNode(EX + "o"), NamedNode(EX + "g"))]
    # name: ((store, undo, journal, replaced exist), what recover does, quads after)
    cases = {
        "while-writing": ((True, True, True, False), "undone", 1),
        "between-undo-renames": ((False, True, True, True), "undone", 1),
        "checkpoint-unfinished": ((True, True, False, False), "cleaned", 2),
        "checkpoint-gone": ((True, False, True, False), "cleaned", 2),
    }
    for name, ((store, undo, journal, replaced), action, quads) in cases.items():
        store_dir = tmp_path / name / "store"
        store_dir.parent.mkdir()
        sides = side_paths(store_dir)
        if store:
            side_store(store_dir, new)
        if undo:
            side_store(sides.undo, old)
        if replaced:
            side_store(sides.replaced, new)
        if journal:
            sides.journal.write_text(EX + "g\n")
        assert recover(store_dir) == action, name
        assert [p.name for p in (sides.undo, sides.journal, sides.replaced) if p.exists()] == [], name
        assert count(store_dir) == quads, name
        assert recover(store_dir) is None


def test_an_undo_point_keeps_a_whole_write_and_undoes_a_failed_one(tmp_path):
    """In one process: a block that ends normally keeps its write and leaves nothing beside the store; a block that
    fails leaves its journal, and the next open puts the store back; a block that fails after putting the store
    back itself (`restored`) leaves nothing to undo."""
    graph = NamedNode(EX + "g")
    added = Quad(NamedNode(EX + "new"), NamedNode(EX + "p"), NamedNode(EX + "o"), graph)
    store_dir = tmp_path / "store"
    side_store(store_dir, [Quad(NamedNode(EX + "old"), NamedNode(EX + "p"), NamedNode(EX + "o"))])
    sides = side_paths(store_dir)
    store = open_store(store_dir)
    with undo_point(store, store_dir, graph):
        assert sides.journal.read_text() == EX + "g\n" and sides.undo.is_dir()
        store.add(added)
    assert not sides.journal.exists() and not sides.undo.exists()
    assert len(store) == 2
    with pytest.raises(RuntimeError), undo_point(store, store_dir, graph):
        store.remove(added)
        raise RuntimeError("stopped half way")
    assert sides.journal.exists()
    del store
    assert recover(store_dir) == "undone"
    assert count(store_dir) == 2  # the quad removed inside the failed block is back
    store = open_store(store_dir)
    with pytest.raises(RuntimeError), undo_point(store, store_dir, graph) as point:
        store.remove(added)
        store.add(added)
        point.restored()
        raise RuntimeError("failed, and put back")
    assert not sides.journal.exists() and not sides.undo.exists()
    del store
    assert count(store_dir) == 2
