"""Write a review project folder as REFI-QDA: write_qdc (its codebook) and write_qdpx (the project), both
checked against the vendored schemas before the file is written.

The folder is read by the project reader (imri_kg.projects.read_project), so labels, lists, xlsx sheets and
bibliographies are understood exactly as `imri-kg validate` understands them; a folder with errors is refused.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from xml.etree import ElementTree as ET

from imri_kg import __version__
from imri_kg.errors import InputError
from imri_kg.projects.folder import ProjectFolder, read_project
from imri_kg.projects.model import Code, Excerpt, Note
from imri_kg.projects.refiqda._ids import derived_guid, slug
from imri_kg.projects.refiqda._xml import CODEBOOK_NS, GUID_RE, PROJECT_NS, norm_guid, where
from imri_kg.projects.refiqda.folder import read_table
from imri_kg.projects.refiqda.model import FILE_NOTE, JOINED_SOURCE, ReportItem
from imri_kg.store import NOT_XML

ORIGIN = f"imri-kg {__version__}"
TYPES = {"string": "Text", "boolean": "Boolean", "integer": "Integer", "count": "Integer", "decimal": "Float",
         "date": "Date"}
VALUE_TAGS = {"Text": "TextValue", "Boolean": "BooleanValue", "Integer": "IntegerValue", "Float": "FloatValue",
              "Date": "DateValue"}
VALUE_RE = {"Boolean": r"true|false|1|0", "Integer": r"[+-]?\d+", "Float": r"[+-]?(\d+(\.\d*)?|\.\d+)",
            "Date": r"\d{4}-\d\d-\d\d"}
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)        # fixed, so that the same project gives the same bytes


@dataclass
class ExportReport:
    path: Path
    counts: dict[str, int] = field(default_factory=dict)
    report: list[ReportItem] = field(default_factory=list)


def schema_path(name: str) -> Path:
    return Path(str(files("imri_kg.projects.refiqda") / "schemas" / f"{name}.xsd"))


@cache
def _lxml_schema(name: str):  # -> lxml.etree.XMLSchema
    from lxml import etree
    return etree.XMLSchema(etree.parse(str(schema_path(name)), etree.XMLParser(no_network=True)))


def write_qdc(folder: Path, path: Path, *, base: str = "https://w3id.org/imri/") -> ExportReport:
    """The project's codebook as a .qdc file (REFI-QDA 1.5 section 5.2)."""
    p = _Folder(folder, base)
    if not p.codes:  # the schema wants at least one code: say so instead of a schema error
        raise InputError("codebook.csv holds no codes, and a REFI-QDA codebook needs at least one; add codes, "
                         "then export again. Nothing written.", path=folder)
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", origin=ORIGIN)
    if p.codes:
        _codes(ET.SubElement(root, f"{{{CODEBOOK_NS}}}Codes"), p, CODEBOOK_NS, notes=None)
    path.write_bytes(_serialise(root, "Codebook", path))
    return ExportReport(path, {"codes": len(p.codes)})


