"""The validate page's answer to an uploaded REFI-QDA file (.qdpx, .qdc): what an import would take, and what not.

Checked only: a REFI-QDA file goes into a review project folder (`imri-kg import FILE --project DIR`), which the
web interface does not hold.
"""

import tempfile
from html import escape
from pathlib import Path

from imri_kg.api.ui.layout import notice, table
from imri_kg.errors import InputError

SUFFIXES = (".qdpx", ".qdc")


def refiqda_report(name: str, data: bytes, *, action: str) -> tuple[str, int]:
    """The report markup and HTTP status for an uploaded .qdpx or .qdc file (read in a throw-away folder)."""
    from imri_kg.projects.refiqda import import_refiqda
    with tempfile.TemporaryDirectory(prefix="imri-ui-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            plan = import_refiqda(path, Path(folder) / "project", dry_run=True)
        except InputError as exc:
            return notice(escape(str(exc).replace(str(path), name)), kind="error", role="alert"), 400
    counts = ", ".join(f"{n} {what.replace(' added', '')}" for what, n in plan.counts.items() if n) or "nothing"
    summary = notice(f"<strong>{escape(name)}</strong>: readable REFI-QDA; an import would take {escape(counts)}."
                     + (f" {len(plan.report)} item(s) reported below." if plan.report else ""),
                     kind="warning" if plan.report else "success")
    rows = [[escape(i.kind), escape(i.element), escape(i.reason)] for i in plan.report]
    body = summary + (table(["Kind", "Element", "Why"], rows, caption=f"Not imported, or imported with a warning, from {name}") if rows else "")
    if action == "import":
        return notice("A REFI-QDA file is imported into a review project folder, on the command line: "
                      f"<code>imri-kg import {escape(name)} --project DIR</code>. Nothing was written.",
                      kind="error", role="alert") + body, 400
    return f'<section aria-labelledby="report-h"><h2 id="report-h">Report</h2>{body}</section>', 200
