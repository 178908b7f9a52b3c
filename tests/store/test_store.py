"""Building, opening and writing stores: all-or-nothing builds and every output format."""

import shutil

import pytest
from pyoxigraph import CanonicalizationAlgorithm, Dataset, Quad, Store

from imri_kg.errors import InputError
from imri_kg.kb import DATA_DIR
from imri_kg.kb.build import build_store, is_built
from imri_kg.resources import EXAMPLES_DIR
from imri_kg.store import graph_iri, open_store, write_graph


def test_build_holds_its_named_graphs(kb):
    names = {g.value for g in kb.named_graphs()}
    assert names == {graph_iri(n).value for n in ("ontology", "kb", "inferred", "frameworks", *(
        f"mappings/{m}" for m in ("cfir2009-cfir2022", "imri-impacts-chime", "recovery-narratives-chime",
                                  "review-themes-cfir2009")), "restated",
        # the two papers as projects (examples/), imported through the project reader, each into its own family
        "project/piat2021/data", "project/piat2021/mappings", "project/piat2022/data")}
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


def test_a_bad_source_row_is_located_and_leaves_the_store_unchanged(tmp_path):
    """The papers' source is their example projects: a bad row there stops the build, located, the store as it was."""
    store = open_store(tmp_path / "store")
    build_store(store)
    before = set(store)
    examples = tmp_path / "examples"
    shutil.copytree(EXAMPLES_DIR, examples)
    path = examples / "piat2021" / "evidence" / "table5.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",Staff turnover,Staff training,", ",Staff turnovr,Staff training,"),
                    encoding="utf-8")
    with pytest.raises(InputError) as err:
        build_store(store, examples=examples)
    assert str(err.value).splitlines()[1] == ('evidence/table5.csv, row 26, column "codes": "Staff turnovr" is not a '
                                              'known code. Did you mean "Staff turnover"?')
    assert set(store) == before


@pytest.mark.parametrize(("change", "message"), [
    (("cfir2009,V.B,", "cfir2009,V.Z,"), ('framework_additions.csv, row 5, column "parent": "V.Z" is not a concept of '
     'cfir2009 (by notation, label or IRI). Did you mean "V.D" or "V.C" or "V.B"?')),
    (("relationships,Relationships,cfir2009,", "relationships,Relationships,cfir2090,"),
     ('framework_additions.csv, row 4, column "framework": "cfir2090" is not a framework (concept scheme) in the '
     'store. Did you mean "cfir2009" or "cfir2022"?')),
])
def test_errors_in_the_review_s_added_constructs_name_file_row_and_column(tmp_path, change, message):
    """Table 3's added constructs are the review project's framework_additions.csv: a bad cell stops the build,
    located, and the mappings to the construct are reported too."""
    examples = tmp_path / "examples"
    shutil.copytree(EXAMPLES_DIR, examples)
    path = examples / "piat2021" / "framework_additions.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(*change, 1), encoding="utf-8")
    with pytest.raises(InputError) as err:
        build_store(examples=examples)
    assert str(err.value).splitlines()[1] == message


@pytest.mark.parametrize(("file", "change", "message"), [
    ("case_attributes.csv", ("quebec;stakeholder-group:managers,participants,5,", ("quebec;stakeholder-group:managers,"
                             "participants,five,")), 'case_attributes.csv, row 57, column "value": "five" is not a count value.'),
    ("code_attributes.csv", ("experiencing-personal-growth-or-wellbeing,scope,innovation,",
                             "experiencing-personal-growth-or-wellbeing,scope,innovatoin,"),
     ('code_attributes.csv, row 7, column "value": "innovatoin" is not a value of attribute "scope" '
     '(attribute_values.csv). Did you mean "innovation"?')),
    ("evidence/quotes.csv", (",service-providers,peer-workers,", ",service-providrs,peer-workers,"),
     'evidence/quotes.csv, row 5, column "stakeholder-group": "service-providrs" is not a known case'),
])
def test_errors_in_the_imri_example_name_file_row_and_column(tmp_path, file, change, message):
    """The IMRI study's source is its example project: a bad cell there stops the build, located."""
    examples = tmp_path / "examples"
    shutil.copytree(EXAMPLES_DIR, examples)
    path = examples / "piat2022" / file
    path.write_text(path.read_text(encoding="utf-8").replace(*change, 1), encoding="utf-8")
    with pytest.raises(InputError) as err:
        build_store(examples=examples)
    assert str(err.value).splitlines()[1].startswith(message)


