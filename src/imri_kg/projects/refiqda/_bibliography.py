"""What matching a source to a study needs from the project's bibliography: citation keys, DOIs and titles.

A small reader of bibliography/*.bib, *.ris and *.json (CSL-JSON); the project reader's own parser can take
its place without changing the matching.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

DOI_RE = re.compile(r"10\.\d{4,9}/[^\s\"'<>;,]+", re.IGNORECASE)


@dataclass(frozen=True)
class Study:
    key: str
    doi: str = ""
    title: str = ""


def read_studies(folder: Path) -> list[Study]:
    studies: list[Study] = []
    for path in sorted((folder / "bibliography").glob("*")):
        suffix = path.suffix.lower()
        if suffix == ".bib":
            studies += _bibtex(path.read_text(encoding="utf-8-sig"))
        elif suffix == ".ris":
            studies += _ris(path.read_text(encoding="utf-8-sig"))
        elif suffix == ".json":
            studies += _csl(path.read_text(encoding="utf-8-sig"))
    return studies


def norm_doi(doi: str) -> str:
    found = DOI_RE.search(doi or "")
    return found.group(0).rstrip(".").lower() if found else ""


def _bibtex(text: str) -> list[Study]:
    out = []
    for entry in re.split(r"(?m)^\s*@", text)[1:]:
        head = re.match(r"\s*\w+\s*[{(]\s*([^,\s]+)\s*,", entry)
        if not head:
            continue
        fields = {k.lower(): v for k, v in re.findall(
            r"(?i)\b(doi|title)\s*=\s*[{\"]((?:[^{}]|\{[^{}]*\})*)[}\"]", entry)}
        out.append(Study(head.group(1), norm_doi(fields.get("doi", "")), fields.get("title", "").replace("{", "")
                         .replace("}", "")))
    return out


def _ris(text: str) -> list[Study]:
    out, record = [], {}
    for line in text.splitlines():
        tag = re.match(r"^([A-Z][A-Z0-9])  - ?(.*)$", line)
        if not tag:
            continue
        key, value = tag.group(1), tag.group(2).strip()
        if key == "ER":
            if record.get("ID"):
                out.append(Study(record["ID"], norm_doi(record.get("DO", "")), record.get("TI", record.get("T1", ""))))
            record = {}
        else:
            record.setdefault(key, value)
    return out


def _csl(text: str) -> list[Study]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError:
        return []
    items = items if isinstance(items, list) else [items]
    return [Study(str(i["id"]), norm_doi(str(i.get("DOI", ""))), str(i.get("title", "")))
            for i in items if isinstance(i, dict) and i.get("id")]
