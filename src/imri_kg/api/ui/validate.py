"""The coding-sheet page: download the template, upload a sheet (comma, semicolon or tab separated CSV, or XLSX), an
RDF file or a project folder as a .zip, read the report laid out by file and row, and import a sheet only when the
server allows writing and the user gives the write token."""

import datetime as dt
import hmac
from html import escape
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from pyoxigraph import Literal, Quad

from imri_kg.api.dependencies import PoolDep, SettingsDep, answer
from imri_kg.api.engine import QueryRequest, UpdateRequest
from imri_kg.api.settings import Settings
from imri_kg.api.ui.layout import notice, page_html, table
from imri_kg.api.ui.refiqda import SUFFIXES as REFIQDA_SUFFIXES
from imri_kg.api.ui.refiqda import import_markup, isolated_report
from imri_kg.api.ui.results import ask
from imri_kg.api.uploads import UploadChecker, UploadRefused, safe_name
from imri_kg.errors import InputError
from imri_kg.importers.files import Checked, inferred_quads
from imri_kg.importers.sheets import SHEET_SUFFIXES
from imri_kg.importers.template import TEMPLATE_FORMATS, to_template_csv, write_template
from imri_kg.namespaces import PROV, XSD
from imri_kg.projects.archive import ZipReport
from imri_kg.scratch import Folder
from imri_kg.store import FORMATS
from imri_kg.validation.reports import message, short
from imri_kg.validation.reports import summary as summary_of

router = APIRouter(prefix="/ui/validate")
MAX_BYTES = 5_000_000  # a coding sheet is small; refuse anything that is not
ACCEPTED = (*SHEET_SUFFIXES, *FORMATS, *REFIQDA_SUFFIXES, ".zip")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("", response_class=HTMLResponse, summary="Web interface: validate a coding sheet")
async def validate_form(settings: SettingsDep) -> HTMLResponse:
    return _page(settings, "")


@router.get("/template.{fmt}", summary="The empty coding sheet, as `imri-kg template` writes it (csv or xlsx)",
            responses={200: {"content": {"text/csv": {}, XLSX: {}}}, 404: {"description": "Not csv or xlsx."}})
async def template(fmt: str) -> Response:
    if fmt not in TEMPLATE_FORMATS:
        return Response(f"No template as {fmt}; use {' or '.join(TEMPLATE_FORMATS)}.\n", status_code=404,
                        media_type="text/plain")
    headers = {"Content-Disposition": f'attachment; filename="coding-sheet.{fmt}"'}
    if fmt == "csv":
        return Response(to_template_csv(), media_type="text/csv; charset=utf-8", headers=headers)
    with Folder("imri-template-") as folder:
        data = write_template(Path(folder) / "coding-sheet.xlsx", fmt="xlsx").read_bytes()
    return Response(data, media_type=XLSX, headers=headers)


@router.post("", response_class=HTMLResponse, summary="Web interface: the report of an uploaded coding sheet")
async def validate_upload(sheet: Annotated[UploadFile, File()], request: Request, pool: PoolDep,
                          settings: SettingsDep, action: Annotated[str, Form()] = "validate",
                          token: Annotated[str, Form()] = "") -> HTMLResponse:
    checker: UploadChecker = request.app.state.checker
    name = safe_name(sheet.filename)
    data = await sheet.read(MAX_BYTES + 1)
    if Path(name).suffix.lower() not in ACCEPTED:
        return _page(settings, _error(f"{name}: give a coding sheet ({', '.join(SHEET_SUFFIXES)}), an RDF file "
                                      f"({', '.join(FORMATS)}), a REFI-QDA file (.qdpx, .qdc) or a project folder "
                                      "as a .zip."), status=400)
    if len(data) > MAX_BYTES:
        return _page(settings, _error(f"{name} is larger than {MAX_BYTES // 1_000_000} MB."), status=413)
    if Path(name).suffix.lower() in REFIQDA_SUFFIXES:  # read in a bounded process of its own, like the others
        if action == "import":  # into the served store, with the write token (api/refiqda.py)
            markup, status = await import_markup(name, data, token=token, pool=pool, settings=settings)
        else:
            markup, status = await isolated_report(name, data, action=action)
        return _page(settings, markup, status=status)
    try:  # in the bounded checker process, never in this one (uploads.py)
        checked = await checker.check(data, name, pool)  # against the store as it is now
    except InputError as exc:
        return _page(settings, _error(str(exc)), status=400)
    except UploadRefused as exc:
        return _page(settings, _error(exc.message), status=exc.status)
    if isinstance(checked, ZipReport):
        return _page(settings, _project_report(checked, name, action), status=400 if action == "import" else 200)
    report = _report(checked, name)
    if action != "import":
        return _page(settings, report)
    outcome, status = await _import(checked, token, pool, settings)
    return _page(settings, outcome + report, status=status)


