"""POST /api/refiqda/import: a REFI-QDA upload imported into the served store as a review project, all or nothing,
as `imri-kg import FILE --project DIR` then `imri-kg import DIR --store S` would."""

import re
import zipfile
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat

from imri_kg.kb.build import build_store
from imri_kg.projects.graph import project_graph
from imri_kg.projects.loading import import_project
from imri_kg.projects.refiqda import import_refiqda
from tests.api.conftest import TOKEN
from tests.projects.refiqda.helpers import DATA, qdpx
from tests.projects.refiqda.test_read_hostile import CASES

AUTH = {"Authorization": f"Bearer {TOKEN}"}
QDE = (DATA / "nvivo-style" / "project.qde").read_text(encoding="utf-8")
# nvivo-style without its sources: codes, cases, variables and notes, nothing that must cite a study
NO_SOURCES = re.sub(r"<Sources>.*</Sources>", "", re.sub(r"\s*<SourceRef [^>]*/>", "", QDE), flags=re.DOTALL)


def post(client, path, headers=AUTH):
    return client.post("/api/refiqda/import", files={"file": (path.name, path.read_bytes())}, headers=headers)


def dump(client) -> bytes:
    return client.app.state.pool.local.dump(format=RdfFormat.N_QUADS)


def graph(client, slug: str, name: str) -> set:
    return set(client.app.state.pool.local.quads_for_pattern(None, None, None, project_graph(slug, name)))


def count(client, sparql) -> int:
    r = client.get("/sparql", params={"query": sparql}, headers={"Accept": "application/sparql-results+json"})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def no_sources(tmp_path):
    out = tmp_path / "cases-only.qdpx"
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("project.qde", NO_SOURCES)
    return out


def test_a_read_only_server_refuses_and_writes_nothing(client, tmp_path):
    before = dump(client)
    r = post(client, qdpx("nvivo-style", tmp_path))
    assert r.status_code == 403 and "read-only" in r.text
    assert dump(client) == before


