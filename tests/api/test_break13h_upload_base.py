"""Breaker 13h: an uploaded Turtle file with relative IRIs gets another report on every upload, naming the server's
temporary folder (issue 13: the report is a function of the data alone; item 3: relative IRIs are read against a
base, the file's location).

The web upload's checker writes the bytes to a new temporary folder for each upload (api/uploads.py `_check_one`:
Folder("imri-upload-")/NAME) and reads them with importers/files.py `read_rdf`, which takes the file's location as
the base. So `<>` becomes <file:///tmp/imri-upload-XXXX/theme.ttl>, a random folder each time: the same file
uploaded twice gives two reports whose records differ, and each shows the server's temporary path to the visitor
(input errors have that path replaced by the file's name; results do not).

What a fix should do: read an upload against a base that does not depend on where the checker wrote it (the name
the client gave, e.g. under one fixed folder or the server's URL), the same on every upload.
"""

from pyoxigraph import Store

from imri_kg.api.uploads import _check_one
from imri_kg.store import DEFAULT_BASE

THEME = b"<> a <https://w3id.org/imri/ontology#Theme> .\n"


def _foci(store: Store) -> list[str]:
    kind, checked = _check_one(store, "theme.ttl", THEME, base=DEFAULT_BASE)
    assert kind == "ok"
    return sorted({r.focus for r in checked.report.results})


def test_the_same_upload_gives_the_same_report_twice():
    store = Store()
    first, second = _foci(store), _foci(store)
    assert len(first) == 1  # the theme is missing its labels, scheme and domain: all results are about <>
    assert "imri-upload-" not in first[0]  # on main: file:///tmp/imri-upload-XXXX/theme.ttl
    assert first == second  # on main: two random folders
