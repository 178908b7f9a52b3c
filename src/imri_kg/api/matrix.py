"""/api/matrix: the general matrix coding query as JSON, or as a CSV, XLSX, Markdown or LaTeX download.

It reads the app's local read-only store (as the analytics router does), so it sees the data as built or imported
before the server started. Bad axes, unknown projects or formats are 400 with the message a reviewer can act on.
"""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from imri_kg.api.analytics import StoreDep
from imri_kg.api.dependencies import SettingsDep, text
from imri_kg.errors import InputError
from imri_kg.matrix import AXIS_KINDS, FORMATS, to_bytes, to_matrix

router = APIRouter(prefix="/api/matrix", tags=["Matrix coding query"])
_AXIS = "KIND:NAME with KIND one of: " + "; ".join(f"{k} ({v})" for k, v in AXIS_KINDS.items())


@router.get("", summary="The matrix coding query",
            responses={200: {"content": {t: {} for _, t, _ in FORMATS.values()}},
                       400: {"description": "An axis, project or format that names nothing known."}})
async def get_matrix(store: StoreDep, settings: SettingsDep,
                     rows: Annotated[str, Query(description=f"The rows: {_AXIS}.")],
                     cols: Annotated[str, Query(description="The columns, an axis as for rows.")],
                     project: Annotated[list[str] | None, Query(
                         description="A project slug or IRI; repeat for several. Default: every project.")] = None,
                     excerpts: Annotated[bool, Query(description="List each cell's excerpts and references.")] = False,
                     fmt: Annotated[str, Query(alias="format", description="json (default), " + ", ".join(
                         f for f in FORMATS if f != "json") + " (as a download).")] = "json") -> Response:
    """Each cell of rows × cols counts the coded excerpts and the distinct studies they cite; with excerpts=true it
    lists the excerpts with the full references of their studies (authors, year, title, DOI link)."""
    try:
        if fmt not in FORMATS:
            raise InputError(f'"{fmt}" is not a matrix format; use one of {", ".join(FORMATS)}.')
        m = await run_in_threadpool(to_matrix, store, rows=rows, cols=cols, projects=project or [],
                                    excerpts=excerpts, base=settings.base)
        data = await run_in_threadpool(to_bytes, m, fmt)
    except InputError as exc:
        return text(400, str(exc))
    _, media_type, suffix = FORMATS[fmt]
    headers = {} if fmt == "json" else {"Content-Disposition": f'attachment; filename="matrix.{suffix}"'}
    return Response(data, media_type=media_type, headers=headers)
