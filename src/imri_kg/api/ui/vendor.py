"""The browser components installed by the project's set-up (CodeMirror 5, MIT), served from this server's own
origin under /ui/static/vendor/: only the listed files, so the page never loads anything from another host."""

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

from imri_kg import resources

router = APIRouter(prefix="/ui/static/vendor")
CODEMIRROR = "/ui/static/vendor/codemirror"
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", "": "text/plain; charset=utf-8"}


def has_codemirror() -> bool:
    """Whether the set-up installed CodeMirror (else the editor stays a plain textarea)."""
    return resources.CODEMIRROR_DIR is not None


@router.get("/codemirror/{name:path}", include_in_schema=False)
async def codemirror(name: str) -> FileResponse:
    if not has_codemirror() or name not in resources.CODEMIRROR_FILES:
        raise HTTPException(404, "Not found")
    suffix = "." + name.rsplit(".", 1)[1] if "." in name.rsplit("/", 1)[-1] else ""
    return FileResponse(resources.CODEMIRROR_DIR / name, media_type=_TYPES[suffix],
                        headers={"Cache-Control": "public, max-age=86400"})
