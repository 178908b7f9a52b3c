"""Building, opening and writing stores: all-or-nothing builds and every output format."""

import shutil

import pytest
from pyoxigraph import RdfFormat, parse

from imri_kg.errors import InputError
from imri_kg.kb import DATA_DIR
from imri_kg.store import build_store, graph_iri, is_built, open_store, write_graph


def test_build_holds_three_graphs(kb):
    names = {g.value for g in kb.named_graphs()}
    assert names == {graph_iri(n).value for n in ("ontology", "kb", "inferred")}
    assert is_built(kb)


def test_base_is_configurable():
    store = build_store(base="https://example.org/x/")
    assert is_built(store, base="https://example.org/x/")
    subjects = {q.subject.value for q in store.quads_for_pattern(None, None, None, graph_iri("kb", base="https://example.org/x/"))}
    assert "https://example.org/x/theme/staff-turnover" in subjects
    assert not [s for s in subjects if s.startswith("https://w3id.org/imri/") and "/ontology" not in s]


@pytest.fixture()
def broken_data(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    return data


def test_a_bad_source_row_is_located_and_leaves_the_store_unchanged(tmp_path, broken_data):
    store = open_store(tmp_path / "store")
    build_store(store)
    before = set(store)
    text = (broken_data / "table5.csv").read_text(encoding="utf-8")
    (broken_data / "table5.csv").write_text(text.replace("Staff training,Staff turnover", "Staff training,Staff turnovr"),
                                            encoding="utf-8")
    with pytest.raises(InputError) as err:
        build_store(store, data=broken_data)
    assert str(err.value) == f'{broken_data / "table5.csv"}, row 25, column "theme_as_printed": "Staff turnovr" is not a known theme.'
    assert set(store) == before


@pytest.mark.parametrize(("file", "change", "message"), [
    ("table1_cells.csv", ("quebec,managers,5", "quebec,managers,five"), 'row 23, column "n": "five" must be a whole number'),
    ("impacts.csv", (",ways-of-being,innovation,medium", ",ways-of-beings,innovation,medium"), 'column "category": "ways-of-beings"'),
    ("quotes.csv", ("piat2022#findings-ways-of-being", "piat2022#findings-ways-of-bein"), 'column "source": "piat2022#findings-ways-of-bein" is not a known source'),
    ("table5.csv", (",85 88,", ",85,"), 'column "citations": lists [85] but the example text cites [85, 88]'),
])
def test_source_errors_name_file_row_and_column(broken_data, file, change, message):
    path = broken_data / file
    path.write_text(path.read_text(encoding="utf-8").replace(*change, 1), encoding="utf-8")
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("]", r"\]")) as err:
        build_store(data=broken_data)
    assert str(err.value).startswith(str(path))


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".jsonld", ".trig", ".nq", ".rdf"])
def test_write_graph_in_every_format_parses_back(kb, tmp_path, suffix):
    path = write_graph(kb, tmp_path / f"kb{suffix}")
    fmt = RdfFormat.from_extension(suffix.lstrip(".").replace("rdf", "rdf"))
    parsed = list(parse(path=str(path), format=fmt))
    triples = {q.triple for q in kb}
    got = {getattr(x, "triple", x) for x in parsed}
    assert got == triples


def test_unknown_extension_is_an_input_error(kb, tmp_path):
    with pytest.raises(InputError, match="unknown extension"):
        write_graph(kb, tmp_path / "kb.xyz")
    assert not list(tmp_path.iterdir())
