"""REFI-QDA content -> the files of a review project folder, merged with what the folder already holds.

Records are matched by GUID (a `guid` column, an evidence row id, or the GUID an export derived from the record's
IRI), so importing the same codebook or project again updates rows instead of adding them. Nothing is written
here: `to_import_plan` returns the new text of each file that changes, and `write_import_plan` writes them.
"""

import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from imri_kg.errors import InputError
from imri_kg.importers.labels import normalise_doi
from imri_kg.projects.bibliography import StudyIndex, read_bibliography
from imri_kg.projects.cases import _fits
from imri_kg.projects.model import Study
from imri_kg.projects.problems import Problems
from imri_kg.projects.refiqda._ids import derived_guid, excerpt_id, guid_of, note_key, slug, unique
from imri_kg.projects.refiqda._xml import GUID_RE, norm_guid
from imri_kg.projects.refiqda.folder import Table, evidence_tables, read_project_yaml, read_table, split_list
from imri_kg.projects.refiqda.model import FILE_NOTE, Project, ReportItem, TextSource
from imri_kg.projects.tables import split_studies
from imri_kg.scratch import Folder

EVIDENCE_FILE = "evidence/refiqda.csv"
DATATYPES = {"Text": "string", "Boolean": "boolean", "Integer": "integer", "Float": "decimal", "Date": "date",
             "DateTime": "string"}


@dataclass
class ImportPlan:
    """The files an import writes (path relative to the project -> full text) and what it could not use."""

    folder: Path
    files: dict[str, str] = field(default_factory=dict)
    report: list[ReportItem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def to_import_plan(project: Project, folder: Path, *, source_file: Path, dimension: str = "case",
                   base: str = "https://w3id.org/imri/") -> ImportPlan:
    restored = _restored(project, folder)
    if not restored:
        return _plan(project, folder, source_file=source_file, dimension=dimension, base=base)
    # the files an imri-kg export carried (FILE_NOTE) that the folder lacks: put in a copy of the folder first,
    # so that the merge below sees them as the folder's own (and a fresh folder gets the exported project back)
    with Folder("imri-refiqda-") as tmp:
        work = Path(tmp) / "project"
        if folder.is_dir():
            shutil.copytree(folder, work)
        for rel, text in restored.items():
            (work / rel).parent.mkdir(parents=True, exist_ok=True)
            (work / rel).write_text(text, encoding="utf-8", newline="")
        plan = _plan(project, work, source_file=source_file, dimension=dimension, base=base)
    plan.folder = folder
    plan.files = {**restored, **plan.files}
    plan.counts["files restored"] = len(restored)
    return plan


FOLDER_FILE = re.compile(r"(project\.yaml|[\w.-]+\.csv|(bibliography|documents|evidence|sources|views)/[\w][\w .-]*)")


def _restored(project: Project, folder: Path) -> dict[str, str]:
    """The carried files to write: those the folder lacks, each a file of the project format (never a path that
    climbs out of the folder); others are reported."""
    out = {}
    carried = project.carried_files()
    theirs, ours = _carried_slug(carried.get("project.yaml", "")), ""
    if folder.is_dir():
        ours = str(read_project_yaml(folder).get("slug") or "")
    for rel, text in carried.items():
        if not FOLDER_FILE.fullmatch(rel) or ".." in rel.split("/"):
            project.report.append(ReportItem("not imported", f'<Note name="{FILE_NOTE}{rel}">',
                                             "not a file of a review project folder"))
        elif rel.startswith("evidence/") and ours and theirs and ours != theirs and not (folder / rel).exists():
            # another project's evidence: its excerpts come in once, from the file's selections; restoring the
            # exported sheet as well would add each of them again under this project's ids
            project.report.append(ReportItem("not imported", f'<Note name="{FILE_NOTE}{rel}">',
                                             f"evidence of project {theirs!r}, carried by its export; this folder "
                                             f"is project {ours!r}, so its excerpts are taken from the selections"))
        elif not (folder / rel).exists():
            out[rel] = text
    return out


def _carried_slug(text: str) -> str:
    """The slug of a carried project.yaml ('' when there is none or it cannot be read)."""
    try:
        data = yaml.safe_load(text) if text else None
    except yaml.YAMLError:
        return ""
    return str(data.get("slug") or "") if isinstance(data, dict) else ""


def _plan(project: Project, folder: Path, *, source_file: Path, dimension: str, base: str) -> ImportPlan:
    plan = ImportPlan(folder, report=list(project.report))
    meta = read_project_yaml(folder)
    if not meta:
        meta = {"slug": slug(project.name) or "refiqda", "title": project.name or source_file.stem}
        if project.description:
            meta["description"] = project.description
        plan.files["project.yaml"] = (f"# Review project created by imri-kg import of {source_file.name}.\n"
                                      + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True))
    ctx = _Context(project, folder, str(meta.get("slug") or ""), base, plan)
    ctx.codebook()
    if project.sources or project.cases or project.notes:
        ctx.cases(dimension)
        ctx.sources()
        ctx.evidence()
        ctx.attributes()
        ctx.notes()
    for table, before in ctx.tables:
        if table.content() == before or not (table.path.exists() or table.data()):
            continue
        plan.files[table.path.relative_to(folder).as_posix()] = table.to_text()
    return plan