def write_qdpx(folder: Path, path: Path, *, base: str = "https://w3id.org/imri/") -> ExportReport:
    """The project as a .qdpx archive (REFI-QDA 1.5 sections 5.3 and 8): project.qde and sources/*.txt."""
    p = _Folder(folder, base)
    out = ExportReport(path)
    q = lambda tag: f"{{{PROJECT_NS}}}{tag}"
    meta = p.project.meta
    root = ET.Element(q("Project"), name=meta.title or meta.slug, origin=ORIGIN)
    notes = p.notes_by_about()
    if p.users:
        users_el = ET.SubElement(root, q("Users"))
        for name, guid in p.users.items():
            ET.SubElement(users_el, q("User"), guid=guid, name=name)
    if p.codes:
        _codes(ET.SubElement(ET.SubElement(root, q("CodeBook")), q("Codes")), p, PROJECT_NS, notes=notes)
    sources, selection_of = p.sources()
    variables = p.variables(out)
    if variables:
        vars_el = ET.SubElement(root, q("Variables"))
        for name, (guid, type_) in variables.items():
            ET.SubElement(vars_el, q("Variable"), guid=guid, name=name, typeOfVariable=type_)
    links: list[tuple[str, str]] = []
    cases = p.project.cases.cases
    if cases:
        cases_el = ET.SubElement(root, q("Cases"))
        for (dim, cid), case in cases.items():
            guid = p.case_guid(dim, cid)
            case_el = ET.SubElement(cases_el, q("Case"), guid=guid, name=case.label or cid)
            if case.definition:
                ET.SubElement(case_el, q("Description")).text = case.definition
            for attribute, value in p.values_of(dim, cid):
                value_el = ET.SubElement(case_el, q("VariableValue"))
                ET.SubElement(value_el, q("VariableRef"), targetGUID=variables[attribute][0])
                ET.SubElement(value_el, q(VALUE_TAGS[variables[attribute][1]])).text = value
            for sel_guid in selection_of.get((dim, cid), []):
                ET.SubElement(case_el, q("SelectionRef"), targetGUID=sel_guid)
            links += [(n, guid) for n in notes.pop(f"case:{dim}:{cid}", [])]
    if sources:
        sources_el = ET.SubElement(root, q("Sources"))
        for source in sources:
            _source(sources_el, source, q, notes, p)
    carried = p.carried(sources, out)
    if p.project.notes or carried:
        notes_el = ET.SubElement(root, q("Notes"))
        for rel, guid, _ in carried:   # the folder's files, whole: an import restores those a folder lacks
            ET.SubElement(notes_el, q("Note"), guid=guid, name=f"{FILE_NOTE}{rel}",
                          plainTextPath=f"internal://{guid}.txt")
        for note in p.project.notes:
            first = note.text.strip().split("\n", 1)[0]
            attrs = {"guid": p.note_guid(note), "name": first[:60] + ("…" if len(first) > 60 else "")}
            if note.author:
                attrs["creatingUser"] = p.users[note.author]
            if note.date:
                attrs["creationDateTime"] = f"{note.date}T00:00:00Z"
            ET.SubElement(ET.SubElement(notes_el, q("Note"), attrs), q("PlainTextContent")).text = note.text
    project_notes = notes.pop("project", [])
    for about, guids in notes.items():          # studies without excerpts: no element stands for them
        out.report.append(ReportItem("warning", f"notes.csv, about {about}", "no exported element stands for it; "
                                     "the note is attached to the project"))
        project_notes += guids
    if links:
        links_el = ET.SubElement(root, q("Links"))
        for note_guid, target in links:
            ET.SubElement(links_el, q("Link"), guid=derived_guid(base, p.slug, "link", note_guid, target), name="note",
                          direction="OneWay", originGUID=note_guid, targetGUID=target)
    if meta.description:
        ET.SubElement(root, q("Description")).text = meta.description
    for guid in project_notes:
        ET.SubElement(root, q("NoteRef"), targetGUID=guid)
    out.report += p.unexported()
    out.counts.update(codes=len(p.codes), cases=len(cases), sources=len(sources),
                      excerpts=sum(len(s["rows"]) for s in sources), notes=len(p.project.notes),
                      **{"files carried": len(carried)})
    qde = _serialise(root, "Project", path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("project.qde", _ZIP_TIME), qde, zipfile.ZIP_DEFLATED)
        for source in sources:
            info = zipfile.ZipInfo(f"sources/{norm_guid(source['guid'])}.txt", _ZIP_TIME)
            archive.writestr(info, source["text"].encode("utf-8"), zipfile.ZIP_DEFLATED)
        for _, guid, data in carried:
            archive.writestr(zipfile.ZipInfo(f"sources/{guid}.txt", _ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    path.write_bytes(buffer.getvalue())
    return out


def _serialise(root: ET.Element, schema_name: str, path: Path) -> bytes:
    ET.register_namespace("", PROJECT_NS if schema_name == "Project" else CODEBOOK_NS)
    ET.indent(root)
    for el in root.iter():      # else ElementTree writes them and the check below fails with a traceback
        for name, value in [("text", el.text), *el.attrib.items()]:
            if value and (bad := NOT_XML.search(value)):
                raise InputError(f"{where(el)}: its {name} holds the control character U+{ord(bad.group()):04X}, "
                                 "which XML cannot hold; remove it from the project's files. Nothing written.",
                                 path=path)
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    from lxml import (
        etree,  # libxml2's validator: xmlschema (used by the tests) takes a minute on large projects
    )
    checker = _lxml_schema(schema_name)
    parsed = etree.fromstring(data, etree.XMLParser(no_network=True, resolve_entities=False, huge_tree=True))
    if not checker.validate(parsed):  # a bug of the exporter, not of the project: never write an invalid file
        error = checker.error_log.last_error
        raise InputError(f"the export does not validate against {schema_name}.xsd: {error.message} (line "
                         f"{error.line}); nothing written.", path=path)
    return data


def _codes(parent_el: ET.Element, p: "_Folder", ns: str, *, notes: dict[str, list[str]] | None) -> None:
    kids: dict[str, list[Code]] = {}
    for code in p.codes.values():
        kids.setdefault(code.parent if code.parent in p.codes else "", []).append(code)

    def add(el: ET.Element, code: Code) -> None:
        attrs = {"guid": p.code_guid(code), "name": code.label or code.id,
                 "isCodable": "true" if code.codable else "false"}
        if re.fullmatch(r"#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})", code.color.strip()):
            attrs["color"] = code.color.strip()
        code_el = ET.SubElement(el, f"{{{ns}}}Code", attrs)
        if code.definition:
            ET.SubElement(code_el, f"{{{ns}}}Description").text = code.definition
        for guid in (notes or {}).pop(f"code:{code.id}", []):
            ET.SubElement(code_el, f"{{{ns}}}NoteRef", targetGUID=guid)
        for sub in kids.get(code.id, []):
            add(code_el, sub)
    for code in kids.get("", []):
        add(parent_el, code)


def _source(sources_el: ET.Element, source: dict, q, notes: dict[str, list[str]], p: "_Folder") -> None:
    el = ET.SubElement(sources_el, q("TextSource"), guid=source["guid"], name=source["name"],
                       plainTextPath=f"internal://{norm_guid(source['guid'])}.txt")
    description = [f"doi:{source['doi']}"] if source["doi"] else []   # lets an import match it by DOI
    if source["joined"]:
        description.append(JOINED_SOURCE)
    if description:
        ET.SubElement(el, q("Description")).text = "\n".join(description)
    for excerpt, start, end, guid in source["rows"]:
        text = excerpt.text
        attrs = {"guid": guid, "name": text[:60] + ("…" if len(text) > 60 else ""), "startPosition": str(start),
                 "endPosition": str(end)}
        coder = p.users.get(excerpt.coder) if excerpt.coder else None
        if coder:
            attrs["creatingUser"] = coder
        if excerpt.date:
            attrs["creationDateTime"] = f"{excerpt.date}T00:00:00Z"
        sel = ET.SubElement(el, q("PlainTextSelection"), attrs)
        if excerpt.notes:
            ET.SubElement(sel, q("Description")).text = excerpt.notes
        for code in excerpt.codes:
            coding_attrs = {"guid": derived_guid(p.base, p.slug, "coding", guid, code)}
            if coder:
                coding_attrs["creatingUser"] = coder
            coding = ET.SubElement(sel, q("Coding"), coding_attrs)
            ET.SubElement(coding, q("CodeRef"), targetGUID=p.code_guid(p.codes[code]))
        for note in notes.pop(f"excerpt:{excerpt.id}", []):
            ET.SubElement(sel, q("NoteRef"), targetGUID=note)
    if source["study"]:
        for note in notes.pop(f"study:{source['study']}", []):
            ET.SubElement(el, q("NoteRef"), targetGUID=note)


class _Folder:
    """The parts of a project folder that REFI-QDA can hold, with the GUIDs the folder keeps or derives."""

    def __init__(self, folder: Path, base: str) -> None:
        if not folder.is_dir():
            raise InputError("no such project folder.", path=folder)
        self.folder, self.base = folder, base
        self.project: ProjectFolder = read_project(folder, base=base)
        # read without a store: the framework concepts that mappings and additions name cannot be resolved here
        errors = [e for e in self.project.problems.errors
                  if not e.path.startswith(("mappings.csv", "framework_additions.csv"))]
        if errors or self.project.meta is None:
            shown = "; ".join(str(e) for e in errors[:3])
            raise InputError(f"the project has {len(errors)} problem(s), so it is not exported: {shown}"
                             f"{' ...' if len(errors) > 3 else ''} (see: imri-kg validate {folder}).", path=folder)
        self.slug = self.project.slug
        self.codes = self.project.codes
        guids = read_table(folder / "cases.csv", columns=["dimension", "case", "guid"]).data()
        self._case_guids = {(r["dimension"], r["case"]): r["guid"].strip() for r in guids if r.get("guid")}
        self._note_guids = {(r.get("text", "").strip(), r.get("author", "").strip()): r["guid"].strip()
                            for r in read_table(folder / "notes.csv", columns=["text", "guid"]).data()
                            if r.get("guid")}
        self.source_table = read_table(folder / "sources.csv", columns=["source_document", "guid", "file"]).data()
        names = {e.coder for e in self.project.excerpts} | {n.author for n in self.project.notes}
        self.users = {n: derived_guid(base, self.slug, "coder", slug(n) or n) for n in sorted(names) if n}

    def code_guid(self, code: Code) -> str:
        return code.guid.strip() or derived_guid(self.base, self.slug, "code", code.id)

    def case_guid(self, dim: str, cid: str) -> str:
        return self._case_guids.get((dim, cid)) or derived_guid(self.base, self.slug, "case", dim, cid)

    def note_guid(self, note: Note) -> str:
        from imri_kg.projects.refiqda._ids import note_key
        return (self._note_guids.get((note.text.strip(), note.author.strip()))
                or derived_guid(self.base, self.slug, "note", note_key({"about": note.about, "text": note.text})))

    def notes_by_about(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for note in self.project.notes:
            out.setdefault(note.about or "project", []).append(self.note_guid(note))
        return out

    def variables(self, out: ExportReport) -> dict[str, tuple[str, str]]:
        """One variable per attribute of single cases; its type from the datatype, Text if a value does not fit."""
        values: dict[str, list[tuple[str, str]]] = {}
        for attr in self.project.cases.attributes:
            if len(attr.cases) != 1:
                shown = ";".join(f"{d}:{c}" for d, c in attr.cases)
                out.report.append(ReportItem("carried", f"case_attributes.csv, {shown!r} {attr.attribute!r}",
                                             "a value of a combination of cases: a REFI-QDA variable belongs to one "
                                             f"case; it travels in the note '{FILE_NOTE}case_attributes.csv'"))
                continue
            values.setdefault(attr.attribute, []).append((TYPES.get(attr.datatype, "Text"), attr.value.strip()))
        found = {}
        for name, typed in values.items():
            type_ = typed[0][0]
            if any(t != type_ or (t in VALUE_RE and not re.fullmatch(VALUE_RE[t], v)) for t, v in typed):
                type_ = "Text"
            found[name] = (derived_guid(self.base, self.slug, "variable", name), type_)
        return found

    def values_of(self, dim: str, cid: str) -> list[tuple[str, str]]:
        return [(a.attribute, a.value.strip()) for a in self.project.cases.attributes if a.cases == [(dim, cid)]]

    def sources(self) -> tuple[list[dict], dict[tuple[str, str], list[str]]]:
        """One text source per source document (else per study): its own text where the folder keeps it and
        every excerpt is found at its positions, else the excerpts themselves, one paragraph each."""
        groups: dict[str, list[Excerpt]] = {}
        for excerpt in self.project.excerpts:
            name = excerpt.source_document.strip() or ";".join(excerpt.studies) or "excerpts"
            groups.setdefault(name, []).append(excerpt)
        kept = {r.get("source_document", ""): r for r in self.source_table}
        selection_of: dict[tuple[str, str], list[str]] = {}
        sources = []
        for name, excerpts in groups.items():
            srow = kept.get(name, {})
            text = self._source_text(srow, excerpts)
            joined = text is None
            if text is not None:
                placed = [(e, e.start, e.end) for e in excerpts]
            else:
                placed, parts, pos = [], [], 0
                for e in excerpts:
                    placed.append((e, pos, pos + len(e.text)))
                    parts.append(e.text)
                    pos += len(e.text) + 2
                text = "\n\n".join(parts)
            own = srow.get("guid", "").strip()
            guid = own if GUID_RE.fullmatch(own) else derived_guid(self.base, self.slug, "source", slug(name) or name)
            entries = []
            for e, start, end in placed:
                sel_guid = e.id if GUID_RE.fullmatch(e.id) else derived_guid(self.base, self.slug, "excerpt", e.id)
                entries.append((e, start, end, sel_guid))
                for case in e.cases:
                    selection_of.setdefault(case, []).append(sel_guid)
            studies = excerpts[0].studies
            study = srow.get("study") or (studies[0] if len(studies) == 1 else "")
            doi = self.project.studies.studies[study].doi if study in self.project.studies.studies else ""
            sources.append({"guid": guid, "name": name, "text": text, "rows": entries, "study": study, "doi": doi,
                            "joined": joined})
        return sources, selection_of

    def _source_text(self, srow: dict[str, str], excerpts: list[Excerpt]) -> str | None:
        file = (srow.get("file") or "").strip()
        if not file or "/" in file.removeprefix("sources/") or ".." in file:
            return None
        path = self.folder / file
        if not path.is_file():
            return None
        text = path.read_bytes().decode("utf-8")
        for e in excerpts:
            if e.start is None or e.end is None or not 0 <= e.start <= e.end <= len(text) \
                    or text[e.start:e.end] != e.text:
                return None
        return text

    def unexported(self) -> list[ReportItem]:
        out = []
        for name, what in (("code_attributes.csv", "code attributes"), ("mappings.csv", "mappings to frameworks"),
                           ("framework_additions.csv", "concepts added to frameworks"),
                           ("case_studies.csv", "the studies of each case"), ("findings.csv", "findings"),
                           ("appraisals.csv", "appraisals"), ("cerqual.csv", "CERQual assessments")):
            if (self.folder / name).exists():
                out.append(ReportItem("carried", name, f"REFI-QDA has no place for {what}: the file travels "
                                      f"whole as the note '{FILE_NOTE}{name}'"))
        if any((self.folder / "bibliography").glob("*")):
            out.append(ReportItem("carried", "bibliography/", "REFI-QDA has no place for bibliographic records: "
                                  f"each file travels whole as a note '{FILE_NOTE}bibliography/...'; sources are "
                                  "named after their studies"))
        return out

    def carried(self, sources: list[dict], out: ExportReport) -> list[tuple[str, str, bytes]]:
        """Every file of the folder, as (path, note GUID, bytes), but the source texts exported as such and
        hidden files; a file that is not UTF-8 text (an .xlsx sheet) cannot be carried and is reported."""
        exported = {f"sources/{norm_guid(s['guid'])}.txt" for s in sources if not s["joined"]}
        found = []
        for path in sorted(self.folder.rglob("*")):
            rel = path.relative_to(self.folder).as_posix()
            if not path.is_file() or rel in exported or any(part.startswith(".") for part in rel.split("/")):
                continue
            data = path.read_bytes()
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                out.report.append(ReportItem("not exported", rel, "not UTF-8 text, so it cannot travel as a note; "
                                             "REFI-QDA holds what the project reader took from it"))
                continue
            if data.startswith(b"\xef\xbb\xbf"):
                out.report.append(ReportItem("warning", rel, "its byte-order mark is not carried"))
            found.append((rel, derived_guid(self.base, self.slug, "file", rel), data))
        return found
