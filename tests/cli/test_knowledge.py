"""`imri-kg query`: a --param that is not NAME=VALUE is a usage error, not silently "unset" (the answer for all)."""

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
