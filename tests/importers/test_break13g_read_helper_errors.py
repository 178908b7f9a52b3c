"""Breaker tests (break13g) of the two-process read's error paths (coding_sheet.Helper): the second process killed
while it builds or fills its slices, the first process killed under it, and the sheet saved again (replaced) while
the two processes read it. Expected: a clean error and no folder left, no process left running, and never a
sheet whose digest names other cells than the lines stored."""

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from imri_kg import scratch
from imri_kg.importers import coding_sheet
from imri_kg.importers.coding_sheet import COLUMNS, read_coding_sheet

ROOT = Path(__file__).resolve().parents[2]


def _sheet(path: Path, rows: int, word: str = "Row") -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(COLUMNS))
        writer.writeheader()
        for i in range(rows):
            writer.writerow({"study": "135", "kind": "example", "theme": "Staff turnover",
                             "innovation_group": "Staff training", "text": f"{word} {i}.", "language": "en",
                             "coder": "B. Coder", "date": "2024-06-01"})
    return path


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "temporary"
    folder.mkdir()
    monkeypatch.setattr(coding_sheet.tempfile, "tempdir", str(folder))
    monkeypatch.setattr(coding_sheet, "SHARED_READ_BYTES", 0)
    return folder


@pytest.mark.parametrize("when", ["merge", "done"])
def test_a_killed_second_process_is_a_clean_error(kb, tmp_path, private_tmp, monkeypatch, when):
    """Killed before it answers with its slices, or after, while it fills the digest in: a ChildProcessError (the
    CLI's exit 3), the process reaped, the folder gone."""
    path = _sheet(tmp_path / "s.csv", 40)
    helpers = []
    original = getattr(coding_sheet.Helper, when)

    def killing(self, *args):
        helpers.append(self.process)
        self.process.kill()
        self.process.wait()
        return original(self, *args)

    monkeypatch.setattr(coding_sheet.Helper, when, killing)
    with pytest.raises(ChildProcessError, match="reading the sheet failed in its second process"):
        read_coding_sheet(path, store=kb, slice_rows=3)
    assert [p.returncode for p in helpers] == [-signal.SIGKILL]
    assert list(private_tmp.iterdir()) == []


def test_a_sheet_replaced_while_it_is_read_is_not_mixed(kb, tmp_path, private_tmp, monkeypatch):
    """FINDING: a sheet saved again (an editor writes a new file, then renames it over the old: same row count,
    other cells) after the first process opened it and before the second did. The first process reads the old
    cells (its digest, its slices), the second the new ones (its slices): the sheet's digest names cells that are
    not those of a third of the lines it would store. Only the row counts were compared. Now: an input error
    (exit 2) that says so."""
    path = _sheet(tmp_path / "s.csv", 30, "Old")
    newer = _sheet(tmp_path / "new.csv", 30, "New")
    original = coding_sheet.Helper.__init__

    def saved_again(self, *args, **kwargs):
        os.replace(newer, path)  # the first process has the old file open already
        original(self, *args, **kwargs)

    monkeypatch.setattr(coding_sheet.Helper, "__init__", saved_again)
    with pytest.raises(coding_sheet.InputError, match="was saved again while it was read"):
        read_coding_sheet(path, store=kb, slice_rows=3)
    assert list(private_tmp.iterdir()) == []  # the second process's files are gone with the first's


