"""Real processes for end-to-end tests: the `pacesetter` CLI, uvicorn and the arq worker."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_cli(env: Mapping[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run `pacesetter ARGS` to completion, whatever its exit status."""
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_module(module: str, *args: str) -> str:
    """Run `python -m MODULE ARGS` from the project, which must succeed; what it printed.
    For work that needs a process of its own (tortoise binds models to one database)."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def cli(env: Mapping[str, str], *args: str) -> str:
    """Run `pacesetter ARGS`, which must succeed, and return what it printed."""
    done = run_cli(env, *args)
    if done.returncode != 0:
        raise AssertionError(f"pacesetter {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def create_organisation(env: Mapping[str, str], name: str, email: str, timezone: str) -> dict:
    out = cli(env, "create-organisation", name, "--admin-email", email, "--timezone", timezone)
    return json.loads(out.strip().splitlines()[-1])


@contextmanager
def running(env: Mapping[str, str], *args: str) -> Iterator[subprocess.Popen[bytes]]:
    """A long-running `pacesetter ARGS` process, stopped (and reaped) on exit."""
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", *args],
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()


@contextmanager
def api_server(env: Mapping[str, str]) -> Iterator[str]:
    """A real uvicorn serving the app; yields its base URL once /healthz answers."""
    with api_process(env) as (_, base):
        yield base


@contextmanager
def api_process(env: Mapping[str, str]) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """A real uvicorn serving the app, and its base URL, once /healthz answers."""
    port = free_port()
    with running(env, "serve", "--port", str(port)) as process:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                stderr = process.stderr.read().decode() if process.stderr else ""
                raise AssertionError(f"server exited early:\n{stderr}")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("server did not become healthy within 30 s")
            time.sleep(0.1)
        yield process, base
