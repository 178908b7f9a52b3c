"""A project check as a report: text for people (one line per problem, by file and row), JSON for machines."""

import json

from imri_kg.projects.checks import ProjectCheck


def to_text(check: ProjectCheck) -> str:
    problems = check.problems
    lines = [str(p) for p in problems.errors + problems.warnings]
    name = check.project.slug or check.project.folder.name
    files = len({p.path for p in problems.errors + problems.warnings})
    if check.conforms:
        counts = ", ".join(f"{n} {kind}" for kind, n in check.project.counts().items())
        if check.project.views:
            counts += f", {len(check.project.views)} views stating {_view_triples(check)} triples"
        lines.append(f"{name}: conforms ({counts}); {len(problems.warnings)} warning(s).")
    else:
        lines.append(f"{name}: does not conform: {len(problems.errors)} problem(s), {len(problems.warnings)} "
                     f"warning(s) in {files} file(s).")
    return "\n".join(lines) + "\n"


def to_json(check: ProjectCheck) -> str:
    problems = check.problems
    return json.dumps({"project": check.project.slug or None, "folder": str(check.project.folder),
                       "conforms": check.conforms, "exit_code": problems.exit_code,
                       "counts": check.project.counts(),
                       "views": {"files": len(check.project.views), "triples": _view_triples(check)},
                       "problems": [p.to_dict() for p in problems.errors + problems.warnings]},
                      ensure_ascii=False, indent=2) + "\n"


def _view_triples(check: ProjectCheck) -> int:
    """How many triples the project's views state (0 when they were not run: the folder did not read cleanly)."""
    return len(check.graph.view) if check.graph is not None else 0


def write_project_report(check: ProjectCheck, fmt: str) -> str:
    return to_json(check) if fmt == "json" else to_text(check)