def write_import_plan(plan: ImportPlan) -> list[Path]:
    """Write the plan's files: all, or none. Each is written to a temporary file first; only when every one is
    written are they renamed into place (a file could fail after others were written: a folder's name taken by a
    file, a full disk)."""
    staged: list[tuple[Path, Path]] = []
    made: list[Path] = []
    try:
        for rel, text in sorted(plan.files.items()):
            path = plan.folder / rel
            missing = [p for p in path.parents if not p.exists()]
            path.parent.mkdir(parents=True, exist_ok=True)
            made += reversed(missing)
            tmp = path.with_name(path.name + ".tmp-import")
            staged.append((tmp, path))
            tmp.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        for folder in reversed(made):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        raise InputError(f"cannot write {exc.filename or rel}: {exc.strerror or exc}; nothing was written.",
                         path=plan.folder) from None
    for tmp, path in staged:
        os.replace(tmp, path)
    return [path for _, path in staged]


class _Context:
    def __init__(self, project: Project, folder: Path, slug_: str, base: str, plan: ImportPlan) -> None:
        self.p, self.folder, self.slug, self.base, self.plan = project, folder, slug_, base, plan
        self.tables: list[tuple[Table, tuple]] = []     # each table with its content as read
        self.code_ids: dict[str, str] = {}              # norm GUID -> code id
        self.case_ids: dict[str, tuple[str, str]] = {}  # norm GUID -> (dimension, case)
        self.source_rows: dict[str, dict[str, str]] = {}  # norm GUID -> sources.csv row
        self.excerpt_ids: dict[str, str] = {}           # norm selection GUID -> evidence id
        self.users = project.users

    def table(self, rel: str, columns: list[str]) -> Table:
        return self.track(read_table(self.folder / rel, columns=columns))

    def track(self, table: Table) -> Table:
        self.tables.append((table, table.content()))
        return table

    def count(self, what: str, n: int = 1) -> None:
        self.plan.counts[what] = self.plan.counts.get(what, 0) + n

    # -- codebook -------------------------------------------------------------------------------------------
    def codebook(self) -> None:
        table = self.table("codebook.csv", ["code", "label", "definition", "parent", "color", "codable", "guid"])
        self.code_table = table
        self.not_codable: set[str] = set()
        index = {guid_of(r, "guid", self.base, self.slug, "code", r.get("code", "")): r for r in table.data()}
        taken = {r.get("code", "") for r in table.data()}
        for code, parent in self.p.codebook.walk():
            row = index.get(norm_guid(code.guid))
            if row is None:
                row = {"code": unique(slug(code.name) or "code", taken), "guid": code.guid}
                table.rows.append(row)
                self.count("codes added")
            else:
                self.count("codes updated")
                if (row.get("guid") or "").strip():
                    row["guid"] = code.guid
            self.code_ids[norm_guid(code.guid)] = row["code"]
            if not code.codable:
                self.not_codable.add(row["code"])
            codable = "true" if code.codable else "false"
            if "codable" not in row or (row.get("codable") or "true").strip().lower() != codable:  # empty is true
                row["codable"] = codable
            row.update(label=code.name, definition=code.description, color=code.color,
                       parent=self.code_ids[norm_guid(parent.guid)] if parent else "")

    # -- cases ----------------------------------------------------------------------------------------------
    def cases(self, dimension: str) -> None:
        table = self.table("cases.csv", ["dimension", "case", "label", "definition", "guid"])
        index = {guid_of(r, "guid", self.base, self.slug, "case", r.get("dimension", ""), r.get("case", "")): r
                 for r in table.data()}
        taken = {(r.get("dimension", ""), r.get("case", "")) for r in table.data()}
        new_dimension = False
        for case in self.p.cases:
            row = index.get(norm_guid(case.guid))
            if row is None:
                ids = {c for d, c in taken if d == dimension}
                row = {"dimension": dimension, "case": unique(slug(case.name) or "case", ids), "guid": case.guid}
                taken.add((dimension, row["case"]))
                table.rows.append(row)
                new_dimension = True
                self.count("cases added")
            else:
                self.count("cases updated")
                if (row.get("guid") or "").strip():
                    row["guid"] = case.guid
            row.update(label=case.name or row["case"], definition=case.description)
            self.case_ids[norm_guid(case.guid)] = (row["dimension"], row["case"])
        self.case_table = table
        dims = self.table("dimensions.csv", ["dimension", "label", "definition"])
        if new_dimension and dimension not in {r.get("dimension") for r in dims.data()}:
            dims.rows.append({"dimension": dimension, "label": dimension.replace("-", " ").capitalize(),
                              "definition": "Cases of a REFI-QDA project"})

    # -- sources and studies --------------------------------------------------------------------------------
    def sources(self) -> None:
        table = self.table("sources.csv", ["source_document", "guid", "study", "file"])
        problems = Problems(self.folder)
        index_ = read_bibliography(self.folder, problems)
        if problems.errors:
            raise InputError(f"the bibliography cannot be read: {problems.errors[0]}", path=self.folder)
        self.studies = index_
        studies = list(index_.studies.values())
        by_guid = {norm_guid(r.get("guid", "")): r for r in table.data() if r.get("guid")}
        by_name = {r.get("source_document", ""): r for r in table.data()}
        names = set(by_name)
        for source in self.p.sources:
            row = by_guid.get(norm_guid(source.guid)) or (by_name.get(source.name)
                                                          if not by_name.get(source.name, {}).get("guid") else None)
            new = row is None
            if new:
                # a first cell starting with '#' is a comment row: the row would be lost, and added again by each import
                row = {"source_document": unique(source.name.lstrip().lstrip("#").strip() or "source", names)}
            if source.joined:       # the export's own joining of excerpts: nothing to keep but its study
                if not new:
                    row["guid"] = source.guid
            else:
                if new:
                    table.rows.append(row)
                row["guid"] = source.guid
                row["file"] = f"sources/{norm_guid(source.guid)}.txt"
                path = self.folder / row["file"]
                if not path.exists() or path.read_bytes() != source.text.encode("utf-8"):
                    self.plan.files[row["file"]] = source.text
            study = (row.get("study") or "").strip()
            for ref in split_list(study):
                if index_.find(ref) is None:
                    self.plan.report.append(ReportItem("warning", f"sources.csv, {row['source_document']!r}",
                                                       f"study {ref!r} is not in the bibliography"))
            if not study:
                found = _match_study(source, studies, index_)
                if found is None:
                    if new and source.joined:       # a row the reviewer can fill in (guid, no file)
                        row["guid"] = source.guid
                        table.rows.append(row)
                    self.plan.report.append(ReportItem(
                        "warning", f'<TextSource guid="{source.guid}" name="{source.name}">',
                        "no study of the bibliography matches its name or DOI; its excerpts are kept without a "
                        "study: write the study's key in sources.csv (column study) and import again"))
                else:
                    row["study"] = found
            self.source_rows[norm_guid(source.guid)] = row
            self.count("text sources")

    # -- evidence -------------------------------------------------------------------------------------------
    def evidence(self) -> None:
        dims = sorted({d for d, _ in self.case_ids.values()})
        tables = [self.track(t) for t in evidence_tables(self.folder, columns=[])]
        own = next((t for t in tables if t.path == self.folder / EVIDENCE_FILE), None)
        if own is None:
            always = ["id", "codes", *dims, "studies", "text", "coder", "date", "notes"]
            columns = [*always[:-3], "start", "end", "source_document", *always[-3:]]  # positions: where filled
            own = self.track(Table(self.folder / EVIDENCE_FILE, columns, read_header=always))
            tables.append(own)
        index: dict[str, tuple[Table, dict[str, str]]] = {}
        for table in tables:
            for row in table.data():
                rid = self.excerpt_id(row)
                guid = norm_guid(rid) if GUID_RE.fullmatch(rid) else derived_guid(self.base, self.slug, "excerpt", rid)
                index[guid] = (table, row)
        case_index = {dim: _index([r for r in self.case_table.data() if r.get("dimension") == dim], "case")
                      for dim in dims}
        by_source = {norm_guid(ref): [] for case in self.p.cases for ref in case.source_refs}
        by_selection: dict[str, list[tuple[str, str]]] = {}
        for case in self.p.cases:
            for ref in case.source_refs:
                by_source[norm_guid(ref)].append(self.case_ids[norm_guid(case.guid)])
            for ref in case.selection_refs:
                by_selection.setdefault(norm_guid(ref), []).append(self.case_ids[norm_guid(case.guid)])
        for source in self.p.sources:
            srow = self.source_rows[norm_guid(source.guid)]
            for sel in source.selections:
                if not sel.codings:
                    self.plan.report.append(ReportItem("not imported", f'<PlainTextSelection guid="{sel.guid}">',
                                                       f"a selection of {source.name!r} without codes"))
                    continue
                table, row = index.get(norm_guid(sel.guid), (own, None))
                if row is None:
                    row = {"id": norm_guid(sel.guid)}
                    own.rows.append(row)
                    self.count("excerpts added")
                else:
                    self.count("excerpts updated")
                codes = list(dict.fromkeys(self.code_ids[norm_guid(c.code)] for c in sel.codings))
                for code in codes:
                    if code in self.not_codable:
                        self.plan.report.append(ReportItem(
                            "warning", f'<PlainTextSelection guid="{sel.guid}">', f"coded to {code!r}, a code whose "
                            "isCodable is false: the project check refuses the excerpt until it is recoded"))
                cases = by_source.get(norm_guid(source.guid), []) + by_selection.get(norm_guid(sel.guid), [])
                user = sel.user or next((c.user for c in sel.codings if c.user), "")
                values = {"codes": ";".join(codes), "text": sel.text, "start": str(sel.start), "end": str(sel.end),
                          "source_document": srow["source_document"],
                          "coder": self.users.get(norm_guid(user), "") if user else "",
                          "date": _day(sel.created),
                          "notes": sel.description}
                if source.joined:       # positions in a text the export made up: keep the row's own
                    del values["start"], values["end"]
                    named = srow["source_document"] not in (srow.get("study", ""), "excerpts")
                    values["source_document"] = row.get("source_document", "") or (
                        srow["source_document"] if named else "")
                study = srow.get("study", "")
                values["studies"] = study or row.get("studies", "")
                if self.study_keys(row.get("studies", "")) == self.study_keys(values["studies"]):
                    values["studies"] = row.get("studies", "")     # the same studies, as the reviewer wrote them
                for dim in dims:
                    values[dim] = ";".join(dict.fromkeys(c for d, c in cases if d == dim))
                if _resolve(row.get("codes", ""), self.code_index()) == set(codes):
                    values["codes"] = row["codes"]
                for dim in dims:
                    if _resolve(row.get(dim, ""), case_index[dim]) == set(values[dim].split(";")) - {""}:
                        values[dim] = row.get(dim, "")
                for col, value in values.items():
                    if value or col in table.header:
                        table.add_column(col)
                        row[col] = value
                self.excerpt_ids[norm_guid(sel.guid)] = self.excerpt_id(row)

    def code_index(self) -> dict[str, str]:
        """Code ids by id, label or alternative label, tidied (built once, after the codebook is merged)."""
        if not hasattr(self, "_code_index"):
            self._code_index = _index(self.code_table.data(), "code")
        return self._code_index

    def study_keys(self, cell: str) -> set[str]:
        return {self.studies.find(ref) or ref for ref in split_studies(cell)}

    def excerpt_id(self, row: dict[str, str]) -> str:
        codes = sorted(_resolve(row.get("codes", ""), self.code_index()))
        studies = [self.studies.find(ref) or ref for ref in split_studies(row.get("studies", ""))]
        return excerpt_id(row, codes=codes, studies=studies)

    # -- case attributes ------------------------------------------------------------------------------------
    def attributes(self) -> None:
        table = self.table("case_attributes.csv", ["cases", "attribute", "value", "datatype"])
        variables = {norm_guid(v.guid): v for v in self.p.variables}
        new: dict[tuple[str, str], list[dict[str, str]]] = {}
        for case in self.p.cases:
            dim, cid = self.case_ids[norm_guid(case.guid)]
            for var_guid, value in case.values:
                var = variables[norm_guid(var_guid)]
                datatype = DATATYPES.get(var.type, "string")
                if datatype == "boolean":       # xsd:boolean also allows 1 and 0
                    value = {"1": "true", "0": "false"}.get(value, value)
                if not value or not _fits(value, datatype):
                    self.plan.report.append(ReportItem(
                        "not imported", f'<Case guid="{case.guid}" name="{case.name}">', f"value {value!r} of "
                        f"variable {var.name!r}: " + (f"not a {datatype} value" if value else "empty")))
                    continue
                key = (f"{dim}:{cid}", var.name)
                new.setdefault(key, []).append({"cases": key[0], "attribute": var.name, "value": value,
                                                "datatype": datatype})
        for var in self.p.variables:
            if var.type == "DateTime":
                self.plan.report.append(ReportItem("warning", f'<Variable guid="{var.guid}" name="{var.name}">',
                                                   "date-time values are kept as text"))
        rows: list[dict[str, str]] = []
        done: set[tuple[str, str]] = set()
        for row in table.rows:
            key = (row.get("cases", ""), row.get("attribute", ""))
            if "#" in row or key not in new:
                rows.append(row)
            elif _same_values([r for r in table.data() if (r.get("cases", ""), r.get("attribute", "")) == key],
                              new[key]):
                rows.append(row)
                done.add(key)
            elif key not in done:
                rows += new[key]
                done.add(key)
        rows += [r for key, group in new.items() if key not in done for r in group]
        table.rows = rows
        self.count("case attribute values", sum(len(g) for g in new.values()))

    # -- notes ----------------------------------------------------------------------------------------------
    def notes(self) -> None:
        table = self.table("notes.csv", ["about", "text", "author", "date", "kind", "guid"])
        about: dict[str, str] = {g: f"code:{i}" for g, i in self.code_ids.items()}
        about.update({g: f"case:{d}:{c}" for g, (d, c) in self.case_ids.items()})
        about.update({g: f"excerpt:{i}" for g, i in self.excerpt_ids.items()})
        for g, row in self.source_rows.items():
            about[g] = f"study:{row['study']}" if len(split_list(row.get("study", ""))) == 1 else ""
        targets: dict[str, list[str]] = {}

        def attach(note_guid: str, target: str | None, where: str) -> None:
            value = about.get(norm_guid(target), None) if target is not None else "project"
            if value == "":
                self.plan.report.append(ReportItem("warning", where, f"note {note_guid} is about a source with no "
                                                   "study; kept as a note about the project"))
                value = "project"
            if value is None:
                self.plan.report.append(ReportItem("warning", where, f"note {note_guid} is about {target}, which "
                                                   "was not imported; kept as a note about the project"))
                value = "project"
            targets.setdefault(norm_guid(note_guid), []).append(value)
        for code, _ in self.p.codebook.walk():
            for ref in code.note_refs:
                attach(ref, code.guid, f'<Code guid="{code.guid}">')
        for source in self.p.sources:
            for ref in source.note_refs:
                attach(ref, source.guid, f'<TextSource guid="{source.guid}">')
            for sel in source.selections:
                for ref in sel.note_refs + [r for c in sel.codings for r in c.note_refs]:
                    attach(ref, sel.guid, f'<PlainTextSelection guid="{sel.guid}">')
        for ref in self.p.note_refs:
            attach(ref, None, "<Project>")
        for note_guid, target in self.p.links:
            attach(note_guid, target, f'<Link originGUID="{note_guid}">')
        index = {(guid_of(r, "guid", self.base, self.slug, "note", note_key(r)), r.get("about", "")): r
                 for r in table.data()}
        by_guid = {g: r for (g, _), r in index.items()}     # once: per note, a re-import of 20k notes took 30 s
        for note in self.p.notes:
            if note.name.startswith(FILE_NOTE):     # a carried file, restored by to_import_plan
                continue
            text = note.text or note.name
            if note.name and note.text and not note.text.startswith(note.name.rstrip("…").rstrip(".")):
                self.plan.report.append(ReportItem("warning", f'<Note guid="{note.guid}">',
                                                   f"its title {note.name!r} is not kept (notes.csv has no title)"))
            for value in dict.fromkeys(targets.get(norm_guid(note.guid), ["project"])):
                row = index.get((norm_guid(note.guid), value))
                if row is None and value == "project":     # a note whose target the export could not hold
                    row = by_guid.get(norm_guid(note.guid))
                if row is None:
                    row = {"guid": note.guid, "about": value}
                    table.rows.append(row)
                    self.count("notes added")
                elif (row.get("guid") or "").strip():
                    row["guid"] = note.guid
                user = self.users.get(norm_guid(note.user), "") if note.user else ""
                row.update(text=text, author=user or row.get("author", ""),
                           date=_day(note.created),
                           kind=row.get("kind") or "note")


