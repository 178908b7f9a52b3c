"""One verdict whatever the size: the two reproductions of issue 13 at 10, 250 and 2,500 records, and a property
test that a sheet's report is the union of its parts' reports and equals pySHACL's on the whole data graph.

All records here are fictional (IRIs under https://w3id.org/imri/test/).
"""

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imri_kg.cli import cli
from imri_kg.importers.coding_sheet import read_coding_sheet
from imri_kg.importers.files import check_file, check_quads
from tests.conftest import TESTS

T = "https://w3id.org/imri/test/"
SIZES = (10, 250, 2500)
PREFIXES = """@prefix imri: <https://w3id.org/imri/ontology#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix t: <https://w3id.org/imri/test/> .
"""


def dangling_broader(path: Path, records: int) -> Path:
    """A fictional scheme of `records` concepts; the last one's skos:broader names a concept that exists nowhere."""
    lines = [PREFIXES, ('t:scheme a skos:ConceptScheme ; rdfs:label "Fictional scheme"@en ; '
                        "prov:wasDerivedFrom t:source .")]
    for i in range(records - 1):
        lines.append(f't:c{i} skos:prefLabel "Fictional concept {i}"@en ; skos:inScheme t:scheme'
                     + (" ; skos:broader t:c0 ." if i else " ."))
    lines.append(f't:c{records - 1} skos:prefLabel "Last concept"@en ; skos:inScheme t:scheme ; '
                 "skos:broader t:nowhere .")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def inconsistent_total(path: Path, records: int) -> Path:
    """`records - 5` table notes, then a site whose printed total is 99 while its three cells add up to 12."""
    lines = [PREFIXES]
    for i in range(records - 5):
        lines.append(f't:note{i} a imri:TableNote ; rdfs:label "Fictional note {i}"@en ; imri:text "Note {i}."@en .')
    lines.append('t:site a imri:Site ; rdfs:label "Fictional site"@en ; imri:province "Fictional province" ; '
                 'imri:serviceKind "housing services" ; imri:fundingModel "non-profit" .')
    lines.append('t:total a imri:PrintedTotal ; rdfs:label "Fictional total"@en ; imri:totalOf t:site ; '
                 "imri:participants 99 .")
    for i in range(3):
        lines.append(f't:cell{i} a imri:ParticipantCount ; rdfs:label "Fictional cell {i}"@en ; imri:site t:site ; '
                     "imri:stakeholderGroup <https://w3id.org/imri/stakeholder-group/housing-proprietors> ; "
                     "imri:participants 4 .")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _summary(report) -> list[tuple]:
    return [(r.focus.removeprefix(T), r.path, r.value, r.shape.rsplit("#", 1)[-1], r.constraint, r.severity)
            for r in report.results]


@pytest.mark.parametrize("records", SIZES)
def test_a_dangling_broader_fails_at_every_size(kb, tmp_path, records):
    checked = check_file(kb, dangling_broader(tmp_path / "concepts.ttl", records))
    assert _summary(checked.report) == [(f"c{records - 1}", "http://www.w3.org/2004/02/skos/core#broader",
                                         T + "nowhere", "ConceptShape", "NodeConstraintComponent", "Violation")]
    assert checked.report.checked == records + 1  # the scheme and every concept


@pytest.mark.parametrize("records", SIZES)
def test_an_inconsistent_total_fails_at_every_size(kb, tmp_path, records):
    path = inconsistent_total(tmp_path / "sites.ttl", records)
    checked = check_file(kb, path)
    assert _summary(checked.report) == [("total", None, "12", "PrintedTotalShape", "SPARQLConstraintComponent",
                                         "Violation")]
    assert checked.report.results[0].message == (
        f"The participant counts of {T}site add up to 12 (counting each shared participant once, in the total of "
        "the site that counts them), but the printed total is 99.")


@pytest.mark.parametrize("records", (10, 2500))
def test_imri_kg_validate_exits_1_at_every_size(tmp_path, records):
    runner = CliRunner()
    for path in (dangling_broader(tmp_path / "c.ttl", records), inconsistent_total(tmp_path / "s.ttl", records)):
        done = runner.invoke(cli, ["validate", str(path)])
        assert done.exit_code == 1, done.output
        assert done.output.endswith("does not conform: 1 violation(s), 0 warning(s) in 1 record.\n")


MIXED = TESTS / "data" / "sheets" / "coded-evidence-mixed.csv"


@pytest.fixture(scope="module")
def mixed(kb):
    """The mixed fixture sheet's quads, grouped by row; the quads no row owns (import activity, coders) apart."""
    sheet = read_coding_sheet(MIXED, store=kb)
    rows: dict[str, list] = {iri: [] for iri in sheet.rows}
    shared = []
    for q in sheet.quads:
        owner = q.subject.value if q.subject.value in rows else None
        if owner is None and "/row/" in q.subject.value:
            number = int(q.subject.value.rsplit("/", 1)[-1])
            owner = next(iri for iri, n in sheet.rows.items() if n == number)
        (rows[owner] if owner else shared).append(q)
    return list(rows.values()), shared


