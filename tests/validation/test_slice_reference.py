"""Slices (validation/slices.py) against one whole run, with reviewers' shapes (`--shapes`) and a store: the report
of a sheet is the one pySHACL gives on the store plus the sheet, filtered as validation/records.py filters it (the
results about the new data, and those about stored nodes that the store alone does not give) (issue 13, item 1).

Found by a breaker (break13d). The shapes are written for these tests (IRIs under https://w3id.org/imri/test/);
the sheet rows are fictional.
"""

import rdflib

from imri_kg.importers.coding_sheet import read_coding_sheet
from imri_kg.importers.files import check_quads
from imri_kg.validation import to_shapes
from imri_kg.validation.records import validate_records
from tests.conftest import TESTS

GOOD = TESTS / "data" / "sheets" / "coded-evidence-good.csv"  # 3 rows, all conforming
T = "https://w3id.org/imri/test/"
PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix imri: <https://w3id.org/imri/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def _shapes(text: str):
    return to_shapes(rdflib.Graph().parse(data=PREFIXES + text, format="turtle"))


def _found(report) -> list[tuple]:
    return sorted((r.focus, r.value, r.source_shape, r.message) for r in report.results)


def _sliced(store, sheet_path, shapes, slice_rows: int) -> list[tuple]:
    sheet = read_coding_sheet(sheet_path, store=store, slice_rows=slice_rows)
    return _found(check_quads(store, sheet.records, shapes=shapes))


def _reference(store, sheet_path, shapes) -> list[tuple]:
    """pySHACL over the store plus the sheet's records, as validate_records filters it."""
    sheet = read_coding_sheet(sheet_path, store=store)
    return _found(validate_records(store, sheet.quads, shapes=shapes, engine="pyshacl"))


# Every skos:prefLabel is a focus node (a literal): the stored themes' labels are longer than 3 characters.
SHORT_LABELS = f"""<{T}ShortLabel> a sh:NodeShape ; sh:targetObjectsOf skos:prefLabel ; sh:maxLength 3 ;
    sh:message "A preferred label is at most 3 characters." ."""


def test_a_stored_literal_focus_node_is_not_blamed_on_the_sheet(kb):
    """The sheet adds no skos:prefLabel: the labels that break the shape are all in the store, so the store alone
    gives every result and the sheet's report has none (pySHACL's). The sliced path reported the five stored
    prefLabels of the themes and groups the rows name (a literal focus node is never among the store nodes it
    drops, validation/slices.py `others`, and `alone` holds only the SPARQL rules' results)."""
    shapes = _shapes(SHORT_LABELS)
    assert _reference(kb, GOOD, shapes) == []
    assert _sliced(kb, GOOD, shapes, 1) == []
    assert _sliced(kb, GOOD, shapes, 10**9) == []


# Every class that something is an instance of names a label. prov:Activity, prov:Agent and prov:Entity (the
# sheet's import, coders and source rows are their instances) have no rdfs:label in the store; owl:Class (the
# ontology's classes are its instances) has none either, but no row names it.
CLASS_LABELS = f"""@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
<{T}ClassLabel> a sh:NodeShape ; sh:targetObjectsOf rdf:type ;
    sh:property [ sh:path rdfs:label ; sh:minCount 1 ; sh:message "A class has a label." ] ."""
PROV = "http://www.w3.org/ns/prov#"


def test_a_stored_node_that_no_row_names_is_not_blamed_on_the_sheet(kb):
    """owl:Class is reached from the themes the rows name (theme rdf:type imri:Theme rdf:type owl:Class) but has
    no triple of its own: the store alone gives its result, so the report does not hold it (pySHACL's). The sliced
    path reported it (validation/slices.py drops only the results of reached nodes that are subjects)."""
    shapes = _shapes(CLASS_LABELS)
    expected = [(PROV + c, "A class has a label.") for c in ("Activity", "Agent", "Entity")]
    assert [(f, m) for f, _, _, m in _reference(kb, GOOD, shapes)] == expected
    assert [(f, m) for f, _, _, m in _sliced(kb, GOOD, shapes, 1)] == expected


def _rows_sheet(path, rows: list[tuple], first: int = 0):
    """A coding sheet of (study, theme, innovation group, coder) rows; row i's text is "Fictional row {first + i}."
    (sheets with other texts are other imports)."""
    import csv

    from tests.validation.test_store_size import COLUMNS

    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        for i, (study, theme, group, coder) in enumerate(rows, first):
            writer.writerow({"study": study, "kind": "example", "theme": theme, "innovation_group": group,
                             "text": f"Fictional row {i}.", "language": "en", "coder": coder, "date": "2024-06-01"})
    return path


