"""Against the real console process (uvicorn): a body larger than its route takes is refused from its
declared length, before it is sent, let alone read, with a page a person can read."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from console.config import Settings


def _refused_before_the_body(url: str, path: str, declared: int) -> bytes:
    """Sends only the request's head and the first KiB of a body of `declared` bytes; the answer."""
    where = urlsplit(url)
    with socket.create_connection((where.hostname, where.port), timeout=20) as sock:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {where.netloc}\r\n"
            "Content-Type: multipart/form-data; boundary=lw\r\n"
            f"Content-Length: {declared}\r\n\r\n"
        )
        sock.sendall(head.encode() + b"--lw\r\n" + b"x" * 1024)
        answer = b""
        while chunk := sock.recv(65536):  # the server closes the connection after its answer
            answer += chunk
    return answer


def test_an_upload_over_the_limit_is_refused_before_it_is_sent(platform):
    limit = Settings().max_upload_bytes
    answer = _refused_before_the_body(platform.console, "/uploads", limit * 2)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413") and b"content-type: text/html" in head.lower()
    assert b"The file is too large" in body and b"larger than 50 MB" in body


def test_any_other_post_over_a_few_kib_is_refused_before_it_is_sent(platform):
    answer = _refused_before_the_body(platform.console, "/sign-in", 1024 * 1024)
    assert answer.startswith(b"HTTP/1.1 413") and b"That request was too large" in answer
