"""A small network on this machine for the multi-host test: a bridge on a private subnet in the
root namespace, one network namespace per gateway "host" joined to it by a veth pair, relays
that expose the root namespace's loopback services (Redis, PostgreSQL) on the bridge address,
and nginx running ``deploy/nginx/civic.conf`` with the lab's addresses.

Everything made here is recorded and removed by :meth:`Lab.close`, also after a failure.
"""

from __future__ import annotations

import ipaddress
import os
import random
import re
import shutil
import signal
import subprocess
import time
import uuid
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from assistant.settings import PROJECT_ROOT

NGINX_EXAMPLE = PROJECT_ROOT / "deploy" / "nginx" / "civic.conf"


def run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=30)


def netns_problem() -> Optional[str]:
    """Why this machine cannot make network namespaces, or ``None``."""
    if os.geteuid() != 0:
        return "network namespaces need root"
    probe = f"civic-probe-{uuid.uuid4().hex[:6]}"
    try:
        run("ip", "netns", "add", probe)
    except (subprocess.CalledProcessError, FileNotFoundError) as err:
        detail = getattr(err, "stderr", b"") or b""
        return f"`ip netns add` is not permitted here: {detail.decode(errors='replace').strip() or err}"
    run("ip", "netns", "del", probe)
    return None


def free_subnet() -> ipaddress.IPv4Network:
    """A /24 in 10.0.0.0/8 that no interface of this machine uses."""
    used = subprocess.run(["ip", "-4", "-o", "addr"], capture_output=True, text=True).stdout
    while True:
        subnet = ipaddress.ip_network(f"10.{random.randint(100, 250)}.{random.randint(0, 255)}.0/24")
        prefix = str(subnet.network_address).rsplit(".", 1)[0] + "."
        if f"inet {prefix}" not in used:
            return subnet


def render_nginx(example: str, *, gateways: Sequence[str], actions: Sequence[str], listen: str,
                 internal_listen: str, gateway_net: str, log_dir: Path) -> str:
    """The example configuration with the lab's addresses: the ``server`` lines of each upstream
    replaced (their parameters kept), the two ``listen`` lines, the allowed network, the logs."""

    def upstream(text: str, name: str, addresses: Sequence[str]) -> str:
        block = re.search(rf"upstream {name} \{{\n(.*?)\n\}}", text, re.S)
        if block is None:
            raise ValueError(f"no upstream {name} in {NGINX_EXAMPLE}")
        lines = block.group(1).split("\n")
        servers = [line for line in lines if line.strip().startswith("server ")]
        parameters = servers[0].strip()[len("server "):].split(" ", 1)[1]
        others = [line for line in lines if line not in servers]
        new = [f"    server {address} {parameters}" for address in addresses] + others
        return text[: block.start(1)] + "\n".join(new) + text[block.end(1):]

    text = upstream(example, "civic_gateway", gateways)
    text = upstream(text, "civic_actions", actions)
    text = re.sub(r"listen 80;", f"listen {listen};", text, count=1)
    text = re.sub(r"listen 10\.0\.1\.1:5054;", f"listen {internal_listen};", text, count=1)
    text = text.replace("allow 10.0.0.0/24;", f"allow {gateway_net};")
    return text.replace("/var/log/nginx/", f"{log_dir}/")


