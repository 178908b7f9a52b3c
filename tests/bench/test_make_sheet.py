"""bench/make_sheet.py as a command: documented arguments, one-line errors (exit 2), and the sheet it writes."""

import csv
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "make_sheet.py"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=cwd, check=False)


def test_help_names_the_arguments(tmp_path):
    done = run("--help", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("usage: make_sheet.py [-h] PATH ROWS\n")
    assert "  PATH        the CSV file to write (replaced if it exists)\n" in done.stdout
    assert "  ROWS        how many rows (at least 1)\n" in done.stdout


@pytest.mark.parametrize(("args", "says"), [
    ((), "the following arguments are required: PATH, ROWS"),
    (("s.csv",), "the following arguments are required: ROWS"),
    (("s.csv", "many"), "argument ROWS: 'many' is not a whole number"),
    (("s.csv", "0"), "argument ROWS: 0 rows: give at least 1 (a sheet without rows is refused)"),
    (("s.csv", "3", "more"), "unrecognized arguments: more"),
    (("missing/s.csv", "3"), "PATH missing/s.csv: the folder missing does not exist"),
    ((".", "3"), "PATH . is a folder; give a file name, e.g. sheet.csv"),
])
def test_bad_arguments_are_one_line_and_exit_2(tmp_path, args, says):
    done = run(*args, cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"usage: make_sheet.py [-h] PATH ROWS\nmake_sheet.py: error: {says}\n"
    assert list(tmp_path.iterdir()) == []


def test_the_positional_usage_writes_the_sheet(tmp_path):
    done = run("s.csv", "27", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "Wrote 27 rows to s.csv.\n", "")
    with (tmp_path / "s.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 27
    # Table 5's first cell, then again after its 25 cells (examples/piat2021/evidence/table5.csv, row 1)
    for i in (0, 25):
        assert (rows[i]["study"], rows[i]["theme"], rows[i]["innovation_group"], rows[i]["kind"]) == (
            "85", "The importance of organizational and policy commitment to recovery-transformation",
            "E-innovations", "example")
        assert rows[i]["text"].endswith(f"(synthetic row {i})")
    assert (rows[26]["coder"], rows[26]["date"]) == ("Coder 5", "2024-09-16")
