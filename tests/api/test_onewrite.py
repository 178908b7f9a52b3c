"""A response's head and small body in one write (api/onewrite.py): the same bytes in the same order, fewer sends."""

import asyncio
import socket

import httpx

from imri_kg.api.onewrite import _HeadHeld

HEAD = b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n"


class _Recorder:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(bytes(data))

    def writelines(self, data) -> None:
        self.writes.extend(bytes(d) for d in data)

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str) -> str:
        return f"info {name}"


def test_head_and_body_go_out_together_and_a_lone_head_at_the_end_of_the_turn():
    async def scenario() -> tuple:
        real = _Recorder()
        held = _HeadHeld(real, asyncio.get_running_loop())
        held.write(HEAD)
        before = list(real.writes)
        held.write(b"hello")
        together = list(real.writes)
        held.write(HEAD)  # a streamed answer: its first chunk comes later
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        alone = list(real.writes)
        held.write(b"5\r\nhello\r\n")  # not a head: straight through
        held.write(b"HTTP/1.1 " + b"x" * 20_000)  # too big to hold
        held.write(HEAD)
        held.writelines([b"a", b"b"])  # what is held goes first
        held.write(HEAD)
        held.close()  # closing sends what is held first
        held.write(HEAD)
        await asyncio.sleep(0)  # held, then dropped: the connection is closed
        return before, together, alone, real.writes, real.closed, held.get_extra_info("peername")

    before, together, alone, everything, closed, info = asyncio.run(scenario())
    assert before == []
    assert together == [HEAD + b"hello"]
    assert alone == [HEAD + b"hello", HEAD]
    assert everything == [HEAD + b"hello", HEAD, b"5\r\nhello\r\n", b"HTTP/1.1 " + b"x" * 20_000, HEAD, b"a", b"b",
                          HEAD]
    assert (closed, info) == (True, "info peername")


def test_the_real_server_answers_in_one_piece(server_url):
    """`imri-kg serve` runs with it: a small answer arrives whole in the first read of a raw socket."""
    url = httpx.URL(server_url)
    with socket.create_connection((url.host, url.port), timeout=10) as sock:
        sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Accept: text/csv\r\n\r\n")
        first = sock.recv(65536)
    head, _, body = first.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n") and b"\r\ncontent-length: 4" in head.lower()
    assert body == b"true"
