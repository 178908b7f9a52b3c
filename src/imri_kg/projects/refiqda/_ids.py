"""Identifiers shared by import and export: slugs for new ids, GUIDs derived from record IRIs."""

import hashlib
import re
import unicodedata
import uuid

from imri_kg.projects.refiqda._xml import norm_guid


def slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.replace("&", "and")).strip("-")[:60].strip("-")


def unique(wanted: str, taken: set[str]) -> str:
    name, n = wanted, 2
    while name in taken:
        name, n = f"{wanted}-{n}", n + 1
    taken.add(name)
    return name


def derived_guid(base: str, project: str, *parts: str) -> str:
    """The GUID of a record that has none of its own: a UUID 5 of its IRI (examples/README.md, IRIs)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{base}project/{project}/" + "/".join(parts)))


def excerpt_id(row: dict[str, str], *, codes: list[str], studies: list[str]) -> str:
    """An evidence row's id: its own, else the project reader's hash of its text, code ids and study keys."""
    from imri_kg.projects.evidence import excerpt_id as hashed
    if (row.get("id") or "").strip():
        return row["id"].strip()
    return hashed((row.get("text") or "").strip(), codes, studies)


def note_key(row: dict[str, str]) -> str:
    return hashlib.sha1(f"{row.get('about', '')}\x1f{row.get('text', '')}".encode()).hexdigest()[:12]


def guid_of(row: dict[str, str], column: str, base: str, project: str, *parts: str) -> str:
    """The normalised GUID a row stands for: its own GUID cell, else the one derived from its IRI."""
    own = (row.get(column) or "").strip()
    return norm_guid(own) if own else derived_guid(base, project, *parts)
