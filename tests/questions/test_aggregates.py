"""Maintained aggregates answer exactly as SPARQL does: the same bytes in every results format, for every question
they hold, after every kind of write (build, SPARQL update, sheet import, bulk load), in memory and on disk."""

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import NamedNode, Store

from imri_kg.api import Settings, create_app
from imri_kg.api.engine import Engine, QuestionRequest
from imri_kg.kb.build import build_store
from imri_kg.questions import library
from imri_kg.questions.aggregates import (
    Aggregates,
    has_current_aggregates,
    read_aggregates,
    read_saved_aggregates,
)
from tests.questions.test_library import TABLE5

SHEET = Path(__file__).parents[1] / "data" / "sheets" / "coded-evidence-good.csv"
F = "https://w3id.org/imri/test/fictional/"
B = "https://w3id.org/imri/"
FORMATS = ("json", "xml", "csv", "tsv")
ASKED = [
    ("themes-ranked-by-group-span", ()),
    ("cross-cutting-themes", ()),
    ("cross-cutting-themes", (("minGroups", "2"),)),
    ("cross-cutting-themes", (("minGroups", "99"),)),
    ("themes-by-innovation-group", ()),
    ("themes-by-innovation-group", (("group", "Peer workers"),)),
    ("themes-by-innovation-group", (("group", f"{F}group"),)),
    ("groups-for-theme", ()),
    ("groups-for-theme", (("theme", "Staff turnover"),)),
    ("groups-for-theme", (("theme", f"{F}theme"),)),
]
# Fictional evidence: a new group and theme, evidence in a known cell, a second label, a span, citations of the paper
# of a fictional project (an example's project is the one whose paper its citations cite).
UPDATE = f"""
INSERT DATA {{ GRAPH <{F}graph> {{
  <{F}project> a imri:ReviewProject ; <http://purl.org/dc/terms/identifier> "fictional" .
  <{F}paper> <http://www.w3.org/ns/prov#wasDerivedFrom> <{F}project> .
  <{F}c1> cito:hasCitingEntity <{F}paper> . <{F}c2> cito:hasCitingEntity <{F}paper> .
  <{F}group> a imri:InnovationGroup ; skos:prefLabel "Fictional group"@en .
  <{F}theme> a imri:Theme ; skos:prefLabel "Fictional theme"@en, "Another label"@en ; imri:spansGroup <{F}group> .
  <{F}e1> a imri:Example ; imri:theme <{F}theme> ; imri:innovationGroup <{F}group> ; imri:citation <{F}c1>, <{F}c2> .
  <{F}e2> a imri:Example ; imri:theme <{F}theme> ; imri:innovationGroup <{F}group> ; imri:citation <{F}c2> .
  <{F}e3> a imri:Example ; imri:theme <https://w3id.org/imri/theme/staff-turnover> ;
          imri:innovationGroup <{F}group> ; imri:citation <{F}c1> .
  <{F}x1> a imri:CodedExcerpt ; imri:code <{F}code> ; imri:case <{F}case> ; cito:cites <{F}c1> .
  <{F}x2> a imri:CodedExcerpt ; imri:code <{F}code> ; imri:case <{F}case> .
}} }}"""


def assert_same_as_sparql(store: Store, aggregates: Aggregates | None = None) -> int:
    """Every held question, in every format: the aggregate's bytes are the engine's bytes. Returns the rows seen."""
    aggregates = aggregates or read_aggregates(store, version="v")
    aggregates.version = "v"
    engine = Engine(store, "https://w3id.org/imri/", 10_000)
    seen = 0
    for name, values in ASKED:
        for fmt in FORMATS:
            request = QuestionRequest(name, values, None, fmt)
            kept = aggregates.answer(request, version="v")
            asked = engine.handle(request)
            if asked.status != 200:  # a parameter names nothing known: the engine says so, the aggregates pass
                assert asked.status == 400 and kept is None, (name, values, fmt)
                continue
            assert kept is not None, (name, values, fmt)
            assert kept.body == asked.body, (name, values, fmt)
            if fmt == "json":
                seen += len(json.loads(kept.body)["results"]["bindings"])
    assert aggregates.answer(QuestionRequest("themes-ranked-by-group-span", (), None, "json"), version="w") is None
    return seen


