"""Breaker 13h: `imri-kg validate DIR` shows no progress on a terminal (issue 13, item 5: "a progress bar on a
terminal for validate and import of large sheets and projects").

`imri-kg validate sheet.csv` shows its stages (cli/progress.py) and `imri-kg import DIR` a tqdm line named by the
folder (cli/projects.py, `import_folder`), but `validate_folder` calls `check_project` with no progress at all: a
big project folder is read, its views run and the shapes checked with nothing on the screen until the report.
A fix: `validate DIR` shows a progress line on stderr when it is a terminal, named by the folder as `import DIR`'s
is (and, as for sheets, nothing when stderr is not a terminal).
"""

import io
import sys

from pyoxigraph import Store

from imri_kg.cli import projects
from imri_kg.store import DEFAULT_BASE
from tests.projects.helpers import HAND_HYGIENE


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_validate_dir_shows_a_progress_line_on_a_terminal(kb, monkeypatch):
    store = Store()
    store.extend(kb)
    monkeypatch.setattr(projects, "_graph", lambda store_dir, base: store)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert projects.validate_folder(HAND_HYGIENE, "text", None, DEFAULT_BASE) == 0
    assert "hand-hygiene" in terminal.getvalue()  # on main: nothing on stderr


def test_validate_dir_shows_nothing_when_stderr_is_not_a_terminal(kb, monkeypatch):
    """Holds on main: the report alone, on stdout."""
    store = Store()
    store.extend(kb)
    monkeypatch.setattr(projects, "_graph", lambda store_dir, base: store)
    plain = io.StringIO()
    monkeypatch.setattr(sys, "stderr", plain)
    assert projects.validate_folder(HAND_HYGIENE, "text", None, DEFAULT_BASE) == 0
    assert plain.getvalue() == ""
