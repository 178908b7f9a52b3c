"""project.yaml: the project's slug, title, authors, year, DOI, licence and version."""

import re
from pathlib import Path

import yaml

from imri_kg.projects.model import Meta, Origin
from imri_kg.projects.problems import Problems

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DOI = re.compile(r"10\.[0-9]{4,9}/\S+")
SPDX = re.compile(r"[A-Za-z0-9.+-]+")
KEYS = ("slug", "title", "authors", "year", "doi", "licence", "version", "description", "fictional", "citation",
        "short_label")


def read_metadata(folder: Path, problems: Problems) -> Meta | None:
    """The project's metadata, or None (with the problem recorded) when project.yaml is missing or unusable."""
    path = Path(folder) / "project.yaml"
    if not path.is_file():
        problems.input(path, "not found; every project needs project.yaml (imri-kg init DIR writes one).")
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        problems.input(path, f"is not UTF-8 (byte {exc.start}); save it as UTF-8.")
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.input(path, f"is not valid YAML: {getattr(exc, 'problem', exc)}.",
                       row=mark.line + 1 if mark else 0, unit="line")
        return None
    if not isinstance(data, dict):
        problems.input(path, "must be a YAML mapping of keys such as slug: and title:.")
        return None
    for key in data:
        if key not in KEYS:
            problems.add(path, f'unknown key "{key}"; the keys are {", ".join(KEYS)}.', column=str(key))
    shaped = set()  # keys holding a list or mapping: reported once, then read as empty
    for key in KEYS:
        if isinstance(data.get(key), (list, dict)) and key != "authors" or key == "authors" and isinstance(
                data.get(key), dict):
            problems.input(path, f"{key} must be one value, not a YAML list or mapping (put text holding [ ] {{ }} "
                                 "or ': ' in quotes).", column=key)
            data[key] = None
            shaped.add(key)
    if any(isinstance(a, (list, dict)) for a in data.get("authors") or []):
        problems.input(path, "each author must be one name (put a name holding ': ' or [ ] in quotes).",
                       column="authors")
        data["authors"] = [a for a in data["authors"] if not isinstance(a, (list, dict))]
    slug = str(data.get("slug") or "").strip()
    title = str(data.get("title") or "").strip()
    if not slug and "slug" not in shaped:
        problems.input(path, "needs a slug (lowercase letters, digits and hyphens, e.g. hand-hygiene-2024).",
                       column="slug")
    elif not SLUG.fullmatch(slug):
        problems.input(path, f'slug "{slug}" must be lowercase letters, digits and single hyphens '
                             "(it is used in IRIs).", column="slug")
    if not title and "title" not in shaped:
        problems.input(path, "needs a title.", column="title")
    authors = data.get("authors") or []
    if isinstance(authors, str):
        authors = [authors]
    meta = Meta(slug, title, Origin(path, 0), authors=[str(a).strip() for a in authors if str(a).strip()],
                year=str(data.get("year") or "").strip(), doi=str(data.get("doi") or "").strip(),
                licence=str(data.get("licence") or "").strip(), version=str(data.get("version") or "").strip(),
                description=str(data.get("description") or "").strip(), fictional=data.get("fictional") is True,
                citation=str(data.get("citation") or "").strip(),
                short_label=str(data.get("short_label") or "").strip())
    if meta.year and not re.fullmatch(r"[0-9]{4}", meta.year):
        problems.add(path, f'year "{meta.year}" must be four digits, like 2024.', column="year")
    if meta.doi:
        meta.doi = meta.doi.removeprefix("https://doi.org/").removeprefix("doi:")
        if not DOI.fullmatch(meta.doi):
            problems.add(path, f'doi "{meta.doi}" must look like 10.1186/s13643-021-01646-0.', column="doi")
    if meta.licence and not meta.licence.startswith(("http://", "https://")):
        if SPDX.fullmatch(meta.licence):
            meta.licence = f"https://spdx.org/licenses/{meta.licence}"
        else:
            problems.add(path, f'licence "{meta.licence}" must be an IRI or an SPDX id such as CC-BY-4.0.',
                         column="licence")
    if "fictional" in data and not isinstance(data["fictional"], bool):
        problems.add(path, "fictional must be true or false.", column="fictional")
    return meta if slug and title and SLUG.fullmatch(slug) else None
