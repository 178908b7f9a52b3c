"""The validate page's answer to an uploaded REFI-QDA file (.qdpx, .qdc): what an import would take, and what not;
with the write token, the import itself (api/refiqda.py), into the served store as a review project.

The file is read in a process of its own, with no network, a memory cap and a time limit (`isolated_report`,
`api.refiqda.import_upload`): the server's own process never parses an upload (issue 17).
"""

import asyncio
import hmac
import multiprocessing
from html import escape
from pathlib import Path

from imri_kg.api.pool import Pool
from imri_kg.api.refiqda import import_upload
from imri_kg.api.settings import Settings
from imri_kg.api.ui.layout import notice, table
from imri_kg.errors import InputError
from imri_kg.scratch import Folder

SUFFIXES = (".qdpx", ".qdc")


def refiqda_report(name: str, data: bytes, *, action: str) -> tuple[str, int]:
    """The report markup and HTTP status for an uploaded .qdpx or .qdc file (read in a throw-away folder)."""
    from imri_kg.projects.refiqda import import_refiqda
    with Folder("imri-ui-") as folder:
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
    return f'<section aria-labelledby="report-h"><h2 id="report-h">Report</h2>{body}</section>', 200


async def import_markup(name: str, data: bytes, *, token: str, pool: Pool,
                        settings: Settings) -> tuple[str, int]:
    """Import the file into the served store when the server allows writing and `token` is its write token; else
    the check's report under a message saying why nothing was written."""
    refusal = None
    if not settings.write_token:
        refusal = ("This server is read-only: the file was checked, and nothing was written.", 403)
    elif settings.store_dir is not None:
        refusal = ("This server serves an on-disk store read-only: nothing was written.", 403)
    elif not hmac.compare_digest(token.encode(), settings.write_token.encode()):
        refusal = ("That is not this server's write token: nothing was written.", 401)
    if refusal is not None:
        markup, status = await isolated_report(name, data, action="validate")
        return notice(escape(refusal[0]), kind="error", role="alert") + markup, refusal[1] if status == 200 else status
    outcome = await import_upload(name, data, pool=pool)
    kind = "success" if outcome.status == 200 else "error"
    body = notice(escape(outcome.message), kind=kind, role="status" if kind == "success" else "alert")
    if outcome.written:
        body += f"<p>Graphs: {', '.join(f'<code>{escape(g)}</code>' for g in outcome.graphs)}.</p>"
    if outcome.problems:
        body += table(["What to fix (file, row, column)"], [[escape(p)] for p in outcome.problems],
                      caption=f"Problems of the project made from {name}")
    if outcome.report:
        body += table(["Kind", "Element", "Why"], [[escape(i["kind"]), escape(i["element"]), escape(i["reason"])]
                                                   for i in outcome.report],
                      caption=f"Not imported, or imported with a warning, from {name}")
    return f'<section aria-labelledby="report-h"><h2 id="report-h">Import</h2>{body}</section>', outcome.status


def _report_in_child(conn: "multiprocessing.connection.Connection", name: str, data: bytes, action: str,
                     memory_bytes: int) -> None:
    from imri_kg.api.sandbox import drop_network, limit_memory

    drop_network()
    limit_memory(memory_bytes)
    try:
        conn.send(refiqda_report(name, data, action=action))
    except MemoryError:
        conn.send((notice(f"{escape(name)} needs more memory to read than this server allows.", kind="error",
                          role="alert"), 413))


async def isolated_report(name: str, data: bytes, *, action: str, seconds: float = 30.0,
                          memory_bytes: int = 3 * 2**30 // 2) -> tuple[str, int]:
    """`refiqda_report` run in a throw-away process: killed past `seconds`, capped at `memory_bytes`."""
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_report_in_child, args=(child, name, data, action, memory_bytes), daemon=True)
    process.start()
    child.close()
    loop = asyncio.get_running_loop()
    try:
        ready = await loop.run_in_executor(None, parent.poll, seconds)
        if ready:
            return parent.recv()
        return notice(f"{escape(name)} took longer than {seconds:g} s to read; it was stopped.", kind="error",
                      role="alert"), 422
    except (EOFError, OSError):
        return notice(f"{escape(name)} could not be read: the reading process stopped.", kind="error",
                      role="alert"), 422
    finally:
        process.kill()
        process.join(5)
        parent.close()
