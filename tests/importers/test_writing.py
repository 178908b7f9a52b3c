"""Writing a sheet (importers/files.py): the bulk loader fills the sheet's new graph, and a write that fails, or an
import that was killed while writing, leaves nothing of the sheet behind."""

import csv
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from pyoxigraph import RdfFormat, Store

from imri_kg.errors import InputError
from imri_kg.importers.coding_sheet import read_coding_sheet
from imri_kg.importers.files import _write, import_sheet
from imri_kg.namespaces import PROV
from imri_kg.store import open_store
from imri_kg.store.bulk import side_paths
from tests.conftest import TESTS

GOOD = TESTS / "data" / "sheets" / "coded-evidence-good.csv"  # three valid rows


def _copy(kb: Store) -> Store:
    store = Store()
    store.extend(kb)
    return store


def test_a_write_that_fails_half_way_leaves_the_store_as_it_was(kb, tmp_path):
    store = _copy(kb)
    before = set(store)
    sheet = read_coding_sheet(GOOD, store=store)
    with pytest.raises(InputError) as caught:  # the first file is loaded, the second cannot be read
        _write(store, sheet, [sheet.records.shared, tmp_path / "gone.nt"], GOOD)
    assert "nothing was imported" in str(caught.value)
    assert set(store) == before
    assert not store.contains_named_graph(sheet.graph)


def test_a_graph_left_by_a_killed_import_is_written_again(kb):
    store = _copy(kb)
    first = import_sheet(store, GOOD)
    assert (first.already, first.added) == (False, len(list(store.quads_for_pattern(None, None, None, first.graph))))
    whole = set(store.quads_for_pattern(None, None, None, first.graph))
    stamp = next(store.quads_for_pattern(None, PROV.startedAtTime, None, first.graph))
    store.remove(stamp)  # the import was killed before its last file: no start time
    again = import_sheet(store, GOOD)
    assert again.already is False
    assert {q for q in store.quads_for_pattern(None, None, None, first.graph) if q.predicate != PROV.startedAtTime} \
        == {q for q in whole if q.predicate != PROV.startedAtTime}
    assert import_sheet(store, GOOD).already is True  # now whole: importing once more adds nothing


def _big_sheet(path, rows: int):
    """The three good rows, cycled to `rows` rows (each text numbered, so that every row is its own)."""
    with GOOD.open(encoding="utf-8", newline="") as f:
        header, *cells = list(csv.reader(f))
    text = header.index("text")
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for i in range(rows):
            row = list(cells[i % len(cells)])
            row[text] = f"{row[text]} (row {i})"
            writer.writerow(row)
    return path


def _dump(store_dir) -> list[bytes]:
    store = open_store(store_dir)  # what every writer and the server do first: a killed write is undone here
    lines = sorted((store.dump(format=RdfFormat.N_QUADS) or b"").splitlines())
    del store
    return lines


ROWS = 40_000  # 600,000 quads: the bulk loader writes them for a few seconds
WHOLE = 15 * ROWS + 8 + 3 + 1  # quads of the sheet's graph: see the count in the test


def _loader_files(store_dir) -> int:
    """Index files that Oxigraph's bulk loader has written into the store's directory and not yet added to it."""
    return sum(1 for _ in store_dir.glob("bulk-*.sst"))


