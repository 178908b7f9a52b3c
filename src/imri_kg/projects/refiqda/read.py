"""Read REFI-QDA files: read_qdc (a codebook) and read_qdpx (a project) -> the in-memory model, checked."""

import re
from pathlib import Path
from xml.etree.ElementTree import Element

from imri_kg.errors import InputError
from imri_kg.projects.refiqda._archive import Archive, open_qdpx
from imri_kg.projects.refiqda._xml import (
    CODEBOOK_NS,
    PROJECT_NS,
    child,
    children,
    local,
    need_guid,
    norm_guid,
    parse_xml,
    text_of,
    where,
)
from imri_kg.projects.refiqda.model import (
    Case,
    Code,
    Codebook,
    Coding,
    Note,
    Project,
    ReportItem,
    Selection,
    TextSource,
    Variable,
)

MAX_QDC_BYTES = 64 * 1024**2
MAX_DEPTH = 100                  # of the code hierarchy: deeper is no codebook, and would exhaust the stack
_MEDIA = {"PictureSource": "picture", "AudioSource": "audio", "VideoSource": "video"}


def read_qdc(path: Path) -> Project:
    """A .qdc codebook (REFI-QDA 1.5 section 5.2) as a project holding only its codebook."""
    if not path.is_file():
        raise InputError("no such file.", path=path)
    if path.stat().st_size > MAX_QDC_BYTES:
        raise InputError(f"larger than the {MAX_QDC_BYTES} bytes a codebook may have.", path=path)
    root = parse_xml(path.read_bytes(), path=path)
    if local(root) != "CodeBook":
        raise InputError(f"the root element is <{local(root)}>, not <CodeBook> (REFI-QDA 1.5 section 5.2).",
                         path=path)
    project = Project(name=path.stem, origin=root.get("origin") or "")
    _check_namespace(root, CODEBOOK_NS, project)
    project.codebook = _codebook(root, path, project)
    project.codebook.origin = project.origin
    _check_code_refs(root, project, path)
    sets = child(root, "Sets")
    for set_ in children(sets, "Set") if sets is not None else []:
        project.report.append(ReportItem("not imported", where(set_), "code sets have no place in a review "
                                         f"project ({len(children(set_, 'MemberCode'))} member codes)"))
    _check_guids(root, path)
    return project


def read_qdpx(path: Path) -> Project:
    """A .qdpx project (REFI-QDA 1.5 sections 5.3 and 8): codebook, users, cases, text sources, notes.

    Everything else the file holds is listed in `project.report`. Errors (bad archive, unsafe XML,
    a selection outside its source, a reference to a missing code) raise InputError before anything is written.
    """
    archive = open_qdpx(path)
    with archive.zip:
        where_ = f"{path}!{archive.qde}"
        root = parse_xml(archive.read(archive.qde), path=where_)
        if local(root) != "Project":
            raise InputError(f"the root element is <{local(root)}>, not <Project>.", path=where_)
        project = Project(name=root.get("name") or path.stem, origin=root.get("origin") or "",
                          description=text_of(root, "Description"))
        _check_namespace(root, PROJECT_NS, project)
        users = child(root, "Users")
        for user in children(users, "User") if users is not None else []:
            guid = need_guid(user, path=where_)
            project.users[norm_guid(guid)] = user.get("name") or user.get("id") or f"user {norm_guid(guid)[:8]}"
        book = child(root, "CodeBook")
        project.codebook = _codebook(book if book is not None else Element("CodeBook"), where_, project)
        project.codebook.name = project.name
        _check_code_refs(root, project, where_)
        variables = child(root, "Variables")
        var_guids: set[str] = set()
        case_guids: set[str] = set()
        for var in children(variables, "Variable") if variables is not None else []:
            project.variables.append(Variable(need_guid(var, path=where_), (var.get("name") or "").strip(),
                                              var.get("typeOfVariable") or "Text", text_of(var, "Description")))
            _unique(var, project.variables[-1].guid, var_guids, where_)
            if not project.variables[-1].name:
                raise InputError(f"{where(var)}: the variable has no name.", path=where_)
            if any(v.name == project.variables[-1].name for v in project.variables[:-1]):
                raise InputError(f"{where(var)}: a second variable with this name (a case would have two values "
                                 "of one attribute).", path=where_)
        known_vars = {norm_guid(v.guid) for v in project.variables}
        cases = child(root, "Cases")
        for case in children(cases, "Case") if cases is not None else []:
            project.cases.append(_case(case, where_, known_vars, project))
            _unique(case, project.cases[-1].guid, case_guids, where_)
        sources = child(root, "Sources")
        seen: set[str] = set()         # GUIDs of sources and selections read so far
        for source in list(sources) if sources is not None else []:
            _source(source, archive, where_, project, seen)
        notes = child(root, "Notes")
        for note in children(notes, "Note") if notes is not None else []:
            text = _plain_text(note, archive, where_, project) or ""
            project.notes.append(Note(need_guid(note, path=where_), note.get("name") or "", text,
                                      note.get("creatingUser") or "", note.get("creationDateTime") or ""))
        project.note_refs = _note_refs(root)
        _links(root, project)
        for name in ("Sets", "Graphs"):
            block = child(root, name)
            for item in list(block) if block is not None else []:
                project.report.append(ReportItem("not imported", where(item),
                                                 f"{name.lower()} have no place in a review project"))
        _check_note_refs(root, project)
        _check_guids(root, where_)
    return project


