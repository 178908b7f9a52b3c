"""Breaker 13h: the sh:ValidationReport graph (`--format turtle`, `Report.graph`) misstates two terms that pySHACL
reports as they are: a custom severity in the sh: namespace, and a custom constraint component.

1. A custom severity in the sh: namespace (`sh:severity sh:Error`, an IRI like any other: SHACL 2.1.4
allows any IRI) cannot be written as a report graph, so `imri-kg validate --format turtle` fails with exit 3
(issue 13: "a custom severity ... reported as pySHACL reports them").

validation/engines.py and validation/results.py keep a severity as its IRI less the sh: namespace ("Violation",
"Warning", "Info", or the IRI of a custom severity). For sh:Error that leaves "Error", and `to_report_graph` writes
it back as `<Error>` (SEVERITY_IRI knows only the three SHACL severities): a relative IRI, which rdflib's N-Triples
parser refuses, so `Report.graph` raises and the turtle report is never written. pySHACL reports
`sh:resultSeverity sh:Error`.

What a fix should do: keep a custom severity's whole IRI (or map the sh: ones back to it), so that the report graph
says sh:Error as pySHACL's does, and the text and JSON reports name it.

2. A custom constraint component (SHACL 6, a SPARQL-based validator: ex:MaxLength): the result's component is kept as
its IRI less the sh: namespace, that is its whole IRI, and `to_report_graph` writes `<sh:{constraint}>`, so the
report says sh:sourceConstraintComponent <http://www.w3.org/ns/shacl#https://w3id.org/imri/test/MaxLength>, an IRI
that names nothing; pySHACL says ex:MaxLength. A fix: write a component that is not in the sh: namespace as it is.
The IRIs other than SHACL's are made up for this test.
"""

import pyshacl
import rdflib
from click.testing import CliRunner
from pyoxigraph import RdfFormat, Store, parse
from rdflib.namespace import SH

from imri_kg.cli import cli
from imri_kg.importers.files import check_quads
from imri_kg.validation import to_shapes

EX = "https://w3id.org/imri/test/"
SHAPES = f"""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <{EX}> .
ex:Shape a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:severity sh:Error ; sh:message "Give a name." ] ."""
DATA = f"<{EX}a> a <{EX}Thing> .\n"
ERROR = rdflib.URIRef(str(SH) + "Error")  # not among rdflib's SH terms


def test_pyshacl_reports_sh_error():
    """Holds: the reference's own report graph."""
    _, graph, _ = pyshacl.validate(rdflib.Graph().parse(data=DATA, format="turtle"),
                                   shacl_graph=rdflib.Graph().parse(data=SHAPES, format="turtle"))
    assert set(graph.objects(None, SH.resultSeverity)) == {ERROR}


def test_the_report_graph_says_sh_error():
    shapes = to_shapes(rdflib.Graph().parse(data=SHAPES, format="turtle"))
    report = check_quads(Store(), list(parse(DATA, format=RdfFormat.TURTLE)), shapes=shapes)
    assert report.conforms is False
    assert set(report.graph.objects(None, SH.resultSeverity)) == {ERROR}  # on main: rdflib refuses <Error>


def test_validate_writes_the_turtle_report(tmp_path):
    (tmp_path / "shapes.ttl").write_text(SHAPES, encoding="utf-8")
    (tmp_path / "data.ttl").write_text(DATA, encoding="utf-8")
    done = CliRunner().invoke(cli, ["validate", str(tmp_path / "data.ttl"), "--shapes", str(tmp_path / "shapes.ttl"),
                                    "--format", "turtle"])
    assert done.exit_code == 1, done.output  # on main: 3, "imri-kg failed: ..."
    graph = rdflib.Graph().parse(data=done.output, format="turtle")
    assert set(graph.objects(None, SH.resultSeverity)) == {ERROR}


COMPONENT = f"""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <{EX}> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:MaxLength a sh:ConstraintComponent ; sh:parameter [ sh:path ex:maxChars ; sh:datatype xsd:integer ] ;
    sh:propertyValidator [ a sh:SPARQLSelectValidator ; sh:message "Too long." ;
        sh:select "SELECT $this ?value WHERE {{ $this $PATH ?value FILTER (STRLEN(STR(?value)) > $maxChars) }}" ] .
ex:Shape a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:name ; ex:maxChars 3 ] ."""
NAMED = f'<{EX}a> a <{EX}Thing> ; <{EX}name> "a long name" .\n'


def test_a_custom_component_is_named_as_pyshacl_names_it():
    _, graph, _ = pyshacl.validate(rdflib.Graph().parse(data=NAMED, format="turtle"),
                                   shacl_graph=rdflib.Graph().parse(data=COMPONENT, format="turtle"))
    expected = {rdflib.URIRef(f"{EX}MaxLength")}
    assert set(graph.objects(None, SH.sourceConstraintComponent)) == expected  # the reference
    shapes = to_shapes(rdflib.Graph().parse(data=COMPONENT, format="turtle"))
    report = check_quads(Store(), list(parse(NAMED, format=RdfFormat.TURTLE)), shapes=shapes)
    assert [(r.focus, r.value, r.message) for r in report.results] == [(f"{EX}a", "a long name", "Too long.")]
    assert set(report.graph.objects(None, SH.sourceConstraintComponent)) == expected  # on main: sh:https://...
