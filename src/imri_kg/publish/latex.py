"""Text as LaTeX reads it: the characters LaTeX treats specially, escaped; other Unicode kept (inputenc utf8)."""

import re

_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
            "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "<": r"\textless{}",
            ">": r"\textgreater{}", "|": r"\textbar{}"}
_PATTERN = re.compile("|".join(re.escape(c) for c in _SPECIAL))


def to_tex(value: str) -> str:
    """`value` on one line (runs of white space made one space), its special characters escaped."""
    return _PATTERN.sub(lambda m: _SPECIAL[m.group(0)], " ".join(value.split()))
