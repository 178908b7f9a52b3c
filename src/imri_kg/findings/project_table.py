"""A findings table of a project folder (checked first, as `imri-kg validate` checks it) or of an imported project."""

import re
from pathlib import Path

from pyoxigraph import Store

from imri_kg.errors import InputError
from imri_kg.findings.project import to_store
from imri_kg.findings.tables import to_table
from imri_kg.kb.build import build_store
from imri_kg.projects.checks import check_project
from imri_kg.projects.graph import project_iri
from imri_kg.projects.problems import Problems
from imri_kg.publish.paper_tables import Table
from imri_kg.store import DEFAULT_BASE


def project_table(project: str | Path, kind: str, *, store: Store | None = None,
                  base: str = DEFAULT_BASE) -> tuple[Table | None, Problems | None]:
    """The `kind` table of a project: a folder (checked as `imri-kg validate` checks it; with violations, no table
    but the problems), or the slug of a project imported into `store`."""
    path = Path(project)
    if path.is_dir():
        check = check_project(path, store=store if store is not None else build_store(base=base), base=base)
        if not check.conforms or check.graph is None or check.project.meta is None:
            return None, check.problems
        return to_table(to_store(check.graph.quads, base=base), project_iri(check.project.slug, base=base),
                        kind), check.problems
    if store is None or not re.fullmatch(r"[a-z0-9-]+", str(project)):
        raise InputError(f'"{project}" is neither a project folder nor, with --store, the slug of a project in it.')
    return to_table(store, project_iri(str(project), base=base), kind), None
