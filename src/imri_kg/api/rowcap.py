"""The row cap, counted in the bytes pyoxigraph writes: a sink for `QuerySolutions.serialize` that stops it after N rows.

pyoxigraph writes SELECT results itself (JSON, XML, CSV, TSV), in 8 KiB pieces that do not follow row boundaries,
and cannot be told to stop after N rows. `CappedSink` counts rows in those pieces as they come, from what each
writer guarantees about its output:

- XML: every solution is one `<result>` element, and `<` in text is always written `&lt;`;
- TSV: every line ends with `\\n`, and terms are escaped so that a value never holds a raw newline;
- CSV: every line ends with `\\r\\n`; a value holding a newline is quoted (`"` doubled inside);
- JSON: solutions are the objects of the `bindings` array, each opened by `{` right after `[` or `,` outside a
  string; strings escape `"` and `\\` with a backslash.

Counting is done by bytes methods (count, split, replace) and one regular-expression search, never a Python loop over
the result; only the one piece in which the cap is passed is walked byte by byte to find where row N+1 starts. There
the output is cut, the document closed, and the serializer stopped.
"""

import re
from typing import IO

from pyoxigraph import QueryResultsFormat

from imri_kg.api.guard import OPAQUE  # comments, IRIs and strings: text that holds no keyword or brace

_TAIL_LIMIT = re.compile(r"[^{}]*?\bLIMIT\s+(\d+)\b[^{}]*", re.IGNORECASE | re.DOTALL)
SLICE = 1 << 20  # bytes of output counted at once when the JSON counter turns exact
_CLOSE = {QueryResultsFormat.JSON: b"]}}", QueryResultsFormat.XML: b"</results></sparql>"}


def top_level_limit(sparql: str) -> int | None:
    """The LIMIT of a query's own solution modifier (after the last brace of its text), or None.

    A LIMIT of a subquery comes before a closing brace, and a trailing VALUES block ends with one, so neither is
    taken. A SELECT whose LIMIT is within the cap cannot be cut, and its result needs no counting.
    """
    code = OPAQUE.sub(" ", sparql)
    found = _TAIL_LIMIT.fullmatch(code, code.rfind("}") + 1)
    return int(found.group(1)) if found else None


class Enough(Exception):
    """Raised from the sink's write to stop the serializer once the cap is passed."""


class _Xml:
    """Marks: the start of each `<result>` tag."""

    tag = b"<result>"

    def __init__(self) -> None:
        self.pos = 0

    def count(self, out: bytearray) -> int:
        self.start = max(0, self.pos - len(self.tag) + 1)
        self.pos = len(out)
        return out.count(self.tag, self.start)

    def find(self, out: bytearray, k: int) -> int:
        at = self.start - 1
        for _ in range(k):
            at = out.find(self.tag, at + 1)
        return at


class _Tsv:
    """Marks: the byte after each newline (mark 1 ends the header line)."""

    def __init__(self) -> None:
        self.pos = 0

    def count(self, out: bytearray) -> int:
        self.start, self.pos = self.pos, len(out)
        return out.count(b"\n", self.start)

    def find(self, out: bytearray, k: int) -> int:
        at = self.start - 1
        for _ in range(k):
            at = out.find(b"\n", at + 1)
        return at + 1


class _Csv:
    """Marks: the byte after each newline outside a quoted value."""

    def __init__(self) -> None:
        self.pos, self.quoted = 0, False

    def count(self, out: bytearray) -> int:
        self.start, self.was_quoted = self.pos, self.quoted
        parts = bytes(out[self.pos:]).split(b'"')
        self.pos = len(out)
        self.quoted ^= (len(parts) - 1) % 2 == 1
        return sum(p.count(b"\n") for p in parts[1 if self.was_quoted else 0::2])

    def find(self, out: bytearray, k: int) -> int:
        quoted = self.was_quoted
        for at in range(self.start, len(out)):
            c = out[at]
            if c == 0x22:
                quoted = not quoted
            elif c == 0x0A and not quoted:
                k -= 1
                if k == 0:
                    return at + 1
        raise AssertionError("mark not found")


class _Json:
    """Marks: each `{` that directly follows `[` or `,` outside a string (a solution object)."""

    def __init__(self) -> None:
        self.pos, self.inside, self.last = 0, False, b""

    def count(self, out: bytearray, end: int | None = None) -> int:
        self.start, self.state = self.pos, (self.inside, self.last)
        end = len(out) if end is None else end
        while end > self.pos and out[end - 1] == 0x5C:  # a backslash run may continue: keep it for next time
            end -= 1
        data = bytes(out[self.pos:end])
        if b"\\" in data:  # rare: drop escaped backslashes, then escaped quotes, so that every " left is a quote
            data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
        self.pos = end
        parts = data.split(b'"')
        outside = parts[1 if self.inside else 0::2]
        joined = self.last + b"\x00".join(outside)
        self.inside ^= (len(parts) - 1) % 2 == 1
        self.last = b"" if self.inside or not parts[-1] else parts[-1][-1:]
        return joined.count(b",{") + joined.count(b"[{")

    def find(self, out: bytearray, k: int) -> int:
        inside, last = self.state
        prev = last[0] if last else 0
        escaped = False
        for at in range(self.start, self.pos):
            c = out[at]
            if inside:
                if escaped:
                    escaped = False
                elif c == 0x5C:
                    escaped = True
                elif c == 0x22:
                    inside, prev = False, 0
            elif c == 0x22:
                inside = True
            else:
                if c == 0x7B and prev in (0x2C, 0x5B):
                    k -= 1
                    if k == 0:
                        return at
                prev = c
        raise AssertionError("mark not found")