def canonical(quads, *, keep_graphs: bool) -> Dataset:
    dataset = Dataset(q if keep_graphs else Quad(q.subject, q.predicate, q.object) for q in quads)
    dataset.canonicalize(CanonicalizationAlgorithm.UNSTABLE)
    return dataset


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".jsonld", ".trig", ".nq", ".rdf"])
def test_export_then_import_into_a_fresh_store_is_isomorphic(kb, tmp_path, suffix):
    path = write_graph(kb, tmp_path / f"kb{suffix}")
    fresh = Store()
    fresh.load(path=str(path))
    keep = suffix in (".trig", ".nq")
    assert canonical(fresh, keep_graphs=keep) == canonical(kb, keep_graphs=keep)


@pytest.mark.parametrize("suffix", [".ttl", ".jsonld", ".trig", ".rdf"])
def test_writing_twice_gives_identical_bytes(tmp_path, suffix):
    first = write_graph(build_store(), tmp_path / f"a{suffix}").read_bytes()
    assert write_graph(build_store(), tmp_path / f"b{suffix}").read_bytes() == first


def test_one_named_graph(kb, tmp_path):
    path = write_graph(kb, tmp_path / "onto.nt", graph="ontology")
    assert len(path.read_text(encoding="utf-8").splitlines()) == len(list(kb.quads_for_pattern(None, None, None, graph_iri("ontology"))))
    with pytest.raises(InputError, match='the store has no graph "nope"; it has: frameworks, inferred, kb, mappings/cfir2009-cfir2022, '):
        write_graph(kb, tmp_path / "x.nt", graph="nope")


def test_unknown_extension_is_an_input_error(kb, tmp_path):
    with pytest.raises(InputError, match="unknown extension"):
        write_graph(kb, tmp_path / "kb.xyz")
    assert not list(tmp_path.iterdir())


def test_graph_families_and_shapes(kb, tmp_path):
    mappings = write_graph(kb, tmp_path / "m.trig", graph="mappings").read_text(encoding="utf-8")
    assert {line.split()[0] for line in mappings.splitlines() if line.endswith("{")} == {
        f"<https://w3id.org/imri/graph/mappings/{m}>" for m in (
            "cfir2009-cfir2022", "imri-impacts-chime", "recovery-narratives-chime", "review-themes-cfir2009")}
    shapes = Store()
    shapes.load(path=str(write_graph(kb, tmp_path / "s.ttl", graph="shapes")))
    # 29 shapes for the ontology's classes (shapes/*.ttl; the impact's scope has two), 19 for review projects
    # (shapes/projects.ttl: 18 records and the isolation rule), 1 common to all evidence, 6 for crosswalks
    # (shapes/crosswalk.ttl) and 14 for findings
    assert len(list(shapes.query("SELECT ?s WHERE { ?s a <http://www.w3.org/ns/shacl#NodeShape> }"))) == 69


def test_rdfxml_refuses_a_control_character_and_names_where_it_is(tmp_path):
    from pyoxigraph import Literal, NamedNode

    store = Store()
    s, p = NamedNode("https://example.org/excerpt/1"), NamedNode("https://w3id.org/imri/ontology#text")
    store.add(Quad(s, p, Literal("a\x01b"), NamedNode("https://example.org/graph/x")))
    with pytest.raises(InputError, match=r"<https://example.org/excerpt/1> <https://w3id.org/imri/ontology#text> "
                                         r"holds the control character U\+0001, which RDF/XML"):
        write_graph(store, tmp_path / "x.rdf")
    assert not list(tmp_path.iterdir())  # nothing written, not even the .part file
    assert "a\\u0001b" in write_graph(store, tmp_path / "x.nt").read_text(encoding="utf-8")  # N-Triples holds it
