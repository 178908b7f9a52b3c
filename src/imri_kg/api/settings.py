"""The server's settings: one frozen record, read by the app factory and shipped to each worker process."""

import os
from dataclasses import dataclass, field
from pathlib import Path

from imri_kg.store import DEFAULT_BASE


def _inline_default() -> bool:
    return os.environ.get("IMRI_KG_INLINE", "1").strip().lower() not in ("0", "off", "false", "no")


@dataclass(frozen=True)
class Settings:
    """How the server runs. Safe by default: read-only, time-limited, capped, loopback only."""

    store_dir: Path | str | None = None    # an on-disk store or a SPARQL engine's URL, served read-only; None = build
    base: str = DEFAULT_BASE               # base IRI; every IRI under it dereferences at the server
    timeout: float = 10.0                  # seconds a query may run before its worker is stopped
    max_rows: int = 10_000                 # result cap: solutions (SELECT) or triples (CONSTRUCT, DESCRIBE)
    workers: int = 2                       # query worker processes
    write_token: str | None = None         # updates are refused unless set; then need Authorization: Bearer
    cors_origins: tuple[str, ...] = field(default=())
    # Host names (or addresses) the server answers for; None: any. `imri-kg serve` on loopback answers for the
    # loopback names only, so that a web page whose name was pointed at 127.0.0.1 (DNS rebinding) reads nothing.
    allowed_hosts: tuple[str, ...] | None = None
    cache_bytes: int = 64 * 2**20          # answers to library questions kept in memory (bytes); 0 = none
    # Small answers to queries bounded by their text (bounded.py) given by the web process itself, without the hop
    # to a worker; IMRI_KG_INLINE=0 in the environment turns it off (every query then goes to a worker).
    inline: bool = field(default_factory=lambda: _inline_default())

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        """Settings with the write token taken from IMRI_KG_WRITE_TOKEN unless given."""
        values = dict(overrides)
        if values.get("write_token") is None:
            values["write_token"] = os.environ.get("IMRI_KG_WRITE_TOKEN") or None
        return cls(**values)  # type: ignore[arg-type]
