"""The findings router: a review project's Summary of Qualitative Findings, GRADE-CERQual Evidence Profile and
appraisal table, in CSV, XLSX, Markdown, LaTeX or HTML, from the projects imported into the store."""

from enum import Enum
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Response
from pyoxigraph import Store
from starlette.concurrency import run_in_threadpool

from imri_kg.api.analytics import StoreDep
from imri_kg.api.dependencies import SettingsDep
from imri_kg.errors import InputError
from imri_kg.findings.tables import FORMATS, KINDS, MEDIA_TYPES, to_bytes, to_table
from imri_kg.projects.graph import project_iri
from imri_kg.publish.paper_tables import Table

router = APIRouter(prefix="/api/findings", tags=["findings"])

Kind = Enum("Kind", {k: k for k in KINDS}, type=str)  # type: ignore[misc]
Format = Enum("Format", {f: f for f in FORMATS}, type=str)  # type: ignore[misc]
CSV = Format("csv")
Slug = Annotated[str, Path(pattern=r"^[a-z0-9-]+$", description="The project's slug (project.yaml).")]


def project_table(store: Store, slug: str, kind: str, *, base: str) -> Table:
    """The table, or 404 when the store has no findings (or appraisals) of the project."""
    try:
        return to_table(store, project_iri(slug, base=base), kind)
    except InputError as exc:
        raise HTTPException(status_code=404, detail=exc.message) from None


@router.get("/{slug}/{kind}", summary="A project's findings table: soqf, profile or appraisals")
async def table(slug: Slug, kind: Kind, store: StoreDep, settings: SettingsDep,
                format: Annotated[Format, Query(description="csv, xlsx, md, tex or html")] = CSV,
                ) -> Response:
    """soqf: the Summary of Qualitative Findings; profile: the GRADE-CERQual Evidence Profile; appraisals: the
    studies x criteria appraisal table. Only each finding's agreed assessment is shown."""
    result = await run_in_threadpool(project_table, store, slug, kind.value, base=settings.base)
    fmt = format.value
    headers = {"Content-Disposition": f'attachment; filename="{slug}-{kind.value}.{fmt}"'} if fmt == "xlsx" else {}
    media = MEDIA_TYPES[fmt] + ("; charset=utf-8" if fmt != "xlsx" else "")
    return Response(to_bytes(result, fmt), media_type=media, headers=headers)