def _day(created: str) -> str:
    """The day of a creationDateTime, or "" when it has none (2024-13-45 is no day: the project check refused it)."""
    try:
        return dt.date.fromisoformat(created[:10]).isoformat() if re.match(r"\d{4}-\d\d-\d\d", created) else ""
    except ValueError:
        return ""


def _tidy(text: str) -> str:
    return " ".join(text.lower().split())


def _index(rows: list[dict[str, str]], id_column: str) -> dict[str, str]:
    """Ids by id, label or alternative label, tidied (as the project reader matches them)."""
    index: dict[str, str] = {}
    for r in rows:
        for name in [r.get(id_column, ""), r.get("label", "")] + split_list(r.get("alt_labels", "")):
            index.setdefault(_tidy(name), r.get(id_column, ""))
    return index


def _resolve(cell: str, index: dict[str, str]) -> set[str]:
    """The ids a list cell names."""
    return {index.get(_tidy(item), item) for item in split_list(cell)}


def _same_values(old: list[dict[str, str]], new: list[dict[str, str]]) -> bool:
    def typed(r: dict[str, str]) -> tuple[str, str]:
        value, datatype = (r.get("value") or "").strip(), (r.get("datatype") or "").strip()
        datatype = "integer" if datatype == "count" else datatype  # REFI-QDA's Integer; a count is one of 0 or more
        return value, datatype or ("integer" if re.fullmatch(r"-?\d+", value) else "string")
    return sorted(map(typed, old)) == sorted(map(typed, new))


DOI_RE = re.compile(r"10\.\d{4,9}/[^\s\"'<>;,]+", re.IGNORECASE)


def _doi_in(text: str) -> str:
    found = DOI_RE.search(text or "")
    return found.group(0).rstrip(".").lower() if found else ""


def _match_study(source: TextSource, studies: list[Study], index: StudyIndex) -> str | None:
    """The study key(s) a source stands for: by a DOI in its name or description, else by citation key or title,
    else (as an export names a source of several studies) by a list of keys."""
    stem = re.sub(r"\.(txt|docx?|pdf|rtf)$", "", source.name.strip(), flags=re.IGNORECASE)
    doi = _doi_in(stem) or _doi_in(source.description)
    if doi:
        for study in studies:
            if study.doi and normalise_doi(study.doi) == doi:
                return study.key
    tidy = " ".join(stem.lower().split())
    for study in studies:
        if study.key.lower() == tidy or (study.title and " ".join(study.title.lower().split()) == tidy):
            return study.key
    keys = [index.keys.get(part.casefold()) for part in split_list(stem)]
    return ";".join(k for k in keys if k) if len(keys) > 1 and all(keys) else None
