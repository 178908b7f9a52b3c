"""`imri-kg query`: a --param that is not NAME=VALUE is a usage error, not silently "unset" (the answer for all)."""

import pytest
from click.testing import CliRunner

from imri_kg.cli import cli


def test_a_param_without_equals_is_refused():
    result = CliRunner().invoke(cli, ["query", "groups-for-theme", "--param", "theme"], catch_exceptions=False)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == ('Error: Invalid value for --param: "theme" has no "="; write NAME=VALUE, '
                                              'e.g. --param "theme=..." (quoted when the value has spaces).')


def test_an_empty_value_still_means_unset():
    given = CliRunner().invoke(cli, ["query", "groups-for-theme", "--param", "theme=", "--format", "csv"])
    unset = CliRunner().invoke(cli, ["query", "groups-for-theme", "--format", "csv"])
    assert given.exit_code == unset.exit_code == 0
    assert given.stdout == unset.stdout


def test_load_into_a_graph_name_that_makes_no_iri_is_an_input_error(tmp_path):
    (tmp_path / "dump.nt").write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    result = CliRunner().invoke(cli, ["load", str(tmp_path / "dump.nt"), "--graph", "my dump", "--store",
                                      str(tmp_path / "store")], catch_exceptions=False)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ('error: --graph "my dump" makes no graph IRI; give a short name such as my-dump, or a '
                             "full IRI.\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dump.nt"]


@pytest.mark.parametrize("args", [["build"], ["load", "DUMP"]])
def test_a_store_is_not_made_among_other_files(tmp_path, args):
    (tmp_path / "dump.nt").write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n")
    args = [str(tmp_path / "dump.nt") if a == "DUMP" else a for a in args]
    result = CliRunner().invoke(cli, [*args, "--store", str(folder)], catch_exceptions=False)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f'error: {folder}: holds "notes.txt" but no store; give a new or empty folder for a new '
                             "store, or the folder of an existing one.\n")
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
