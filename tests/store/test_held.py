"""A held bulk load (store/held.py): the store shows nothing of it until `finish`, and keeps nothing of it after
`abandon` or an error, with no loader file left in the store's directory."""

import pytest
from pyoxigraph import NamedNode, Quad, RdfFormat, Store

from imri_kg.store.held import HeldLoad

G = NamedNode("http://example.org/graph/new")
OLD = Quad(NamedNode("http://example.org/a"), NamedNode("http://example.org/p"), NamedNode("http://example.org/b"),
           NamedNode("http://example.org/graph/old"))


def _files(tmp_path, rows: int = 20_000):
    """Two N-Triples files of `rows` triples each (subjects s0..s{2 rows - 1})."""
    files = []
    for part in range(2):
        path = tmp_path / f"part{part}.nt"
        path.write_text("".join(f'<http://example.org/s{part * rows + i}> <http://example.org/p> "v{i}" .\n'
                                for i in range(rows)), encoding="utf-8")
        files.append(path)
    return files


def _store(tmp_path) -> Store:
    store = Store(str(tmp_path / "store"))
    store.add(OLD)
    store.flush()
    return store


def _dump(store: Store) -> list[bytes]:
    return sorted((store.dump(format=RdfFormat.N_QUADS) or b"").splitlines())


def _loader_files(tmp_path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "store").glob("bulk-*.sst"))


def test_nothing_shows_before_finish_then_everything(tmp_path):
    store = _store(tmp_path)
    load = HeldLoad(store, _files(tmp_path), G)
    load.loader.join(2)  # the loader has read both files by now, or is still reading: either way it waits
    assert load.loader.is_alive()
    assert list(store.quads_for_pattern(None, None, None, G)) == []
    assert len(store) == 1
    load.finish(b'<http://example.org/last> <http://example.org/p> "end" .\n')
    assert len(list(store.quads_for_pattern(None, None, None, G))) == 40_001
    assert next(store.quads_for_pattern(NamedNode("http://example.org/last"), None, None, G)).object.value == "end"
    assert OLD in store
    assert _loader_files(tmp_path) == []


@pytest.mark.parametrize("wait", [0, 2])
def test_abandoned_before_or_after_the_files_are_read_leaves_the_store_as_it_was(tmp_path, wait):
    store = _store(tmp_path)
    before = _dump(store)
    load = HeldLoad(store, _files(tmp_path), G)
    load.loader.join(wait)
    load.abandon()
    assert not load.loader.is_alive() and not load.feeder.is_alive()
    assert isinstance(load.error, SyntaxError)  # the loader stopped at the line that ends an abandoned load
    assert _dump(store) == before
    assert _loader_files(tmp_path) == []


def test_a_file_that_cannot_be_read_loads_nothing(tmp_path):
    store = _store(tmp_path)
    before = _dump(store)
    load = HeldLoad(store, [*_files(tmp_path), tmp_path / "gone.nt"], G)
    with pytest.raises(FileNotFoundError):
        load.finish(b"")
    assert _dump(store) == before
    assert _loader_files(tmp_path) == []


def test_a_syntax_error_in_a_file_loads_nothing(tmp_path):
    store = _store(tmp_path)
    before = _dump(store)
    bad = tmp_path / "bad.nt"
    bad.write_text('<http://example.org/x> <http://example.org/p> "unclosed .\n', encoding="utf-8")
    load = HeldLoad(store, [*_files(tmp_path), bad], G)
    with pytest.raises(SyntaxError) as caught:
        load.finish(b"")
    assert "line 40001" in str(caught.value)
    assert _dump(store) == before
    assert _loader_files(tmp_path) == []