# A coder codes at most 3 rows; the message names the coder (its label is read next to the rows it codes).
NAMED_LOAD = f"""<{T}NamedLoad> a sh:NodeShape ; sh:targetClass prov:Agent ;
    sh:sparql [ sh:message "{{?name}} codes {{?value}} rows." ;
        sh:select \"\"\"SELECT $this (COUNT(?e) AS ?value) (SAMPLE(?n) AS ?name) WHERE {{
            ?e <http://www.w3.org/ns/prov#wasAttributedTo> $this . $this <http://www.w3.org/2000/01/rdf-schema#label> ?n }}
            GROUP BY $this HAVING (COUNT(?e) > 3)\"\"\" ] ."""


def test_a_stored_rule_result_of_two_imports_is_not_blamed_on_the_sheet(kb, tmp_path):
    """Two earlier sheets of 2 rows each by B. Coder are in the store (4 rows: over 3); each import's graph holds
    the coder's label. The new sheet has one row by C. Coder: B. Coder's result (4 rows) is the store's own, so the
    report is empty (pySHACL's). The sliced path reported "B. Coder codes 4 rows.": what the store alone gives was
    counted over the union of its graphs (validation/slices.py `alone`, use_default_graph_as_union), where the
    label, in two graphs, doubles every row (8), so the store's own result (4) did not match it."""
    from pyoxigraph import Store

    from imri_kg.importers.files import import_sheet
    from tests.validation.test_store_size import VALID

    store = Store()
    store.extend(kb)
    for n in range(2):
        rows = [(*VALID[i % 2], "B. Coder") for i in range(2)]
        done = import_sheet(store, _rows_sheet(tmp_path / f"earlier-{n}.csv", rows, first=10 * n))
        assert (done.checked.report.conforms, done.added) == (True, 41)
    new = _rows_sheet(tmp_path / "new.csv", [(*VALID[0], "C. Coder")])
    shapes = _shapes(NAMED_LOAD)
    assert _reference(store, new, shapes) == []
    assert _sliced(store, new, shapes, 1) == []


# The same check as SHORT_LABELS, as a SHACL-SPARQL rule (it reads no triple: validation/sparql.py runs it as a
# rule that reads forwards).
SHORT_LABELS_RULE = f"""<{T}ShortLabelRule> a sh:NodeShape ; sh:targetObjectsOf skos:prefLabel ;
    sh:sparql [ sh:message "A preferred label is at most 3 characters." ;
        sh:select "SELECT $this WHERE {{ FILTER (STRLEN(STR($this)) > 3) }}" ] ."""


def test_a_stored_literal_focus_node_of_a_rule_is_not_blamed_on_the_sheet(kb):
    """As test_a_stored_literal_focus_node_is_not_blamed_on_the_sheet, for a rule: the five stored prefLabels of
    the themes and groups the rows name were reported (validation/slices.py `_rules` keeps a forward rule's focus
    nodes that are not subjects of the reached store triples)."""
    shapes = _shapes(SHORT_LABELS_RULE)
    assert _reference(kb, GOOD, shapes) == []
    assert _sliced(kb, GOOD, shapes, 1) == []


# Coders are pseudonymous: the coder a record is attributed to has no name.
PSEUDONYMOUS = f"""<{T}Pseudonymous> a sh:NodeShape ; sh:targetSubjectsOf prov:wasAttributedTo ;
    sh:property [ sh:path prov:wasAttributedTo ; sh:node <{T}Unnamed> ; sh:message "Coders are not named." ] .
<{T}Unnamed> a sh:NodeShape ; sh:property [ sh:path rdfs:label ; sh:maxCount 0 ] ."""