def test_a_wrong_token_is_refused(patient_writable, tmp_path):
    before = dump(patient_writable)
    r = post(patient_writable, DATA / "codebook.qdc", headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401
    assert post(patient_writable, DATA / "codebook.qdc", headers={}).status_code == 401
    assert dump(patient_writable) == before


def test_a_codebook_is_imported_then_found_unchanged(patient_writable):
    r = post(patient_writable, DATA / "codebook.qdc")
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["written"] is True and out["project"] == "codebook"
    assert out["graphs"] == [f"https://w3id.org/imri/graph/project/codebook/{n}" for n in ("data", "mappings",
                                                                                              "history")]
    assert out["counts"] == {"codes added": 4}
    assert out["records"]["codes"] == 4 and out["records"]["excerpts"] == 0
    assert out["report"] == [{"kind": "not imported", "element": '<Set guid="7c108712-b650-4892-ac0b-fc9a10190c05" '
                              'name="Core">', "reason": "code sets have no place in a review project (1 member codes)"}]
    graphs = "https://w3id.org/imri/graph/project/codebook"
    assert count(patient_writable, f"SELECT (COUNT(?c) AS ?n) WHERE {{ GRAPH <{graphs}/data> "
                                   "{ ?c a <https://w3id.org/imri/ontology#Code> } }") == 4
    assert count(patient_writable, f"SELECT (COUNT(?i) AS ?n) WHERE {{ GRAPH <{graphs}/history> "
                                   "{ ?i a <https://w3id.org/imri/ontology#ProjectImport> } }") == 1
    before = dump(patient_writable)
    again = post(patient_writable, DATA / "codebook.qdc")
    assert again.status_code == 200 and again.json()["written"] is False and "already in the store" in again.text
    assert dump(patient_writable) == before


def test_a_project_writes_what_the_command_line_writes(patient_writable, tmp_path):
    path = no_sources(tmp_path)
    r = post(patient_writable, path)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["project"] == "fictional-peer-support-study"
    assert {k: out["records"][k] for k in ("codes", "cases", "case attributes", "excerpts")} == {
        "codes": 3, "cases": 1, "case attributes": 3, "excerpts": 0}
    assert out["counts"] == {"codes added": 3, "cases added": 1, "case attribute values": 3, "notes added": 3}
    # the same file through `imri-kg import FILE --project DIR` and `imri-kg import DIR --store S`
    import_refiqda(path, tmp_path / "folder")
    store = build_store()
    assert import_project(store, tmp_path / "folder").written
    slug = out["project"]
    for name in ("data", "mappings"):
        assert graph(patient_writable, slug, name) == set(store.quads_for_pattern(None, None, None,
                                                                          project_graph(slug, name)))


def test_a_project_failing_its_checks_writes_nothing_and_says_where(patient_writable, tmp_path):
    before = dump(patient_writable)
    r = post(patient_writable, qdpx("nvivo-style", tmp_path))
    assert r.status_code == 422
    out = r.json()
    assert out["written"] is False and "fails 4 check(s)" in out["message"]
    assert "imri-kg import nvivo-style.qdpx --project DIR" in out["message"]
    assert out["problems"][:3] == [
        f'evidence/refiqda.csv, row {n}, column "studies": the row cites nothing; name the studies it comes from '
        "(citation key, DOI or reference number; several as 85;88 or [85, 88])." for n in (2, 3, 4)]
    assert dump(patient_writable) == before


@pytest.mark.parametrize("case", ["not a zip", "no project.qde", "external entity", "entity expansion",
                                  "selection outside its source", "CodeRef to a missing code", "member climbing out",
                                  "source path climbing out", "zip bomb"])
def test_a_hostile_file_is_refused_located_and_the_store_is_unchanged(patient_writable, tmp_path, case):
    make, expected = CASES[case]
    path = make(tmp_path)
    before = dump(patient_writable)
    r = post(patient_writable, path)
    assert r.status_code in (400, 413), r.text
    assert expected in r.json()["message"] and str(tmp_path) not in r.text
    assert r.json()["written"] is False
    assert dump(patient_writable) == before


def test_an_export_of_a_paper_imports_as_the_paper_project(patient_writable, tmp_path):
    """examples/piat2021 exported as .qdpx carries its bibliography: uploaded, it is the same data graph as
    `imri-kg import examples/piat2021 --store S` writes (and as every build holds)."""
    from imri_kg.projects.refiqda import write_qdpx

    examples = Path(__file__).resolve().parents[2] / "examples" / "piat2021"
    path = write_qdpx(examples, tmp_path / "piat2021.qdpx").path
    r = post(patient_writable, path)
    assert r.status_code == 200, r.text
    out = r.json()
    # Every build holds the paper as this project already, read from the same folder, and its views' triples as graph
    # kb: the upload writes nothing (a view triple graph kb already states is not written again).
    assert out["project"] == "piat2021" and out["written"] is False
    assert {k: out["records"][k] for k in ("codes", "cases", "excerpts")} == {"codes": 17, "cases": 13, "excerpts": 25}
    store = build_store()
    assert not import_project(store, examples).written  # as the upload: nothing to write
    for name in ("data", "mappings", "view"):
        assert graph(patient_writable, "piat2021", name) == set(store.quads_for_pattern(None, None, None,
                                                                                project_graph("piat2021", name)))


def test_a_file_over_the_upload_limit_is_refused_unread(patient_writable, tmp_path):
    from imri_kg.limits import MAX_UPLOAD_BYTES

    big = tmp_path / "big.qdpx"
    big.write_bytes(b"PK" + b"\0" * MAX_UPLOAD_BYTES)
    before = dump(patient_writable)
    r = post(patient_writable, big)
    assert r.status_code == 413 and r.json()["message"] == "big.qdpx is larger than 5 MB; nothing was written."
    assert dump(patient_writable) == before


def test_imports_pass_the_upload_gate_one_at_a_time():
    """REFI-QDA imports take the upload gate's one slot, as the validate page's uploads do (admission.py)."""
    import asyncio
    from contextlib import asynccontextmanager

    from imri_kg.api.admission import AdmissionMiddleware

    entered = []

    class Gate:
        def __init__(self, name):
            self.name = name

        @asynccontextmanager
        async def enter(self, client):
            entered.append(self.name)
            yield

    async def app(scope, receive, send):
        return None

    async def receive():  # a query's body is read before it is admitted (admission._read_ahead)
        return {"type": "http.request", "body": b"", "more_body": False}

    middleware = AdmissionMiddleware(app, queries=Gate("queries"), uploads=Gate("uploads"))
    for method, path in [("POST", "/api/refiqda/import"), ("POST", "/ui/validate"), ("GET", "/api/refiqda/import"),
                         ("POST", "/sparql")]:
        asyncio.run(middleware({"type": "http", "method": method, "path": path, "client": ("10.0.0.1", 1)}, receive,
                               None))
    assert entered == ["uploads", "uploads", "queries", "queries"]


def test_get_and_head_on_the_import_are_405_allow_post(client):
    for method in ("GET", "HEAD"):
        r = client.request(method, "/api/refiqda/import")
        assert (r.status_code, r.headers["allow"]) == (405, "POST")


def test_a_codebook_named_like_a_project_with_evidence_does_not_replace_it(patient_writable, tmp_path):
    # piat2021.qdc (its codebook, exported) uploaded replaced the whole paper project by its 17 codes:
    # its excerpts, cases, studies and mappings were gone from the store
    assert post(patient_writable, no_sources(tmp_path)).status_code == 200
    before = dump(patient_writable)
    book = tmp_path / "fictional-peer-support-study.qdc"
    book.write_bytes((DATA / "codebook.qdc").read_bytes())
    r = post(patient_writable, book)
    assert r.status_code == 409, r.text
    assert r.json()["message"] == (
        "fictional-peer-support-study.qdc: the store holds project fictional-peer-support-study with 1 cases, "
        "3 case attributes, which a codebook alone would replace; nothing was written. Import it into the "
        "project's folder (imri-kg import fictional-peer-support-study.qdc --project DIR) and import that folder, "
        "or rename the file for a new project.")
    assert dump(patient_writable) == before
