"""`watchfloor serve` for real: a server process on loopback answered over HTTP, and stopped by
SIGTERM with a clean exit."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

import watchfloor


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_over_http_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    env = dict(os.environ)
    src = str(Path(watchfloor.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    env.pop("WATCHFLOOR_DB", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "watchfloor.cli", "--db", str(tmp_path / "served.sqlite"),
         "serve", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        body = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                body = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).json()
                break
            except httpx.HTTPError:
                time.sleep(0.3)
        assert body is not None, f"no answer; the server said: {proc.stdout and proc.stdout.read()}"
        assert (body["status"], body["documents"], body["events"]) == ("ok", 0, 0)
        missing = httpx.get(f"http://127.0.0.1:{port}/events/rec_00000000", timeout=5)
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "W402"
        proc.send_signal(signal.SIGTERM)
        # uvicorn shuts down gracefully, then re-raises the signal so the exit status tells it
        assert proc.wait(timeout=30) in (0, -signal.SIGTERM)
        said = proc.stdout.read() if proc.stdout else ""
        assert "Finished server process" in said, said
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
