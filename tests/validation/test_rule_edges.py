"""SHACL-SPARQL constraints from a reviewer's own shapes file, through the path of `imri-kg validate FILE --shapes`
(importers.files.check_file): each gives pySHACL's results, whichever engine runs the rule inside (issue 13, item 1).

Found by a breaker: a deactivated shape's rule still reported, the message of a rule without sh:message changing
when the number of focus nodes crosses engines.PER_NODE, and a rule whose SELECT does not project $this stopping
validation (and leaving the process waiting for shacl-rust, which reads a stream already closed).
"""

import subprocess
import sys
import textwrap
from pathlib import Path

from pyoxigraph import Store

from imri_kg.importers.files import check_file
from imri_kg.validation import to_shapes

EX = "http://example.org/fictional/"
PREFIXES = f"@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <{EX}> .\n"


def _files(tmp_path: Path, shapes: str, data: str) -> tuple[Path, Path]:
    (tmp_path / "shapes.ttl").write_text(PREFIXES + shapes, encoding="utf-8")
    (tmp_path / "data.ttl").write_text(PREFIXES + data, encoding="utf-8")
    return tmp_path / "data.ttl", tmp_path / "shapes.ttl"


def _results(data: Path, shapes: Path, engine: str = "rust") -> list[tuple]:
    report = check_file(Store(), data, shapes=to_shapes(shapes), engine=engine).report
    return sorted((r.focus, r.value, r.source_shape, r.severity, r.message) for r in report.results)


def test_a_deactivated_shape_s_rule_is_not_run(tmp_path):
    """SHACL 2.1.5: a shape with sh:deactivated true is ignored. pySHACL reports nothing here."""
    data, shapes = _files(tmp_path, """
        ex:Dead a sh:NodeShape ; sh:targetClass ex:C ; sh:deactivated true ;
          sh:sparql [ sh:select "SELECT $this ?value WHERE { $this <http://example.org/fictional/p> ?value }" ] .""",
        "ex:c1 a ex:C ; ex:p 3 .")
    assert _results(data, shapes, "pyshacl") == []
    assert _results(data, shapes) == []


def test_a_rule_without_message_says_the_same_on_either_side_of_per_node(tmp_path, monkeypatch):
    """A rule that reads any predicate goes to shacl-rust with up to PER_NODE focus nodes and to Oxigraph above:
    the message of the same result must not change (it did: 'SPARQL SELECT constraint violation' at 2,000 focus
    nodes, '' at 2,001). pySHACL gives the empty message (the shape has no sh:message)."""
    from imri_kg.validation import engines

    data, shapes = _files(tmp_path, """
        ex:NoMsg a sh:NodeShape ; sh:targetClass ex:F ;
          sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o . FILTER (?o = 5) }" ] .""",
        "ex:f1 a ex:F ; ex:s 5 . ex:f2 a ex:F ; ex:s 6 .")
    expected = [(f"{EX}f1", f"{EX}f1", f"{EX}NoMsg", "Violation", "")]
    assert _results(data, shapes, "pyshacl") == expected
    monkeypatch.setattr(engines, "PER_NODE", 10**9)  # shacl-rust runs the rule
    by_rust = _results(data, shapes)
    monkeypatch.setattr(engines, "PER_NODE", 0)  # Oxigraph runs it
    by_oxigraph = _results(data, shapes)
    assert by_rust == by_oxigraph == expected


def test_a_rule_whose_select_does_not_project_this_is_run(tmp_path):
    """SHACL 5.3.1 pre-binds $this; the SELECT need not project it (pySHACL runs it). It used to end in
    "RuntimeError: The SPARQL query does not contains variable ?this in its SELECT projection" and then hang in
    engines.run_rust (the stream shacl-rust reads was closed first), so it runs in a child with a time limit."""
    data, shapes = _files(tmp_path, """
        ex:Tmpl a sh:NodeShape ; sh:targetClass ex:D ; sh:sparql [ sh:message "has {?value}" ;
          sh:select "SELECT ?value WHERE { $this <http://example.org/fictional/q> ?value . FILTER (?value != 1) }" ] .""",
        "ex:d1 a ex:D ; ex:q 2 . ex:d2 a ex:D ; ex:q 1 .")
    script = textwrap.dedent(f"""
        from pathlib import Path
        from pyoxigraph import Store
        from imri_kg.importers.files import check_file
        from imri_kg.validation import to_shapes
        for engine in ("pyshacl", "rust"):
            report = check_file(Store(), Path({str(data)!r}), shapes=to_shapes(Path({str(shapes)!r})),
                                engine=engine).report
            print(sorted((r.focus, r.value, r.source_shape, r.severity, r.message) for r in report.results))
        """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-800:]
    expected = str([(f"{EX}d1", "2", f"{EX}Tmpl", "Violation", "has 2")])
    assert done.stdout.splitlines() == [expected, expected]


