"""The processes of the scale test: PgBouncer, the app servers, the workers, HAProxy.

Each runs as a child in its own process group, so that `kill -9` of the group
ends a gunicorn server with its workers, as a crashed machine would. Their
configuration files go in a temporary folder, their logs in var/scaletest/.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from loadtest.server import ROOT, free_port

# PgBouncer refuses to run as root; Debian's PostgreSQL package makes this user.
PGBOUNCER_USER = "postgres"


@dataclass
class Child:
    """A started process, its name and its log."""

    name: str
    process: subprocess.Popen
    log: Path
    port: int | None = None
    killed: bool = False

    def kill(self) -> None:
        """kill -9 of the whole process group: no clean-up, no goodbye."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.killed = True

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


@dataclass
class Cluster:
    """Everything started, to stop in reverse order whatever happens."""

    logs: Path
    config: Path
    children: list[Child] = field(default_factory=list)

    def start(
        self, name: str, command: list[str], *, env=None, port=None, user=None
    ) -> Child:
        log = self.logs / f"{name}.log"
        with log.open("w") as output:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                user=user,
            )
        child = Child(name, process, log, port)
        self.children.append(child)
        return child

    def stop(self) -> None:
        for child in reversed(self.children):
            child.stop()


def pgbouncer(cluster: Cluster, database_url: str) -> tuple[Child, str]:
    """PgBouncer in transaction pooling mode; returns it and the URL the app uses."""
    target = urlsplit(database_url)
    port = free_port()
    userlist = cluster.config / "userlist.txt"
    userlist.write_text(f'"{target.username or "postgres"}" ""\n')
    ini = cluster.config / "pgbouncer.ini"
    ini.write_text(
        "\n".join(
            [
                "[databases]",
                f"* = host={target.hostname} port={target.port or 5432}",
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                f"listen_port = {port}",
                "unix_socket_dir =",
                "auth_type = trust",
                f"auth_file = {userlist}",
                "pool_mode = transaction",
                "max_client_conn = 200",
                "default_pool_size = 10",
                # Django may send these at connect time; PgBouncer tracks neither.
                "ignore_startup_parameters = extra_float_digits,options",
                "",
            ]
        )
    )
    for path in (cluster.config, userlist, ini):
        path.chmod(0o755 if path.is_dir() else 0o644)
    child = cluster.start(
        "pgbouncer",
        [shutil.which("pgbouncer") or "/usr/sbin/pgbouncer", str(ini)],
        port=port,
        user=PGBOUNCER_USER if os.geteuid() == 0 else None,
    )
    _wait_for_port(child)
    netloc = f"{target.username or 'postgres'}@127.0.0.1:{port}"
    return child, urlunsplit(target._replace(netloc=netloc))


def app_server(
    cluster: Cluster, name: str, *, env: dict, workers: int, threads: int
) -> Child:
    """gunicorn with more threads per worker than HAProxy sends requests to the
    whole server, so every worker keeps one free for the health check, which
    would otherwise wait behind long requests and fail."""
    port = free_port()
    child = cluster.start(
        name,
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            f"--workers={workers}",
            f"--threads={threads}",
            # Two servers on one machine must not share gunicorn's control socket.
            "--no-control-socket",
            f"--bind=127.0.0.1:{port}",
            "--timeout=120",
        ],
        env=env,
        port=port,
    )
    _wait_for_port(child)
    return child


def job_worker(cluster: Cluster, name: str, *, env: dict) -> Child:
    return cluster.start(
        name,
        [
            sys.executable,
            "manage.py",
            "run_worker",
            f"--worker-id={name}",
            "--interval=0.5",
            "--no-startup-delay",
        ],
        env=env,
    )


def haproxy(cluster: Cluster, servers: list[Child], *, per_server: int) -> Child:
    """HAProxy: round robin over the servers, each health-checked on /health/.

    At most `per_server` requests go to a server at once (its gunicorn workers);
    the rest wait in HAProxy's queue, which health checks skip.
    """
    port = free_port()
    stats = cluster.config / "haproxy.sock"
    config = cluster.config / "haproxy.cfg"
    config.write_text(
        "\n".join(
            [
                "global",
                "    maxconn 512",
                # One line per request in haproxy.log: which server, how it ended.
                "    log stdout format raw local0",
                f"    stats socket {stats} mode 600 level admin",
                "defaults",
                "    mode http",
                "    log global",
                "    option httplog",
                "    timeout connect 2s",
                "    timeout client 180s",
                "    timeout server 180s",
                "    timeout queue 180s",
                "    timeout check 5s",
                # A refused connection (a dead server) is tried again at once
                # on another server, until the health check sees it down.
                "    retries 3",
                "    option redispatch 1",
                "frontend segmenta",
                f"    bind 127.0.0.1:{port}",
                "    option forwardfor",
                "    default_backend app_servers",
                "backend app_servers",
                "    balance roundrobin",
                "    option httpchk",
                "    http-check send meth GET uri /health/ ver HTTP/1.1 "
                "hdr Host 127.0.0.1",
                "    http-check expect status 200",
                # A connection refused to a request (a dead server) takes the
                # server out at once, not only after three failed checks.
                "    default-server inter 1s fall 3 rise 2 "
                "observe layer4 error-limit 1 on-error mark-down",
                *(
                    f"    server {server.name} 127.0.0.1:{server.port} check "
                    f"maxconn {per_server}"
                    for server in servers
                ),
                "",
            ]
        )
    )
    child = cluster.start(
        "haproxy",
        [shutil.which("haproxy") or "/usr/sbin/haproxy", "-db", "-f", str(config)],
        port=port,
    )
    _wait_for_port(child)
    return child


def server_states(cluster: Cluster) -> dict[str, dict[str, str]]:
    """HAProxy's view of each app server: status (UP/DOWN) and requests sent to it."""
    with socket.socket(socket.AF_UNIX) as stats:
        stats.connect(str(cluster.config / "haproxy.sock"))
        stats.sendall(b"show stat\n")
        answer = b""
        while chunk := stats.recv(65536):
            answer += chunk
    lines = answer.decode().splitlines()
    header = lines[0].lstrip("# ").split(",")
    rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:]]
    return {
        row["svname"]: row
        for row in rows
        if row.get("pxname") == "app_servers"
        and row.get("svname") not in ("BACKEND", "FRONTEND")
    }


def _wait_for_port(child: Child, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.process.poll() is not None:
            raise RuntimeError(f"{child.name} exited; see {child.log}")
        try:
            socket.create_connection(("127.0.0.1", child.port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{child.name} did not start listening; see {child.log}")
