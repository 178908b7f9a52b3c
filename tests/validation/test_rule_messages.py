"""The message, value and focus node of a SPARQL rule's results are pySHACL's, whichever engine runs the rule inside
(engines.PER_NODE decides), and an error on this side of a check stops shacl-rust's worker instead of waiting for it
(validation/engines.py, validation/sparql.py)."""

import subprocess
import sys
import textwrap

import pytest
from pyoxigraph import Store

from imri_kg.errors import InputError
from imri_kg.importers.files import check_file
from imri_kg.validation import engines, to_shapes
from imri_kg.validation.sparql import projecting_this

EX = "http://example.org/fictional/"
PREFIXES = f"@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <{EX}> .\n"
# Two rules on one shape (one with a message, one without), a shape-level message with a template, a rule that
# does not project $this: each reads any predicate, so shacl-rust or Oxigraph may run it.
SHAPES = """
ex:Two a sh:NodeShape ; sh:targetClass ex:F ;
  sh:sparql [ sh:message "five at {?p}" ; sh:select "SELECT $this ?p WHERE { $this ?p ?o . FILTER (?o = 5) }" ] ;
  sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o . FILTER (?o = 6) }" ] .
ex:Tmpl a sh:NodeShape ; sh:targetClass ex:F ; sh:message "seven {?o}" ;
  sh:sparql [ sh:select "SELECT $this ?o WHERE { $this ?p ?o . FILTER (?o = 7) }" ] .
ex:Bare a sh:NodeShape ; sh:targetClass ex:F ;
  sh:sparql [ sh:select "SELECT ?value WHERE { $this ?p ?value . FILTER (?value = 8) }" ] .
"""
DATA = "ex:f1 a ex:F ; ex:s 5 . ex:f2 a ex:F ; ex:s 6 . ex:f3 a ex:F ; ex:s 7 . ex:f4 a ex:F ; ex:s 8 ."
# Worked out by hand from the rules above (SHACL 5.3.2: the value is ?value, else the focus node).
EXPECTED = [(f"{EX}f1", f"{EX}f1", f"{EX}Two", f"five at {EX}s"),
            (f"{EX}f2", f"{EX}f2", f"{EX}Two", ""),
            (f"{EX}f3", f"{EX}f3", f"{EX}Tmpl", "seven 7"),
            (f"{EX}f4", "8", f"{EX}Bare", "")]


def _results(tmp_path, engine: str) -> list[tuple]:
    (tmp_path / "shapes.ttl").write_text(PREFIXES + SHAPES, encoding="utf-8")
    (tmp_path / "data.ttl").write_text(PREFIXES + DATA, encoding="utf-8")
    report = check_file(Store(), tmp_path / "data.ttl", shapes=to_shapes(tmp_path / "shapes.ttl"),
                        engine=engine).report
    return sorted((r.focus, r.value, r.source_shape, r.message) for r in report.results)


def test_each_rule_s_message_is_pyshacl_s_on_either_side_of_per_node(tmp_path, monkeypatch):
    assert _results(tmp_path, "pyshacl") == EXPECTED
    for limit in (10**9, 0):  # shacl-rust may run the rules, then Oxigraph runs them all
        monkeypatch.setattr(engines, "PER_NODE", limit)
        assert _results(tmp_path, "rust") == EXPECTED


@pytest.mark.parametrize(("query", "expected"), [
    ("SELECT $this WHERE { $this ?p ?o }", "SELECT $this WHERE { $this ?p ?o }"),
    ("SELECT * WHERE { $this ?p ?o }", "SELECT * WHERE { $this ?p ?o }"),
    ("PREFIX ex: <http://e/select/> # SELECT\nSELECT DISTINCT ?o WHERE { $this ex:p ?o }",
     "PREFIX ex: <http://e/select/> # SELECT\nSELECT DISTINCT $this ?o WHERE { $this ex:p ?o }"),
    ("select ?o { $this <http://e/p> ?o }", "select $this ?o { $this <http://e/p> ?o }"),
])
def test_this_is_projected_only_when_it_is_not(query, expected):
    assert projecting_this(query, None) == expected


def test_a_query_that_is_not_a_select_is_an_error_in_the_shapes():
    with pytest.raises(InputError, match="the shapes cannot be used: .* cannot be read: line 1, column 1"):
        projecting_this("SELEKT $this WHERE { $this ?p ?o }", None)


def test_a_failing_rule_kills_the_shacl_rust_worker(tmp_path):
    """The worker here sleeps for 10 minutes; the rules fail at once: the check ends with the rules' error (the
    child's 120 s limit is only there to fail the test instead of hanging it)."""
    (tmp_path / "sleep.py").write_text("import time\ntime.sleep(600)\n", encoding="utf-8")
    (tmp_path / "shapes.ttl").write_text(PREFIXES + """
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
          sh:sparql [ sh:select "SELECT $this WHERE { $this <http://example.org/fictional/p> ?v }" ] .""")
    script = textwrap.dedent(f"""
        from pathlib import Path
        from pyoxigraph import NamedNode, Quad
        from imri_kg.validation import engines, to_shapes

        def failing(*args, **kwargs):
            raise RuntimeError("a rule failed")

        engines._rules, engines.WORKER = failing, Path({str(tmp_path / "sleep.py")!r})
        quads = [Quad(NamedNode("{EX}x"), NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                      NamedNode("{EX}C"))]
        try:
            engines.run_rust([quads], to_shapes(Path({str(tmp_path / "shapes.ttl")!r})))
        except RuntimeError as exc:
            print(exc)
        """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert (done.returncode, done.stdout) == (0, "a rule failed\n"), done.stderr[-800:]


def test_a_stopped_set_of_workers_starts_none():
    workers = engines.Workers()
    workers.stop()
    with pytest.raises(ChildProcessError, match="stopped"):
        workers.start([sys.executable, "-c", "pass"])


def test_a_broken_query_of_a_property_shape_is_an_error_in_the_shapes(tmp_path):
    """A rule that shacl-rust runs (on a property shape) is read here too: an undeclared prefix is the shapes'
    error, not a violation of every focus node."""
    (tmp_path / "shapes.ttl").write_text(PREFIXES + """ex:P a sh:NodeShape ; sh:targetClass ex:C ; sh:property [
        sh:path ex:p ; sh:sparql [ sh:select "SELECT $this WHERE { $this ex:p ?v }" ] ] .""", encoding="utf-8")
    (tmp_path / "data.ttl").write_text(PREFIXES + "ex:c1 a ex:C ; ex:p 3 .", encoding="utf-8")
    with pytest.raises(InputError, match=r"the shapes cannot be used: the SPARQL query \(sh:select\) of _:\S+ cannot "
                                         r"be read: line 1, column 32: expected one of Prefix not found\. Declare"):
        check_file(Store(), tmp_path / "data.ttl", shapes=to_shapes(tmp_path / "shapes.ttl"))
