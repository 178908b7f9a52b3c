"""Stopping `imri-kg serve` with Ctrl-C, the way its banner says to stop it: exit 0 and one line, not an error; the
hosts it answers for (--allowed-host)."""

import signal
import subprocess
import sys

import pytest


def test_ctrl_c_stops_the_server_with_exit_0():
    proc = subprocess.Popen([sys.executable, "-m", "imri_kg", "serve", "--port", "0", "--workers", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [proc.stderr.readline() for _ in range(5)]
        assert lines[0] == "imri-kg: ready (read-only).\n", lines
        assert lines[4] == "  Stop with Ctrl-C.\n"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert (proc.returncode, out, err) == (0, "", "imri-kg: stopped.\n")


def test_a_store_that_is_not_there_is_named_and_not_made(tmp_path):
    from click.testing import CliRunner

    from imri_kg.cli import cli

    missing = tmp_path / "store"
    result = CliRunner().invoke(cli, ["serve", "--store", str(missing)], catch_exceptions=False)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"error: {missing}: no store is here; run: imri-kg build --store {missing}\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("host", "extra", "answered"), [
    ("127.0.0.1", (), ("localhost", "127.0.0.1", "[::1]")),
    ("::1", (), ("localhost", "127.0.0.1", "[::1]")),
    ("127.0.0.5", ("KG.example.org:443",), ("localhost", "127.0.0.1", "[::1]", "127.0.0.5", "kg.example.org")),
    ("0.0.0.0", (), None),
    ("0.0.0.0", ("kg.example.org",), ("localhost", "127.0.0.1", "[::1]", "kg.example.org")),
    ("192.168.1.5", (), None),
    ("127.0.0.1", ("*",), None),
])
def test_the_hosts_a_server_answers_for(host, extra, answered):
    from imri_kg.cli.server import answered_hosts

    assert answered_hosts(host, extra) == answered


def test_an_allowed_host_that_is_no_host_name_is_refused_before_anything_starts(tmp_path):
    from click.testing import CliRunner

    from imri_kg.cli import cli

    result = CliRunner().invoke(cli, ["serve", "--store", str(tmp_path / "store"), "--allowed-host", "a b"],
                                catch_exceptions=False)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ('error: --allowed-host "a b" is not a host name (or address, IPv6 in brackets); '
                             "wildcards are not taken: give each name.\n")
    assert list(tmp_path.iterdir()) == []
