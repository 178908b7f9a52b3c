"""The CLI's question parameters (`query --param`) and the `serve` command's options."""

from click.testing import CliRunner

from imri_kg.cli import cli


def test_query_applies_defaults_and_params():
    runner = CliRunner()
    result = runner.invoke(cli, ["query", "cross-cutting-themes", "--format", "csv"])
    assert result.exit_code == 0
    assert [line.split(",")[3] for line in result.output.splitlines()[1:]] == ["6", "5", "4", "4"]  # project, theme, themeLabel, groups
    result = runner.invoke(cli, ["query", "cross-cutting-themes", "--param", "minGroups=6", "--format", "csv"])
    assert result.output.splitlines()[1].endswith("Interpersonal relationships,6,6")


def test_query_with_an_unknown_label_is_a_located_input_error():
    result = CliRunner().invoke(cli, ["query", "groups-for-theme", "--param", "theme=nope"])
    assert result.exit_code == 2
    assert 'groups-for-theme.rq: parameter theme: "nope" is not a known Theme' in result.output


def test_serve_options_are_documented():
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--store", "--timeout", "--max-rows", "--workers", "--write-token",
                   "--cors-origin"):
        assert option in result.output
    assert "127.0.0.1" in result.output and "8000" in result.output


def test_serve_refuses_a_store_that_was_never_built(tmp_path):
    from pyoxigraph import Store

    Store(str(tmp_path / "empty"))  # an empty on-disk store
    result = CliRunner().invoke(cli, ["serve", "--store", str(tmp_path / "empty")])
    assert result.exit_code == 2 and "holds no knowledge base" in result.output
