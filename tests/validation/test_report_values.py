"""The sh:ValidationReport (`imri-kg validate --format turtle`, `Report.graph`) states each result as SHACL 3.6 says.

A. sh:value and sh:focusNode are the data's terms: "none"^^xsd:boolean stays "none", not false, and
"0100"^^xsd:integer is reported as the store will hold it, "100" (validation/records.stored_form); an ill-typed
value is never rewritten.

B. sh:resultPath is the property shape's path, also a complex one (a sequence, an inverse or an alternative path
written as its SHACL structure), and sh:sourceShape is the property shape, not its node shape: a blank property
shape is copied into the report with its triples, as pySHACL copies it. The text report names the path too.

The IRIs other than SHACL's and XSD's are made up for these tests.
"""

import pyshacl
import rdflib
from click.testing import CliRunner
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Store, parse

from imri_kg.cli import cli
from imri_kg.importers.files import check_quads
from imri_kg.validation import to_shapes, validate_graph

EX = "https://w3id.org/imri/test/"
SH = "http://www.w3.org/ns/shacl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
HEAD = f"@prefix sh: <{SH}> . @prefix ex: <{EX}> . @prefix xsd: <{XSD}> .\n"

VALUES = HEAD + """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
    sh:property [ sh:path ex:flag ; sh:datatype xsd:boolean ] ;
    sh:property [ sh:path ex:n ; sh:maxInclusive 10 ] ;
    sh:property [ sh:path ex:label ; sh:maxLength 2 ] ."""
VALUED = HEAD + """ex:a a ex:C ; ex:flag "none"^^xsd:boolean ; ex:n "0100"^^xsd:integer ; ex:label "chat"@fr .
[] a ex:C ; ex:n "011"^^xsd:integer ."""

PATHS = HEAD + """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
    sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ] ;
    sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:maxCount 0 ] ;
    sh:property ex:Named .
ex:Named sh:path [ sh:alternativePath ( ex:r [ sh:oneOrMorePath ex:s ] ) ] ; sh:minCount 1 ."""
PATHED = HEAD + "ex:a a ex:C . ex:b a ex:C ; ex:p ex:a ."


def _cli(tmp_path, shapes: str, data: str, fmt: str = "turtle"):
    (tmp_path / "shapes.ttl").write_text(shapes, encoding="utf-8")
    (tmp_path / "data.ttl").write_text(data, encoding="utf-8")
    return CliRunner().invoke(cli, ["validate", str(tmp_path / "data.ttl"), "--shapes", str(tmp_path / "shapes.ttl"),
                                    "--format", fmt])


def _triples(turtle: str) -> list:
    return [q.triple for q in parse(turtle, format=RdfFormat.TURTLE)]


def _objects(triples: list, s: object, p: str) -> list:
    return [t.object for t in triples if t.subject == s and t.predicate.value == p]


def _results(triples: list) -> list:
    return [t.subject for t in triples if t.predicate.value == RDF + "type" and t.object.value == SH + "ValidationResult"]


def _described(triples: list, node: object) -> str:
    """A term with what its blank nodes say, in one text that does not depend on blank node labels."""
    if not isinstance(node, BlankNode):
        return str(node)
    parts = sorted(f"{t.predicate} {_described(triples, t.object)}" for t in triples if t.subject == node)
    return "[" + " ; ".join(parts) + "]"


def _summary(triples: list) -> set:
    """(focus node, component, resultPath, sourceShape) of each result, blank nodes as what they say."""
    out = set()
    for r in _results(triples):
        def one(p: str, r=r) -> str:
            found = _objects(triples, r, SH + p)
            return _described(triples, found[0]) if found else ""
        focus = one("focusNode") if not isinstance(_objects(triples, r, SH + "focusNode")[0], BlankNode) else "_"
        out.add((focus, one("sourceConstraintComponent"), one("resultPath"), one("sourceShape")))
    return out


def _pyshacl(shapes: str, data: str) -> list:
    _, graph, _ = pyshacl.validate(rdflib.Graph().parse(data=data, format="turtle"),
                                   shacl_graph=rdflib.Graph().parse(data=shapes, format="turtle"))
    return [q.triple for q in parse(graph.serialize(format="nt"), format=RdfFormat.N_TRIPLES)]


def test_values_are_the_datas_terms(tmp_path):
    done = _cli(tmp_path, VALUES, VALUED)
    assert done.exit_code == 1, done.output
    triples = _triples(done.output)  # valid Turtle, read back by Oxigraph (which keeps every literal as written)
    values = {t.object for t in triples if t.predicate.value == SH + "value"}
    assert values == {Literal("none", datatype=NamedNode(XSD + "boolean")),
                      Literal("100", datatype=NamedNode(XSD + "integer")),  # as the store will hold it
                      Literal("11", datatype=NamedNode(XSD + "integer")), Literal("chat", language="fr")}
    focus = {t.object for t in triples if t.predicate.value == SH + "focusNode"}
    assert NamedNode(EX + "a") in focus and sum(isinstance(f, BlankNode) for f in focus) == 1
    assert rdflib.Graph().parse(data=done.output, format="turtle")  # and rdflib reads it too


def test_the_report_graph_keeps_the_values():
    shapes = to_shapes(rdflib.Graph().parse(data=VALUES, format="turtle"))
    report = check_quads(Store(), list(parse(VALUED, format=RdfFormat.TURTLE)), shapes=shapes)
    values = {(str(v), v.datatype, v.language) for v in report.graph.objects(None, rdflib.URIRef(SH + "value"))}
    assert values == {("none", rdflib.URIRef(XSD + "boolean"), None), ("100", rdflib.URIRef(XSD + "integer"), None),
                      ("11", rdflib.URIRef(XSD + "integer"), None), ("chat", None, "fr")}


