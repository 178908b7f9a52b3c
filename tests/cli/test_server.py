"""Stopping `imri-kg serve` with Ctrl-C, the way its banner says to stop it: exit 0 and one line, not an error."""

import signal
import subprocess
import sys


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