async def _import(checked: Checked, token: str, pool: PoolDep, settings: Settings) -> tuple[str, int]:
    """Write a conforming sheet through the workers (as one SPARQL update), or say why nothing was written."""
    if not settings.write_token:
        return _error("This server is read-only: the sheet was checked, and nothing was written."), 403
    if settings.store_dir is not None:
        return _error("This server serves an on-disk store read-only: nothing was written."), 403
    if not hmac.compare_digest(token.encode(), settings.write_token.encode()):
        return _error("That is not this server's write token: nothing was written."), 401
    sheet = checked.sheet
    if sheet is None:
        return _error("Only coding sheets are imported here; an RDF file is checked only."), 400
    if not checked.report.conforms:
        return _error("The sheet does not conform, so nothing was written: fix the rows below and upload it "
                      "again."), 422
    there = await ask(pool, QueryRequest(f"ASK {{ GRAPH <{sheet.graph.value}> {{ ?s ?p ?o }} }}", None, "json"))
    if there.boolean:
        return notice(f"This sheet was imported before, into <code>{escape(sheet.graph.value)}</code>; nothing "
                      "was added."), 200
    started = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    quads = list(dict.fromkeys(sheet.quads + inferred_quads(sheet) + [
        Quad(sheet.activity, PROV.startedAtTime, Literal(started, datatype=XSD.dateTime), sheet.graph)]))
    response = await answer(pool, UpdateRequest(_insert(quads)))
    if response.status_code != 200:
        return _error(f"The import failed: {bytes(response.body).decode()}"), response.status_code
    return notice(f"Imported {len(sheet.rows)} row(s), {len(quads)} triples, into "
                  f"<code>{escape(sheet.graph.value)}</code>. Queries and every page (home counts, matrix, "
                  "figures) see them now.", kind="success"), 200


def _insert(quads: list[Quad]) -> str:
    graphs: dict[str, list[str]] = {}
    for q in quads:
        graphs.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    return "INSERT DATA {\n" + "\n".join(f"GRAPH {g} {{\n" + "\n".join(t) + "\n}" for g, t in graphs.items()) + "\n}"


def _report(checked: Checked, name: str) -> str:
    """One table row per problem, ordered by sheet row, with the column to fix and what to do."""
    found: list[tuple] = []  # one row per sh:result
    for r in checked.report.results:
        where = checked.sheet.locate(r.focus, r.path, r.shape, r.value_nt) if checked.sheet else None
        row = where[0] if where else 0
        column = (where[1] if where and where[1] else short(r.path) or short(r.shape))
        found.append((row, r.blocks is False, column, r.severity, message(checked, r), r.focus))
    report = checked.report
    summary = f"<strong>{escape(name)}</strong>: {escape(summary_of(checked))}"
    kind = "success" if report.conforms and not report.warnings else ("warning" if report.conforms else "error")
    rows = [[str(row) if row else escape(short(focus)), escape(column), f'<span class="sev {sev.lower()}">{sev}</span>',
             escape(text)] for row, _, column, sev, text, focus in sorted(found)]
    heading = "Row" if checked.sheet is not None else "Record"
    return (f'<section aria-labelledby="report-h"><h2 id="report-h">Report</h2>{notice(summary, kind=kind)}'
            + (table([heading, "Column", "Severity", "What to fix"], rows, caption=f"Problems in {name}, by row")
               if rows else "") + "</section>")


def _project_report(found: ZipReport, name: str, action: str) -> str:
    """The report of `imri-kg validate DIR` on the unpacked folder: one table row per problem, by file and row."""
    summary = found.text.rstrip("\n").splitlines()[-1]
    kind = "success" if found.conforms and not found.problems else ("warning" if found.conforms else "error")
    rows = [[escape(p.path), str(p.row) if p.row else "", escape(p.column),
             f'<span class="sev {p.severity.lower()}">{p.severity}</span>', escape(p.message)] for p in found.problems]
    note = (notice("A project folder is imported on the command line: <code>imri-kg import DIR --store S</code>. "
                   "Nothing was written.", kind="error", role="alert") if action == "import" else "")
    return (f'<section aria-labelledby="report-h"><h2 id="report-h">Report</h2>{note}'
            f"{notice(f'<strong>{escape(name)}</strong>: {escape(summary)}', kind=kind)}"
            + (table(["File", "Row", "Column", "Severity", "What to fix"], rows,
                     caption=f"Problems in {name}, by file and row") if rows else "")
            + f"<details><summary>The same report as <code>imri-kg validate DIR</code> prints it</summary>"
              f"<pre>{escape(found.text)}</pre></details></section>")


def _error(text: str) -> str:
    return notice(escape(text), kind="error", role="alert")


def _page(settings: Settings, result: str, *, status: int = 200) -> HTMLResponse:
    writable = bool(settings.write_token) and settings.store_dir is None
    mode = ("This server accepts imports from people who hold its write token." if writable else
            "This server is read-only: an uploaded sheet is checked and never written.")
    body = f"""<h1>Validate a coding sheet</h1>
<p>Start from the empty coding sheet: <a href="/ui/validate/template.csv" download>CSV template</a> ·
<a href="/ui/validate/template.xlsx" download>XLSX template</a> (its second sheet documents the columns; the same as
<code>imri-kg template</code> writes). Upload the filled sheet (CSV separated by commas, semicolons or tabs, or XLSX),
an RDF file, or a review-project folder as a .zip. A sheet is checked against the SHACL shapes in the context of the
graph; a project folder as <code>imri-kg validate DIR</code> checks it. The report lists each problem by file, row
and column.</p>
<p class="mode">{mode}</p>
<form class="upload" method="post" action="/ui/validate" enctype="multipart/form-data">
<div class="field"><label for="sheet">Sheet, RDF file or zipped project folder</label>
<input id="sheet" name="sheet" type="file" required accept="{",".join(ACCEPTED)}"></div>
<fieldset{"" if writable else " disabled"}><legend>Import (needs the write token)</legend>
<div class="field"><label for="token">Write token</label>
<input id="token" name="token" type="password" autocomplete="off"></div></fieldset>
<div class="buttons"><button type="submit" name="action" value="validate">Validate</button>
<button type="submit" name="action" value="import"{"" if writable else " disabled"}>Validate and import</button></div>
</form>
<div id="result">{result}</div>"""
    return HTMLResponse(page_html("Validate a coding sheet", body, active="/ui/validate"), status_code=status)