def assert_projects_matrix(cells: dict[tuple[str, str], tuple[int, int]]) -> None:
    """The fictional cell, beside the papers' projects every build imports: review Table 5's 25 cells of one example
    each, citing its works; the IMRI study's 24 quotes, each under its impact with its stakeholder group and
    innovation type (and 4 with their site), citing the study: 52 (case, quote) pairs in 38 cells."""
    assert cells.pop((F + "case", F + "code")) == (2, 1)
    r21 = {k: v for k, v in cells.items() if k[0].startswith(B + "project/piat2021/")}
    r22 = {k: v for k, v in cells.items() if k[0].startswith(B + "project/piat2022/")}
    assert len(r21) + len(r22) == len(cells)
    assert sorted(r21.values()) == sorted((1, len(refs)) for refs in TABLE5.values())
    assert len(r22) == 38 and sum(n for n, _ in r22.values()) == 24 + 24 + 4 and {s for _, s in r22.values()} == {1}


@pytest.fixture(scope="module")
def kb() -> Store:
    return build_store()


def test_after_the_build(kb):
    assert assert_same_as_sparql(kb) > 50
    aggregates = read_aggregates(kb, version="v")
    spans = {(p.value, t.value): len(g) for (p, t), g in aggregates.spans.items()}
    # Table 5 (project piat2021): 25 cells over 6 themes; interpersonal relationships spans 6 of the 7 synthesised
    # groups. The IMRI study has no examples.
    assert sum(spans.values()) == 25 and len(spans) == 6 and {p for p, _ in spans} == {"piat2021"}
    assert spans[("piat2021", "https://w3id.org/imri/theme/interpersonal-relationships")] == 6
    assert sorted(len(c) for c in aggregates.citations.values()) == sorted(len(refs) for refs in TABLE5.values())


def test_after_a_sparql_update_and_the_generic_matrix(kb):
    store = Store()
    store.bulk_extend(kb)
    store.update(UPDATE, prefixes={"imri": "https://w3id.org/imri/ontology#",
                                   "skos": "http://www.w3.org/2004/02/skos/core#",
                                   "cito": "http://purl.org/spar/cito/"})
    assert assert_same_as_sparql(store) > 50
    aggregates = read_aggregates(store, version="v")
    assert_projects_matrix(aggregates.matrix("projects"))
    cell = aggregates.cells["table5"]
    fictional = cell[(NamedNode(F + "group"), NamedNode(F + "theme"))]
    assert (fictional.evidence, len(fictional.studies)) == (2, 2)


def check_on_disk(store_dir: Path) -> int:
    """The aggregates kept by the last write are current, and answer as SPARQL does; returns the Table 5 items."""
    store = Store.read_only(str(store_dir))
    kept = read_saved_aggregates(store_dir, store, base="https://w3id.org/imri/", max_rows=10_000)
    assert kept is not None
    assert_same_as_sparql(store, kept)
    items = sum(c.evidence for c in kept.cells["table5"].values())
    del store, kept
    gc.collect()  # the read-only handle holds the store's lock until it is freed
    return items


def imri_kg(*args: str) -> subprocess.CompletedProcess:
    """The command as a user runs it, in its own process (so no store handle of this one is in its way)."""
    return subprocess.run([sys.executable, "-m", "imri_kg", *args], capture_output=True, text=True, timeout=600,
                          check=False)


