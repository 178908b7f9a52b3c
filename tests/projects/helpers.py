"""Shared pieces of the project tests: the fictional hand-hygiene project, copies of it to break, stores."""

import shutil
from pathlib import Path

from pyoxigraph import RdfFormat, Store, serialize

from imri_kg.kb.build import build_store

HAND_HYGIENE = Path(__file__).resolve().parents[1] / "data" / "projects" / "hand-hygiene"
BASE = "https://w3id.org/imri/"
P = BASE + "project/hand-hygiene/"


def copy_project(tmp_path: Path, name: str = "hand-hygiene") -> Path:
    target = tmp_path / name
    shutil.copytree(HAND_HYGIENE, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace exactly one occurrence of `old` in the file (so a test breaks exactly what it says)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def fresh_store() -> Store:
    return build_store()


def dump(store: Store) -> bytes:
    """The whole store as sorted N-Quads: equal stores give equal bytes."""
    data = serialize(list(store), format=RdfFormat.N_QUADS) or b""
    return b"\n".join(sorted(data.splitlines()))
