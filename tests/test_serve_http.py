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


def start_server(db: Path, port: int, **env_vars: str) -> subprocess.Popen[str]:
    env = dict(os.environ)
    src = str(Path(watchfloor.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    env.pop("WATCHFLOOR_DB", None)
    env.update(env_vars)
    return subprocess.Popen(
        [sys.executable, "-m", "watchfloor.cli", "--db", str(db), "serve", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_for_health(proc: subprocess.Popen[str], port: int) -> dict[str, object]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            return dict(httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).json())
        except httpx.HTTPError:
            time.sleep(0.3)
    raise AssertionError(f"no answer; the server said: {proc.stdout and proc.stdout.read()}")


def test_serve_answers_over_http_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    proc = start_server(tmp_path / "served.sqlite", port)
    try:
        body = wait_for_health(proc, port)
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


def test_a_write_in_flight_finishes_before_the_server_stops(tmp_path: Path) -> None:
    """SIGTERM while an article is being extracted (the first write also loads the model, so
    it takes seconds): the writer gets its answer, the article is stored, then the server
    exits. The access log is JSON lines, and never shows the token."""
    import json
    import threading

    from watchfloor.store import Store

    db = tmp_path / "served.sqlite"
    with Store.open(f"sqlite:///{db}") as store:
        _, token = store.create_token("shutdown test")
    port = free_port()
    proc = start_server(db, port, WATCHFLOOR_LOG_FORMAT="json")
    answer: dict[str, object] = {}

    def write() -> None:
        r = httpx.post(f"http://127.0.0.1:{port}/documents", timeout=120,
                       headers={"Authorization": f"Bearer {token}"},
                       json={"text": "SEOUL - North Korea fired two cruise missiles into the "
                                     "sea on Thursday, the South's military said."})
        answer.update(status=r.status_code, body=r.json())

    try:
        wait_for_health(proc, port)
        writer = threading.Thread(target=write)
        writer.start()
        time.sleep(1.0)  # the request is in flight: the model is loading
        proc.send_signal(signal.SIGTERM)
        writer.join(timeout=120)
        assert answer.get("status") == 201, answer
        assert proc.wait(timeout=60) in (0, -signal.SIGTERM)
        said = proc.stdout.read() if proc.stdout else ""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    with Store.open(f"sqlite:///{db}") as store:
        assert store.counts()["documents"] == 1
    lines = [json.loads(line) for line in said.splitlines() if line.startswith("{")]
    posts = [line for line in lines if line.get("path") == "/documents"]
    assert posts and posts[0]["status"] == 201 and posts[0]["token"] == "shutdown test"
    assert token not in said