def test_after_import_and_load_into_an_on_disk_store(tmp_path):
    store_dir = tmp_path / "store"
    assert imri_kg("build", "--store", str(store_dir)).returncode == 0
    assert check_on_disk(store_dir) == 25  # the 25 Table 5 examples
    imported = imri_kg("import", str(SHEET), "--store", str(store_dir))
    assert imported.returncode == 0, imported.stderr
    assert check_on_disk(store_dir) == 25 + 3  # the sheet's three example rows
    extra = tmp_path / "extra.trig"
    extra.write_text("@prefix imri: <https://w3id.org/imri/ontology#> . @prefix skos: "
                     "<http://www.w3.org/2004/02/skos/core#> . @prefix cito: <http://purl.org/spar/cito/> . "
                     + UPDATE.replace("INSERT DATA {", "").rsplit("}", 1)[0].replace("GRAPH ", ""))
    loaded = imri_kg("load", str(extra), "--store", str(store_dir), "--no-progress")
    assert loaded.returncode == 0, loaded.stderr
    assert check_on_disk(store_dir) == 25 + 3 + 3  # e1, e2, e3
    store = Store.read_only(str(store_dir))
    kept = read_saved_aggregates(store_dir, store, base="https://w3id.org/imri/", max_rows=10_000)
    assert_projects_matrix(kept.matrix("projects"))
    del store, kept
    gc.collect()
    assert has_current_aggregates(store_dir)
    # A server over the store answers from the kept aggregates from its first request on, as SPARQL would.
    with TestClient(create_app(Settings(store_dir=store_dir, timeout=10))) as client:
        held = client.get("/api/queries/themes-by-innovation-group", params={"format": "csv"})
        asked = client.post("/sparql", content=library()["themes-by-innovation-group"].sparql,
                            headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
        assert held.headers["x-imri-aggregate"] == "hit" and held.content == asked.content
        # The header, the 25 cells of Table 5 (the sheet's rows fall in cells of it), and the fictional project's
        # three rows: its theme under each of two labels, and staff turnover.
        assert held.text.count("\r\n") == 1 + 25 + 3
    del client
    # A read-write opening changes the store's files: the kept aggregates are no longer taken for current.
    gc.collect()
    Store(str(store_dir))
    gc.collect()
    assert read_saved_aggregates(store_dir, Store(), base="https://w3id.org/imri/", max_rows=10_000) is None
    assert not has_current_aggregates(store_dir)


def test_an_on_disk_store_without_kept_aggregates_computes_them_when_first_asked(tmp_path):
    """No scan at start: the first held question is answered by the workers (and starts the computation); once
    computed, the aggregates answer with the same bytes, and they are kept for the next server. A bulk load by the
    CLI while the server runs makes them stale: the next answers follow the new data."""
    import time

    from imri_kg.questions.aggregates import _ANSWERS, HELD, aggregates_path
    from imri_kg.store import open_store

    assert HELD == set(_ANSWERS)
    store_dir = tmp_path / "store"
    store = build_store(open_store(store_dir))  # in process: nothing kept next to the store
    del store
    gc.collect()
    assert not aggregates_path(store_dir).exists()
    params = {"format": "csv"}
    # The answer cache off: every answer comes from the aggregates or a worker.
    with TestClient(create_app(Settings(store_dir=store_dir, timeout=10, workers=1, cache_bytes=0))) as client:
        pool = client.app.state.pool
        assert pool.aggregates is None  # nothing read or computed at start
        first = client.get("/api/queries/themes-by-innovation-group", params=params)
        assert first.status_code == 200 and "x-imri-aggregate" not in first.headers
        for _ in range(200):
            held = client.get("/api/queries/themes-by-innovation-group", params=params)
            if held.headers.get("x-imri-aggregate") == "hit":
                break
            time.sleep(0.05)
        assert held.headers["x-imri-aggregate"] == "hit" and held.content == first.content
        assert held.text.count("\r\n") == 1 + 25
        assert has_current_aggregates(store_dir)
        extra = tmp_path / "extra.trig"
        extra.write_text("@prefix imri: <https://w3id.org/imri/ontology#> . @prefix skos: "
                         "<http://www.w3.org/2004/02/skos/core#> . @prefix cito: <http://purl.org/spar/cito/> . "
                         + UPDATE.replace("INSERT DATA {", "").rsplit("}", 1)[0].replace("GRAPH ", ""))
        done = imri_kg("load", str(extra), "--store", str(store_dir), "--no-progress")  # swaps the directory
        assert done.returncode == 0, done.stderr
        for _ in range(200):
            after = client.get("/api/queries/themes-by-innovation-group", params=params)
            if after.headers.get("x-imri-aggregate") == "hit":
                break
            time.sleep(0.05)
        asked = client.post("/sparql", content=library()["themes-by-innovation-group"].sparql,
                            headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
        assert after.headers["x-imri-aggregate"] == "hit" and after.content == asked.content
        assert after.text.count("\r\n") == 1 + 25 + 3  # the fictional group's three rows: the data after the load
