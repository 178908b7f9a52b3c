"""Validating a sheet again once it is imported (`imri-kg validate` after `imri-kg import`) gives the rows' results
as before: the rows are then store nodes too, reached from their themes when the shapes read imri:hasEvidence, and
they are the sheet's own, not the store's (validation/slices.py, `Sliced.own`).

The sheet is rows 2-4 of test_store_size.py's NEW (fictional): row 3 cites study 133, which the review lists under
another innovation group (the project shapes' warning). The extra shapes, written for this test, read
imri:hasEvidence from every concept and limit a row's text to 5 characters (each row's "Fictional row i." breaks
it), once in SHACL Core and once as a SPARQL rule that reads forwards from the row.
"""

from pathlib import Path

import pytest
import rdflib
from pyoxigraph import Store

from imri_kg.importers.coding_sheet import read_coding_sheet
from imri_kg.importers.files import check_quads, import_sheet
from imri_kg.validation import Shapes, project_shapes, to_shapes
from imri_kg.validation.records import validate_records
from tests.validation.test_store_size import BASE, NEW, WHOLE, _sheet

EXTRA = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix imri: <https://w3id.org/imri/ontology#> .
<https://w3id.org/imri/test/ThemeEvidence> a sh:NodeShape ; sh:targetClass skos:Concept ;
    sh:property [ sh:path imri:hasEvidence ; sh:nodeKind sh:IRI ] .
<https://w3id.org/imri/test/ShortText> a sh:NodeShape ; sh:targetSubjectsOf imri:text ;
    sh:property [ sh:path imri:text ; sh:maxLength 5 ; sh:message "Text over 5 characters." ] .