def _check_guids(root: Element, path: Path | str) -> None:
    """Every element's GUID its own, across kinds too: a case and a code sharing one would merge (a note or link
    about one would attach to the other). Duplicates within a kind are caught where they are read."""
    first: dict[str, Element] = {}
    for el in root.iter():
        guid = el.get("guid")
        name = local(el)
        if not guid or name.startswith("Member") or name.endswith("Ref"):  # <MemberCode guid=...> names a code
            continue
        key = norm_guid(guid)
        if key in first:
            raise InputError(f"{where(el)} has the GUID of {where(first[key])}: each element needs a GUID of its "
                             "own (a note or link about one would attach to the other).", path=path)
        first[key] = el


def _unique(el: Element, guid: str, seen: set[str], path: str) -> None:
    """A second case (or variable) with a GUID already read would merge two records into one."""
    if norm_guid(guid) in seen:
        raise InputError(f"{where(el)}: a second <{local(el)}> with this GUID.", path=path)
    seen.add(norm_guid(guid))


def _check_namespace(root: Element, expected: str, project: Project) -> None:
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    if namespace != expected:
        project.report.append(ReportItem("warning", f"<{local(root)}>", f"namespace {namespace!r}, not "
                                         f"{expected!r}; read as REFI-QDA 1.0 all the same"))


def _codebook(element: Element, path: Path | str, project: Project) -> Codebook:
    codes_el = child(element, "Codes")
    seen: set[str] = set()

    def code(el: Element, depth: int = 0) -> Code:
        guid = need_guid(el, path=path)
        if depth > MAX_DEPTH:
            raise InputError(f"{where(el)}: codes nested more than {MAX_DEPTH} deep; refused.", path=path)
        if norm_guid(guid) in seen:
            raise InputError(f"{where(el)}: a second code with this GUID.", path=path)
        seen.add(norm_guid(guid))
        name = el.get("name")
        if not (name or "").strip():
            raise InputError(f"{where(el)}: the code has no name.", path=path)
        codable = el.get("isCodable")
        if codable is None:
            project.report.append(ReportItem("warning", where(el), "no isCodable attribute; taken as true"))
        color = (el.get("color") or "").strip()
        if len(color) == 4 and color.startswith("#"):       # #abc is #aabbcc (RGBType allows both)
            color = "#" + "".join(c * 2 for c in color[1:])
        if color and not re.fullmatch(r"#[0-9A-Fa-f]{6}", color):   # the folder's check would refuse the code
            project.report.append(ReportItem("not imported", where(el), f"colour {color!r}: not #RRGGBB"))
            color = ""
        return Code(guid=guid, name=name, codable=(codable or "true").strip() in ("true", "1"), color=color,
                    description=text_of(el, "Description"), children=[code(c, depth + 1) for c in children(el, "Code")],
                    note_refs=_note_refs(el))
    return Codebook([code(c) for c in children(codes_el, "Code")] if codes_el is not None else [])


