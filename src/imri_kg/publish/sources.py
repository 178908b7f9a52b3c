"""The papers a built store is made from: the example projects the build imports (examples/*/project.yaml, read by
the project reader), with what a citation of each needs. The release's CITATION.cff and README and the home page
cite them from here, so no list of the papers is kept apart from their projects."""

import re
from dataclasses import dataclass
from pathlib import Path

from imri_kg.errors import InputError
from imri_kg.projects.metadata import read_metadata
from imri_kg.projects.problems import Problems
from imri_kg.resources import EXAMPLES_DIR

# project.yaml's `citation` in the Vancouver form examples/README.md shows: "Systematic Reviews 2021;10:134"
VANCOUVER = re.compile(r"(?P<journal>.+?) (?P<year>\d{4});(?P<volume>[^:;]+):(?P<article>\S+)")


@dataclass(frozen=True)
class SourcePaper:
    title: str
    authors: tuple[str, ...]  # as project.yaml lists them ("Piat M"), in order
    year: str
    doi: str
    citation: str  # as project.yaml gives it
    journal: str = ""  # the parts of a Vancouver citation; empty when `citation` is not one
    volume: str = ""
    article: str = ""

    @property
    def where(self) -> str:
        """Where it was published: "Systematic Reviews 10:134", else the citation as given."""
        return f"{self.journal} {self.volume}:{self.article}" if self.journal else self.citation


def source_papers(examples: Path = EXAMPLES_DIR) -> list[SourcePaper]:
    """The published (not fictional) example projects in folder order, as the build imports them."""
    papers = []
    for folder in sorted(p for p in Path(examples).iterdir() if (p / "project.yaml").is_file()):
        problems = Problems(folder)
        meta = read_metadata(folder, problems)
        if meta is None or problems.errors:
            raise InputError("project.yaml of the example project does not read cleanly.", path=folder / "project.yaml")
        if meta.fictional:
            continue
        parts = VANCOUVER.fullmatch(meta.citation)
        papers.append(SourcePaper(meta.title, tuple(meta.authors), meta.year, meta.doi, meta.citation,
                                  *(parts.group("journal", "volume", "article") if parts else ())))
    return papers