def test_warnings_conform(tmp_path):
    done = _cli(tmp_path, VALUES.replace("sh:maxInclusive 10", "sh:maxInclusive 10 ; sh:severity sh:Warning"),
                HEAD + 'ex:a a ex:C ; ex:n "0100"^^xsd:integer .')
    assert done.exit_code == 0, done.output
    triples = _triples(done.output)
    assert {t.object for t in triples if t.predicate.value == SH + "conforms"} == {
        Literal("true", datatype=NamedNode(XSD + "boolean"))}
    assert len(_results(triples)) == 1


def test_paths_and_source_shapes_as_pyshacl_gives_them(tmp_path):
    done = _cli(tmp_path, PATHS, PATHED)
    assert done.exit_code == 1, done.output
    ours = _summary(_triples(done.output))
    seq, inv = f"[<{RDF}first> <{EX}p> ; <{RDF}rest> [<{RDF}first> <{EX}q> ; <{RDF}rest> <{RDF}nil>]]", \
        f"[<{SH}inversePath> <{EX}p>]"
    alt = (f"[<{SH}alternativePath> [<{RDF}first> <{EX}r> ; <{RDF}rest> [<{RDF}first> [<{SH}oneOrMorePath> "
           f"<{EX}s>] ; <{RDF}rest> <{RDF}nil>]]]")
    component = f"<{SH}MinCountConstraintComponent>"
    assert ours == {
        (f"<{EX}a>", component, seq, f"[<{SH}minCount> {_one()} ; <{SH}path> {seq}]"),
        (f"<{EX}b>", component, seq, f"[<{SH}minCount> {_one()} ; <{SH}path> {seq}]"),
        (f"<{EX}a>", f"<{SH}MaxCountConstraintComponent>", inv, f"[<{SH}maxCount> {_zero()} ; <{SH}path> {inv}]"),
        (f"<{EX}a>", component, alt, f"<{EX}Named>"), (f"<{EX}b>", component, alt, f"<{EX}Named>")}
    assert ours == _summary(_pyshacl(PATHS, PATHED))  # the reference says the same


def test_a_blank_property_shape_is_copied_once_with_its_path(tmp_path):
    triples = _triples(_cli(tmp_path, PATHS, PATHED).output)
    shapes = {s for r in _results(triples) for s in _objects(triples, r, SH + "sourceShape")}
    assert len(shapes) == 3  # two blank property shapes and ex:Named
    for r in _results(triples):
        shape, path = _objects(triples, r, SH + "sourceShape")[0], _objects(triples, r, SH + "resultPath")[0]
        if isinstance(shape, BlankNode):
            assert _objects(triples, shape, SH + "path") == [path]  # the shape's own path node
    assert len([t for t in triples if t.predicate.value == SH + "minCount"]) == 1


def test_the_reference_engine_reports_the_same_shapes_and_paths():
    """pySHACL's results name the blank shapes by the labels of the shapes graph too, so that they are copied."""
    shapes = to_shapes(rdflib.Graph().parse(data=PATHS, format="turtle"))
    data = list(parse(PATHED, format=RdfFormat.TURTLE))
    rust, reference = (validate_graph(data, shapes=shapes, engine=e).ntriples() for e in ("rust", "pyshacl"))
    assert _summary(_triples(reference)) == _summary(_triples(rust))
    assert len(_summary(_triples(rust))) == 5


def test_the_text_report_names_a_complex_path(tmp_path):
    done = _cli(tmp_path, PATHS, PATHED, "text")
    assert done.exit_code == 1, done.output
    lines = [line for line in done.output.splitlines() if line.startswith("  ")]
    assert f"  Violation, (<{EX}p> / <{EX}q>): Property has 0 values (min: 1)" in lines
    assert f"  Violation, ^(<{EX}p>): Property has 1 values (max: 0)" in lines
    assert sum(f"(<{EX}r> | (<{EX}s>)+)" in line for line in lines) == 2
    assert not any(f"{EX}S:" in line for line in lines)  # not the node shape's name


def test_two_files_two_reports(tmp_path):
    """Blank nodes of the same label in two N-Triples files are two nodes, as are the reports' own."""
    (tmp_path / "shapes.ttl").write_text(VALUES, encoding="utf-8")
    for name in ("one.nt", "two.nt"):
        (tmp_path / name).write_text(f'_:x <{RDF}type> <{EX}C> .\n_:x <{EX}n> "0100"^^<{XSD}integer> .\n', encoding="utf-8")
    done = CliRunner().invoke(cli, ["validate", str(tmp_path / "one.nt"), str(tmp_path / "two.nt"), "--shapes",
                                    str(tmp_path / "shapes.ttl"), "--format", "turtle"])
    assert done.exit_code == 1, done.output
    triples = _triples(done.output)
    reports = [t.subject for t in triples if t.object == NamedNode(SH + "ValidationReport")]
    assert len(reports) == 2
    assert len({t.object for t in triples if t.predicate.value == SH + "focusNode"}) == 2


def _one() -> str:
    return str(Literal("1", datatype=NamedNode(XSD + "integer")))


def _zero() -> str:
    return str(Literal("0", datatype=NamedNode(XSD + "integer")))
