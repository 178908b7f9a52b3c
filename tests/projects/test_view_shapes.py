"""A project's views' triples are validated with its data and mappings (they are what an import writes): one verdict
from check_project, `imri-kg import DIR` (which then writes nothing) and the web's .zip upload; a result about a
view's triple is located at the view that states it. The folder is the shipped piat2022 with Quebec's printed
total changed from 21 to 99 (fictional), as in test_break13h_views.py."""

import shutil
import zipfile
from pathlib import Path

from click.testing import CliRunner
from pyoxigraph import Store

from imri_kg.cli import cli
from imri_kg.projects.archive import check_project_zip
from imri_kg.projects.checks import check_project
from imri_kg.projects.loading import import_project
from tests.projects.test_break13h_views import MESSAGE, _edited
from tests.projects.test_example_piat2022 import EXAMPLE


def test_the_result_is_located_at_the_view_that_states_the_total(kb, tmp_path):
    check = check_project(_edited(tmp_path), store=kb)
    assert [str(p) for p in check.problems.items] == [f"views/60-table1.rq: {MESSAGE}"]


def test_import_writes_nothing(kb, tmp_path):
    store = Store()
    store.extend(kb)
    before = sorted(map(str, store))
    done = import_project(store, _edited(tmp_path))
    assert (done.written, done.check.conforms) == (False, False)
    assert sorted(map(str, store)) == before


def test_import_dir_exits_1_and_says_nothing_was_written(tmp_path):
    folder = _edited(tmp_path)
    store_dir = tmp_path / "store"
    assert CliRunner().invoke(cli, ["build", "--store", str(store_dir)]).exit_code == 0
    done = CliRunner().invoke(cli, ["import", str(folder), "--store", str(store_dir)])
    assert done.exit_code == 1, done.output
    assert MESSAGE in done.output and "rejected; nothing was written." in done.output


def test_the_zip_upload_gives_the_same_verdict(kb, tmp_path):
    folder = _edited(tmp_path)
    archive = tmp_path / "piat2022.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(folder.rglob("*")):
            zf.write(path, Path("piat2022") / path.relative_to(folder))
    found = check_project_zip(kb, archive)
    assert (found.exit_code, found.conforms) == (1, False)
    assert [str(p) for p in found.problems] == [f"views/60-table1.rq: {MESSAGE}"]


def test_a_copy_as_shipped_conforms(kb, tmp_path):
    folder = tmp_path / "piat2022"
    shutil.copytree(EXAMPLE, folder)
    check = check_project(folder, store=kb)
    assert (check.conforms, [str(p) for p in check.problems.items]) == (True, [])
