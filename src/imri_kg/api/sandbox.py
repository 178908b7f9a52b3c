"""What a worker process gives up at its start: the network (a network namespace of its own) and unbounded memory.

Oxigraph evaluates `SERVICE <url>` and `LOAD <url>` with its own HTTP client, below anything Python can patch, so
the processes that evaluate queries, updates and uploads leave the host's network: `unshare(CLONE_NEWNET)` puts
them in a fresh network namespace that holds only a loopback interface that is down, so no address, not even
127.0.0.1, is reachable, whatever the query says. Unprivileged, a user namespace is asked for at the same time.
Where the kernel refuses both (no namespaces, a container without the capability), the worker keeps running with
a clear warning, and the parse-level check (guard.py) is the remaining defence.
"""

import ctypes
import ctypes.util
import os
import resource
import socket
import sys
import warnings

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


class NetworkNotDropped(UserWarning):
    """The OS refused a network namespace: a query naming SERVICE could still reach the network."""


def _unshare(flags: int) -> int:
    """0 when the kernel gave this process the new namespaces, else the errno."""
    if hasattr(os, "unshare"):  # Python 3.12+
        try:
            os.unshare(flags)
            return 0
        except OSError as exc:
            return exc.errno or -1
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    return 0 if libc.unshare(flags) == 0 else ctypes.get_errno()


def drop_network() -> bool:
    """Move this process into a network namespace of its own; False (with a warning) when the OS refuses."""
    if not sys.platform.startswith("linux"):
        _warn(f"network namespaces are Linux-only (this is {sys.platform})")
        return False
    errno = _unshare(CLONE_NEWNET)
    if errno:
        errno = _unshare(CLONE_NEWUSER | CLONE_NEWNET)
    if errno:
        _warn(f"unshare(CLONE_NEWNET) failed: {os.strerror(errno)}")
        return False
    return True


def has_network() -> bool:
    """Whether this process can route to any address, 127.0.0.1 included (a UDP connect sends nothing)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("127.0.0.1", 9))
        return True
    except OSError:
        return False
    finally:
        probe.close()


def limit_memory(max_bytes: int | None) -> None:
    """Cap this process's address space, so that a hostile input ends in MemoryError, not in the OOM killer."""
    if not max_bytes:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = max_bytes if hard == resource.RLIM_INFINITY else min(max_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _warn(reason: str) -> None:
    message = (f"imri-kg: WARNING: a worker process could not leave the network ({reason}); a query naming "
               "SERVICE or LOAD is refused by the parse-level check only.")
    warnings.warn(message, NetworkNotDropped, stacklevel=3)
    print(message, file=sys.stderr, flush=True)


def isolate_worker(store_dir: object = None) -> bool:
    """Called first thing in a query worker: leave the network, unless the store is a SPARQL engine reached over
    HTTP (then the parse-level check alone refuses SERVICE and LOAD, and the operator is told)."""
    if str(store_dir or "").lower().startswith(("http://", "https://")):  # (remote.is_remote imports httpx)
        _warn("the store is a remote SPARQL engine, which the worker must reach over the network")
        return False
    return drop_network()
