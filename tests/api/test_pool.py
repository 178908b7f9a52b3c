"""The worker pool: every worker (and the web process's store) holds the same data after an update, whatever the
update draws at random; a replaced worker too; workers import no web framework and start from one build."""

import asyncio
import json
import subprocess
import sys

import pytest
from pyoxigraph import QueryResultsFormat, Store

from imri_kg.api.engine import QueryRequest, UpdateRequest
from imri_kg.api.pool import Pool
from imri_kg.api.settings import Settings
from imri_kg.kb.build import build_store

B = "https://w3id.org/imri/"
FICTIONAL = "https://w3id.org/imri/test/fictional/"
TOKEN = "t"
# Each update draws a value that a second evaluation would draw differently.
DRAWS = {
    "STRUUID": "STRUUID()",
    "UUID": "UUID()",
    "NOW": "NOW()",
    "RAND": "RAND()",
    "BNODE": "BNODE()",
}


def _values(answer) -> list[tuple[str, str]]:
    data = json.loads(answer.body)
    return sorted((b["v"]["type"], b["v"]["value"]) for b in data["results"]["bindings"])


async def _everyone(pool: Pool, query: str) -> list[list[tuple[str, str]]]:
    """The answer of every worker, each asked directly, and of the web process's store."""
    answers = []
    for worker in list(pool._all):
        result = await worker.call(QueryRequest(query, "application/sparql-results+json"), 10)
        answers.append(_values(result[0]))
    result = pool.local.query(query, use_default_graph_as_union=True)
    local = json.loads(result.serialize(format=QueryResultsFormat.JSON))
    answers.append(sorted((b["v"]["type"], b["v"]["value"]) for b in local["results"]["bindings"]))
    return answers


@pytest.fixture(scope="module")
def kb() -> Store:
    return build_store()


def test_updates_with_drawn_values_are_evaluated_once_and_seen_alike_by_every_worker(kb):
    async def scenario() -> None:
        local = Store()
        local.bulk_extend(kb)
        pool = Pool(Settings(timeout=10, workers=3, write_token=TOKEN), local)
        await pool.start()
        try:
            for name, call in DRAWS.items():
                subject = f"<{FICTIONAL}{name}>"
                update = (f"INSERT {{ GRAPH <{FICTIONAL}graph> {{ {subject} <{FICTIONAL}drew> ?v }} }} "
                          f"WHERE {{ BIND({call} AS ?v) }}")
                answer = await pool.dispatch(UpdateRequest(update))
                assert answer.status == 200, answer.body
                answers = await _everyone(pool, f"SELECT ?v WHERE {{ {subject} <{FICTIONAL}drew> ?v }}")
                assert len(answers) == 4 and len(answers[0]) == 1, (name, answers)
                assert all(a == answers[0] for a in answers), (name, answers)
            # A second STRUUID update adds a second value: the first is kept, the same everywhere.
            await pool.dispatch(UpdateRequest(f"INSERT {{ <{FICTIONAL}STRUUID> <{FICTIONAL}drew> ?v }} "
                                              "WHERE { BIND(STRUUID() AS ?v) }"))
            answers = await _everyone(pool, f"SELECT ?v WHERE {{ <{FICTIONAL}STRUUID> <{FICTIONAL}drew> ?v }}")
            assert len(answers[0]) == 2 and all(a == answers[0] for a in answers)
            # DELETE of what was drawn is shipped too.
            await pool.dispatch(UpdateRequest(f"DELETE WHERE {{ GRAPH ?g {{ <{FICTIONAL}BNODE> <{FICTIONAL}drew> ?v }} }}"))
            answers = await _everyone(pool, f"SELECT ?v WHERE {{ <{FICTIONAL}BNODE> <{FICTIONAL}drew> ?v }}")
            assert answers == [[]] * 4
            # A worker started later (here: after a crash) holds the same data.
            before = await _everyone(pool, f"SELECT ?v WHERE {{ ?s <{FICTIONAL}drew> ?v }}")
            victim = next(iter(pool._all))
            victim.process.kill()
            victim.process.wait()
            # Some request finds the dead worker (one the web process does not answer itself, bounded.py).
            to_workers = QueryRequest("ASK { FILTER(true) }")
            crashed = await pool.dispatch(to_workers)
            for _ in range(len(pool._all) + 1):
                if crashed.status == 503:
                    break
                crashed = await pool.dispatch(to_workers)
            for _ in range(200):
                if len(pool._all) == 3 and victim not in pool._all:
                    break
                await asyncio.sleep(0.05)
            assert victim not in pool._all and len(pool._all) == 3
            assert await _everyone(pool, f"SELECT ?v WHERE {{ ?s <{FICTIONAL}drew> ?v }}") == before
            assert len(before[0]) == 5  # STRUUID twice, UUID, NOW, RAND
        finally:
            await pool.close()

    asyncio.run(scenario())


def test_a_failed_update_changes_nothing_anywhere(kb):
    async def scenario() -> None:
        local = Store()
        local.bulk_extend(kb)
        size = len(local)
        pool = Pool(Settings(timeout=10, workers=2, write_token=TOKEN), local)
        await pool.start()
        try:
            answer = await pool.dispatch(UpdateRequest("INSERT DATA { <x> }"))
            assert answer.status == 400 and len(local) == size
            count = "SELECT (COUNT(*) AS ?v) WHERE { GRAPH ?g { ?s ?p ?o } }"
            answers = await _everyone(pool, count)
            assert {a[0][1] for a in answers} == {str(size)}
        finally:
            await pool.close()

    asyncio.run(scenario())


def test_a_worker_imports_no_web_framework_nor_the_knowledge_base_builder():
    code = ("import sys, imri_kg.api.worker, imri_kg.api.engine; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('fastapi', 'starlette', 'matplotlib', 'networkx', 'httpx', 'rdflib', 'pyshacl', 'uvicorn') "
            "or m in ('imri_kg.kb', 'imri_kg.store', 'imri_kg.api.pool', 'imri_kg.api.settings')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_worker_given_the_snapshot_lists_everything_in_the_order_of_the_build(kb):
    """Pages and unordered results come out as from the build itself (an in-memory store lists newest first)."""
    from imri_kg.api.pool import to_snapshot
    from imri_kg.api.resources import describe
    from imri_kg.api.worker import open_worker_store

    worker = open_worker_store({"store": None, "base": B}, to_snapshot(kb))
    for path in ("group/recovery-colleges", "theme/interpersonal-relationships", "theme/staff-turnover", "ontology"):
        assert describe(worker, B + path, base=B).html == describe(kb, B + path, base=B).html, path
    query = "SELECT * WHERE { ?s ?p ?o }"
    assert (worker.query(query, use_default_graph_as_union=True).serialize(format=QueryResultsFormat.CSV)
            == kb.query(query, use_default_graph_as_union=True).serialize(format=QueryResultsFormat.CSV))
