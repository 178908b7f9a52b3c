"""An RDF file checked against a store is read as one slice (records.as_slice): the report equals one run over the
whole store plus the file, whatever the store holds (before, a file of one record against a store holding a
100,000-row import was one shacl-rust run over 1.5 million triples: 63-138 s instead of about 2 s).

The store is the knowledge base plus test_store_size.py's 1,000 earlier rows. The files are hand-written test
records (not claims about the sources): one breaks CodedEvidenceShape, one adds a label to a stored theme (a triple
about a store node: then the slice is checked whole), one is a blank-node record citing a stored study, and one
restates a stored row.
"""

from pathlib import Path

import pytest
from pyoxigraph import Store

from imri_kg.importers.files import check_file, read_rdf
from imri_kg.validation.records import as_slice, validate_records
from tests.validation.test_store_size import _with_rules

PREFIXES = """@base <https://w3id.org/imri/> . @prefix imri: <https://w3id.org/imri/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
"""
BAD = PREFIXES + """<test/evidence> a imri:Example ; rdfs:label "Test evidence"@en ;
    imri:theme <impact/experiencing-personal-growth-or-wellbeing> ; imri:innovationGroup <group/staff-training> ;
    imri:citation <citation/piat2021/135> ; imri:text "Trained staff left."@en ;
    prov:wasDerivedFrom <study/piat2021/table-5> .
"""
LABEL = PREFIXES + '<theme/staff-turnover> skos:altLabel "Turnover of staff"@en .\n'
BLANK = PREFIXES + """[] a imri:Example ; rdfs:label "Blank evidence"@en ; imri:theme <theme/staff-turnover> ;
    imri:innovationGroup <group/staff-training> ; imri:citation <citation/piat2021/135> ;
    imri:text "A blank-node record."@en ; prov:wasDerivedFrom <study/piat2021/table-5> .
"""


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.ttl"
    path.write_text(text, encoding="utf-8")
    return path


def _whole(store: Store, quads: list, shapes=None):
    """The reference: the store's quads as a list, so that nothing is sliced."""
    return validate_records(list(store.quads_for_pattern(None, None, None, None)), quads, shapes=shapes)


def _keys(report) -> list[tuple]:
    return [(r.focus, r.path, r.severity, r.shape.rsplit("#", 1)[-1]) for r in report.results]


def test_a_bad_record_is_reported_as_in_one_whole_run(large, tmp_path):
    checked = check_file(large, _file(tmp_path, "bad", BAD))
    assert _keys(checked.report) == [("https://w3id.org/imri/test/evidence", "https://w3id.org/imri/ontology#theme",
                                      "Violation", "CodedEvidenceShape")]
    assert checked.report.results == _whole(large, checked.quads).results


SCHEME = ("https://w3id.org/imri/scheme/themes", "Violation", "SchemeLoad", "1026")
CODED = ("https://w3id.org/imri/test/evidence", "Violation", "CodedEvidenceShape",
         "https://w3id.org/imri/impact/experiencing-personal-growth-or-wellbeing")


@pytest.mark.parametrize("name,text,expected", [("label", LABEL, []), ("blank", BLANK, [SCHEME]), ("bad", BAD, [CODED])])
def test_each_file_gives_the_whole_runs_report_with_cross_record_rules(large, tmp_path, name, text, expected):
    """With test_store_size.py's two rules (a coder codes at most 3 rows; at most 1,025 coded rows per scheme): the
    blank record is a 1,026th row of the themes' scheme (25 + 1,000 stored); the bad record's theme is an impact,
    in no theme scheme; a new label breaks nothing."""
    shapes = _with_rules()
    checked = check_file(large, _file(tmp_path, name, text), shapes=shapes)
    assert [(r.focus, r.severity, r.shape.rsplit("#", 1)[-1].rsplit("/", 1)[-1], r.value)
            for r in checked.report.results] == expected
    assert checked.report.results == _whole(large, checked.quads, shapes=shapes).results


def test_the_slice_holds_new_subjects_and_the_shared_file_stored_ones(large, tmp_path):
    quads = read_rdf(_file(tmp_path, "both", BAD + LABEL))
    sliced = as_slice(large, quads, tmp_path)
    shared = sliced.shared.read_text(encoding="utf-8").splitlines()
    part = sliced.slices[0].read_text(encoding="utf-8").splitlines()
    assert (len(shared), len(part)) == (1, 7)
    assert shared[0].startswith("<https://w3id.org/imri/theme/staff-turnover> ")
    assert {"https://w3id.org/imri/theme/staff-turnover", "https://w3id.org/imri/group/staff-training",
            "https://w3id.org/imri/ontology#Example"} <= sliced.reached
    assert "https://w3id.org/imri/test/evidence" not in sliced.reached
