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
    for option in ("--host", "--port", "--store", "--timeout", "--max-rows", "--workers", "--write-token-file",
                   "--cors-origin"):
        assert option in result.output
    assert "127.0.0.1" in result.output and "8000" in result.output


def test_serve_refuses_a_store_that_was_never_built(tmp_path):
    from pyoxigraph import Store

    Store(str(tmp_path / "empty"))  # an empty on-disk store
    result = CliRunner().invoke(cli, ["serve", "--store", str(tmp_path / "empty")])
    assert result.exit_code == 2 and "holds no knowledge base" in result.output


def test_serve_on_a_busy_port_is_one_line_and_exit_2():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert result.output.strip() == (f"error: cannot listen on 127.0.0.1:{port}: Address already in use; "
                                     "pick another with --port.")


def test_serve_says_where_to_go_once_the_port_answers():
    import re
    import subprocess
    import sys

    import httpx

    proc = subprocess.Popen([sys.executable, "-m", "imri_kg", "serve", "--port", "0", "--workers", "1"],
                            stderr=subprocess.PIPE, text=True)
    try:
        lines = [proc.stderr.readline() for _ in range(5)]
        assert lines[0] == "imri-kg: ready (read-only).\n", lines
        url = re.fullmatch(r"  Web interface  (http://127\.0\.0\.1:\d+/ui/)\n", lines[1]).group(1)
        assert lines[2] == url.replace("/ui/", "/sparql").replace("http", "  SPARQL         http", 1) + "\n"
        assert httpx.get(url, timeout=10).status_code == 200  # printed only once the port answers
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_a_public_bind_is_warned_about_more_so_with_a_write_token():
    from imri_kg.cli.server import bind_warnings

    assert bind_warnings("127.0.0.1", writable=True) == [] and bind_warnings("::1", writable=True) == []
    assert bind_warnings("localhost", writable=True) == []
    public = bind_warnings("0.0.0.0", writable=False)
    assert len(public) == 1 and "not loopback" in public[0]
    assert len(bind_warnings("0.0.0.0", writable=True)) == 2
    assert "updates are allowed" in bind_warnings("192.0.2.1", writable=True)[1]


def test_the_write_token_comes_from_a_file_or_the_environment(tmp_path, monkeypatch):
    from imri_kg.cli.server import to_write_token

    token = tmp_path / "token"
    token.write_text("s3cret-from-file\n")
    monkeypatch.delenv("IMRI_KG_WRITE_TOKEN", raising=False)
    assert to_write_token(token, None) == "s3cret-from-file"
    assert to_write_token(None, None) is None
    monkeypatch.setenv("IMRI_KG_WRITE_TOKEN", "from-env")
    assert to_write_token(None, None) == "from-env"
    assert to_write_token(token, None) == "s3cret-from-file"
    (tmp_path / "empty").write_text("\n")
    result = CliRunner().invoke(cli, ["serve", "--write-token-file", str(tmp_path / "empty")])
    assert result.exit_code == 2 and "write-token file is empty" in result.output


def test_the_token_on_the_command_line_still_works_but_is_deprecated(monkeypatch):
    from imri_kg.cli.server import to_write_token

    monkeypatch.delenv("IMRI_KG_WRITE_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--write-token", "x", "--store", "/nonexistent/never"])
    assert "--write-token is deprecated" in result.output
    assert to_write_token(None, "given") == "given"
