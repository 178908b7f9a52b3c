"""views/*.rq: a project's own CONSTRUCT queries, run at import over its graphs into its graph `view`; refused when
they would reach outside the store, located when they do not parse, stopped at the time limit, all or nothing."""

from pyoxigraph import NamedNode

from imri_kg.projects.checks import check_project
from imri_kg.projects.loading import import_project
from imri_kg.projects.problems import Problems
from imri_kg.projects.views import View, run_views
from tests.projects.helpers import BASE, copy_project, dump, fresh_store

VIEW = NamedNode(BASE + "graph/project/hand-hygiene/view")

# The fictional project's themes (codes without a parent: T1, T2, T3) as a vocabulary of the reviewer's own.
THEMES = """# Why: the review's themes restated as ex:Theme, for a query written in the team's own vocabulary.
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX imri: <https://w3id.org/imri/ontology#>
CONSTRUCT { ?code a <https://example.org/Theme> ; <https://example.org/name> ?label }
WHERE { ?code a imri:Code ; skos:prefLabel ?label FILTER NOT EXISTS { ?code skos:broader ?parent } }
"""


def with_view(tmp_path, text: str, name: str = "10-themes.rq"):
    folder = copy_project(tmp_path)
    (folder / "views").mkdir()
    (folder / "views" / name).write_text(text, encoding="utf-8")
    return folder


def test_a_view_states_its_triples_in_the_projects_view_graph(tmp_path):
    store = fresh_store()
    imported = import_project(store, with_view(tmp_path, THEMES), shapes=False, history=False)
    assert imported.written
    names = sorted(str(q.object) for q in store.quads_for_pattern(None, NamedNode("https://example.org/name"), None,
                                                                  VIEW))
    assert names == ['"Feedback"@en', '"Leadership"@en', '"Resources"@en']  # codebook.csv: T3, T1, T2
    assert len(list(store.quads_for_pattern(None, None, None, VIEW))) == 6


def test_service_is_refused_located_and_nothing_is_written(tmp_path):
    store = fresh_store()
    before = dump(store)
    text = THEMES.replace("WHERE { ?code", "WHERE {\n  SERVICE <http://example.org/sparql> { ?x ?y ?z }\n  ?code")
    imported = import_project(store, with_view(tmp_path, text), shapes=False)
    problems = [str(p) for p in imported.check.problems.errors]
    assert problems == [('views/10-themes.rq, line 6, column "3": SERVICE is refused in a view: a view reads only the '
                        "project's own graphs and never fetches a URL. Remove it.")]
    assert imported.check.problems.exit_code == 2 and not imported.written and dump(store) == before


def test_a_view_that_does_not_parse_is_located(tmp_path):
    folder = with_view(tmp_path, THEMES.replace("FILTER NOT EXISTS", "FILTER NOT"))
    check = check_project(folder, store=fresh_store(), shapes=False)
    assert [str(p) for p in check.problems.errors] == [
        'views/10-themes.rq, line 5, column "72": is not a SPARQL query: expected ENCODE_FOR_URI']  # the { after NOT
    assert check.problems.exit_code == 2


def test_only_construct_and_a_comment_saying_why(tmp_path):
    folder = with_view(tmp_path, "# why\nSELECT * WHERE { ?s ?p ?o }\n")
    (folder / "views" / "20-bare.rq").write_text(THEMES.split("\n", 1)[1], encoding="utf-8")
    check = check_project(folder, store=fresh_store(), shapes=False)
    assert [str(p) for p in check.problems.errors] == [
        "views/10-themes.rq: is not a CONSTRUCT query; a view states triples (CONSTRUCT { ... } WHERE { ... }).",
        "views/20-bare.rq, line 1: does not say why it exists: start the file with comment lines (# ...)."]


def test_a_view_is_stopped_at_the_time_limit(tmp_path):
    store = fresh_store()
    quads = list(store.quads_for_pattern(None, None, None, NamedNode(BASE + "graph/kb")))
    slow = View(tmp_path / "slow.rq", "CONSTRUCT { ?a ?b ?c } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l "
                "FILTER(?a = ?l) }")
    problems = Problems(tmp_path)
    assert run_views([slow], quads, VIEW, problems, time_limit=0.5) == []
    assert [str(p) for p in problems.errors] == [
        "slow.rq: ran longer than the time limit of 0.5 s and was stopped; make it simpler or narrower."]


def test_a_count_keeps_the_ontologys_integer_range_and_a_value_outside_it_is_left_as_it_is(tmp_path):
    # Oxigraph gives every integer back as xsd:integer; imri:participants has the range xsd:nonNegativeInteger, so
    # 3 becomes a nonNegativeInteger and -2 (outside the range) stays an xsd:integer for the shapes to report;
    # a property without such a range (ex:n) keeps xsd:integer.
    text = """# Why: counts stated in a view.
PREFIX imri: <https://w3id.org/imri/ontology#>
CONSTRUCT { <https://example.org/a> imri:participants 3 . <https://example.org/b> imri:participants -2 .
            <https://example.org/a> <https://example.org/n> 3 }
WHERE {}
"""
    view = View(tmp_path / "10-counts.rq", text)
    out = run_views([view], [], VIEW, Problems(tmp_path))
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert sorted((q.subject.value[-1], q.predicate.value.rsplit("/", 1)[-1].rsplit("#", 1)[-1], q.object.value,
                   q.object.datatype.value.removeprefix(xsd)) for q in out) == [
        ("a", "n", "3", "integer"), ("a", "participants", "3", "nonNegativeInteger"),
        ("b", "participants", "-2", "integer")]
