"""The questions of the project's interview guide or questionnaire (questions.csv), in their printed order."""

import re
from pathlib import Path

from imri_kg.projects.model import GuideQuestion, Origin
from imri_kg.projects.problems import Problems
from imri_kg.projects.tables import read_rows

FILE = "questions.csv"


def read_questions(folder: Path, problems: Problems) -> list[GuideQuestion]:
    """The questions by number; an empty text, a number that is not a whole number of 1 or more, and a number given
    twice are problems."""
    path = Path(folder) / FILE
    if not path.is_file():
        return []
    found: dict[int, GuideQuestion] = {}
    for row in read_rows(path, problems, required=("number", "text")) or []:
        number, text = row.get("number"), row.get("text")
        if not number or not text:
            problems.add(path, "is empty; this column is required.", row=row.number,
                         column="number" if not number else "text")
        elif not re.fullmatch(r"[1-9][0-9]*", number):
            problems.add(path, f'"{number}" must be a whole number of 1 or more (the question\'s number in the guide).',
                         row=row.number, column="number")
        elif int(number) in found:
            problems.add(path, f"duplicate question {number} (first in row {found[int(number)].origin.row}).",
                         row=row.number, column="number")
        else:
            found[int(number)] = GuideQuestion(int(number), text, Origin(path, row.number), note=row.get("note"),
                                               source=row.get("source"))
    return sorted(found.values(), key=lambda q: q.number)
