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


def assert_reimport_adds_only_the_view(store: Store, folder: Path) -> None:
    """Import a shipped example into the store the build made: its data and mappings graphs are unchanged, and the
    one graph written is its view graph, every triple of which the build holds in graph kb. The view graph is then
    dropped again, so that the kb's facts are not counted twice by the tests that use the store."""
    from imri_kg.projects.loading import import_project

    slug = folder.name
    graphs = {n: NamedNode(f"{BASE}graph/project/{slug}/{n}") for n in ("data", "mappings", "view")}
    before = {n: set(store.quads_for_pattern(None, None, None, g)) for n, g in graphs.items()}
    assert import_project(store, folder, history=False).written
    view = list(store.quads_for_pattern(None, None, None, graphs["view"]))
    assert before["view"] == set() and len(view) > 0
    assert all(set(store.quads_for_pattern(None, None, None, graphs[n])) == before[n] for n in ("data", "mappings"))
    kb = NamedNode(BASE + "graph/kb")
    assert all(store.contains_named_graph(kb) and next(store.quads_for_pattern(q.subject, q.predicate, q.object, kb),
                                                       None) is not None for q in view)
    store.remove_graph(graphs["view"])
