"""`opad worker`, with an audit hook that logs every socket connect and DNS lookup.

The crew tests read the log (OPAD_TEST_SOCKET_LOG, JSON lines) to prove the worker
contacted nothing but 127.0.0.1 (and Redis's Unix socket).
"""

from __future__ import annotations

import json
import os
import socket
import sys
import threading

LOG_PATH = os.environ["OPAD_TEST_SOCKET_LOG"]
_lock = threading.Lock()


def _record(entry: dict[str, object]) -> None:
    with _lock, open(LOG_PATH, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry) + "\n")


def _hook(event: str, args: tuple[object, ...]) -> None:
    if event == "socket.connect":
        sock, address = args
        family = socket.AddressFamily(getattr(sock, "family", 0)).name
        _record({"event": "connect", "family": family, "address": repr(address)})
    elif event == "socket.getaddrinfo":
        _record({"event": "getaddrinfo", "host": repr(args[0]), "port": repr(args[1])})


sys.addaudithook(_hook)

if __name__ == "__main__":
    from opad.cli import main

    sys.argv = ["opad", "worker"]
    main()
