"""The web interface for reviewers, under /ui: server-rendered pages over the same workers and store as the API.

`install(app)` mounts the package's own CSS and JS at /ui/static and adds the pages, including `/` (a redirect to
/ui/). Call it before the linked-data router is included: that router's path pattern takes every other path.
Pages work without JavaScript (an answer's headings sort the whole answer on the server); the scripts sort other tables, add the editor's highlighting and keyboard shortcuts.
"""

from importlib.resources import files
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

from imri_kg.resources import to_path

STATIC_DIR = to_path(files(__package__) / "static")


def install(app: "FastAPI") -> None:
    # Imported here, not at the top: the linked-data pages (resources.py, loaded by the workers) use layout.py
    # from this package, and a worker must not pay for FastAPI.
    from fastapi.staticfiles import StaticFiles

    from imri_kg.api import search as search_api
    from imri_kg.api.ui import (
        editor,
        findings,
        frameworks,
        home,
        library,
        matrix,
        matrix_general,
        search,
        validate,
        vendor,
    )

    app.include_router(vendor.router)  # before the mount below, which would take its paths
    app.mount("/ui/static", StaticFiles(directory=STATIC_DIR), name="ui-static")
    for module in (home, library, editor, matrix_general, matrix, frameworks, validate, findings, search):
        app.include_router(module.router, tags=["Web interface"])
    app.include_router(search_api.router)


__all__ = ["install"]