def test_an_import_killed_at_any_moment_leaves_the_store_as_it_was(kb, tmp_path):
    """`imri-kg import` killed with SIGKILL while it takes its undo point, as it starts writing, and twice while the
    bulk loader writes its index files into the store's directory: the store, next opened, dumps the same N-Quads as
    before, with nothing left beside it or in it (no loader file). Not killed, the import is whole and leaves
    nothing beside the store either."""
    sheet = _big_sheet(tmp_path / "big.csv", ROWS)
    built = tmp_path / "built"
    disk = Store(str(built))
    disk.bulk_extend(kb)
    disk.flush()
    del disk
    before = _dump(built)
    reached = {"undo": lambda sides: sides.undo.exists(), "journal": lambda sides: sides.journal.exists(),
               "first loader file": lambda sides: _loader_files(sides.store) >= 1,
               "sixth loader file": lambda sides: _loader_files(sides.store) >= 6}
    for i, moment in enumerate([*reached, None]):
        store_dir = tmp_path / f"store{i}"
        shutil.copytree(built, store_dir)
        sides = side_paths(store_dir)
        process = subprocess.Popen([sys.executable, "-m", "imri_kg", "import", str(sheet), "--store", str(store_dir)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 600
            while moment is not None and process.poll() is None and not reached[moment](sides):
                assert time.monotonic() < deadline, f"the import did not reach its {moment}"
                time.sleep(0.002)
            if moment is not None:
                os.kill(process.pid, signal.SIGKILL)
        finally:
            code = process.wait(600)
        assert code == (0 if moment is None else -signal.SIGKILL), moment
        if moment is not None and moment.endswith("loader file"):
            assert _loader_files(store_dir) > 0  # what the killed loader left in the store, before it is opened
        after = _dump(store_dir)
        if moment is None:
            graphs = {line.rsplit(b" ", 2)[-2] for line in after} - {line.rsplit(b" ", 2)[-2] for line in before}
            assert len(graphs) == 1 and b"/graph/import/" in next(iter(graphs))
            # A row: 2 types, 2 labels, theme, group, citation, text, coder, date, order, isPartOf, derived from,
            # generated by, and the inferred hasEvidence (15). Once: the activity and the sheet (type and label
            # each), used, identifier, the coder's type and label (8); 3 theme-group spans; the start time.
            assert len(after) == len(before) + WHOLE
            assert set(before) <= set(after)
        else:
            assert after == before, moment
        assert [p.name for p in (sides.undo, sides.journal, sides.replaced) if p.exists()] == [], moment
        assert _loader_files(store_dir) == 0, moment


def test_ctrl_c_while_writing_is_left_to_the_undo_point(kb, tmp_path, monkeypatch):
    """Ctrl-C while the loader writes: the write is not taken out quad by quad (longer than the import itself), its
    undo point stays, and the store, next opened, dumps the same N-Quads as before."""
    from imri_kg.importers import files

    store_dir = tmp_path / "store"
    store = open_store(store_dir)
    store.bulk_extend(kb)
    store.flush()
    sheet = read_coding_sheet(GOOD, store=store)
    del store
    before = _dump(store_dir)

    class Interrupted(files.Joined):
        def readinto(self, buffer) -> int:
            raise KeyboardInterrupt

    monkeypatch.setattr(files, "Joined", Interrupted)
    store = open_store(store_dir)
    with pytest.raises(KeyboardInterrupt):
        _write(store, sheet, sheet.records.files, GOOD, store_dir=store_dir)
    del store
    assert side_paths(store_dir).journal.exists()  # what the next open undoes
    assert _dump(store_dir) == before
    assert not side_paths(store_dir).journal.exists()


def _on_disk(kb, tmp_path):
    store_dir = tmp_path / "store"
    store = open_store(store_dir)
    store.bulk_extend(kb)
    store.flush()
    return store, store_dir


@pytest.mark.parametrize("fault", [KeyboardInterrupt, RuntimeError])
def test_ctrl_c_or_an_error_while_validating_leaves_the_store_as_it_was(kb, tmp_path, monkeypatch, fault):
    """On disk the loader reads the sheet while it is validated (store/held.py): stopped during validation, it adds
    nothing, and no undo point is left (the store was never changed)."""
    from imri_kg.importers import files

    store, store_dir = _on_disk(kb, tmp_path)
    before = sorted(store.dump(format=RdfFormat.N_QUADS).splitlines())

    def stopped(*args, **kwargs):
        time.sleep(1)  # the loader is reading meanwhile
        raise fault

    monkeypatch.setattr(files, "check_quads", stopped)
    with pytest.raises(fault):
        import_sheet(store, GOOD, store_dir=store_dir)
    assert sorted(store.dump(format=RdfFormat.N_QUADS).splitlines()) == before
    assert [p.name for p in (side_paths(store_dir).undo, side_paths(store_dir).journal) if p.exists()] == []
    assert _loader_files(store_dir) == 0
    monkeypatch.undo()
    assert import_sheet(store, GOOD, store_dir=store_dir).added == 57  # the store takes the next import whole


def test_a_rejected_sheet_leaves_the_on_disk_store_as_it_was(kb, tmp_path):
    store, store_dir = _on_disk(kb, tmp_path)
    before = sorted(store.dump(format=RdfFormat.N_QUADS).splitlines())
    done = import_sheet(store, TESTS / "data" / "sheets" / "coded-evidence-mixed.csv", store_dir=store_dir)
    assert (done.added, len(done.checked.report.violations)) == (0, 12)
    assert sorted(store.dump(format=RdfFormat.N_QUADS).splitlines()) == before
    assert [p.name for p in (side_paths(store_dir).undo, side_paths(store_dir).journal) if p.exists()] == []
    assert _loader_files(store_dir) == 0


def test_a_serial_import_gives_the_heap_back_after_the_verdict_and_before_the_write(kb, tmp_path, monkeypatch):
    """Above HELD_BYTES the loader starts after validation; the heap's free pages are given back in between (at a
    million rows validation leaves 2.5 GiB freed but resident, bench/README.md 2026-11-27 perf13h), and not for a
    rejected sheet, which writes nothing."""
    from imri_kg.importers import files

    monkeypatch.setattr(files, "HELD_BYTES", 0)  # the serial path, whatever the sheet's size
    events: list[str] = []
    check, write = files.check_quads, files._write
    monkeypatch.setattr(files, "check_quads", lambda *a, **k: (events.append("validate"), check(*a, **k))[1])
    monkeypatch.setattr(files, "_give_back", lambda: events.append("give back"))
    monkeypatch.setattr(files, "_write", lambda *a, **k: (events.append("write"), write(*a, **k))[1])
    store, store_dir = _on_disk(kb, tmp_path)
    assert import_sheet(store, GOOD, store_dir=store_dir).added == 57
    assert events == ["validate", "give back", "write"]
    events.clear()
    done = import_sheet(store, TESTS / "data" / "sheets" / "coded-evidence-mixed.csv", store_dir=store_dir)
    assert (done.added, events) == (0, ["validate"])