class _JsonBounded:
    """JSON marks, counted exactly only once they might pass the cap. Until then only `,{` anywhere is counted, plus
    one for the bindings' opening `[{`: strings may hold `,{` too, so that is an upper bound, and while it stays
    within the cap no row can be cut. Past it, every later piece is counted exactly (`_Json`), and so is everything
    before, unless `_clean` shows that no `,{` before it lies in a string: then the upper bound was exact."""

    def __init__(self, cap: int) -> None:
        self.cap, self.raw, self.pos = cap, 1, 0
        self.exact: _Json | None = None
        self.offset = 0

    def count(self, out: bytearray) -> int:
        if self.exact is not None:
            self.offset = 0
            return self.exact.count(out)
        raw = out.count(b",{", max(0, self.pos - 1))
        if self.raw + raw <= self.cap:
            self.raw += raw
            self.pos = len(out)
            return 0
        self.exact = _Json()
        self.offset = self._clean(out)
        if self.offset is None:
            # At most cap marks before this piece: the cut is not there. Counted a slice at a time, so that the
            # strings split apart never hold more than a slice of the output.
            self.offset = sum(self.exact.count(out, min(end, self.pos))
                              for end in range(SLICE, self.pos + SLICE, SLICE))
        return self.offset + self.exact.count(out)

    def _clean(self, out: bytearray) -> int | None:
        """The marks before `self.pos` (`self.raw`), when every `,{` before it starts a solution; None if one may
        not. Each `,{` in a string is followed by something else than `"` and a key's first character: by any
        character but `"` while in the string (a quote in a string is written `\\"`), or by its closing quote and
        then `,` `}` or `]`. Every `,{` before `self.pos` is looked at (one search of the bytes written, no Python
        loop); the exact count then goes on from just after the last of them, which is outside any string."""
        end = self.pos
        if len(out) < end + 2:  # the last mark's next two bytes are not written yet
            return None
        found = _SUSPECT.search(out, 0, end + 2)
        if found is not None and found.start() + 1 < end:
            return None
        last = out.rfind(b",{", 0, end)
        if last < 0:
            return None
        assert self.exact is not None
        self.exact.pos, self.exact.last = last + 2, b"{"
        self.exact.count(out, end)  # the rest of the last solution before this piece: no mark
        return self.raw

    def find(self, out: bytearray, k: int) -> int:
        assert self.exact is not None
        return self.exact.find(out, k - self.offset)


# A `,{` that may lie in a string: not followed by `"` and the first character of a key (a variable's name).
_SUSPECT = re.compile(rb',\{(?!"[^",}\]\\])')


_COUNTERS = {QueryResultsFormat.JSON: _Json, QueryResultsFormat.XML: _Xml, QueryResultsFormat.CSV: _Csv,
             QueryResultsFormat.TSV: _Tsv}


class CappedSink:
    """A file-like object for `QuerySolutions.serialize(sink, format=...)` that keeps at most `cap` rows.

    After serializing (catch `Enough`), `finish()` gives the bytes and whether rows were cut.
    """

    def __init__(self, fmt: QueryResultsFormat, cap: int) -> None:
        self.fmt, self.cap = fmt, cap
        self.counter = _JsonBounded(cap) if fmt == QueryResultsFormat.JSON else _COUNTERS[fmt]()
        self.out = bytearray()
        self.marks = 0
        lines = fmt in (QueryResultsFormat.CSV, QueryResultsFormat.TSV)
        # Mark cap+1 is where row cap+1 starts; the cut is certain once row cap+1 exists (for lines: once it ends).
        self.cut_mark = cap + 1
        self.trigger = cap + (2 if lines else 1)
        self.cut_at: int | None = None
        self.truncated = False

    def write(self, data: bytes) -> int:
        if self.truncated:
            raise Enough
        self.out += data
        n = self.counter.count(self.out)
        if self.cut_at is None and self.marks < self.cut_mark <= self.marks + n:
            self.cut_at = self.counter.find(self.out, self.cut_mark - self.marks)
        self.marks += n
        if self.marks >= self.trigger:
            self.truncated = True
            raise Enough
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: every write is kept in `out` as it comes."""

    def parts(self) -> list[memoryview | bytes]:
        """What `finish` gives, without copying it: a view of the output (cut after `cap` rows), and the closing
        bytes when it was cut. Nothing may be written to the sink after this."""
        view = memoryview(self.out)
        if not self.truncated:
            return [view]
        assert self.cut_at is not None
        cut = self.cut_at - (self.out[self.cut_at - 1] == 0x2C)  # JSON: drop the comma before row cap+1
        return [view[:cut], _CLOSE.get(self.fmt, b"")]

    def write_to(self, target: IO[bytes], piece: int = 256 * 1024) -> None:
        """Write what `parts` gives into `target`, `piece` bytes at a time (so that it never copies it whole)."""
        for part in self.parts():
            for at in range(0, len(part), piece):
                target.write(part[at:at + piece])

    def finish(self) -> tuple[bytes, bool]:
        """The bytes written, cut after `cap` rows and closed when there were more; and whether they were cut."""
        if not self.truncated:
            return bytes(self.out), False
        assert self.cut_at is not None
        cut = self.cut_at - (self.out[self.cut_at - 1] == 0x2C)  # JSON: drop the comma before row cap+1
        return bytes(self.out[:cut]) + _CLOSE.get(self.fmt, b""), True
