"""A breaker's test: a file that adds one triple about a stored node is checked by one shacl-rust run over the whole
store (slices.changed, then engines.run_rust([store, ...])). Against a store holding a 100k-row import that is
42-48 s and 1.2 GB for ONE triple (bench/results/break13e-rdf-files-2026-11-27.txt), where 100,000 new triples
take 1.8 s; the web upload stops it at its 30 s limit and tells the reviewer to "Split the file" (measured:
UploadRefused after 30.4 s for a one-line skos:altLabel on a stored theme; a 1,000-record file passes in 1.0 s).

Speed is not timed here: the test checks the path. Wanted: the store is never handed whole to the engine for a
file of one triple about a stored node (here the knowledge base and test_rdf_slices.py's LABEL, the same triple
that was measured). Not done yet (issue 13 stays open on it): the store nodes whose results such a triple may
change are those that reach it along the predicates the shapes read (for a theme: every row that names it), and
checking those in slices is not written. So this test asserts what happens now, and fails once it is done."""

from pyoxigraph import Store

from imri_kg.importers.files import check_file
from imri_kg.validation import engines, slices

LABEL = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/imri/theme/staff-turnover> skos:altLabel "Turnover of staff"@en .
"""


def test_one_triple_about_a_stored_node_checks_the_whole_store_for_now(kb, tmp_path, monkeypatch):
    whole = []
    run_rust = engines.run_rust

    def spy(sources, shapes):
        whole.append(any(isinstance(s, Store) for s in sources))
        return run_rust(sources, shapes)

    monkeypatch.setattr(slices.engines, "run_rust", spy)
    path = tmp_path / "label.ttl"
    path.write_text(LABEL, encoding="utf-8")
    report = check_file(kb, path).report
    assert (report.results, True in whole) == ([], True)
