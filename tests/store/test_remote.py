"""A SPARQL engine as the store: the same subset of the suite against oxigraph serve and Virtuoso, on loopback.

Each engine is started once per module from tests/engines.py and stopped at the end. Answers are compared with the
embedded build (`kb`) and with the counts computed by hand from the seeds.
"""

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from pyoxigraph import Literal, NamedNode, Variable

from imri_kg.api import Settings, create_app
from imri_kg.cli import cli
from imri_kg.importers.files import check_file, import_sheet
from imri_kg.kb import PROJECT_DIR
from imri_kg.kb.build import build_store
from imri_kg.questions import library, rows, run
from imri_kg.questions.params import to_bindings
from imri_kg.store import graph_iri, open_store, write_graph
from imri_kg.store.remote import RemoteStore, update_url, with_values
from imri_kg.validation import to_rdflib, validate_graph
from tests.conftest import TESTS, select
from tests.engines import STARTERS, Engine, Missing

SHEETS = TESTS / "data" / "sheets"
B = "https://w3id.org/imri/"


@pytest.fixture(scope="module", params=sorted(STARTERS))
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    with tempfile.TemporaryDirectory(prefix=f"imri-{request.param}-") as tmp:
        try:
            started = STARTERS[request.param](Path(tmp))
        except Missing as exc:
            if os.environ.get("CI") == "true":
                pytest.fail(f"{exc}; CI must run the remote-store tests")
            pytest.skip(str(exc))
        try:
            yield started
        finally:
            started.stop()


@pytest.fixture
def remote(engine: Engine) -> RemoteStore:
    """The engine holding a fresh build, and nothing else of ours (earlier imports dropped)."""
    store = open_store(engine.url)
    assert isinstance(store, RemoteStore)
    for graph in list(store.named_graphs()):
        store.remove_graph(graph)
    build_store(store)
    return store


def _sorted(result_rows: list[dict[str, str]]) -> list[tuple]:
    """Rows in a fixed order; GROUP_CONCAT(... separator=" | ") lists in no defined order, so its parts are sorted
    (and so are those of project-studies-per-case's `references`, a GROUP_CONCAT separated by spaces)."""
    def cell(key: str, value: str) -> str:
        return " ".join(sorted(value.split())) if key == "references" else " | ".join(sorted(value.split(" | ")))
    return sorted(tuple(sorted((k, cell(k, v)) for k, v in r.items())) for r in result_rows)


def test_update_url_and_values_block_are_derived_not_pasted():
    assert update_url("http://127.0.0.1:7878/query") == "http://127.0.0.1:7878/update"
    assert update_url("http://127.0.0.1:8890/sparql") == "http://127.0.0.1:8890/sparql"
    hostile = Literal('x" } ; DROP ALL ; #')
    sparql = with_values("SELECT ?t WHERE { ?t a imri:Theme }", {Variable("t"): hostile})
    assert sparql == 'SELECT ?t WHERE { VALUES (?t) { ("x\\" } ; DROP ALL ; #") }  ?t a imri:Theme }'


def test_build_into_the_engine_holds_what_the_embedded_build_holds(remote, kb):
    assert len(remote) == len(kb)
    assert [g.value for g in remote.named_graphs()] == sorted(g.value for g in kb.named_graphs())


def test_theme_by_group_matrix_has_25_cells(remote):
    cells = select(remote, "SELECT DISTINCT ?g ?t WHERE { ?e a imri:Example ; imri:innovationGroup ?g ; imri:theme ?t }")
    assert len(cells) == 25


# Questions whose answers differ on Virtuoso because Virtuoso departs from SPARQL 1.1, not because of imri-kg:
# it returns the xsd:boolean of a BOUND/EXISTS/comparison expression as the integer 0 or 1.
# Virtuoso's wrong answers, each found here. Since the build holds the papers' projects, the project questions have
# data to answer: Virtuoso gives project-empty-cells 42 rows for 17 (the cells with evidence are not taken out) and
# names piat2021's evidence/table5.csv as the source of piat2022's 24 quotes in project-evidence-by-source-and-coder.
KNOWN_DEVIATIONS = {"oxigraph": set(), "virtuoso": {"crosswalk-themes-by-cfir-construct", "project-empty-cells",
                                                    "project-evidence-by-source-and-coder"}}


def test_every_library_question_answers_as_on_the_embedded_store(engine, remote, kb):
    differ = set()
    for question in library().values():
        if any(p.required for p in question.params):
            continue  # a required project, code or study: the knowledge base alone holds none to name
        bindings = to_bindings(kb, question, {})
        if _sorted(rows(run(remote, question.sparql, bindings=bindings))) != \
                _sorted(rows(run(kb, question.sparql, bindings=bindings))):
            differ.add(question.name)
    assert differ == KNOWN_DEVIATIONS[engine.name]


