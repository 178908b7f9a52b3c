"""A big CSV sheet read by two processes (coding_sheet.Helper) gives the files, digest, rows and count that one
process gives: the same lines in every file (in another order), a coder's label from its first row."""

import csv
from pathlib import Path

import pytest

from imri_kg.importers import coding_sheet
from imri_kg.importers.coding_sheet import read_coding_sheet
from tests.conftest import TESTS

MIXED = TESTS / "data" / "sheets" / "coded-evidence-mixed.csv"


def _sheet(tmp_path: Path) -> Path:
    """The mixed test sheet (33 rows, errors planted) three times over, with comment rows, and one coder written
    two ways ("Ana Ruiz" and "ana ruiz": one agent IRI) whose first row (3) is in the
    helper's part and its second (5) in the first process's, with one row a slice."""
    with MIXED.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    out = tmp_path / "big.csv"
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        for i, row in enumerate(rows * 3):
            if i == 40:
                writer.writerow({**{k: "" for k in row}, next(iter(row)): "# a comment row"})
            coder = "Ana Ruiz" if i == 3 else "ana ruiz" if i in (1, 60) else row["coder"]  # rows 3, 5, 64
            writer.writerow({**row, "coder": coder})
    return out


def _files(sheet) -> list[list[bytes]]:
    return [sorted(p.read_bytes().splitlines()) for p in [*sheet.records.files, sheet.inferred]]


@pytest.mark.parametrize("slice_rows", [1, 4, 7, 200])
def test_two_processes_read_as_one(kb, tmp_path, monkeypatch, slice_rows):
    path = _sheet(tmp_path)
    one = read_coding_sheet(path, store=kb, slice_rows=slice_rows)
    monkeypatch.setattr(coding_sheet, "SHARED_READ_BYTES", 0)
    seen = []
    two = read_coding_sheet(path, store=kb, slice_rows=slice_rows, progress=lambda *a: seen.append(a))
    assert two.digest == one.digest
    assert _files(two) == _files(one)
    assert two.added == one.added == sum(len(f) for f in _files(one))
    assert list(two.rows.items()) == list(one.rows.items())
    assert len(two.rows) == 99 and two.skipped == one.skipped == 1
    assert two.records.reached == one.records.reached
    assert sorted(p.name for p in two.records.shared.parent.iterdir()) == \
        sorted(p.name for p in one.records.shared.parent.iterdir())
    # One agent for "Ana Ruiz" and "ana ruiz", labelled as in its first row (row 3: "ana ruiz").
    labels = [line for line in _files(two)[0] if b"/coder/ana-ruiz>" in line and b"label" in line]
    assert labels == [(b'<https://w3id.org/imri/coder/ana-ruiz> <http://www.w3.org/2000/01/rdf-schema#label> '
                       b'"ana ruiz" .')]


def test_a_failing_helper_is_reported_and_the_files_removed(kb, tmp_path, monkeypatch):
    path = _sheet(tmp_path)
    monkeypatch.setattr(coding_sheet, "SHARED_READ_BYTES", 0)
    monkeypatch.setattr(coding_sheet, "READ_WORKER", tmp_path / "missing.py")
    temporary = tmp_path / "temporary"  # a folder of its own: other tests' sheets come and go in /tmp
    temporary.mkdir()
    monkeypatch.setattr(coding_sheet.tempfile, "tempdir", str(temporary))
    with pytest.raises(ChildProcessError, match="second process: .*missing.py"):
        read_coding_sheet(path, store=kb, slice_rows=4)
    assert list(temporary.iterdir()) == []
