"""Writing a sheet (importers/files.py): the bulk loader fills the sheet's new graph, and a write that fails, or an
import that was killed while writing, leaves nothing of the sheet behind."""


import pytest
from pyoxigraph import Store

from imri_kg.errors import InputError
from imri_kg.importers.coding_sheet import read_coding_sheet
from imri_kg.importers.files import _write, import_sheet
from imri_kg.namespaces import PROV
from tests.conftest import TESTS

GOOD = TESTS / "data" / "sheets" / "coded-evidence-good.csv"  # three valid rows


def _copy(kb: Store) -> Store:
    store = Store()
    store.extend(kb)
    return store


def test_a_write_that_fails_half_way_leaves_the_store_as_it_was(kb, tmp_path):
    store = _copy(kb)
    before = set(store)
    sheet = read_coding_sheet(GOOD, store=store)
    with pytest.raises(InputError) as caught:  # the first file is loaded, the second cannot be read
        _write(store, sheet, [sheet.records.shared, tmp_path / "gone.nt"], GOOD)
    assert "nothing was imported" in str(caught.value)
    assert set(store) == before
    assert not store.contains_named_graph(sheet.graph)


def test_a_graph_left_by_a_killed_import_is_written_again(kb):
    store = _copy(kb)
    first = import_sheet(store, GOOD)
    assert (first.already, first.added) == (False, len(list(store.quads_for_pattern(None, None, None, first.graph))))
    whole = set(store.quads_for_pattern(None, None, None, first.graph))
    stamp = next(store.quads_for_pattern(None, PROV.startedAtTime, None, first.graph))
    store.remove(stamp)  # the import was killed before its last file: no start time
    again = import_sheet(store, GOOD)
    assert again.already is False
    assert {q for q in store.quads_for_pattern(None, None, None, first.graph) if q.predicate != PROV.startedAtTime} \
        == {q for q in whole if q.predicate != PROV.startedAtTime}
    assert import_sheet(store, GOOD).already is True  # now whole: importing once more adds nothing
