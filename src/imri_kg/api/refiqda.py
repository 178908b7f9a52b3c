"""Importing an uploaded REFI-QDA file (.qdpx, .qdc) into the served store: POST /api/refiqda/import, and the
validate page's "Validate and import" (ui/validate.py), both with the write token.

The file becomes a review project in a throw-away folder (as `imri-kg import FILE --project DIR` makes one), and
that folder is imported as `imri-kg import DIR --store S` imports it (projects.loading.import_project: checked
whole, the project's `data` and `mappings` graphs replaced, a record added to its `history` graph). All of that
runs in a process of its own, with no network, a memory cap and a time limit: the server's process never parses an
upload. The child asks this process for what it needs of the served store (the ontology and the project's own
graphs) and answers with one SPARQL update, which the workers apply in one transaction: the store changes whole or
not at all. A hostile file, a project that fails its checks, or a project already there with the same content
writes nothing.
"""

import asyncio
import multiprocessing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from imri_kg.api.dependencies import PoolDep, SettingsDep, write_refusal
from imri_kg.api.pool import Busy, Pool, TimeLimitExceeded
from imri_kg.api.uploads import safe_name
from imri_kg.errors import InputError
from imri_kg.limits import MAX_UPLOAD_BYTES
from imri_kg.scratch import Folder

SUFFIXES = (".qdpx", ".qdc")
WEB_AGENT = "web upload"      # the importer named in the project's history graph

router = APIRouter(tags=["REFI-QDA"])


@dataclass
class Outcome:
    """What an upload did: `status` (HTTP), `message`, and the located report the command line prints."""

    status: int
    message: str
    written: bool = False
    project: str = ""
    graphs: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)        # what the file held (codes added, ...)
    records: dict[str, int] = field(default_factory=dict)       # the project's records in the store afterwards
    report: list[dict[str, str]] = field(default_factory=list)  # kind, element, reason
    problems: list[str] = field(default_factory=list)           # file, row, column: what to fix

    def to_json(self) -> dict:
        return {"status": self.status, "message": self.message, "written": self.written, "project": self.project,
                "graphs": self.graphs, "counts": self.counts, "records": self.records, "report": self.report,
                "problems": self.problems}


@router.get("/api/refiqda/import", include_in_schema=False)
def import_needs_post() -> Response:
    """The import takes a POSTed file; a GET (or HEAD) is told so, not sent to the linked-data pages."""
    return JSONResponse({"detail": "POST a .qdpx or .qdc file as the multipart field `file`."}, status_code=405,
                        headers={"Allow": "POST"})


@router.post("/api/refiqda/import", summary="Import a REFI-QDA project (.qdpx) or codebook (.qdc) as a review project",
             responses={200: {"description": "Imported, or already there unchanged (`written` says which)."},
                        400: {"description": "Not a REFI-QDA file, or a hostile one: the located error; nothing "
                                             "written."},
                        401: {"description": "Without the header Authorization: Bearer <write token>."},
                        403: {"description": "A read-only server."},
                        409: {"description": "A codebook named like a project of the store that holds more than "
                                             "codes, which it would replace; nothing written."},
                        413: {"description": "Larger than the upload limit, or needs more memory than allowed."},
                        422: {"description": "The project fails its checks (each problem located); nothing "
                                             "written."}})
async def import_refiqda_upload(file: Annotated[UploadFile, File()], request: Request, pool: PoolDep,
                                settings: SettingsDep) -> Response:
    """The file as multipart field `file`; the answer is JSON (`Outcome`), also when nothing was written."""
    refused = write_refusal(settings, request)
    if refused is not None:
        return refused
    name = safe_name(file.filename)
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    outcome = await import_upload(name, data, pool=pool)
    return JSONResponse(outcome.to_json(), status_code=outcome.status)


