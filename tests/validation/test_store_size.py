"""A sheet checked against a store gets the same report whatever else the store holds, and cross-record rules still
read what the store holds (validation/slices.py reads only what the records reach, never the whole store).

The stores: the knowledge base ("small"), and the knowledge base plus an earlier import of 1,000 rows ("large").
The earlier sheet's rows are all valid: rows 1-2 are coded by B. Coder, rows 3-1,000 by A. Coder, and each names a
theme of the scheme <scheme/themes>, which also holds the themes of the knowledge base's 25 Table 5 examples. The
new sheet (NEW) has 4 rows. All sheet rows here are fictional; the two extra rules are written for these tests.
"""

import csv
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import NamedNode, Quad, Store

from imri_kg.importers.coding_sheet import read_coding_sheet
from imri_kg.importers.files import check_quads
from imri_kg.validation import Shapes, project_shapes, to_shapes
from imri_kg.validation.records import validate_records
from imri_kg.validation.slices import reached, read_predicates

COLUMNS = ["study", "kind", "theme", "impact", "innovation_group", "stakeholder_group", "site", "text", "language",
           "coder", "date", "notes"]
VALID = [("135", "Staff turnover", "Staff training"),
         ("85", "The importance of organizational and policy commitment to recovery-transformation", "E-innovations")]
# Row 3 cites study 133, which the review lists under Service navigation and coordination (a warning); row 5's theme
# is misspelled (a violation). Rows 2-3 are B. Coder's, row 4 C. Coder's, row 5 A. Coder's.
NEW = [("135", "Staff turnover", "Staff training", "B. Coder"),
       ("133", "Traditional biomedical vs. recovery-oriented approach", "Staff training", "B. Coder"),
       ("85", VALID[1][1], "E-innovations", "C. Coder"),
       ("85", "Staff turnovr", "E-innovations", "A. Coder")]
EARLIER = 1_000
BASE = "https://w3id.org/imri/"
WHOLE = 10**9

# Two cross-record rules (SHACL-SPARQL, each reads backwards: who points at the focus node).
RULES = f"""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/imri/test/CoderLoad> a sh:NodeShape ; sh:targetClass prov:Agent ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:message "A coder codes at most 3 rows; this one codes {{?value}}." ;
        sh:select \"\"\"SELECT $this (COUNT(?e) AS ?value) WHERE {{ ?e <http://www.w3.org/ns/prov#wasAttributedTo> $this }}
                      GROUP BY $this HAVING (COUNT(?e) > 3)\"\"\" ] .
<https://w3id.org/imri/test/SchemeLoad> a sh:NodeShape ; sh:targetClass skos:ConceptScheme ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:message "At most {25 + EARLIER} coded rows per scheme; {{?value}} here." ;
        sh:select \"\"\"SELECT $this (COUNT(DISTINCT ?e) AS ?value) WHERE {{
                        ?e <https://w3id.org/imri/ontology#theme> ?t . ?t <http://www.w3.org/2004/02/skos/core#inScheme> $this }}
                      GROUP BY $this HAVING (COUNT(DISTINCT ?e) > {25 + EARLIER})\"\"\" ] .
"""


