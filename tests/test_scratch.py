"""Scratch folders: what a process killed with SIGKILL left is removed by the next one; a live owner's folder, a
folder without the lock file and a link are left alone."""

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from imri_kg import scratch
from imri_kg.scratch import Folder

# A process that makes a scratch folder, writes into it, prints its name, then waits (or kills itself).
OWNER = textwrap.dedent("""
    import os, signal, sys
    from imri_kg.scratch import Folder
    f = Folder("imri-sheet-")
    open(os.path.join(f.name, "records.nt"), "w").write("<urn:a> <urn:b> <urn:c> .\\n")
    print(f.name, flush=True)
    if sys.argv[1] == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    sys.stdin.read()
""")


def _owner(tmp_path: Path, how: str) -> tuple[subprocess.Popen, Path]:
    env = dict(os.environ, TMPDIR=str(tmp_path))
    process = subprocess.Popen([sys.executable, "-c", OWNER, how], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               env=env, text=True)
    return process, Path(process.stdout.readline().strip())


def test_a_killed_owners_folder_is_swept_and_a_live_owners_is_kept(tmp_path):
    live, live_folder = _owner(tmp_path, "wait")
    dead, dead_folder = _owner(tmp_path, "die")  # its own first folder swept, and kept the live owner's
    assert dead.wait() == -signal.SIGKILL
    try:
        assert (dead_folder / "records.nt").exists()  # SIGKILL ran no clean-up
        stranger = tmp_path / "imri-stranger"  # no lock file: not ours
        stranger.mkdir()
        link = tmp_path / "imri-link"  # a link to a dead owner's folder is not followed
        link.symlink_to(dead_folder, target_is_directory=True)
        assert scratch.sweep(tmp_path) == [dead_folder]
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            ["imri-stranger", "imri-link", live_folder.name])
        assert (live_folder / "records.nt").exists()
    finally:
        live.stdin.close()
        live.wait()
    assert not live_folder.exists()  # ended normally: removed by its own process
    assert scratch.sweep(tmp_path) == []


def test_a_folder_is_removed_on_exit_from_its_block_and_when_dropped(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    with Folder("imri-records-") as name:
        assert Path(name).parent == tmp_path and sorted(os.listdir(name)) == [scratch.LOCK]
    assert not Path(name).exists()
    folder = Folder("imri-load-")
    name = folder.name
    del folder
    assert not Path(name).exists()
    assert list(tmp_path.iterdir()) == []


def test_making_a_folder_sweeps_at_most_once_a_minute(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    monkeypatch.setattr(scratch, "sweep", lambda: calls.append(1) or scratch.__dict__.update(_last_sweep=clock[0]))
    clock = [1000.0]
    monkeypatch.setattr(scratch.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(scratch, "_last_sweep", float("-inf"))
    for now in (1000.0, 1030.0, 1059.9, 1060.0, 1061.0):
        clock[0] = now
        Folder("imri-x-").cleanup()
    assert calls == [1, 1]


def test_without_file_locks_a_folder_has_no_lock_file_and_is_never_swept(tmp_path, monkeypatch):
    def refuse(fd, op):
        raise OSError(37, "No locks available")

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    monkeypatch.setattr(scratch.fcntl, "flock", refuse)
    with Folder("imri-sheet-") as name:
        assert os.listdir(name) == []
        monkeypatch.undo()
        assert scratch.sweep(tmp_path) == []
        assert Path(name).is_dir()
    assert not Path(name).exists()
