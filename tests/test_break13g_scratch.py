"""Breaker tests (break13g) of scratch folders (scratch.py): processes making and sweeping folders at once never
remove a live one; a dead folder's links are not followed out of it; another user's folder and a lock file that
is a link are left alone."""

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from imri_kg import scratch

ROOT = Path(__file__).resolve().parents[1]

# Makes folders in a loop and sweeps after each (EVERY 0): its live folder's file must still be there after the
# sweeps of the others and its own; exit 1 when it is not.
RACER = textwrap.dedent("""
    import os, sys
    from imri_kg import scratch
    scratch.EVERY = 0.0
    lost = 0
    for i in range(int(sys.argv[1])):
        f = scratch.Folder("imri-race-")
        mine = os.path.join(f.name, "mine.nt")
        open(mine, "w").write("x")
        scratch.sweep()
        if not os.path.exists(mine) or not os.path.exists(os.path.join(f.name, scratch.LOCK)):
            lost += 1
        f.cleanup()
    print(lost, flush=True)
""")

DIE = textwrap.dedent("""
    import os, signal
    from imri_kg.scratch import Folder
    f = Folder("imri-sheet-")
    print(f.name, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
""")


def _env(tmp: Path) -> dict:
    return {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(ROOT / "src")}


def test_racing_makers_and_sweepers_never_remove_a_live_folder(tmp_path):
    racers = [subprocess.Popen([sys.executable, "-c", RACER, "150"], stdout=subprocess.PIPE, text=True,
                               env=_env(tmp_path)) for _ in range(3)]
    outputs = [(p.communicate(timeout=120)[0].strip(), p.returncode) for p in racers]
    assert outputs == [("0", 0)] * 3
    assert list(tmp_path.iterdir()) == []


def _dead(tmp_path: Path) -> Path:
    process = subprocess.run([sys.executable, "-c", DIE], capture_output=True, text=True, env=_env(tmp_path),
                             check=False)
    assert process.returncode == -signal.SIGKILL
    return Path(process.stdout.strip())


def test_a_dead_folders_links_are_not_followed(tmp_path):
    scratch_root, outside = tmp_path / "tmp", tmp_path / "outside"
    scratch_root.mkdir()
    outside.mkdir()
    (outside / "keep.txt").write_text("kept")
    dead = _dead(scratch_root)
    (dead / "link").symlink_to(outside, target_is_directory=True)
    (dead / "file-link").symlink_to(outside / "keep.txt")
    assert scratch.sweep(scratch_root) == [dead]
    assert (outside / "keep.txt").read_text() == "kept"
    assert list(scratch_root.iterdir()) == []


def test_another_users_dead_folder_is_left_alone(tmp_path):
    dead = _dead(tmp_path)
    os.chown(dead, 65534, 65534)  # these tests run as root: as if another user's
    assert scratch.sweep(tmp_path) == []
    assert dead.is_dir()


def test_a_lock_file_that_is_a_link_is_not_followed(tmp_path):
    scratch_root = tmp_path / "tmp"
    scratch_root.mkdir()
    dead = _dead(scratch_root)
    target = tmp_path / "elsewhere"
    target.write_text("")
    (dead / scratch.LOCK).unlink()
    (dead / scratch.LOCK).symlink_to(target)
    assert scratch.sweep(scratch_root) == []
    assert dead.is_dir() and target.exists()


def test_a_relative_tmpdir(tmp_path):
    """TMPDIR given relative to the working folder: the folder made there, and swept there by name."""
    (tmp_path / "rel").mkdir()
    process = subprocess.run([sys.executable, "-c", DIE], capture_output=True, text=True, check=False,
                             env={**_env(tmp_path), "TMPDIR": "rel"}, cwd=tmp_path)
    dead = Path(process.stdout.strip())
    assert dead.is_absolute() and dead.parent == tmp_path / "rel"
    sweeper = subprocess.run([sys.executable, "-c", "from imri_kg import scratch; print(len(scratch.sweep()))"],
                             capture_output=True, text=True, check=True, env={**_env(tmp_path), "TMPDIR": "rel"},
                             cwd=tmp_path)
    assert sweeper.stdout.strip() == "1"
    assert list((tmp_path / "rel").iterdir()) == []
