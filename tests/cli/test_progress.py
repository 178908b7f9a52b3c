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


def test_each_stage_is_shown_on_a_terminal(monkeypatch):
    monkeypatch.setattr(sys, "stderr", Terminal())
    with progress_bar("sheet.csv") as progress:
        progress("validating")
        progress("validated")
        progress("writing")
    shown = sys.stderr.getvalue()
    assert "sheet.csv: 1/3 stages" in shown and "sheet.csv: 3/3 stages" in shown
    assert "checking against the shapes" in shown
    assert "writing to the store" in shown
