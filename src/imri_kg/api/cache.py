"""Answers to library questions kept by (question, parameters, format, data version), with their HTTP validators.

Reviewers ask the same questions again and again of data that rarely changes. The pool keeps a data version that
every write bumps (pool.py); an answer is kept under the version it was asked at, so after a write no lookup can
find an answer computed before it. The ETag names the same key, so `If-None-Match` is answered with 304 without
running anything, and `Cache-Control: no-cache` makes every client and proxy revalidate before reusing an answer:
a write changes the version, hence the ETag, hence a stale copy is never reused (RFC 9111 section 5.2.2.4,
RFC 9110 section 13.1.2).
"""

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

from imri_kg.api.engine import Answer, QuestionRequest

CACHE_CONTROL = "no-cache"


@dataclass(frozen=True)
class Key:
    """What an answer depends on: the question, its parameter values, the asked format, and the data version."""

    name: str
    values: tuple[tuple[str, str], ...]
    accept: str | None
    format: str | None
    version: str


def to_key(request: QuestionRequest, *, version: str) -> Key:
    """The key of `request` at `version`; parameter order does not matter, repeated values do."""
    return Key(request.name, tuple(sorted(request.values)), request.accept, request.format, version)


def to_etag(key: Key) -> str:
    """A strong entity tag (RFC 9110 section 8.8.3) for the answer under `key`."""
    text = "\x1f".join([key.name, repr(key.values), key.accept or "", key.format or "", key.version])
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names `etag` (weak comparison, RFC 9110 section 13.1.2)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return etag in tags


ENTRY_OVERHEAD = 600  # bytes an entry costs beyond its strings: the key, answer and tuple objects, the map's slot


def entry_size(key: Key, answer: Answer) -> int:
    """What keeping `answer` under `key` costs: its body and headers, every string of the key, and the objects."""
    strings = [key.name, key.accept or "", key.format or "", key.version, answer.media_type,
               *(s for pair in key.values for s in pair), *(s for pair in answer.headers for s in pair)]
    return len(answer.body) + sum(len(s.encode("utf-8", "surrogatepass")) + 50 for s in strings) + ENTRY_OVERHEAD


class AnswerCache:
    """A least-recently-used map from keys to successful answers, bounded in bytes (keys and all); thread-safe."""

    def __init__(self, *, max_bytes: int, max_entry: int | None = None) -> None:
        self.max_bytes = max_bytes
        self.max_entry = max_entry if max_entry is not None else max(1, max_bytes // 8)
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._version: str | None = None
        self._entries: OrderedDict[Key, Answer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Key) -> Answer | None:
        with self._lock:
            answer = self._entries.get(key)
            if answer is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return answer

    def put(self, key: Key, answer: Answer) -> None:
        """Keep `answer` if it is a success that fits; drop the least recently used answers to make room."""
        size = entry_size(key, answer)
        if answer.status != 200 or size > self.max_entry or size > self.max_bytes:
            return
        with self._lock:
            if key.version != self._version:  # the data changed: earlier answers can no longer be asked for
                self._entries.clear()
                self.size = 0
                self._version = key.version
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= entry_size(key, old)
            self._entries[key] = answer
            self.size += size
            while self.size > self.max_bytes:
                dropped_key, dropped = self._entries.popitem(last=False)
                self.size -= entry_size(dropped_key, dropped)

    def __len__(self) -> int:
        return len(self._entries)
