"""Shared pieces of the project tests: the fictional hand-hygiene project, copies of it to break, stores."""

import shutil
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Store, serialize

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


def assert_reimport_writes_nothing(store: Store, folder: Path) -> None:
    """Import a shipped example into the store the build made: nothing is written, as its data and mappings graphs
    are there already and every triple its views state is already in graph kb (a view triple the knowledge base
    states is not written again), so the papers' facts are not stated twice; no view graph is made."""
    from imri_kg.projects.loading import import_project

    slug = folder.name
    graphs = {n: NamedNode(f"{BASE}graph/project/{slug}/{n}") for n in ("data", "mappings", "view")}
    before = dump(store)
    imported = import_project(store, folder, history=False)
    assert imported.slug == slug and imported.unchanged and not imported.written
    assert not store.contains_named_graph(graphs["view"]) and dump(store) == before
