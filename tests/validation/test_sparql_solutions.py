"""A SPARQL constraint whose query gives the same solution several times (a join that multiplies rows) gives one
result per distinct solution, as pySHACL does, on every path that runs it: Oxigraph (validation/sparql.py run),
shacl-rust (the constraints engines.PER_NODE hands it, and those on property shapes), and `imri-kg validate`."""

import json

import pyshacl
import pytest
import rdflib
from click.testing import CliRunner
from pyoxigraph import Store

from imri_kg.cli import cli
from imri_kg.importers.files import check_file
from imri_kg.validation import engines, to_results, to_shapes
from imri_kg.validation.sparql import distinct

EX = "http://example.org/fictional/"
PREFIXES = f"@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <{EX}> .\n"
JOIN = f"?x <{EX}q> ?y"  # four rows: every solution of the rest comes four times
NODE = f"""
ex:Join a sh:NodeShape ; sh:targetClass ex:F ; sh:sparql [ sh:message "p is {{?value}}" ;
  sh:select "SELECT $this ?value WHERE {{ $this <{EX}p> ?value . {JOIN} }}" ] .
ex:Any a sh:NodeShape ; sh:targetClass ex:F ;
  sh:sparql [ sh:select "SELECT $this WHERE {{ $this ?pred ?o . {JOIN} }}" ] .
ex:JoinY a sh:NodeShape ; sh:targetClass ex:F ; sh:sparql [ sh:message "p is {{?value}}" ;
  sh:select "SELECT $this ?value ?y WHERE {{ $this <{EX}p> ?value . {JOIN} }}" ] .
"""
# A property shape's constraint stays with shacl-rust, and with it every check is one whole run (engines.run_rust).
PROPERTY = f"""
ex:Prop a sh:NodeShape ; sh:targetClass ex:F ; sh:property [ sh:path ex:p ;
  sh:sparql [ sh:select "SELECT $this ?value WHERE {{ $this $PATH ?value . {JOIN} }}" ] ] .
"""
DATA = "ex:f1 a ex:F ; ex:p 1, 2 . ex:f2 a ex:F ; ex:p 3 . ex:a ex:q 1, 2, 3 . ex:b ex:q 3 ."
# By hand, per focus node (f1: 3 triples, 2 values of ex:p; f2: 2 triples, 1 value; ?y: 3 distinct of 4 rows):
# Join 2 + 1 (of 8 + 4 solutions), Any 1 + 1 (of 12 + 8), JoinY one per (value, y): 2*3 + 1*3 (of 8 + 4).
NODE_COUNT = 3 + 2 + 9
PROPERTY_COUNT = NODE_COUNT + 2 + 1  # Prop: as Join, the path ex:p


@pytest.fixture(params=[("node", NODE, NODE_COUNT), ("property", NODE + PROPERTY, PROPERTY_COUNT)],
                ids=lambda p: p[0])
def case(request, tmp_path):
    _, shapes, count = request.param
    (tmp_path / "shapes.ttl").write_text(PREFIXES + shapes, encoding="utf-8")
    (tmp_path / "data.ttl").write_text(PREFIXES + DATA, encoding="utf-8")
    return tmp_path / "shapes.ttl", tmp_path / "data.ttl", count


def _key(r) -> tuple:
    return r.focus, r.path or "", r.value, r.shape, r.severity, r.message, r.constraint


def _pyshacl(shapes_file, data_file) -> list[tuple]:
    shapes = rdflib.Graph().parse(shapes_file)
    _, report, _ = pyshacl.validate(rdflib.Graph().parse(data_file), shacl_graph=shapes, advanced=True)
    return sorted(map(_key, to_results(report, shapes=shapes)))


@pytest.mark.parametrize("limit", [10**9, 0])  # shacl-rust may run Any, then Oxigraph runs every node shape's
@pytest.mark.parametrize("engine", ["rust", "pyshacl"])
def test_each_distinct_solution_is_one_result_as_pyshacl_gives(case, engine, limit, monkeypatch):
    shapes_file, data_file, count = case
    expected = _pyshacl(shapes_file, data_file)
    assert len(expected) == count
    monkeypatch.setattr(engines, "PER_NODE", limit)
    report = check_file(Store(), data_file, shapes=to_shapes(shapes_file), engine=engine).report
    assert sorted(map(_key, report.results)) == expected


def test_imri_kg_validate_counts_each_distinct_solution_once(case):
    shapes_file, data_file, count = case
    result = CliRunner().invoke(cli, ["validate", str(data_file), "--shapes", str(shapes_file), "--format", "json"],
                                catch_exceptions=False)
    assert result.exit_code == 1
    checked = json.loads(result.stdout)["files"][0]
    assert (checked["violations"], len(checked["results"])) == (count, count)


@pytest.mark.parametrize(("query", "expected"), [
    ("SELECT $this WHERE { $this ?p ?o }", "SELECT DISTINCT $this WHERE { $this ?p ?o }"),
    ("PREFIX ex: <http://e/> # SELECT\nselect reduced ?o { $this ex:p ?o }",
     "PREFIX ex: <http://e/> # SELECT\nSELECT DISTINCT ?o { $this ex:p ?o }"),
    ("SELECT*{ $this ?p ?o }", "SELECT DISTINCT *{ $this ?p ?o }"),
    ("SELECT DISTINCT $this WHERE { $this ?p ?o }", "SELECT DISTINCT $this WHERE { $this ?p ?o }"),
    ("ASK { $this ?p ?o }", "ASK { $this ?p ?o }"),
])
def test_the_query_shacl_rust_runs_is_distinct(query, expected):
    assert distinct(query) == expected
