"""The progress line of validate and import: shown on a terminal only, one step per stage."""

import io
import sys

from imri_kg.cli.progress import progress_bar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_nothing_is_shown_when_stderr_is_not_a_terminal(monkeypatch):
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with progress_bar("sheet.csv") as progress:
        assert progress is None
    assert sys.stderr.getvalue() == ""


def test_validate_shows_its_two_stages(monkeypatch):
    monkeypatch.setattr(sys, "stderr", Terminal())
    with progress_bar("sheet.csv") as progress:
        assert "sheet.csv: 0/2 stages" in sys.stderr.getvalue() and "reading the file" in sys.stderr.getvalue()
        progress("validating")
        assert "sheet.csv: 1/2 stages" in sys.stderr.getvalue().rsplit("\r", 1)[-1]
        progress("validated")
    shown = sys.stderr.getvalue()
    assert "checking against the shapes" in shown and "sheet.csv: 2/2 stages" in shown
    assert "/3 stages" not in shown


def test_import_shows_its_three_stages_and_ends_on_the_last(monkeypatch):
    monkeypatch.setattr(sys, "stderr", Terminal())
    with progress_bar("sheet.csv", writes=True) as progress:
        progress("validating")
        progress("validated")
        progress("writing")
        assert "sheet.csv: 2/3 stages" in sys.stderr.getvalue().rsplit("\r", 1)[-1]
    shown = sys.stderr.getvalue()
    assert [f"sheet.csv: {n}/3 stages" in shown for n in range(4)] == [True] * 4
    assert "writing to the store" in shown


def test_a_failed_command_does_not_show_its_last_stage_done(monkeypatch):
    monkeypatch.setattr(sys, "stderr", Terminal())
    try:
        with progress_bar("sheet.csv", writes=True) as progress:
            progress("validating")
            raise ValueError("rejected")
    except ValueError:
        pass
    assert "3/3 stages" not in sys.stderr.getvalue()


def test_the_rows_read_so_far_are_shown(monkeypatch):
    monkeypatch.setattr(sys, "stderr", Terminal())
    with progress_bar("sheet.csv") as progress:
        progress("reading", 20_000)
        line = sys.stderr.getvalue().rsplit("\r", 1)[-1]
        assert ("sheet.csv: 0/2 stages" in line, line.endswith("reading the file: 20,000 rows")) == (True, True)