def test_parameterised_question_interpersonal_relationships_spans_six_groups(remote, kb):
    question = library()["groups-for-theme"]
    bindings = to_bindings(remote, question, {"theme": "Interpersonal relationships"})
    assert bindings == to_bindings(kb, question, {"theme": "Interpersonal relationships"})
    found = rows(run(remote, question.sparql, bindings=bindings))
    assert _sorted(found) == _sorted(rows(run(kb, question.sparql, bindings=bindings)))
    assert len({r["group"] for r in found}) == 6
    assert B + "group/staff-training" not in {r["group"] for r in found}


def test_a_hostile_parameter_is_a_value_and_changes_nothing(remote):
    before = len(remote)
    hostile = Literal('Peer workers" } } ; DROP ALL ; SELECT * { ?s ?p "')
    assert select(remote, "SELECT ?g WHERE { ?g skos:prefLabel ?label }", label=hostile) == []
    assert select(remote, "SELECT ?l WHERE { ?g skos:prefLabel ?l }", g=NamedNode(B + "group/peer-workers")) == [
        {"l": "Peer workers"}]
    assert len(remote) == before


def test_export_is_the_embedded_graph(engine, remote, kb, tmp_path):
    if engine.name == "virtuoso":
        # Virtuoso stores numbers by value: "0"^^xsd:integer comes back as "0"^^xsd:nonNegativeInteger when that
        # value was stored with that datatype too. Asserted, so that a Virtuoso that keeps datatypes is noticed.
        pytest.xfail("Virtuoso conflates equal numbers of different datatypes")
    ours = write_graph(remote, tmp_path / "remote.nq")
    theirs = write_graph(kb, tmp_path / "embedded.nq")
    assert ours.read_bytes() == theirs.read_bytes()


def test_shacl_validation_of_the_engine_conforms(remote):
    assert validate_graph(to_rdflib(remote)).conforms


def test_import_a_coding_sheet_then_reject_a_bad_one_without_a_trace(remote):
    checked = check_file(remote, SHEETS / "coded-evidence-good.csv")
    assert checked.report.conforms
    done = import_sheet(remote, SHEETS / "coded-evidence-good.csv")
    assert done.added > 0 and not done.already
    assert remote.contains_named_graph(done.graph)
    assert select(remote, """SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?theme imri:hasEvidence ?ev }
                             FILTER(CONTAINS(STR(?g), "/graph/import/")) }""") == [{"n": "3"}]
    after = set(remote)
    rejected = import_sheet(remote, SHEETS / "coded-evidence-mixed.csv")
    assert (rejected.added, rejected.already, rejected.checked.report.conforms) == (0, False, False)
    assert set(remote) == after
    assert import_sheet(remote, SHEETS / "coded-evidence-good.csv").already


def test_cli_builds_queries_and_imports_with_the_url_as_store(engine, remote):
    runner = CliRunner()
    built = runner.invoke(cli, ["build", "--store", engine.url])
    # The QC queries spell out subclasses instead of rdfs:subClassOf*, which Virtuoso evaluates as matching nothing
    # from an unbound start; so every QC query passes on both engines.
    assert built.exit_code == 0, built.output
    assert "QC: all" in built.output
    answer = runner.invoke(cli, ["query", "groups-for-theme", "--param", "theme=Interpersonal relationships",
                                 "--store", engine.url, "--format", "csv"])
    assert answer.exit_code == 0, answer.output
    assert len(answer.output.strip().splitlines()) == 1 + 6
    imported = runner.invoke(cli, ["import", str(SHEETS / "coded-evidence-good.csv"), "--store", engine.url])
    assert imported.exit_code == 0, imported.output
    assert any("/graph/import/" in g.value for g in remote.named_graphs())


def test_http_api_answers_from_the_engine(engine, remote, kb):
    with TestClient(create_app(Settings(store_dir=engine.url, workers=1, timeout=60))) as client:
        r = client.post("/sparql", data={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?e a imri:Example }"},
                        headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200, r.text
        assert r.json()["results"]["bindings"][0]["n"]["value"] == "25"
        r = client.get("/api/queries/cross-cutting-themes")
        assert [b["groups"]["value"] for b in r.json()["results"]["bindings"]] == ["6", "5", "4", "4"]
        r = client.post("/sparql", data={"update": f"DROP GRAPH <{graph_iri('kb').value}>"})
        assert r.status_code == 403  # read-only
    assert len(remote) == len(kb)


def test_mapping_set_export_equals_the_shipped_file(engine, remote):
    """The SSSOM export from the engine is the file the set was built from, line for line."""
    shipped = PROJECT_DIR / "mappings" / "imri-impacts-chime.sssom.tsv"
    out = CliRunner().invoke(cli, ["mappings", "export", "--set", "imri-impacts-chime", "--store", engine.url])
    assert out.exit_code == 0, out.output
    assert out.output == shipped.read_text(encoding="utf-8")
