"""What the SPARQL 1.1 Protocol adds to the text of an update: the update's dataset, as USING clauses.

Section 2.1.4 and 2.2.3 of https://www.w3.org/TR/sparql11-protocol/: an update request may name its dataset with
`using-graph-uri` and `using-named-graph-uri`, which act as USING and USING NAMED on every DELETE/INSERT operation
of the request, and it is an error to give them to an update that has its own USING, USING NAMED or WITH.
pyoxigraph takes no dataset for an update, so the parameters are written into the text as USING clauses before
each operation's WHERE (same line, so line numbers in error messages stay right).
"""

import re

from pyoxigraph import NamedNode

# Tokens that matter for finding keywords at the top level of an update (SPARQL 1.1 Query, section 19.8):
# comments, strings and IRIs are skipped whole; names keep their prefix or sigil so `?where` or `ex:with` is no
# keyword; braces give the nesting depth.
_TOKEN = re.compile(r"""
    (?P<skip>\#[^\n\r]*
      | '''(?:[^'\\]|\\.|'(?!''))*''' | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      | '(?:[^'\\\n\r]|\\.)*' | "(?:[^"\\\n\r]|\\.)*"
      | <[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<word>[?$_]?[^\W\d][\w\-.]*(?::[\w\-.%:]*)?|:[\w\-.%:]*|@[A-Za-z][\w\-]*)
  | (?P<open>\{)
  | (?P<close>\})
  | (?P<other>\S)
""", re.VERBOSE | re.DOTALL)


class DatasetConflict(ValueError):
    """The request names an update dataset and the update has USING, USING NAMED or WITH of its own."""


def _top_level(sparql: str) -> list[tuple[str, int]]:
    """The keywords outside any braces, upper-cased, with their offsets."""
    depth, found = 0, []
    for match in _TOKEN.finditer(sparql):
        kind = match.lastgroup
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "word" and depth == 0:
            found.append((match.group().upper(), match.start()))
        elif kind == "other" and depth == 0:
            found.append((match.group(), match.start()))
    return found


def with_using(update: str, *, default_graphs: list[str], named_graphs: list[str]) -> str:
    """`update` with USING / USING NAMED clauses for the protocol's dataset before each operation's WHERE.

    Raises DatasetConflict when the update has its own USING or WITH (SPARQL 1.1 Protocol, section 2.2.3), and
    ValueError when a graph is not an IRI.
    """
    if not default_graphs and not named_graphs:
        return update
    clauses = " ".join([*(f"USING <{NamedNode(g).value}>" for g in default_graphs),
                        *(f"USING NAMED <{NamedNode(g).value}>" for g in named_graphs)])
    tokens = _top_level(update)
    if any(word in ("USING", "WITH") for word, _ in tokens):
        raise DatasetConflict("The update names its own dataset (USING, USING NAMED or WITH) and the request "
                              "gives using-graph-uri or using-named-graph-uri: give one or the other "
                              "(SPARQL 1.1 Protocol, section 2.2.3).")
    # The WHERE of a DELETE/INSERT operation; `DELETE WHERE` is a short form that takes no USING.
    wheres = [at for i, (word, at) in enumerate(tokens) if word == "WHERE" and (i == 0 or tokens[i - 1][0] != "DELETE")]
    for at in reversed(wheres):
        update = f"{update[:at]}{clauses} {update[at:]}"
    return update