def test_a_rule_whose_query_cannot_be_parsed_is_an_error_in_the_shapes_at_any_size(tmp_path):
    """A query with an undeclared prefix is a broken shapes file (exit 2, "the shapes cannot be used"), not a
    violation of every focus node: shacl-rust (up to PER_NODE focus nodes) reported one violation per node with
    the parse error as its message, Oxigraph (above) raised SyntaxError, and the process could then hang."""
    data, shapes = _files(tmp_path, """
        ex:P a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT $this WHERE { $this ex:p ?v }" ] .""",
        "ex:c1 a ex:C ; ex:p 3 .")
    script = textwrap.dedent(f"""
        from pathlib import Path
        from pyoxigraph import Store
        from imri_kg.errors import InputError
        from imri_kg.importers.files import check_file
        from imri_kg.validation import engines, to_shapes
        for limit in (10**9, 0):
            engines.PER_NODE = limit
            try:
                check_file(Store(), Path({str(data)!r}), shapes=to_shapes(Path({str(shapes)!r})))
                print("reported")
            except InputError as exc:
                print("InputError", "shapes" in str(exc))
        """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-800:]
    assert done.stdout.splitlines() == ["InputError True", "InputError True"]


def test_a_rule_that_fails_ends_the_check_instead_of_hanging(tmp_path):
    """Whatever error the SPARQL rules raise, run_rust must raise it. It waited for ever: leaving the `with` that
    holds the thread pool and the stream shacl-rust reads closes the stream first, then waits for shacl-rust,
    which never returns (with 10 triples; `imri-kg validate` hung with a rule whose SELECT lacks $this)."""
    (tmp_path / "shapes.ttl").write_text(PREFIXES + """
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
          sh:sparql [ sh:select "SELECT $this WHERE { $this <http://example.org/fictional/p> ?v }" ] .""")
    script = textwrap.dedent(f"""
        from pathlib import Path
        from pyoxigraph import NamedNode, Quad
        from imri_kg.validation import engines, to_shapes

        def failing(*args, **kwargs):
            raise RuntimeError("a rule failed")

        engines._rules = failing
        quads = [Quad(NamedNode(f"{EX}x{{i}}"), NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                      NamedNode("{EX}C")) for i in range(10)]
        try:
            engines.run_rust([quads], to_shapes(Path({str(tmp_path / "shapes.ttl")!r})))
        except RuntimeError as exc:
            print(exc)
        """)
    try:
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    except subprocess.TimeoutExpired:
        raise AssertionError("engines.run_rust still waits 60 s after its rules failed") from None
    assert (done.returncode, done.stdout) == (0, "a rule failed\n"), done.stderr[-800:]


def test_a_stored_record_s_own_violation_is_not_blamed_on_a_new_file(tmp_path):
    """The store already breaks the rule at ex:f1; the new file adds ex:f2, which conforms, and never names f1.
    The store's own results are not the file's (records.py), but the rule ran in shacl-rust for the store plus the
    file (message 'SPARQL SELECT constraint violation') and in Oxigraph for the store alone (message ''), so the
    two results did not match and f1's old violation was reported against the file, which import then refused."""
    from pyoxigraph import RdfFormat, parse

    data, shapes = _files(tmp_path, """
        ex:NoMsg a sh:NodeShape ; sh:targetClass ex:F ;
          sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o . FILTER (?o = 5) }" ] .""",
        "ex:f2 a ex:F ; ex:s 6 .")
    store = Store()
    store.extend(parse(f"<{EX}f1> a <{EX}F> ; <{EX}s> 5 .".encode(), format=RdfFormat.TURTLE))
    report = check_file(store, data, shapes=to_shapes(shapes)).report
    assert [(r.focus, r.message) for r in report.results] == []


def test_a_shape_s_own_message_is_a_rule_s_message_as_pyshacl_gives_it(tmp_path, monkeypatch):
    """SHACL 2.1.5: the shape's sh:message is the message of the results it produces; the SPARQL constraint node
    has none here. pySHACL says 'Shape-level message'; both engines inside said '' (or the engine's own text)."""
    from imri_kg.validation import engines

    data, shapes = _files(tmp_path, """
        ex:M a sh:NodeShape ; sh:targetClass ex:F ; sh:message "Shape-level message" ;
          sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o . FILTER (?o = 5) }" ] .""",
        "ex:f1 a ex:F ; ex:s 5 .")
    expected = [(f"{EX}f1", f"{EX}f1", f"{EX}M", "Violation", "Shape-level message")]
    assert _results(data, shapes, "pyshacl") == expected
    for limit in (10**9, 0):  # shacl-rust runs the rule, then Oxigraph does
        monkeypatch.setattr(engines, "PER_NODE", limit)
        assert _results(data, shapes) == expected