class Lab:
    """The bridge, the hosts' namespaces, the relays and nginx; :meth:`close` undoes all."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.tag = uuid.uuid4().hex[:6]
        self.subnet = free_subnet()
        hosts = list(self.subnet.hosts())
        self.bridge_ip = str(hosts[0])
        self._next_host = iter(str(h) for h in hosts[10:])
        self.bridge = f"cvbr{self.tag}"
        self.namespaces: Dict[str, str] = {}  # host name -> namespace
        self.addresses: Dict[str, str] = {}  # host name -> address
        self.links: List[str] = []
        self.processes: List[subprocess.Popen] = []
        self.nginx: Optional[subprocess.Popen] = None
        self.access_log = folder / "civic.log"

    # --- network ------------------------------------------------------------------------------
    def build_bridge(self) -> None:
        run("ip", "link", "add", self.bridge, "type", "bridge")
        self.links.append(self.bridge)
        run("ip", "addr", "add", f"{self.bridge_ip}/{self.subnet.prefixlen}", "dev", self.bridge)
        run("ip", "link", "set", self.bridge, "up")

    def add_host(self, name: str) -> str:
        """A namespace with one veth on the bridge; returns the host's address."""
        namespace, outside, inside = f"civic-{self.tag}-{name}", f"cv{self.tag}{name}", f"eth-{name}"
        run("ip", "netns", "add", namespace)
        self.namespaces[name] = namespace
        run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside)
        self.links.append(outside)
        run("ip", "link", "set", inside, "netns", namespace)
        run("ip", "link", "set", outside, "master", self.bridge, "up")
        address = next(self._next_host)
        inns = ["ip", "netns", "exec", namespace]
        run(*inns, "ip", "addr", "add", f"{address}/{self.subnet.prefixlen}", "dev", inside)
        run(*inns, "ip", "link", "set", inside, "up")
        run(*inns, "ip", "link", "set", "lo", "up")
        self.addresses[name] = address
        return address

    def start_in(self, name: str, command: Sequence[str], env: Dict[str, str], log: Path) -> subprocess.Popen:
        with open(log, "ab") as out:
            process = subprocess.Popen(["ip", "netns", "exec", self.namespaces[name], *command], cwd=PROJECT_ROOT,
                                       env=env, stdout=out, stderr=out, start_new_session=True)
        self.processes.append(process)
        return process

    def kill_host(self, name: str) -> int:
        """SIGKILL every process in the host's namespace, as a power cut would; returns how many."""
        pids = subprocess.run(["ip", "netns", "pids", self.namespaces[name]], capture_output=True,
                              text=True).stdout.split()
        for pid in pids:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass
        return len(pids)

    def pids(self, name: str) -> List[int]:
        """Every process of a host."""
        return [int(pid) for pid in subprocess.run(["ip", "netns", "pids", self.namespaces[name]],
                                                   capture_output=True, text=True).stdout.split()]

    def resident_mb(self, name: str) -> float:
        """Memory (RSS) of every process of a host, in MB: what one host costs."""
        total = 0
        for pid in self.pids(name):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except FileNotFoundError:
                continue
            found = re.search(r"VmRSS:\s+(\d+) kB", status)
            total += int(found.group(1)) if found else 0
        return total / 1024

    # --- services from the root namespace ------------------------------------------------------
    def relay(self, port: int, target: str) -> None:
        """Expose ``target`` (a loopback service) on the bridge address, for the hosts only."""
        socat = shutil.which("socat")
        if socat is None:
            raise RuntimeError("socat is missing (make install adds it: Makefile SYSTEM_PACKAGES)")
        process = subprocess.Popen([socat, f"TCP-LISTEN:{port},bind={self.bridge_ip},reuseaddr,fork",
                                    f"TCP:{target}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.processes.append(process)

    def start_nginx(self, *, gateways: Sequence[str], actions: Sequence[str], listen: str,
                    internal_listen: str) -> None:
        site = render_nginx(NGINX_EXAMPLE.read_text(), gateways=gateways, actions=actions, listen=listen,
                            internal_listen=internal_listen, gateway_net=str(self.subnet), log_dir=self.folder)
        (self.folder / "civic.conf").write_text(site)
        temp = self.folder / "nginx-temp"
        temp.mkdir(exist_ok=True)
        main = f"""
worker_processes 1;
daemon off;
pid {self.folder}/nginx.pid;
error_log {self.folder}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {self.folder}/civic.conf;
}}
"""
        config = self.folder / "nginx.conf"
        config.write_text(main)
        checked = subprocess.run(["nginx", "-t", "-c", str(config)], capture_output=True, text=True)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx refused the example configuration: {checked.stderr}")
        self.nginx = subprocess.Popen(["nginx", "-c", str(config)], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
        self.processes.append(self.nginx)

    def upstreams_since(self, line: int) -> List[str]:
        """``$upstream_addr`` of each request logged after ``line`` (a retried request lists
        every host it tried: ``a:8000, b:8000``)."""
        lines = self.access_log.read_text().splitlines() if self.access_log.exists() else []
        return [re.search(r"upstream=(.*?) upstream_status", entry).group(1) for entry in lines[line:]]  # type: ignore[union-attr]

    def log_lines(self) -> int:
        return len(self.access_log.read_text().splitlines()) if self.access_log.exists() else 0

    def host_of(self, upstream: str) -> str:
        """The host name that served a request (the last address nginx tried)."""
        address = upstream.split(",")[-1].strip().rsplit(":", 1)[0]
        return next(name for name, ip in self.addresses.items() if ip == address)

    # --- teardown ---------------------------------------------------------------------------------
    def close(self) -> None:
        for name in list(self.namespaces):
            self.kill_host(name)
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        for namespace in self.namespaces.values():
            subprocess.run(["ip", "netns", "del", namespace], capture_output=True)
        for link in reversed(self.links):  # a veth goes with its namespace; the bridge does not
            subprocess.run(["ip", "link", "del", link], capture_output=True)
        time.sleep(0.1)