def _sheet(path: Path, rows: list[tuple]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        for i, (study, theme, group, coder) in enumerate(rows):
            writer.writerow({"study": study, "kind": "example", "theme": theme, "innovation_group": group,
                             "text": f"Fictional row {i}.", "language": "en", "coder": coder,
                             "date": "2024-06-01"})
    return path


@pytest.fixture(scope="module")
def small(kb) -> Store:
    store = Store()
    store.extend(kb)
    return store


@pytest.fixture(scope="module")
def new(tmp_path_factory) -> Path:
    return _sheet(tmp_path_factory.mktemp("new") / "new.csv", NEW)


def _rows(report, sheet) -> list[tuple]:
    """(row or focus, severity, shape, value, message) of each result; a row's evidence IRI is given as its row."""
    rows = {f"{BASE}evidence/coded/{sheet.digest[:16]}/{n}": n for n in range(2, 2 + len(NEW))}
    return sorted(((rows.get(r.focus, r.focus), r.severity, r.shape.rsplit("#", 1)[-1].rsplit("/", 1)[-1], r.value,
                    r.message) for r in report.results), key=_key)


def _key(r: tuple) -> str:
    return str(r[0])


PROJECT = [
    (3, "Warning", "EvidenceGroupStudyShape", "133", ("The evidence is coded to Staff training, but the study it "
     "cites (133) belongs to Service navigation and coordination; check the innovation group or the citation.")),
    (5, "Violation", "CodedEvidenceShape", "Staff turnovr",
     "The theme must be one of the review's implementation themes (see: imri-kg list themes)."),
]


@pytest.mark.parametrize("slice_rows", [1, 3, WHOLE])
def test_the_report_is_the_same_against_a_small_and_a_large_store(small, large, new, slice_rows):
    for store in (small, large):
        sheet = read_coding_sheet(new, store=store, slice_rows=slice_rows)
        assert _rows(check_quads(store, sheet.records), sheet) == PROJECT


def _with_rules() -> Shapes:
    rules = to_shapes(rdflib.Graph().parse(data=RULES, format="turtle"))
    return Shapes.of([*project_shapes().triples, *rules.triples])


@pytest.mark.parametrize("slice_rows", [1, 3, WHOLE])
def test_cross_record_rules_count_what_the_store_holds(small, large, new, slice_rows):
    """Against the large store, B. Coder codes 2 stored rows and 2 new ones (4 > 3), A. Coder 998 and 1, and the
    themes scheme holds 25 + 1,000 stored rows and 3 new ones (row 5's theme resolves to nothing): 1,028. The
    scheme is named by no row: its result is reported because the store alone does not give it (1,025 is not
    over 1,025). The knowledge base's own coders code 25 and 24 rows: the store alone breaks the rule for them,
    so they are not reported. Against the knowledge base only, no rule is broken (B. Coder codes 2 rows)."""
    shapes = _with_rules()
    coder = f"{BASE}coder/"
    expected = sorted([*PROJECT,
                       (f"{coder}a-coder", "Violation", "CoderLoad", "999",
                        "A coder codes at most 3 rows; this one codes 999."),
                       (f"{coder}b-coder", "Violation", "CoderLoad", "4",
                        "A coder codes at most 3 rows; this one codes 4."),
                       (f"{BASE}scheme/themes", "Violation", "SchemeLoad", "1028",
                        "At most 1025 coded rows per scheme; 1028 here.")], key=_key)
    sheet = read_coding_sheet(new, store=large, slice_rows=slice_rows)
    assert sorted(_rows(check_quads(large, sheet.records, shapes=shapes), sheet), key=_key) == expected
    sheet = read_coding_sheet(new, store=small, slice_rows=slice_rows)
    assert _rows(check_quads(small, sheet.records, shapes=shapes), sheet) == PROJECT


def test_the_sliced_path_equals_one_run_over_the_whole_store(large, new):
    """The reference: the records as quads, checked by one engine run over the whole store plus them (the store's
    quads as a list: a store would take the sliced path, records.as_slice)."""
    shapes = _with_rules()
    sheet = read_coding_sheet(new, store=large, slice_rows=2)
    whole = validate_records(list(large.quads_for_pattern(None, None, None, None)), sheet.quads, shapes=shapes)
    assert check_quads(large, sheet.records, shapes=shapes).results == whole.results
    assert len(whole.results) == 5


def test_the_predicates_the_shapes_read(tmp_path):
    """Paths (a sequence, an alternative, a transitive step), sh:equals, a class check, a subject target; a closed
    shape reads every predicate."""
    text = """@prefix sh: <http://www.w3.org/ns/shacl#> .
    <x:S> a sh:NodeShape ; sh:targetSubjectsOf <x:t> ; sh:class <x:C> ;
        sh:property [ sh:path ( <x:a> [ sh:alternativePath ( <x:b> [ sh:zeroOrMorePath <x:c> ] ) ] ) ;
                      sh:equals <x:e> ; sh:node <x:N> ] .
    <x:N> a sh:NodeShape ; sh:property [ sh:path <x:d> ; sh:minCount 1 ] ."""
    shapes = to_shapes(rdflib.Graph().parse(data=text, format="turtle"))
    rdf, rdfs = "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#"
    assert read_predicates(shapes) == {"x:a", "x:b", "x:c", "x:d", "x:e", "x:t", rdf + "type", rdfs + "subClassOf"}
    closed = to_shapes(rdflib.Graph().parse(data=text + " <x:N> sh:closed true .", format="turtle"))
    assert read_predicates(closed) is None


def test_reach_follows_only_the_predicates_read(large):
    """From a theme, reach with the shapes' predicates does not follow the 500 stored rows' imri:hasEvidence back-
    links (nor their triples); with every predicate it does."""
    theme = f"{BASE}theme/staff-turnover"
    evidence = NamedNode("https://w3id.org/imri/ontology#hasEvidence")
    few = reached(large, {theme}, predicates=read_predicates(project_shapes()))
    assert not any(q.predicate == evidence for q in few)
    stored = {q.object for q in large.quads_for_pattern(NamedNode(theme), evidence, None, None)}
    every = reached(large, {theme})
    assert stored <= {q.subject for q in every}
    assert len([q for q in every if q.predicate == evidence and q.subject == NamedNode(theme)]) == len(stored)
    assert len([s for s in stored if "evidence/coded/" in s.value]) == EARLIER // 2
    assert all(isinstance(q, Quad) for q in few)


def test_new_cells_in_slices_break_a_stored_total(kb, tmp_path):
    """The printed total (12) and its three cells (4 each) are in the store; two slices of new records add a cell of
    1 to the same site and one of 5 to another site. The total, which no new record names, is now 13 against 12:
    reported once; the store alone gives nothing. The other site has no printed total: nothing."""
    from pyoxigraph import RdfFormat, parse, serialize

    from imri_kg.validation.slices import Sliced
    from tests.validation.test_records import PREFIXES, inconsistent_total

    stored = inconsistent_total(tmp_path / "stored.ttl", 5).read_text(encoding="utf-8")
    store = Store()
    store.extend(kb)
    store.extend(parse(stored.replace("imri:participants 99", "imri:participants 12"), format=RdfFormat.TURTLE))
    group = "<https://w3id.org/imri/stakeholder-group/housing-proprietors>"
    files = []
    for name, site, n in (("a", "t:site", 1), ("b", "t:elsewhere", 5)):
        cell = (PREFIXES + f't:new-{name} a imri:ParticipantCount ; rdfs:label "New cell {name}"@en ; '
                f"imri:site {site} ; imri:stakeholderGroup {group} ; imri:participants {n} .\n")
        files.append(tmp_path / f"slice-{name}.nt")
        serialize(parse(cell, format=RdfFormat.TURTLE), output=str(files[-1]), format=RdfFormat.N_TRIPLES)
    shared = tmp_path / "shared.nt"
    shared.write_text("")
    t = "https://w3id.org/imri/test/"
    named = {f"{t}site", f"{t}elsewhere", group[1:-1], "https://w3id.org/imri/ontology#ParticipantCount"}
    report = validate_records(store, Sliced(shared, files, named))
    assert [(r.focus, r.value, r.shape.rsplit("#", 1)[-1], r.severity) for r in report.results
            if r.constraint == "SPARQLConstraintComponent"] == [(f"{t}total", "13", "PrintedTotalShape", "Violation")]
    whole = validate_records(list(store.quads_for_pattern(None, None, None, None)),  # a list: never sliced
                             [q for f in files for q in parse(path=str(f), format=RdfFormat.N_TRIPLES)])
    assert report.results == whole.results
