"""One writer at a time, every write whole (issue 17, item 5): the write lock across processes, writers that
overlap (import during load, two imports), and a full disk during build, import and load (a small tmpfs)."""

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import Store

from imri_kg.kb.build import build_store
from imri_kg.store import canonical_quads, open_store
from imri_kg.store.locking import StoreBusy, lock_path, read_version, write_lock

SHEET = Path(__file__).parents[1] / "data" / "sheets" / "coded-evidence-good.csv"
IMPORT_GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(STR(?g), '/graph/import/')) }"


def imri(*args: str, timeout: float = 300, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "imri_kg", *args], capture_output=True, text=True, check=False,
                          timeout=timeout, env={**os.environ, **(env or {})})


def spawn(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "imri_kg", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})


def quads(store_dir: Path) -> list:
    store = Store.read_only(str(store_dir))
    found = canonical_quads(store)
    del store
    return found


def count_imports(store_dir: Path) -> int:
    store = Store.read_only(str(store_dir))
    n = int(next(iter(store.query(IMPORT_GRAPHS)))["n"].value)
    del store
    return n


def built(store_dir: Path) -> Path:
    store = build_store(open_store(store_dir))
    store.flush()
    del store
    return store_dir


def variant(tmp_path: Path, n: int) -> Path:
    """A copy of the good sheet with another coder's name, so that it imports into a graph of its own."""
    path = tmp_path / f"sheet-{n}.csv"
    path.write_text(SHEET.read_text(encoding="utf-8").replace("M. Coder", f"M. Coder {n}"), encoding="utf-8")
    return path


def big_sheet(tmp_path: Path, copies: int) -> Path:
    """The good sheet's rows `copies` times over, each copy with its own text (fictional: test data only)."""
    import csv

    with open(SHEET, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    path = tmp_path / "big-sheet.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        for n in range(copies):
            writer.writerows({**r, "text": f"{r['text']} (fictional copy {n})"} for r in rows)
    return path


def write_nt(path: Path, n: int) -> Path:
    with open(path, "w") as f:
        f.writelines(f'<http://example.org/s{i}> <http://example.org/p> "value {i}" .\n' for i in range(n))
    return path


def test_a_second_writer_waits_then_is_told_the_store_is_busy(tmp_path):
    store_dir = tmp_path / "store"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from imri_kg.store.locking import write_lock\n"
        f"with write_lock({str(store_dir)!r}):\n    print('held', flush=True); time.sleep(30)")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(StoreBusy, match="store busy"), write_lock(store_dir, timeout=0.5):
            pass
        assert 0.5 <= time.monotonic() - started < 5
        done = imri("import", str(SHEET), "--store", str(store_dir), env={"IMRI_KG_LOCK_TIMEOUT": "0.3"})
        assert done.returncode == 2 and "store busy" in done.stderr and "Traceback" not in done.stderr
        assert done.stderr.count("\n") == 1
    finally:
        holder.kill()
        holder.wait()
    # The kernel released the killed holder's lock, and the lock is re-entrant within one process.
    with write_lock(store_dir, timeout=0.5), write_lock(store_dir, timeout=0):
        pass


def test_a_whole_write_changes_the_version_readers_watch(tmp_path):
    store_dir = built(tmp_path / "store")
    before = read_version(store_dir)
    with pytest.raises(RuntimeError), write_lock(store_dir):
        raise RuntimeError("a failed write")
    assert read_version(store_dir) == before
    with write_lock(store_dir):
        pass
    assert read_version(store_dir) != before and lock_path(store_dir).exists()
    after = read_version(store_dir)
    assert read_version(str(store_dir)) == after == read_version(store_dir.parent / "." / store_dir.name)
    written = (store_dir.parent / f".{store_dir.name}.version").read_text()
    assert after.endswith("." + written) and len(written) == 16
    swapped = tmp_path / "other"
    store_dir.rename(swapped)
    built(store_dir)  # another directory at the same path (a swap): another version
    assert read_version(store_dir) != after


def test_import_during_load_loses_nothing(tmp_path):
    # Issue 17: an import run while a load was in progress reported success, then the load swapped in its older
    # copy. Now the import waits for the load, and both are in the store.
    store_dir = built(tmp_path / "store")
    big = write_nt(tmp_path / "big.nt", 300_000)
    load = spawn("load", str(big), "--store", str(store_dir), "--no-progress")
    time.sleep(1.5)  # the load holds the lock by now (it starts in about a second)
    imported = imri("import", str(SHEET), "--store", str(store_dir), env={"IMRI_KG_LOCK_TIMEOUT": "120"})
    _, err = load.communicate(timeout=300)
    assert load.returncode == 0, err
    assert imported.returncode == 0, imported.stderr
    assert count_imports(store_dir) == 1
    store = Store.read_only(str(store_dir))
    assert len(list(store.quads_for_pattern(None, None, None,
                                            next(g for g in store.named_graphs() if g.value.endswith("/load"))))) \
        == 300_000
    del store


