"""Attribute vocabularies (attribute_values.csv): the values a code attribute may take, each with its label,
definition and source, so that a value such as an impact's scope is a concept of its own and not free text."""

from pathlib import Path

from imri_kg.projects.lookup import ID, label_key
from imri_kg.projects.model import AttributeValue, CodeAttribute, Origin
from imri_kg.projects.problems import Problems, suggest
from imri_kg.projects.tables import read_order, read_rows

FILE = "attribute_values.csv"


def read_attribute_values(folder: Path, problems: Problems) -> dict[str, dict[str, AttributeValue]]:
    """attribute -> value -> its record, in the file's order. Empty required cells, a value that is not IRI-safe
    and a value listed twice for one attribute are problems."""
    path = Path(folder) / FILE
    if not path.is_file():
        return {}
    found: dict[str, dict[str, AttributeValue]] = {}
    for row in read_rows(path, problems, required=("attribute", "value", "label")) or []:
        missing = [c for c in ("attribute", "value", "label") if not row.get(c)]
        if missing:
            problems.add(path, "is empty; this column is required.", row=row.number, column=missing[0])
            continue
        attribute, value = row.get("attribute"), row.get("value")
        if not ID.fullmatch(value):
            problems.add(path, f'"{value}" must be letters, digits, ".", "_", "~" or "-" (it is used in IRIs).',
                         row=row.number, column="value")
            continue
        values = found.setdefault(attribute, {})
        if value in values:
            problems.add(path, f'duplicate value "{value}" of attribute "{attribute}" (first in row '
                         f'{values[value].origin.row}).', row=row.number, column="value")
            continue
        values[value] = AttributeValue(attribute, value, row.get("label"), Origin(path, row.number),
                                       definition=row.get("definition"), source=row.get("source"),
                                       order=read_order(row, problems, path))
    return found


def check_code_attribute_values(attributes: list[CodeAttribute], vocabularies: dict[str, dict[str, AttributeValue]],
                                problems: Problems) -> None:
    """A code attribute whose attribute has a vocabulary takes one of its values (by value or label, as people
    write them); the row is given the value itself."""
    for a in attributes:
        values = vocabularies.get(a.attribute)
        if not values:
            continue
        by_key = {label_key(v.value): v.value for v in values.values()}
        by_key.update({label_key(v.label): v.value for v in values.values()})
        value = by_key.get(label_key(a.value))
        if value is None:
            hint = suggest(label_key(a.value), {k: values[v].value for k, v in by_key.items()})
            problems.add(a.origin.path, f'"{a.value}" is not a value of attribute "{a.attribute}" '
                         f'({FILE}).' + (hint or f" Known: {', '.join(values)}."), row=a.origin.row, column="value")
        else:
            a.value = value