def test_a_stored_record_broken_by_a_new_coder_name_is_reported(kb, tmp_path):
    """The store holds a record (loaded as RDF) attributed to <coder/d-coder>, an IRI the store has no triple
    about. The sheet's row by "D. Coder" gives that coder its label: now the stored record breaks the shape too,
    which the store alone does not give, so it is in the report (pySHACL's), next to the new row. The sliced path
    missed the stored record: validation/slices.py `changed` asks whether the store has the new triples' subject
    as a subject, and the coder was only an object there."""
    from pyoxigraph import RdfFormat, Store, parse

    from tests.validation.test_store_size import VALID

    store = Store()
    store.extend(kb)
    store.extend(parse(f"""<{T}old> a <https://w3id.org/imri/ontology#Example> ;
        <http://www.w3.org/ns/prov#wasAttributedTo> <https://w3id.org/imri/coder/d-coder> .""",
                       format=RdfFormat.TURTLE))
    new = _rows_sheet(tmp_path / "new.csv", [(*VALID[0], "D. Coder")])
    row = next(iter(read_coding_sheet(new, store=store).rows))
    coder = "https://w3id.org/imri/coder/d-coder"
    expected = sorted([(row, coder, "Coders are not named."), (f"{T}old", coder, "Coders are not named.")])
    shapes = _shapes(PSEUDONYMOUS)
    assert [(f, v, m) for f, v, _, m in _reference(store, new, shapes)] == expected
    assert [(f, v, m) for f, v, _, m in _sliced(store, new, shapes, 1)] == expected


def test_a_stored_inconsistent_total_held_in_two_graphs_is_not_blamed_on_a_sheet(small, tmp_path):
    """The project's own shapes. The store holds a printed total of 99 whose three cells add up to 12 (the store's
    own violation, which `imri-kg check` reports), loaded into two named graphs. The sheet (3 conforming rows) names
    neither the total nor its site: its report is empty, as pySHACL gives it. The sliced path reported the total:
    what the store alone gives was counted over the union of its graphs (every cell twice: 24), so the store's own
    result (12) did not match it (validation/slices.py `alone`)."""
    from pyoxigraph import NamedNode, Quad, RdfFormat, Store, parse

    from tests.validation.test_records import inconsistent_total

    store = Store()
    store.extend(small)
    text = inconsistent_total(tmp_path / "total.ttl", 5).read_text(encoding="utf-8")
    for graph in ("https://w3id.org/imri/test/graph/one", "https://w3id.org/imri/test/graph/two"):
        store.extend(Quad(q.subject, q.predicate, q.object, NamedNode(graph))
                     for q in parse(text, format=RdfFormat.TURTLE))
    sheet = read_coding_sheet(GOOD, store=store)
    assert validate_records(store, sheet.quads, engine="pyshacl").results == []
    for slice_rows in (1, 10**9):
        sheet = read_coding_sheet(GOOD, store=store, slice_rows=slice_rows)
        assert [(r.focus, r.value) for r in check_quads(store, sheet.records).results] == []


# At most 28 coded rows per concept scheme (counted through the rows' themes).
SCHEME_LOAD = f"""<{T}SchemeLoad28> a sh:NodeShape ; sh:targetClass skos:ConceptScheme ;
    sh:sparql [ sh:message "At most 28 coded rows per scheme; {{?value}} here." ;
        sh:select \"\"\"SELECT $this (COUNT(?e) AS ?value) WHERE {{
            ?e <https://w3id.org/imri/ontology#theme> ?t . ?t <http://www.w3.org/2004/02/skos/core#inScheme> $this }}
            GROUP BY $this HAVING (COUNT(?e) > 28)\"\"\" ] ."""


def test_new_rows_that_break_a_stored_scheme_s_limit_are_caught_when_stored_rows_are_in_two_graphs(small, tmp_path):
    """The knowledge base codes 25 rows to themes of <scheme/themes>; the store also holds 3 fictional rows coded to
    Staff turnover, loaded into two named graphs: 28, within the limit. The sheet's 3 rows name themes of the same
    scheme: 31, over it, a result the store alone does not give, so it is in the report (pySHACL's). The sliced
    path missed it: the store alone was counted over the union of its graphs (the 3 rows twice: 31), which gave
    the very same result, so it was taken for the store's own (validation/slices.py `alone`)."""
    from pyoxigraph import NamedNode, Quad, RdfFormat, Store, parse

    store = Store()
    store.extend(small)
    rows = "\n".join(f"<{T}stored-row-{i}> <https://w3id.org/imri/ontology#theme> "
                     "<https://w3id.org/imri/theme/staff-turnover> ." for i in range(3))
    for graph in (f"{T}graph/one", f"{T}graph/two"):
        store.extend(Quad(q.subject, q.predicate, q.object, NamedNode(graph))
                     for q in parse(rows, format=RdfFormat.N_TRIPLES))
    shapes = _shapes(SCHEME_LOAD)
    expected = [("https://w3id.org/imri/scheme/themes", "31", f"{T}SchemeLoad28",
                 "At most 28 coded rows per scheme; 31 here.")]
    assert _reference(store, GOOD, shapes) == expected
    assert _sliced(store, GOOD, shapes, 1) == expected
