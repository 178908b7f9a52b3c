"""Safe XML parsing of REFI-QDA files (defusedxml: no DTDs, no entities) and small element helpers."""

import re
from functools import lru_cache
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from imri_kg.errors import InputError

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
GUID_RE = re.compile(r"\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?")


def parse_xml(data: bytes, *, path: Path | str) -> Element:
    """The root element of an XML document; DTDs, entity declarations and external references are refused."""
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise InputError(f"refused: the XML declares a DTD or entities ({type(exc).__name__}); REFI-QDA files "
                         "need neither, and they can expand without bound or read local files.", path=path) from None
    except ParseError as exc:
        line, column = exc.position
        raise InputError(f"not well-formed XML: {exc.msg if hasattr(exc, 'msg') else exc}", path=path,
                         row=line, column=str(column), unit="line") from None


def local(element: Element) -> str:
    """The tag without its namespace: tools write several namespace versions of the same schema."""
    return element.tag.rsplit("}", 1)[-1]


def children(element: Element, name: str) -> list[Element]:
    return [child for child in element if local(child) == name]


def child(element: Element, name: str) -> Element | None:
    found = children(element, name)
    return found[0] if found else None


def text_of(element: Element, name: str) -> str:
    found = child(element, name)
    return (found.text or "") if found is not None else ""


@lru_cache(maxsize=65536)
def norm_guid(guid: str) -> str:
    """A GUID in the form used to compare them: no braces, lower case (tools differ in both)."""
    return guid.strip().strip("{}").lower()


def where(element: Element, name: str | None = None) -> str:
    """`<Tag guid="..." name="...">`, to locate an element in a message."""
    guid = element.get("guid")
    shown = f"<{local(element)}"
    if guid:
        shown += f' guid="{guid}"'
    label = name if name is not None else element.get("name")
    if label:
        shown += f' name="{label[:60]}"'
    return shown + ">"


def need_guid(element: Element, *, path: Path | str, attribute: str = "guid") -> str:
    value = element.get(attribute)
    if not value or not GUID_RE.fullmatch(value.strip()):
        raise InputError(f"{where(element)}: attribute {attribute} must be a GUID, found {value!r}.", path=path)
    return value.strip()
