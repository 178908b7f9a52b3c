"""The findings pages: the review projects with findings, and each one's Summary of Qualitative Findings,
GRADE-CERQual Evidence Profile and appraisal table, with downloads in every format."""

from html import escape

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from imri_kg.api.analytics import StoreDep
from imri_kg.api.dependencies import SettingsDep
from imri_kg.api.findings import Slug, project_table
from imri_kg.api.ui.layout import page_html
from imri_kg.findings.tables import FORMATS, KINDS
from imri_kg.publish.paper_tables import to_html
from imri_kg.questions import rows, run

router = APIRouter(prefix="/ui/findings")

_PROJECTS = """SELECT ?project (SAMPLE(?t) AS ?title) (COUNT(DISTINCT ?f) AS ?findings) WHERE {
  ?f a imri:ReviewFinding ; imri:project ?project . OPTIONAL { ?project dcterms:title ?t }
} GROUP BY ?project ORDER BY ?project"""
TITLES = {"soqf": "Summary of Qualitative Findings", "profile": "GRADE-CERQual Evidence Profile",
          "appraisals": "Appraisal of the included studies"}


@router.get("", response_class=HTMLResponse, summary="Web interface: review projects with findings")
async def projects(store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    found = await run_in_threadpool(lambda: rows(run(store, _PROJECTS)))
    items = "".join(
        f'<li><a href="/ui/findings/{escape(slug)}">{escape(p["title"] or slug)}</a> ({p["findings"]} findings)</li>'
        for p in found for slug in [p["project"].removeprefix(settings.base + "project/")])
    body = ("<h1>Review findings</h1><p>Review projects imported into this store whose folder has findings "
            "(findings.csv), with their GRADE-CERQual assessments and study appraisals. The two papers' built-in "
            "content holds no findings or judgements.</p>"
            + (f"<ul>{items}</ul>" if items else "<p>No project with findings is imported yet "
                                                "(<code>imri-kg import DIR --store S</code>).</p>"))
    return HTMLResponse(page_html("Review findings", body, active="/ui/findings"))


@router.get("/{slug}", response_class=HTMLResponse, summary="Web interface: one project's findings tables")
async def project(slug: Slug, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    sections = []
    for kind in KINDS:
        try:
            table = await run_in_threadpool(project_table, store, slug, kind, base=settings.base)
        except HTTPException:
            sections.append(f"<section><h2>{escape(TITLES[kind])}</h2><p>None in this project.</p></section>")
            continue
        links = " · ".join(f'<a href="/api/findings/{escape(slug)}/{kind}?format={f}">{f.upper()}</a>'
                           for f in FORMATS)
        sections.append(f'<section aria-labelledby="{kind}-h"><h2 id="{kind}-h">{escape(TITLES[kind])}</h2>'
                        f'<div class="scroll" role="region" aria-label="{escape(TITLES[kind])}" tabindex="0">'
                        f"{to_html(table)}</div><p>Download: {links}</p></section>")
    if all("None in this project" in s for s in sections):
        raise HTTPException(status_code=404, detail=f"the store holds no findings of the project {slug}")
    body = f"<h1>Findings of {escape(slug)}</h1>" + "".join(sections)
    return HTMLResponse(page_html(f"Findings of {slug}", body, active="/ui/findings"))
