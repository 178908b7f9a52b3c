"""`imri-kg import DIR` shows the progress line of `validate DIR` and of sheets (cli/progress.py): named by the
folder, three stages, the last one writing; nothing when stderr is not a terminal."""

import io
import sys

from pyoxigraph import Store

from imri_kg.cli import projects
from imri_kg.store import DEFAULT_BASE
from tests.projects.helpers import HAND_HYGIENE


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _import(kb, monkeypatch, stderr) -> str:
    store = Store()
    store.extend(kb)
    monkeypatch.setattr(sys, "stderr", stderr)
    assert projects.import_folder(HAND_HYGIENE, "text", None, DEFAULT_BASE, by="tester", store=store) == 0
    return stderr.getvalue()


def test_import_dir_shows_its_stages_on_a_terminal(kb, monkeypatch):
    shown = _import(kb, monkeypatch, Terminal())
    assert [f"hand-hygiene: {n}/3 stages" in shown for n in range(4)] == [True, False, True, True]
    assert ("reading and checking the folder" in shown, "writing to the store" in shown) == (True, True)


def test_import_dir_shows_nothing_when_stderr_is_not_a_terminal(kb, monkeypatch):
    assert _import(kb, monkeypatch, io.StringIO()) == ""
