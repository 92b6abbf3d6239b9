"""A redis-server of the test's own, on a free port in a temporary directory, to stop and restart at will."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import redis


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OwnRedis:
    """``redis-server`` on 127.0.0.1 with its data in ``directory``; never the machine's own."""

    def __init__(self, directory: Path, *, appendonly: bool = True, appendfsync: str = "always"):
        binary = shutil.which("redis-server")
        if binary is None:
            raise FileNotFoundError("redis-server is not installed")
        self.binary = binary
        self.directory = directory
        self.port = free_port()
        self.options = [
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--dir", str(directory),
            "--appendonly", "yes" if appendonly else "no",
            "--appendfsync", appendfsync,
            "--save", "",
            "--daemonize", "no",
            "--logfile", str(directory / "redis.log"),
        ]  # fmt: skip
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)

    def start(self) -> None:
        self.process = subprocess.Popen([self.binary, *self.options])
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.client().ping():
                    return
            except redis.BusyLoadingError:
                pass  # replaying its append-only file
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((self.directory / "redis.log").read_text(errors="replace")) from None
            time.sleep(0.02)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """SIGTERM: the shutdown an operator's restart does; SIGKILL: a crash."""
        if self.process is None:
            return
        self.process.send_signal(sig)
        self.process.wait(timeout=30)
        self.process = None

    def restart(self, sig: int = signal.SIGTERM) -> None:
        self.stop(sig)
        self.start()