def _check_code_refs(root: Element, project: Project, path: Path | str) -> None:
    """Every CodeRef and MemberCode must name a code of the codebook."""
    known = {norm_guid(code.guid) for code, _ in project.codebook.walk()}
    for parent in root.iter():
        for ref in parent:
            if local(ref) not in ("CodeRef", "MemberCode"):
                continue
            target = ref.get("targetGUID") or ref.get("guid") or ""
            if norm_guid(target) not in known:
                raise InputError(f"{where(parent)}: <{local(ref)}> names code {target!r}, which is not in the "
                                 "codebook.", path=path)


def _code_ref(coding: Element) -> str:
    ref = child(coding, "CodeRef")
    return (ref.get("targetGUID") or "") if ref is not None else ""


def _note_refs(element: Element) -> list[str]:
    return [ref.get("targetGUID") or "" for ref in children(element, "NoteRef")]


def _case(el: Element, path: str, known_vars: set[str], project: Project) -> Case:
    case = Case(need_guid(el, path=path), el.get("name") or "", text_of(el, "Description"))
    for value in children(el, "VariableValue"):
        ref = child(value, "VariableRef")
        target = ref.get("targetGUID") if ref is not None else None
        if not target or norm_guid(target) not in known_vars:
            raise InputError(f"{where(el)}: <VariableValue> names variable {target!r}, which is not declared "
                             "in <Variables>.", path=path)
        given = [c for c in value if local(c) != "VariableRef"]
        case.values.append((target, (given[0].text or "").strip() if given else ""))
    case.source_refs = [r.get("targetGUID") or "" for r in children(el, "SourceRef")]
    case.selection_refs = [r.get("targetGUID") or "" for r in children(el, "SelectionRef")]
    if children(el, "CodeRef"):
        project.report.append(ReportItem("not imported", where(el), f"{len(children(el, 'CodeRef'))} "
                                         "code(s) attached to the case itself (not to an excerpt)"))
    return case


def _source(el: Element, archive: Archive, path: str, project: Project, seen: set[str]) -> None:
    kind = local(el)
    if kind in _MEDIA:
        selections = [c for c in el if local(c).endswith("Selection")]
        transcripts = children(el, "Transcript")
        extra = f"; {len(transcripts)} transcript(s)" if transcripts else ""
        project.report.append(ReportItem("not imported", where(el), f"{_MEDIA[kind]} source with "
                                         f"{len(selections)} {_MEDIA[kind]} selection(s){extra}: the graph "
                                         "holds text excerpts only"))
        return
    if kind == "PDFSource":
        for sel in children(el, "PDFSelection"):
            project.report.append(ReportItem("not imported", where(sel), f"PDF area selection on page "
                                             f"{sel.get('page')} of {el.get('name')!r}: not a text selection"))
        representation = child(el, "Representation")
        if representation is None:
            project.report.append(ReportItem("not imported", where(el), "PDF source without a plain-text "
                                             "representation"))
            return
        _text_source(representation, archive, path, project, outer=el, seen=seen)
        return
    if kind != "TextSource":
        project.report.append(ReportItem("not imported", where(el), "unknown kind of source"))
        return
    _text_source(el, archive, path, project, outer=el, seen=seen)


