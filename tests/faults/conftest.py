"""Fault tests run against their own services, so stopping one never touches the shared ones.

One Redis (``redis-server`` on a free loopback port, nothing saved), one PostgreSQL cluster
(``initdb``/``pg_ctl`` in a temporary folder, as the ``postgres`` user when we are root, since
``initdb`` refuses root), one action server and one real gateway process pointed at all three.
The tests stop and start each service and leave it running again at the end.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional

import httpx
import pytest

from assistant.settings import PROJECT_ROOT
from tests.conftest import free_port, wait_for_http

DATA_TOKEN = "faults-token-0123456789"
DEPARTMENT = "faults_dept"
WECHAT_TOKEN = "faultswechattoken"


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise TimeoutError(f"{what} within {timeout}s")


class RedisServer:
    """``redis-server`` on a free port of 127.0.0.1; stop and start keep the port."""

    def __init__(self, folder: Path) -> None:
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.folder = folder
        self.process: Optional[subprocess.Popen] = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self.answers, 20, "redis did not answer")

    def answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping())
        except redis.exceptions.RedisError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)


def postgres_bin() -> Optional[Path]:
    """The newest PostgreSQL server binaries on this machine (Debian keeps them off PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).resolve().parent if on_path else None


class PostgresCluster:
    """A throw-away cluster (trust auth, fsync off) on a free port; ``stop`` is a fast shutdown,
    the way a restart or a failover ends every connection."""

    def __init__(self, folder: Path, binaries: Path) -> None:
        self.folder = folder
        self.binaries = binaries
        self.port = free_port()
        self.data = folder / "data"
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self.as_postgres: List[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            shutil.chown(folder, "postgres", "postgres")
            self.as_postgres = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run(self.as_postgres + [str(self.binaries / args[0]), *args[1:]], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-sync", "--locale=C")

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"),
                  "-w", "-t", "30", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "30", "stop")

    def running(self) -> bool:
        status = subprocess.run(self.as_postgres + [str(self.binaries / "pg_ctl"), "-D", str(self.data), "status"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return status.returncode == 0

    def restart(self) -> None:
        self.stop()
        self.start()


class Process:
    """A child ``python -m assistant <command>`` with its output in a file (shown on failure)."""

    def __init__(self, command: str, env: Dict[str, str], log: Path, ready_url: str) -> None:
        self.command, self.env, self.log, self.ready_url = command, env, log, ready_url
        self.process: Optional[subprocess.Popen] = None

    def start(self, timeout: float = 120) -> None:
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "assistant", self.command],
                                            cwd=PROJECT_ROOT, env=self.env, stdout=out, stderr=out)
        wait_for_http(self.ready_url, timeout=timeout, process=self.process)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Stack:
    """Everything one fault test needs: the services, the gateway's URL, a client."""

    def __init__(self, redis: RedisServer, postgres: PostgresCluster, actions: Process,
                 gateway: Process, url: str, var_dir: Path) -> None:
        self.redis, self.postgres, self.actions, self.gateway = redis, postgres, actions, gateway
        self.url, self.var_dir = url, var_dir
        self.http = httpx.Client(base_url=url, timeout=30)

    def ready(self) -> httpx.Response:
        return self.http.get("/readyz")

    def wait_ready(self, timeout: float = 60) -> None:
        wait_until(lambda: self.ready().status_code == 200, timeout, "the gateway did not become ready")

    def wait_not_ready(self, check: str, timeout: float = 20) -> dict:
        """Wait until /readyz is 503 with ``check`` failing; returns that body."""
        seen: dict = {}

        def failing() -> bool:
            response = self.ready()
            seen.update(response.json())
            return response.status_code == 503 and (seen.get("checks") or {}).get(check) == "fail"

        wait_until(failing, timeout, f"/readyz did not report {check} failing")
        return seen


@pytest.fixture(scope="package")  # stopped after the last fault test, not kept for the whole run
def stack(trained_model: Path) -> Iterator[Stack]:
    if shutil.which("redis-server") is None or postgres_bin() is None:
        pytest.skip("fault tests need redis-server and the PostgreSQL server binaries")
    folder = Path(tempfile.mkdtemp(prefix="civic-faults-"))
    folder.chmod(0o755)  # the postgres user must reach its cluster inside
    pg_folder = folder / "pg"
    pg_folder.mkdir()
    var_dir = folder / "var"
    redis = RedisServer(folder)
    postgres = PostgresCluster(pg_folder, postgres_bin())  # type: ignore[arg-type]
    action_port, gateway_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVIC_")}
    env.update(
        CIVIC_ENVIRONMENT="test", CIVIC_VAR_DIR=str(var_dir), CIVIC_LOG_LEVEL="WARNING",
        CIVIC_MODEL_DIR=str(trained_model.parent), CIVIC_DATABASE_URL=postgres.url,
        CIVIC_REDIS_URL=redis.url, CIVIC_ACTION_PORT=str(action_port),
        CIVIC_ACTION_URL=f"http://127.0.0.1:{action_port}/webhook", CIVIC_PORT=str(gateway_port),
        CIVIC_DATA_TOKENS=f"{DEPARTMENT}:{DATA_TOKEN}", CIVIC_WECHAT_TOKEN=WECHAT_TOKEN,
        CIVIC_ANALYTICS_FLUSH_SECONDS="0.5", CIVIC_STT_ENABLED="false",
    )
    actions = Process("actions", env, folder / "actions.log", f"http://127.0.0.1:{action_port}/health")
    url = f"http://127.0.0.1:{gateway_port}"
    gateway = Process("serve", env, folder / "gateway.log", f"{url}/healthz")
    try:
        postgres.init()
        postgres.start()
        redis.start()
        actions.start(timeout=90)
        gateway.start(timeout=120)
        stack = Stack(redis, postgres, actions, gateway, url, var_dir)
        stack.wait_ready(timeout=120)
        yield stack
    finally:
        gateway.stop()
        actions.stop()
        redis.stop()
        try:
            postgres.stop()
        except subprocess.CalledProcessError:
            pass
        for log in ("gateway.log", "actions.log"):
            if (folder / log).exists():
                tail = (folder / log).read_text(errors="replace")[-3000:]
                print(f"--- {log} (tail)\n{tail}")
        shutil.rmtree(folder, ignore_errors=True)