def _keys(report) -> list[tuple]:
    return sorted((r.focus, r.path or "", r.value or "", r.shape, r.constraint, r.severity, r.message)
                  for r in report.results)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_sheet_reports_the_union_of_its_parts_and_what_pyshacl_reports(small, mixed, data):
    """Rows drawn from the mixed fixture sheet (valid and broken), cut in two; checked next to the knowledge base."""
    kb, (rows, shared) = small, mixed
    chosen = data.draw(st.lists(st.sampled_from(range(len(rows))), min_size=1, max_size=8, unique=True))
    cut = data.draw(st.integers(min_value=0, max_value=len(chosen)))
    parts = [chosen[:cut], chosen[cut:]]
    whole = check_quads(kb, shared + [q for i in chosen for q in rows[i]])
    union = sorted(k for part in parts if part
                   for k in _keys(check_quads(kb, shared + [q for i in part for q in rows[i]])))
    assert _keys(whole) == union
    reference = check_quads(kb, shared + [q for i in chosen for q in rows[i]], engine="pyshacl")
    assert _keys(whole) == _keys(reference)


def test_relative_iris_are_read_against_the_files_location(tmp_path):
    """RDF 1.1 Concepts 4.2: <> and <#part> resolve against the file's own location, so the file is not refused."""
    import rdflib
    from pyoxigraph import Store

    from imri_kg.validation import to_shapes

    ex = "http://example.org/fictional/"
    shapes = to_shapes(rdflib.Graph().parse(data=f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <{ex}Shape> a sh:NodeShape ; sh:targetClass <{ex}Thing> ;
            sh:property [ sh:path <{ex}name> ; sh:minCount 1 ; sh:message "Give a name." ] .""", format="turtle"))
    path = tmp_path / "data.ttl"
    path.write_text(f'<> a <{ex}Thing> .\n<#part> a <{ex}Thing> ; <{ex}name> "Part" .\n', encoding="utf-8")
    report = check_file(Store(), path, shapes=shapes).report
    assert [(r.focus, r.message) for r in report.results] == [(path.resolve().as_uri(), "Give a name.")]
    assert report.checked == 2
    done = CliRunner().invoke(cli, ["validate", str(path)])
    assert done.exit_code == 0, done.output  # the project's shapes target nothing here
    assert done.output == "data.ttl: 2 records checked: all conform.\n"


def test_new_cells_that_break_a_stored_total_are_reported(kb, tmp_path):
    """The total is in the store and conforms there; the new file adds a cell for its site and never names it."""
    from pyoxigraph import RdfFormat, Store, parse

    path = inconsistent_total(tmp_path / "stored.ttl", 5)
    stored = path.read_text(encoding="utf-8").replace("imri:participants 99", "imri:participants 12")
    path.write_text(stored, encoding="utf-8")
    store = Store()
    store.extend(kb)
    store.extend(q for q in parse(stored, format=RdfFormat.TURTLE))
    assert check_file(store, tmp_path / "stored.ttl").report.results == []  # nothing new in the stored file
    extra = tmp_path / "extra.ttl"
    extra.write_text(PREFIXES + 't:cell9 a imri:ParticipantCount ; rdfs:label "Fictional cell 9"@en ; '
                     "imri:site t:site ; imri:stakeholderGroup "
                     "<https://w3id.org/imri/stakeholder-group/housing-proprietors> ; imri:participants 1 .\n",
                     encoding="utf-8")
    checked = check_file(store, extra)
    assert _summary(checked.report) == [("total", None, "13", "PrintedTotalShape", "SPARQLConstraintComponent",
                                         "Violation")]


def test_to_rdflib_makes_the_terms_rdflibs_ntriples_parser_makes_literals_as_written():
    """The terms rdflib's N-Triples parser makes with literal normalisation off: "none"^^xsd:boolean stays "none"
    (normalised, rdflib would make it "false" and a report would show a value the data does not hold)."""
    import rdflib
    from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, serialize
    from rdflib.compare import isomorphic

    from imri_kg.validation import to_rdflib

    s, p, b = NamedNode("https://example.org/s"), NamedNode("https://example.org/p"), BlankNode("b1")
    xsd = "http://www.w3.org/2001/XMLSchema#"
    objects = [Literal("plain"), Literal("tagged", language="en-GB"), Literal("none", datatype=NamedNode(xsd + "boolean")),
               Literal("07", datatype=NamedNode(xsd + "integer")), Literal("x" * 200_000 + '"\n\\'), b]
    quads = [Quad(s, p, o, NamedNode("https://example.org/g")) for o in objects] + [Quad(b, p, Literal("in a blank"))]
    rdflib.NORMALIZE_LITERALS = False
    try:
        parsed = rdflib.Graph().parse(data=serialize([q.triple for q in quads], format=RdfFormat.N_TRIPLES), format="nt")
    finally:
        rdflib.NORMALIZE_LITERALS = True
    made = to_rdflib(quads)
    assert len(made) == 7 and isomorphic(made, parsed)
    written = {str(o) for o in made.objects(rdflib.URIRef(s.value), rdflib.URIRef(p.value))
               if isinstance(o, rdflib.Literal)}
    assert {"none", "07"} <= written and "false" not in written and "7" not in written
