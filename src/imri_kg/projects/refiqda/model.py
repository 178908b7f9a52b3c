"""The REFI-QDA content imri-kg uses, in memory, and the report of what it could not use."""

from dataclasses import dataclass, field

# The line an export writes in the Description of a text source it made by joining the excerpts (one paragraph
# each) because the folder keeps no source text: an import of such a source keeps the excerpts' text, studies and
# codes but neither the made-up positions nor the made-up text (so that importing the export changes nothing).
JOINED_SOURCE = ("imri-kg: this text joins the excerpts, one paragraph each; it is not the source document, and an "
                 "import into imri-kg keeps no positions in it.")


# The name of a note that carries one file of the project folder whole (its text in the archive's sources/, byte
# for byte): what REFI-QDA has no element for (bibliography, mappings, code attributes, the columns a code or an
# excerpt has beyond the standard's) travels so, and an import restores such a file where the folder lacks it.
FILE_NOTE = "imri-kg file: "


@dataclass
class ReportItem:
    """One thing of the file that was not imported (or exported) as such, or a warning about one."""

    kind: str            # "not imported", "not exported" or "warning"
    element: str         # where, e.g. <PictureSource guid="..." name="...">
    reason: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.element}: {self.reason}"


@dataclass
class Code:
    guid: str
    name: str
    codable: bool = True
    color: str = ""
    description: str = ""
    children: list["Code"] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)


@dataclass
class Codebook:
    codes: list[Code]    # the roots of the hierarchy, in file order
    origin: str = ""
    name: str = ""

    def walk(self) -> list[tuple[Code, Code | None]]:
        """Every code with its parent, depth first in file order."""
        out: list[tuple[Code, Code | None]] = []

        def visit(code: Code, parent: Code | None) -> None:
            out.append((code, parent))
            for sub in code.children:
                visit(sub, code)
        for root in self.codes:
            visit(root, None)
        return out


@dataclass
class Coding:
    guid: str
    code: str            # the code's GUID, as the file writes it
    user: str = ""       # creating user's GUID
    created: str = ""
    note_refs: list[str] = field(default_factory=list)


@dataclass
class Selection:
    """A plain-text selection: code points start (first) to end (after the last), REFI-QDA 1.5 section 10.2."""

    guid: str
    name: str
    start: int
    end: int
    text: str
    description: str = ""
    user: str = ""
    created: str = ""
    codings: list[Coding] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)


@dataclass
class TextSource:
    guid: str
    name: str
    text: str
    description: str = ""
    selections: list[Selection] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)

    @property
    def joined(self) -> bool:
        """Made by an imri-kg export from the excerpts alone (JOINED_SOURCE)."""
        return JOINED_SOURCE in self.description


@dataclass
class Variable:
    guid: str
    name: str
    type: str            # Text, Boolean, Integer, Float, Date, DateTime
    description: str = ""


@dataclass
class Case:
    guid: str
    name: str
    description: str = ""
    values: list[tuple[str, str]] = field(default_factory=list)       # (variable GUID, value)
    source_refs: list[str] = field(default_factory=list)
    selection_refs: list[str] = field(default_factory=list)


@dataclass
class Note:
    guid: str
    name: str
    text: str
    user: str = ""
    created: str = ""


@dataclass
class Project:
    name: str
    origin: str = ""
    description: str = ""
    users: dict[str, str] = field(default_factory=dict)          # normalised GUID -> name
    codebook: Codebook = field(default_factory=lambda: Codebook([]))
    variables: list[Variable] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    sources: list[TextSource] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)            # notes about the whole project
    links: list[tuple[str, str]] = field(default_factory=list)    # (note GUID, target GUID) memo links
    report: list[ReportItem] = field(default_factory=list)

    def carried_files(self) -> dict[str, str]:
        """The folder files an imri-kg export carried as notes (FILE_NOTE): path in the folder -> text."""
        return {n.name[len(FILE_NOTE):]: n.text for n in self.notes if n.name.startswith(FILE_NOTE)}