SCRIPT = """
import sys, time
from pathlib import Path
from imri_kg.importers import coding_sheet
from imri_kg.kb.build import build_store
coding_sheet.SHARED_READ_BYTES = 0
store = build_store()
original = coding_sheet.Helper.__init__
def told(self, *args, **kwargs):
    original(self, *args, **kwargs)
    print(self.process.pid, flush=True)
coding_sheet.Helper.__init__ = told
coding_sheet.read_coding_sheet(Path(sys.argv[1]), store=store, slice_rows=1000)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


def test_the_second_process_ends_with_the_first(tmp_path):
    """FINDING: the first process SIGKILLed (the OOM killer, kill -9, a time limit) while both read a sheet: the
    second keeps reading the whole sheet (it only notices when it writes its answer into the closed pipe), a core
    busy for nothing, and writes into a folder that the next process's sweep removes. Expected: it ends within 0.5 s
    of the first process (the sheet takes it far longer to read)."""
    path = _sheet(tmp_path / "big.csv", 120_000)
    temporary = tmp_path / "temporary"
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary), "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    first = subprocess.Popen([sys.executable, "-c", SCRIPT, str(path)], stdout=subprocess.PIPE, env=env, text=True)
    helper = None
    try:
        helper = int(first.stdout.readline())
        time.sleep(1.0)  # both are reading
        assert _alive(helper)
        first.kill()
        first.wait()
        deadline = time.monotonic() + 0.5  # the kernel ends it at once; reading on, it would need seconds
        while _alive(helper) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(helper), "the second process still runs 0.5 s after the first was killed"
    finally:
        if helper is not None and _alive(helper):
            os.kill(helper, signal.SIGKILL)
        first.kill()
        first.wait()
        time.sleep(0.5)
    scratch.sweep(temporary)
    assert list(temporary.iterdir()) == []


@pytest.mark.parametrize("broken", ['135,example,"Staff turnover', "135,example,x,,,,,,,,,,,,extra", "135\x00,x"])
def test_a_broken_csv_row_late_in_the_sheet_is_the_same_located_error(kb, tmp_path, private_tmp, monkeypatch,
                                                                        broken):
    """An open quote, too many cells, a NUL byte in row 32 (after 30 good rows): the error one process gives,
    the second process stopped and reaped, the folder gone."""
    path = _sheet(tmp_path / "s.csv", 30)
    with path.open("a", encoding="utf-8", newline="") as f:
        f.write(broken + "\r\n" + "135,example,Staff turnover,,Staff training,,,t,en,B. Coder,2024-06-01,\r\n")
    monkeypatch.setattr(coding_sheet, "SHARED_READ_BYTES", 1 << 62)
    with pytest.raises(coding_sheet.InputError) as one:
        read_coding_sheet(path, store=kb, slice_rows=3)
    monkeypatch.setattr(coding_sheet, "SHARED_READ_BYTES", 0)
    helpers = []
    original = coding_sheet.Helper.__init__

    def kept(self, *args, **kwargs):
        original(self, *args, **kwargs)
        helpers.append(self.process)

    monkeypatch.setattr(coding_sheet.Helper, "__init__", kept)
    with pytest.raises(coding_sheet.InputError) as two:
        read_coding_sheet(path, store=kb, slice_rows=3)
    assert str(two.value) == str(one.value)
    assert len(helpers) == 1 and helpers[0].returncode is not None
    assert list(private_tmp.iterdir()) == []


def test_an_interrupted_first_process_stops_the_second(kb, tmp_path, private_tmp, monkeypatch):
    """Ctrl-C (KeyboardInterrupt) while the first process reads row 6: the second process killed and reaped, the
    folder gone, the interrupt passed on."""
    path = _sheet(tmp_path / "s.csv", 40)
    helpers, seen = [], []
    original_init, original_add = coding_sheet.Helper.__init__, coding_sheet._Digest.add

    def kept(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        helpers.append(self.process)

    def add(self, row):
        seen.append(row.number)
        if row.number == 6:
            raise KeyboardInterrupt
        original_add(self, row)

    monkeypatch.setattr(coding_sheet.Helper, "__init__", kept)
    monkeypatch.setattr(coding_sheet._Digest, "add", add)
    with pytest.raises(KeyboardInterrupt):
        read_coding_sheet(path, store=kb, slice_rows=3)
    assert seen == [2, 3, 4, 5, 6]
    assert len(helpers) == 1 and helpers[0].returncode is not None
    assert list(private_tmp.iterdir()) == []
