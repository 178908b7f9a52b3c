"""Whether a query's cost is bounded by its own text: one triple pattern, looked up in an index, nothing else.

The web process answers such a query itself (pool.py, `Engine.small_answer`), without the hop to a worker process,
because it cannot run away: a worker exists so that a query past its time limit can be killed, and a query of this
shape costs one index seek plus one step per row it returns (Oxigraph keeps an index for every combination of
bound positions, and the union default graph lists a triple once per graph holding it, without de-duplicating, so
every quad the scan reads is a row written); the rows written are stopped at a small budget.

`is_bounded` is a strict recognizer of the query text, not a parser: anything it does not recognise is refused,
and a refused query goes to a worker as before (a false "bounded" would be a safety bug, a false "unbounded" only
costs speed). Accepted, exactly:

    (PREFIX pname: <iri> | BASE <iri>)*  (SELECT (* | ?var+) | ASK)  WHERE?  { [ s p o [.] ] }  [LIMIT n]

with s a variable, IRI or prefixed name; p the same or `a`; o the same, a string (with a language tag or
`^^datatype`), an unsigned number, true or false; no variable twice in the pattern (`?x ?p ?x` is a scan of the
whole store filtered by the engine); comments and the four whitespace characters of SPARQL between tokens. Refused,
among others: FILTER, OPTIONAL, UNION, MINUS, GRAPH, SERVICE, VALUES, BIND, subqueries, property paths (`/ ^ * + |`),
blank nodes (`[]`, `_:b`), ORDER, GROUP, DISTINCT, OFFSET (a scan of the rows skipped), FROM, expressions in the
projection, CONSTRUCT, DESCRIBE, a second pattern (a product of two scans), any backslash (SPARQL turns `\\u0022`
into a quote before parsing, so escapes could hide syntax), long strings and non-ASCII names.
"""

import re

from imri_kg.api.memo import by_text

_TOKEN = re.compile(r"""
    (?P<skip>[ \t\r\n]+|\#[^\r\n]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>"[^"\\\r\n]*"|'[^'\\\r\n]*')
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<var>[?$][A-Za-z0-9_]+)
  | (?P<pname>(?:[A-Za-z](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?)?:(?:[A-Za-z0-9_:](?:[A-Za-z0-9_.\-:]*[A-Za-z0-9_\-:])?)?)
  | (?P<number>[0-9]+(?:\.[0-9]+)?)
  | (?P<word>[A-Za-z][A-Za-z0-9_]*)
  | (?P<punct>\^\^|[{}.*])
""", re.VERBOSE)
_LIMIT_DIGITS = 18  # a longer LIMIT is left to the worker


def _tokens(sparql: str) -> list[tuple[str, str]] | None:
    """(kind, text) of each token, keywords upper-cased (`a` kept as it is); None when a character is not a token."""
    out: list[tuple[str, str]] = []
    at, end = 0, len(sparql)
    while at < end:
        found = _TOKEN.match(sparql, at)
        if found is None:
            return None
        kind = found.lastgroup
        assert kind is not None
        at = found.end()
        if kind == "skip":
            continue
        value = found.group()
        if kind == "word" and value != "a":
            value = value.upper()
        out.append((kind, value))
    return out


_TERM = {"var", "iri", "pname"}


def _term(tokens: list[tuple[str, str]], at: int, position: str) -> int | None:
    """The index after the term of the pattern at `at` (subject, predicate or object), or None."""
    kind, value = tokens[at]
    if kind in _TERM:
        return at + 1
    if position == "predicate" and (kind, value) == ("word", "a"):
        return at + 1
    if position != "object":
        return None
    if kind == "number" or (kind, value) in (("word", "TRUE"), ("word", "FALSE")):
        return at + 1
    if kind != "string":
        return None
    if tokens[at + 1][0] == "lang":
        return at + 2
    if tokens[at + 1] == ("punct", "^^"):
        return at + 3 if tokens[at + 2][0] in ("iri", "pname") else None
    return at + 1


@by_text  # asked of every query the web process gets: worked out once per text (memo.py)
def is_bounded(sparql: str) -> bool:
    """Whether `sparql` is a SELECT or ASK of at most one triple pattern as described above (module docstring)."""
    if "\\" in sparql or "'''" in sparql or '"""' in sparql:
        return False
    tokens = _tokens(sparql)
    if tokens is None:
        return False
    tokens.append(("end", ""))  # so that looking one token ahead never runs off the list
    at = 0
    while tokens[at] in (("word", "PREFIX"), ("word", "BASE")):
        if tokens[at][1] == "PREFIX":
            kind, name = tokens[at + 1]
            if kind != "pname" or name.index(":") != len(name) - 1 or tokens[at + 2][0] != "iri":
                return False
            at += 3
        else:
            if tokens[at + 1][0] != "iri":
                return False
            at += 2
    if tokens[at] == ("word", "SELECT"):
        at += 1
        if tokens[at] == ("punct", "*"):
            at += 1
        else:
            start = at
            while tokens[at][0] == "var":
                at += 1
            if at == start:
                return False
    elif tokens[at] == ("word", "ASK"):
        at += 1
    else:
        return False
    if tokens[at] == ("word", "WHERE"):
        at += 1
    if tokens[at] != ("punct", "{"):
        return False
    at += 1
    if tokens[at] != ("punct", "}"):
        variables = []
        for position in ("subject", "predicate", "object"):
            if tokens[at][0] == "var":
                variables.append(tokens[at][1][1:])
            nxt = _term(tokens, at, position)
            if nxt is None:
                return False
            at = nxt
        if len(set(variables)) != len(variables):  # ?x and $x are one variable
            return False
        if tokens[at] == ("punct", "."):
            at += 1
        if tokens[at] != ("punct", "}"):
            return False
    at += 1
    if tokens[at] == ("word", "LIMIT"):
        kind, digits = tokens[at + 1]
        if kind != "number" or not digits.isdigit() or len(digits) > _LIMIT_DIGITS:
            return False
        at += 2
    return tokens[at][0] == "end"


__all__ = ["is_bounded"]