<https://w3id.org/imri/test/ShortTextRule> a sh:NodeShape ; sh:targetSubjectsOf imri:text ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:message "Rule: text over 5 characters." ;
        sh:select "SELECT $this ?value WHERE { $this imri:text ?value FILTER (STRLEN(?value) > 5) }" ;
        sh:prefixes [ sh:declare [ sh:prefix "imri" ; sh:namespace "https://w3id.org/imri/ontology#"^^<http://www.w3.org/2001/XMLSchema#anyURI> ] ] ] .
"""
WARNING = (3, "Warning", "EvidenceGroupStudyShape")


def _extra() -> Shapes:
    return Shapes.of([*project_shapes().triples, *to_shapes(rdflib.Graph().parse(data=EXTRA, format="turtle")).triples])


def _rows(report, digest: str) -> list[tuple]:
    rows = {f"{BASE}evidence/coded/{digest[:16]}/{n}": n for n in range(2, 5)}
    return sorted(((rows.get(r.focus, r.focus), r.severity, r.shape.rsplit("#", 1)[-1].rsplit("/", 1)[-1])
                   for r in report.results), key=str)


@pytest.fixture(scope="module")
def imported(kb, tmp_path_factory) -> tuple[Store, Path]:
    store = Store()
    store.extend(kb)
    sheet = _sheet(tmp_path_factory.mktemp("again") / "sheet.csv", NEW[:3])
    done = import_sheet(store, sheet)
    assert (done.added, [(r.severity, r.focus.rsplit("/", 1)[-1]) for r in done.checked.report.results]) == (
        59, [("Warning", "3")])
    return store, sheet


@pytest.mark.parametrize("slice_rows", [1, 3, WHOLE])
def test_the_project_shapes_report_the_imported_rows_again(imported, slice_rows):
    store, path = imported
    sheet = read_coding_sheet(path, store=store, slice_rows=slice_rows)
    assert _rows(check_quads(store, sheet.records), sheet.digest) == [WARNING]


@pytest.mark.parametrize("slice_rows", [1, 3, WHOLE])
def test_shapes_that_reach_the_stored_rows_report_them_as_the_sheets(imported, slice_rows):
    """Before the fix, the sliced path gave nothing: every row was taken for a store node reached from a theme."""
    store, path = imported
    sheet = read_coding_sheet(path, store=store, slice_rows=slice_rows)
    expected = sorted([WARNING] + [(n, "Violation", shape) for n in (2, 3, 4)
                                   for shape in ("ShortText", "ShortTextRule")], key=str)
    shapes = _extra()
    report = check_quads(store, sheet.records, shapes=shapes)
    assert _rows(report, sheet.digest) == expected
    stored = list(store.quads_for_pattern(None, None, None, None))  # a list: one whole run, never sliced
    assert report.results == validate_records(stored, sheet.quads, shapes=shapes).results


# Read the import's inferred imri:hasEvidence (a theme -> its rows): each theme that a "Fictional" row is evidence
# for breaks both, once in SHACL Core and once as a SPARQL rule. The knowledge base's own examples are not fictional.
ON_INFERRED = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix imri: <https://w3id.org/imri/ontology#> .
<https://w3id.org/imri/test/NoFiction> a sh:NodeShape ; sh:targetSubjectsOf imri:hasEvidence ;
    sh:property [ sh:path imri:hasEvidence ; sh:qualifiedMaxCount 0 ;
                  sh:qualifiedValueShape [ sh:property [ sh:path imri:text ; sh:pattern "^Fictional" ; sh:minCount 1 ] ] ] .
<https://w3id.org/imri/test/NoFictionRule> a sh:NodeShape ; sh:targetSubjectsOf imri:hasEvidence ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:message "Fictional evidence." ;
        sh:select "SELECT $this WHERE { $this <https://w3id.org/imri/ontology#hasEvidence>/<https://w3id.org/imri/ontology#text> ?t FILTER STRSTARTS(?t, 'Fictional') }" ] .
"""
THEMES = ["https://w3id.org/imri/theme/biomedical-vs-recovery-oriented-approach",  # the sheet's rows 3, 4, 2
          "https://w3id.org/imri/theme/organizational-and-policy-commitment",
          "https://w3id.org/imri/theme/staff-turnover"]


@pytest.mark.parametrize("slice_rows", [1, 3, WHOLE])
def test_the_triples_inferred_on_import_are_validated(kb, tmp_path, slice_rows):
    """`validate` reads the sheet with what importing it infers (before, it missed these 6 results, which `check`
    then gave once the sheet was imported); shapes that do not read imri:hasEvidence or imri:spansGroup do not
    cost a whole run."""
    shapes = Shapes.of([*project_shapes().triples,
                        *to_shapes(rdflib.Graph().parse(data=ON_INFERRED, format="turtle")).triples])
    store = Store()
    store.extend(kb)
    sheet = read_coding_sheet(_sheet(tmp_path / "sheet.csv", NEW[:3]), store=store, slice_rows=slice_rows)
    report = check_quads(store, sheet.records, shapes=shapes)
    assert _rows(report, sheet.digest) == sorted(
        [WARNING] + [(t, "Violation", s) for t in THEMES for s in ("NoFiction", "NoFictionRule")], key=str)


def test_which_shapes_read_the_inferred_predicates():
    """The project's shapes do not (a sheet is then checked in slices, without the inferred file); ON_INFERRED's
    do, and so does a closed shape (it reads every predicate)."""
    from imri_kg.validation.slices import reads_any

    inferred = frozenset({"https://w3id.org/imri/ontology#hasEvidence", "https://w3id.org/imri/ontology#spansGroup"})
    closed = "<x:Closed> a <http://www.w3.org/ns/shacl#NodeShape> ; <http://www.w3.org/ns/shacl#closed> true ."
    assert [reads_any(shapes, inferred) for shapes in (
        project_shapes(), to_shapes(rdflib.Graph().parse(data=ON_INFERRED, format="turtle")),
        to_shapes(rdflib.Graph().parse(data=closed, format="turtle")))] == [False, True, True]


# Rules that read forwards with a variable predicate (`?x ?p ?value`), which may read what importing the rows infers
# (a theme's imri:hasEvidence to each new row). ThemeLinks reads one step from a theme; ThemeRows two, and so steps
# into the rows themselves; ExampleLinks starts from any evidence (the knowledge base's examples, stored, and the
# sheet's rows) and reads its theme's triples.
VARIABLE = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix imri: <https://w3id.org/imri/ontology#> .
<https://w3id.org/imri/test/ThemeLinks> a sh:NodeShape ; sh:targetClass imri:Theme ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:message "Links to a coded row." ;
        sh:select "SELECT $this ?value WHERE { $this ?p ?value FILTER STRSTARTS(STR(?value), 'https://w3id.org/imri/evidence/coded/') }" ] .
<https://w3id.org/imri/test/ThemeRows> a sh:NodeShape ; sh:targetClass imri:Theme ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:message "Links to a fictional row." ;
        sh:select "SELECT $this ?value WHERE { $this ?p ?value . ?value ?q ?t FILTER (isLiteral(?t) && STRSTARTS(STR(?t), 'Fictional')) }" ] .
<https://w3id.org/imri/test/ExampleLinks> a sh:NodeShape ; sh:targetSubjectsOf imri:theme ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:message "Its theme links to a coded row." ;
        sh:select "SELECT $this ?value WHERE { $this <https://w3id.org/imri/ontology#theme> ?t . ?t ?p ?value FILTER STRSTARTS(STR(?value), 'https://w3id.org/imri/evidence/coded/') }" ] .