def test_two_imports_at_once_both_land(tmp_path):
    store_dir = built(tmp_path / "store")
    runs = [spawn("import", str(variant(tmp_path, n)), "--store", str(store_dir), env={"IMRI_KG_LOCK_TIMEOUT": "120"})
            for n in (1, 2)]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    assert count_imports(store_dir) == 2


def test_read_commands_open_the_store_read_only(tmp_path):
    store_dir = built(tmp_path / "store")
    before = sorted(p.name for p in store_dir.iterdir())
    holder = spawn("load", str(write_nt(tmp_path / "x.nt", 1)), "--store", str(store_dir), "--no-progress")
    holder.communicate(timeout=300)
    listing = sorted(p.name for p in store_dir.iterdir())
    done = imri("stats", "--store", str(store_dir))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in store_dir.iterdir()) == listing and before  # nothing written by a read
    missing = imri("stats", "--store", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "holds no knowledge base" in missing.stderr
    assert not (tmp_path / "nowhere").exists()  # a failed open leaves no orphan files


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 24 MB tmpfs; the test fills it. Mounting needs root (as on the project's machines)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)], capture_output=True,
                          check=False)
    if done.returncode != 0:
        pytest.fail(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, *, leave: int) -> Path:
    """Fill `disk` but for `leave` bytes."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 65536)
    except OSError:
        pass
    finally:
        os.close(fd)
    os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


def test_a_full_disk_leaves_the_old_store_during_build_import_and_load(small_disk, tmp_path):
    store_dir = built(small_disk / "store")
    old = quads(store_dir)
    big = write_nt(tmp_path / "big.nt", 200_000)  # about 14 MB: more than the disk has left
    sheet = big_sheet(tmp_path, 4000)  # 12,000 rows, about 180,000 quads: more than the disk has left
    for args in (["build", "--store", str(store_dir)], ["import", str(sheet), "--store", str(store_dir)],
                 ["load", str(big), "--store", str(store_dir), "--no-progress"]):
        (small_disk / "filler").unlink(missing_ok=True)
        fill(small_disk, leave=400_000)  # room to open the store, not to write what the command writes
        done = imri(*args)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        last = done.stderr.strip().splitlines()[-1]
        assert "Traceback" not in done.stderr and last.startswith("error: ") and "No space left" in last, last
        assert quads(store_dir) == old, args  # the old store, whole
    done = imri("stats", "--store", str(store_dir))  # a read command works on the full disk: it opens read-only
    assert done.returncode == 0 and "kb" in done.stdout, done.stderr
    shutil.rmtree(small_disk / ".store.loading", ignore_errors=True)
    assert not [p.name for p in small_disk.iterdir() if p.name.startswith(".store.") and
                p.name.endswith(("loading", "loaded", "replaced"))]


def test_a_read_only_disk_reads_and_refuses_writes_in_one_line(small_disk, tmp_path):
    store_dir = built(small_disk / "store")
    old = quads(store_dir)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    done = imri("stats", "--store", str(store_dir))
    assert done.returncode == 0, done.stderr
    for args in (["import", str(SHEET), "--store", str(store_dir)], ["build", "--store", str(small_disk / "new")]):
        done = imri(*args)
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 2 and lines[-1].startswith("error: ") and "Traceback" not in done.stderr, args
        assert "Read-only file system" in lines[-1], lines[-1]
    assert not (small_disk / "new").exists()  # no orphan files from the failed open
    assert quads(store_dir) == old


def test_importing_a_project_folder_changes_the_version_a_server_watches(tmp_path):
    """`import DIR` ends with sys.exit(0): its finished write must still record a new version, or a server on
    --store DIR never reopens the store and never serves the project."""
    from click.testing import CliRunner

    from imri_kg.cli import cli
    from tests.conftest import TESTS

    store_dir = built(tmp_path / "store")
    before = read_version(store_dir)
    done = CliRunner().invoke(cli, ["import", str(TESTS / "data" / "projects" / "hand-hygiene"),
                                    "--store", str(store_dir)])
    assert done.exit_code == 0, done.output
    assert read_version(store_dir) != before