async def import_upload(name: str, data: bytes, *, pool: Pool, seconds: float = 60.0,
                        memory_bytes: int = 3 * 2**30 // 2) -> Outcome:
    """Read, check and import one uploaded file (the caller has checked the write token)."""
    if Path(name).suffix.lower() not in SUFFIXES:
        return Outcome(400, f"{name}: give a REFI-QDA project (.qdpx) or codebook (.qdc).")
    if len(data) > MAX_UPLOAD_BYTES:
        return Outcome(413, f"{name} is larger than {MAX_UPLOAD_BYTES // 1_000_000} MB; nothing was written.")
    base = pool.settings.base
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe(duplex=True)
    process = context.Process(target=_in_child, args=(child, name, data, base, memory_bytes), daemon=True)
    process.start()
    child.close()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    try:
        while True:
            ready = await loop.run_in_executor(None, parent.poll, max(0.0, deadline - loop.time()))
            if not ready:
                return Outcome(422, f"{name} took longer than {seconds:g} s to read and check; it was stopped and "
                                    "nothing was written.")
            kind, value = parent.recv()
            if kind == "slug":  # the child asks for the ontology and what the store holds of this project
                parent.send_bytes(_context(pool, value, base))
                continue
            if kind != "write":
                return value
            sparql, outcome = value
            return await _write(pool, sparql, outcome)
    except (EOFError, OSError):
        return Outcome(422, f"{name} could not be read: the reading process stopped; nothing was written.")
    finally:
        process.kill()
        process.join(5)
        parent.close()


def _context(pool: Pool, slug: str, base: str) -> bytes:
    """What an import reads of the store, as N-Quads (from this process's in-memory store): the ontology, the
    knowledge base and the frameworks (a view triple they state is not written again), the project's own graphs, and
    the concepts mappings may name (with their labels, notations and schemes)."""
    from pyoxigraph import RdfFormat, serialize

    from imri_kg.namespaces import SKOS
    from imri_kg.projects.loading import project_graphs
    from imri_kg.store import graph_iri

    store = pool.local
    quads = [q for g in [graph_iri("ontology", base=base), graph_iri("kb", base=base),
                         graph_iri("frameworks", base=base), *project_graphs(store, slug, base=base)]
             for q in store.quads_for_pattern(None, None, None, g)]
    schemes = set()
    for q in store.quads_for_pattern(None, SKOS.inScheme, None, None):
        quads.append(q)
        schemes.add(q.object)
        for p in (SKOS.notation, SKOS.prefLabel):
            quads += store.quads_for_pattern(q.subject, p, None, None)
    for scheme in schemes:
        quads += store.quads_for_pattern(scheme, None, None, None)
    return serialize(list(dict.fromkeys(quads)), format=RdfFormat.N_QUADS) or b""


async def _write(pool: Pool, sparql: str, outcome: Outcome) -> Outcome:
    from imri_kg.api.engine import UpdateRequest

    try:
        answer = await pool.dispatch(UpdateRequest(sparql))
    except (Busy, TimeLimitExceeded):
        return Outcome(503, "The server is busy or the write ran past its time limit; nothing was written. Try "
                            "again shortly.", project=outcome.project, report=outcome.report)
    if answer.status != 200:
        return Outcome(answer.status, f"The write failed: {answer.body.decode('utf-8', 'replace')[:300]}; nothing "
                                      "was written.", project=outcome.project, report=outcome.report)
    outcome.written = True
    return outcome


class _Captured:
    """Stands for a store in projects.loading.write_replacing: keeps the one update it would run."""

    sparql = ""

    def update(self, sparql: str) -> None:
        self.sparql = sparql


def _in_child(conn, name: str, data: bytes, base: str, memory_bytes: int) -> None:  # type: ignore[no-untyped-def]
    from imri_kg.api.sandbox import drop_network, limit_memory

    drop_network()
    limit_memory(memory_bytes)
    try:
        with Folder("imri-refiqda-") as tmp:
            path = Path(tmp) / name
            path.write_bytes(data)
            try:
                conn.send(_import_in(conn, path, Path(tmp) / "project", base))
            except InputError as exc:
                conn.send(("done", Outcome(400, str(exc).replace(str(path), name).replace(tmp + "/", ""))))
            except (MemoryError, RecursionError):
                raise
            except Exception as exc:  # noqa: BLE001 - a library's error on a hostile file is the file's fault
                shown = f"{type(exc).__name__}: {str(exc)[:300]}".replace(str(path), name).replace(tmp + "/", "")
                conn.send(("done", Outcome(400, f"{name}: cannot be read ({shown}); nothing was written.")))
    except MemoryError:
        conn.send(("done", Outcome(413, f"{name} needs more memory to read than this server allows; nothing was "
                                        "written.")))
    except RecursionError:
        conn.send(("done", Outcome(400, f"{name}: is nested too deeply to read; nothing was written.")))


def _import_in(conn, path: Path, folder: Path, base: str) -> tuple[str, object]:  # type: ignore[no-untyped-def]
    """In the child: the file into a fresh project folder, then the folder into a copy of the store's context."""
    from pyoxigraph import RdfFormat, Store

    from imri_kg.projects.graph import project_graph
    from imri_kg.projects.loading import import_project, write_replacing
    from imri_kg.projects.refiqda import import_refiqda
    from imri_kg.projects.refiqda.folder import read_project_yaml

    plan = import_refiqda(path, folder, base=base)
    slug = str(read_project_yaml(folder).get("slug") or "")
    report = [{"kind": i.kind, "element": i.element, "reason": i.reason} for i in plan.report]
    counts = {what: n for what, n in plan.counts.items() if n}
    conn.send(("slug", slug))
    store = Store()
    store.load(conn.recv_bytes(), format=RdfFormat.N_QUADS)
    result = import_project(store, folder, base=base, by=WEB_AGENT, replace=path.suffix.lower() == ".qdc")  # .qdc: 409 below
    problems = [str(p).replace(str(folder) + "/", "").replace(str(folder), slug)
                for p in result.check.problems.errors + result.check.problems.warnings]
    outcome = Outcome(200, "", project=slug, counts=counts, records=result.after, report=report,
                      problems=problems)
    if not result.check.conforms:
        outcome.status = 422
        outcome.message = (f"{path.name}: the project it makes fails {len(result.check.problems.errors)} check(s), "
                           "listed below; nothing was written.")
        if any("cites nothing" in p for p in problems):
            outcome.message += (" Excerpts must cite studies of a bibliography, which this file does not hold: "
                                f"import it into a project folder (imri-kg import {path.name} --project DIR), add "
                                "the bibliography, and import the folder.")
        return "done", outcome
    if result.unchanged:
        outcome.message = f"{path.name}: project {slug} is already in the store with this content; nothing was written."
        return "done", outcome
    lost = {k: n for k, n in result.before.items() if k not in ("codes", "triples") and n > result.after.get(k, 0)}
    if path.suffix.lower() == ".qdc" and lost:
        # a codebook holds only codes: as the project's whole content it would drop all else the project holds
        outcome.status = 409
        outcome.message = (f"{path.name}: the store holds project {slug} with "
                           + ", ".join(f"{n} {k}" for k, n in lost.items()) + ", which a codebook alone would "
                           f"replace; nothing was written. Import it into the project's folder (imri-kg import "
                           f"{path.name} --project DIR) and import that folder, or rename the file for a new project.")
        return "done", outcome
    names = [project_graph(slug, n, base=base) for n in ("data", "mappings", "view", "history")]
    view = names[2]  # what the project's views/ state: replaced always, named only when it has triples
    outcome.graphs = [g.value for g in names
                      if g != view or next(store.quads_for_pattern(None, None, None, g), None) is not None]
    outcome.message = (f"{path.name}: imported as project {slug} (import {result.number} of its history), "
                       + ", ".join(f"{n} {k}" for k, n in result.after.items()) + ".")
    captured = _Captured()
    write_replacing(captured, names, [q for g in names for q in store.quads_for_pattern(None, None, None, g)])
    return "write", (captured.sparql, outcome)
