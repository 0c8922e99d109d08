"""Healthy when every principal's credential is registered (the entrypoint's marker) and the broker
answers an ApiVersions request on its client listener (allowed before SASL; no client library)."""

import os
import socket
import struct
import sys

if not os.path.exists("/var/lib/kafka/principals.ready"):
    print("unhealthy: the principals' SCRAM credentials are not registered yet", file=sys.stderr)
    sys.exit(1)
host, port = os.environ.get("KAFKA_HOST", "127.0.0.1"), int(os.environ.get("KAFKA_PORT", "19092"))
try:
    with socket.create_connection((host, port), timeout=5) as s:
        client = b"healthcheck"
        # ApiVersions v0: api_key 18, version 0, correlation id 1, client id.
        body = struct.pack(">hhih", 18, 0, 1, len(client)) + client
        s.sendall(struct.pack(">i", len(body)) + body)
        size = struct.unpack(">i", s.recv(4))[0]
        data = b""
        while len(data) < size:
            chunk = s.recv(size - len(data))
            if not chunk:
                break
            data += chunk
        correlation, error = struct.unpack(">ih", data[:6])
        sys.exit(0 if correlation == 1 and error == 0 else 1)
except Exception as exc:  # noqa: BLE001 - any failure is unhealthy
    print(f"unhealthy: {exc}", file=sys.stderr)
    sys.exit(1)
