"""Breaker 13h: `imri-kg import` of a sheet with a warning ends with two summaries that disagree (issue 13, item 5:
the summary says how many rows were checked, "12,000 rows checked: all conform").

The report printed first ends with validation/reports.py `summary`: "3 rows checked: conforms: 0 violation(s),
1 warning(s) in 1 row." (that summary says "all conform" only when nothing was found); the import's own line below
it (cli/evidence.py `import_`) then says "3 rows checked: all conform; imported 59 triples ...", whatever the
warnings. A fix: the import's line says what the report's says ("conforms", or "conforms with 1 warning"), and
"all conform" only when there is nothing to report.

The sheet is rows 2-4 of tests/validation/test_store_size.py's NEW (fictional): row 3 cites study 133, which the
review lists under another innovation group (the project shapes' one warning).
"""

from click.testing import CliRunner

from imri_kg.cli import cli
from tests.validation.test_store_size import NEW, _sheet


def test_an_import_with_a_warning_does_not_say_all_conform(tmp_path):
    path = _sheet(tmp_path / "warn.csv", NEW[:3])
    done = CliRunner().invoke(cli, ["import", str(path)])
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert "warn.csv: 3 rows checked: conforms: 0 violation(s), 1 warning(s) in 1 row." in lines
    assert lines[-1].startswith("warn.csv: 3 rows checked: ")
    assert "all conform" not in lines[-1]  # on main: "warn.csv: 3 rows checked: all conform; imported 59 triples ..."