def _text_source(el: Element, archive: Archive, path: str, project: Project, *, outer: Element,
                 seen: set[str]) -> None:
    guid = need_guid(outer, path=path)
    name = outer.get("name") or el.get("name") or guid
    text = _plain_text(el, archive, path, project)
    selections = children(el, "PlainTextSelection")
    if text is None:
        project.report.append(ReportItem("not imported", where(outer), f"its text is outside the archive "
                                         f"({el.get('plainTextPath')}), so its {len(selections)} selection(s) "
                                         "cannot be cut"))
        return
    if norm_guid(guid) in seen:
        raise InputError(f"{where(outer)}: a second source or selection with this GUID.", path=path)
    seen.add(norm_guid(guid))
    source = TextSource(guid, name, text, text_of(outer, "Description"), note_refs=_note_refs(outer))
    for sel in selections:
        sguid = need_guid(sel, path=path)
        if norm_guid(sguid) in seen:
            raise InputError(f"{where(sel)}: a second source or selection with this GUID.", path=path)
        seen.add(norm_guid(sguid))
        try:
            start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
        except ValueError:
            raise InputError(f"{where(sel)}: startPosition and endPosition must be integers.", path=path) from None
        if not 0 <= start <= end <= len(text):
            raise InputError(f"{where(sel)}: positions {start}-{end} fall outside its source {name!r}, which "
                             f"has {len(text)} code points (REFI-QDA 1.5 section 10.2).", path=path)
        codings = [Coding(need_guid(c, path=path), _code_ref(c),
                          c.get("creatingUser") or "", c.get("creationDateTime") or "", _note_refs(c))
                   for c in children(sel, "Coding")]
        if any(not c.code for c in codings):
            raise InputError(f"{where(sel)}: a <Coding> without a <CodeRef>.", path=path)
        source.selections.append(Selection(sguid, sel.get("name") or "", start, end, text[start:end],
                                           text_of(sel, "Description"), sel.get("creatingUser") or "",
                                           sel.get("creationDateTime") or "", codings, _note_refs(sel)))
    for coding in children(outer, "Coding") + (children(el, "Coding") if el is not outer else []):
        project.report.append(ReportItem("not imported", where(outer), "a coding of the whole source "
                                         f"(code {_code_ref(coding)}); "
                                         "only codings of selections become excerpts"))
    if children(outer, "VariableValue"):
        project.report.append(ReportItem("not imported", where(outer), "variables of a source (only cases "
                                         "have attributes in a review project)"))
    project.sources.append(source)


def _plain_text(el: Element, archive: Archive, path: str, project: Project) -> str | None:
    """The text of a TextSource or Note: inline, or a UTF-8 file of sources/; None when it is external."""
    content = child(el, "PlainTextContent")
    if content is not None:
        return content.text or ""
    ref = (el.get("plainTextPath") or "").strip()
    if not ref:
        return ""
    scheme, _, rest = ref.partition("://")
    if scheme.lower() in ("relative", "absolute"):
        return None                       # never read files outside the archive
    if scheme.lower() != "internal":
        raise InputError(f"{where(el)}: plainTextPath {ref!r} is not internal://, relative:// or absolute://.",
                         path=path)
    name = rest.lstrip("/")
    if name.lower().startswith("./"):
        name = name[2:]
    if name.lower().startswith("sources/"):
        name = name[len("sources/"):]
    if not name or "/" in name or "\\" in name or name in (".", ".."):
        raise InputError(f"{where(el)}: plainTextPath {ref!r} climbs out of sources/; refused.", path=path)
    member = archive.sources.get(name.lower())
    if member is None:
        raise InputError(f"{where(el)}: plainTextPath {ref!r}: no such file in the archive's sources/.",
                         path=path)
    data = archive.read(member)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{where(el)}: {member} is not UTF-8 (byte {exc.start}); REFI-QDA 1.5 section 9.1.2 "
                         "asks for UTF-8 plain text.", path=path) from None
    if text.startswith("\ufeff"):
        text = text[1:]
        project.report.append(ReportItem("warning", where(el), f"{member} starts with a byte-order mark; "
                                         "positions are counted after it"))
    return text


def _links(root: Element, project: Project) -> None:
    notes = {norm_guid(n.guid) for n in project.notes}
    links = child(root, "Links")
    for link in children(links, "Link") if links is not None else []:
        origin, target = link.get("originGUID") or "", link.get("targetGUID") or ""
        if norm_guid(origin) in notes:
            project.links.append((origin, target))
        elif norm_guid(target) in notes:
            project.links.append((target, origin))
        else:
            project.report.append(ReportItem("not imported", where(link), "a link between two things that "
                                             "are not notes"))


def _check_note_refs(root: Element, project: Project) -> None:
    notes = {norm_guid(n.guid) for n in project.notes}
    for parent in root.iter():
        for ref in children(parent, "NoteRef"):
            if norm_guid(ref.get("targetGUID") or "") not in notes:
                project.report.append(ReportItem("warning", where(parent), f"NoteRef to "
                                                 f"{ref.get('targetGUID')!r}, which is not in <Notes>; ignored"))
