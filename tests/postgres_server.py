"""A throwaway PostgreSQL server for the tests: ``initdb`` and ``pg_ctl start`` in a temporary
folder, on a free loopback port, trusted local connections, no durability (fsync off).

Root may not run a PostgreSQL server, so under root the server runs as the ``postgres`` user that
Debian's ``postgresql`` package creates (through ``runuser``). Each test database is a schema of
its own in one database (``fresh``), named in the URL's ``search_path``, which is what
``sitroom.store`` opens.

``SITROOM_TEST_POSTGRES`` (a ``postgresql://`` URL of a database the tests may create schemas
in) uses an existing server instead of starting one.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

ADMIN = "sitroom"
DATABASE = "sitroom"
_schemas = itertools.count(1)


class PostgresServer:
    """A running server (started here or given) and the database the tests use on it."""

    def __init__(self, url: str, *, folder: Path | None = None, pg_ctl: list[str] | None = None):
        self.url = url
        self._folder = folder
        self._pg_ctl = pg_ctl

    def fresh(self) -> str:
        """The URL of a new, empty schema: a database of its own for one test."""
        import psycopg

        name = f"t{os.getpid()}_{next(_schemas)}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        glue = "&" if "?" in self.url else "?"
        return f"{self.url}{glue}options={quote(f'-csearch_path={name}')}"

    def stop(self) -> None:
        if self._pg_ctl is not None:
            subprocess.run(
                [*self._pg_ctl, "stop", "-m", "immediate"], capture_output=True, check=False
            )
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)


def _bin_dir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: [int(x) for x in re.findall(r"\d+", p)],
    )
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start() -> PostgresServer | str:
    """A server for the tests, or why none can be had."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install 'sitroom[postgres]')"
    given = os.environ.get("SITROOM_TEST_POSTGRES")
    if given:
        return PostgresServer(given)
    bin_dir = _bin_dir()
    if bin_dir is None:
        return "no PostgreSQL server programs (initdb, pg_ctl): apt-get install postgresql"
    as_user: list[str] = []
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run the server as"
        runuser = shutil.which("runuser")
        if runuser is None:
            return "running as root and runuser is missing to run the server as postgres"
        as_user = [runuser, "-u", "postgres", "--"]
    folder = Path(tempfile.mkdtemp(prefix="sitroom-pg-"))
    if as_user:
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    data = folder / "data"
    init = subprocess.run(
        [*as_user, str(bin_dir / "initdb"), "-D", str(data), "-U", ADMIN, "--auth=trust",
         "--no-locale", "-E", "UTF8"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if init.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        return f"initdb failed: {init.stderr.strip()[-500:]}"
    pg_ctl = [*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log")]
    why = ""
    for _ in range(3):  # another process may take the free port before the server does
        port = _free_port()
        options = (
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        started = subprocess.run(
            [*pg_ctl, "-w", "-t", "60", "-o", options, "start"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if started.returncode == 0:
            base = f"postgresql://{ADMIN}@127.0.0.1:{port}"
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {DATABASE}")
            return PostgresServer(f"{base}/{DATABASE}", folder=folder, pg_ctl=pg_ctl)
        log = folder / "log"
        why = log.read_text(errors="replace")[-500:] if log.exists() else started.stderr
    shutil.rmtree(folder, ignore_errors=True)
    return f"pg_ctl start failed: {why.strip()}"