"""


@pytest.mark.parametrize("slice_rows", [1, 3, WHOLE])
def test_rules_reading_any_predicate_forwards_see_what_the_import_infers(kb, tmp_path, slice_rows):
    """Before, the sliced check gave none of these results (the inferred file was left out when no shape named its
    predicates), and `check` then gave them once the sheet was imported. Each theme of a row (THEMES: rows 3, 4, 2)
    links to that row, once by ThemeLinks and once by ThemeRows; and each evidence of those themes, the knowledge
    base's examples and the rows themselves, gets ExampleLinks with the row of its theme."""
    shapes = Shapes.of([*project_shapes().triples,
                        *to_shapes(rdflib.Graph().parse(data=VARIABLE, format="turtle")).triples])
    store = Store()
    store.extend(kb)
    sheet = read_coding_sheet(_sheet(tmp_path / "sheet.csv", NEW[:3]), store=store, slice_rows=slice_rows)
    report = check_quads(store, sheet.records, shapes=shapes)
    rows = {f"{BASE}evidence/coded/{sheet.digest[:16]}/{n}": n for n in range(2, 5)}
    got = sorted(((rows.get(r.focus, r.focus), rows[r.value_nt.strip("<>")], r.shape.rsplit("/", 1)[-1])
                  for r in report.results if r.shape.startswith(BASE + "test/")), key=str)
    theme_of = dict(zip(THEMES, (3, 4, 2)))
    assert [g for g in got if g[2] != "ExampleLinks"] == sorted(
        [(t, n, shape) for t, n in theme_of.items() for shape in ("ThemeLinks", "ThemeRows")], key=str)
    examples = {t: [r["e"].value for r in store.query(
        f"SELECT DISTINCT ?e WHERE {{ ?e <https://w3id.org/imri/ontology#theme> <{t}> }}",
        use_default_graph_as_union=True)] for t in THEMES}
    assert [len(examples[t]) for t in THEMES] == [4, 4, 3]  # the knowledge base's examples of each theme
    assert [g for g in got if g[2] == "ExampleLinks"] == sorted(
        [(e, n, "ExampleLinks") for t, n in theme_of.items() for e in examples[t]]
        + [(n, n, "ExampleLinks") for n in (2, 3, 4)], key=str)
    stored = list(store.quads_for_pattern(None, None, None, None))
    whole = validate_records(stored, [*sheet.quads, *sheet.inferred_quads], shapes=shapes)
    assert report.results == [r for r in whole.results if r.focus not in {  # less the store's own results
        e for t in THEMES for e in examples[t]} or r.value_nt.strip("<>") in rows]


def test_an_on_disk_store_is_validated_against_without_the_sheets_graph(tmp_path):
    """The CLI path (on disk, `validate --store` after `import --store`): breaker 13h's scheme rule, which the 2
    rows break together with the knowledge base's 25, is reported again after the import, with exit 1, and the
    store is left as the import left it (the graph is removed from a checkpoint copy, not from the store)."""
    from click.testing import CliRunner
    from pyoxigraph import RdfFormat

    from imri_kg.cli import cli
    from tests.validation.test_break13h_revalidate import PREFIXES, SCHEMES
    from tests.validation.test_slice_reference import _rows_sheet
    from tests.validation.test_store_size import VALID

    store, shapes = tmp_path / "store", tmp_path / "schemes.ttl"
    shapes.write_text(PREFIXES + SCHEMES, encoding="utf-8")
    sheet = _rows_sheet(tmp_path / "sheet.csv", [(*VALID[i], "E. Coder") for i in range(2)])
    run = CliRunner().invoke
    assert run(cli, ["build", "--store", str(store)]).exit_code == 0
    ask = ["validate", str(sheet), "--shapes", str(shapes), "--store", str(store), "--format", "json"]
    first = run(cli, ask)
    assert first.exit_code == 1, first.output
    assert run(cli, ["import", str(sheet), "--store", str(store)]).exit_code == 0
    held = Store(str(store))
    before = sorted(held.dump(format=RdfFormat.N_QUADS).splitlines())
    del held
    again = run(cli, ask)
    assert (again.exit_code, again.output) == (1, first.output)
    held = Store(str(store))
    assert sorted(held.dump(format=RdfFormat.N_QUADS).splitlines()) == before
    assert "27 here" in again.output


def test_the_summary_counts_a_node_no_row_is_apart_from_the_rows(tmp_path):
    """The scheme rule's result is about the scheme, which no row of the sheet is: '1 other node', not '1 row'."""
    from click.testing import CliRunner

    from imri_kg.cli import cli
    from tests.validation.test_break13h_revalidate import PREFIXES, SCHEMES
    from tests.validation.test_slice_reference import _rows_sheet
    from tests.validation.test_store_size import VALID

    shapes = tmp_path / "schemes.ttl"
    shapes.write_text(PREFIXES + SCHEMES, encoding="utf-8")
    sheet = _rows_sheet(tmp_path / "sheet.csv", [(*VALID[i], "E. Coder") for i in range(2)])
    done = CliRunner().invoke(cli, ["validate", str(sheet), "--shapes", str(shapes)])
    assert done.exit_code == 1, done.output
    assert done.output.splitlines()[-1] == ("sheet.csv: 2 rows checked: does not conform: 1 violation(s), "
                                            "0 warning(s) in 1 other node.")
