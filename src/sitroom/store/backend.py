"""The store's two database backends behind one connection: SQLite (a file, the default) and
PostgreSQL (a ``postgresql://`` URL, through psycopg 3, the optional extra ``sitroom[postgres]``).

The store's SQL, its schema and migrations included, is written once, in the dialect SQLite and
PostgreSQL share, with SQLite's ``?`` placeholders. Every difference between the two is here:

- placeholders (``?`` becomes ``%s``; a literal ``%`` is doubled);
- ``INSERT OR IGNORE`` (``ON CONFLICT DO NOTHING``);
- ``lastrowid`` of an INSERT into a table keyed by ``id INTEGER PRIMARY KEY`` (``RETURNING id``);
- the schema's types: SQLite's 64-bit INTEGER is BIGINT, an ``id INTEGER PRIMARY KEY`` an
  identity column, REAL is DOUBLE PRECISION, TEXT sorts by code point (``COLLATE "C"``, as
  SQLite's BINARY does, so orders and keyset cursors are the same on both), and a CHECK that
  adds booleans adds them as integers;
- transactions: SQLite's ``BEGIN IMMEDIATE`` takes the one write lock; PostgreSQL's write
  transaction takes a transaction-level advisory lock per schema, so writers (two ``analyze``
  processes, ``watch``, the server) take turns exactly as on SQLite, and a read transaction is
  a REPEATABLE READ snapshot;
- which tables exist, pragmas, and the revision a reader polls for changes.

A PostgreSQL connection is wrapped (``PgConnection``) to look like the ``sqlite3`` connection the
store was written for: ``execute``/``executemany``, rows read by index or column name,
``lastrowid``, ``rowcount``, ``in_transaction``.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from sitroom.errors import StoreError

if TYPE_CHECKING:
    import psycopg

SCHEMES = ("postgresql://", "postgres://")


# A row read by position or by column name, iterated or unpacked: ``sqlite3.Row`` or ``PgRow``.
Row = Any


class Cursor(Protocol):
    """What the store reads of a cursor."""

    @property
    def lastrowid(self) -> int | None: ...

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """What the store uses of a connection: ``sqlite3.Connection`` or ``PgConnection``."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Any: ...

    @property
    def in_transaction(self) -> bool: ...

    def close(self) -> None: ...


def is_url(target: object) -> bool:
    """Whether ``target`` names a PostgreSQL database (a URL) rather than an SQLite file."""
    return str(target).startswith(SCHEMES)


def redacted(target: str) -> str:
    """A database name fit for messages: a URL's password is left out."""
    if not is_url(target):
        return target
    parts = urlsplit(target)
    if parts.password is None:
        return target
    host = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def database_errors() -> tuple[type[Exception], ...]:
    """The exception classes a database call may raise (psycopg's where it is installed)."""
    try:
        import psycopg
    except ImportError:
        return (sqlite3.Error,)
    return (sqlite3.Error, psycopg.Error)


def is_postgres(conn: Connection) -> bool:
    return isinstance(conn, PgConnection)


# -- transactions and the catalogue ------------------------------------------------------------


def begin(conn: Connection, *, write: bool) -> None:
    """Begin a transaction: a write one holds the database's write lock until it ends."""
    if not is_postgres(conn):
        conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
    elif write:
        conn.execute("BEGIN")
        # One writer at a time per schema, as on SQLite: released by COMMIT or ROLLBACK.
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('sitroom:' || current_schema()))")
    else:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")


# SQLite's page cache while ``Store.rebuild`` runs (KiB; the default is 2,000): the picture's
# indexes take keys in no order, and a larger cache keeps their pages at hand.
BULK_CACHE_KIB = 262_144


@contextmanager
def bulk_cache(conn: Connection) -> Iterator[None]:
    """A larger page cache for the block (SQLite; PostgreSQL's is the server's)."""
    if is_postgres(conn):
        yield
        return
    before = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(before)}")


def tables(conn: Connection) -> set[str]:
    """The names of the tables the database (on PostgreSQL: the current schema) holds."""
    if is_postgres(conn):
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type='table'"
    return {str(row[0]) for row in conn.execute(sql)}


def revision(conn: Connection) -> tuple[int, ...]:
    """A value that changes whenever anything is committed, by this connection or another.

    SQLite: ``data_version`` (other connections' commits) and ``total_changes`` (this one's).
    PostgreSQL: the current snapshot (xmin, xmax and the transactions in progress), which moves
    whenever a transaction that wrote anything (in any database of the server) ends; a change
    elsewhere only costs the reader a needless reload.
    """
    if isinstance(conn, PgConnection):
        text = str(conn.execute("SELECT pg_current_snapshot()::text").fetchone()[0])
        return tuple(int(x) for x in re.split(r"[:,]", text) if x)
    assert isinstance(conn, sqlite3.Connection)
    version = conn.execute("PRAGMA data_version").fetchone()[0]
    return int(version), conn.total_changes


# -- PostgreSQL ----------------------------------------------------------------------------------


class PgRow(tuple[Any, ...]):
    """A PostgreSQL row read by position or by column name, like ``sqlite3.Row``."""

    _names: dict[str, int]

    def __new__(cls, values: Sequence[Any], names: dict[str, int]) -> PgRow:
        row = super().__new__(cls, values)
        row._names = names
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor: Any) -> Any:
    description = cursor.description
    if description is None:
        return tuple
    names = {column.name: i for i, column in enumerate(description)}
    return lambda values: PgRow(values, names)


class PgCursor:
    """A psycopg cursor with ``lastrowid``, as ``sqlite3.Cursor`` has."""

    def __init__(self, cursor: psycopg.Cursor[Any], lastrowid: int | None) -> None:
        self._cursor = cursor
        self.lastrowid = lastrowid

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cursor)


class PgConnection:
    """A psycopg connection (autocommit: transactions are begun and ended by the store's own
    statements) that takes the store's SQLite-dialect SQL."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn

    def execute(self, sql: str, parameters: Any = ()) -> PgCursor:
        text, returning = translate(sql)
        # Never None: psycopg would then send the text as it is, a doubled % included.
        cursor = self._conn.execute(text, parameters)
        lastrowid = None
        if returning:
            row = cursor.fetchone()
            lastrowid = None if row is None else int(row[0])
        return PgCursor(cursor, lastrowid)

    def executemany(self, sql: str, parameters: Iterable[Any]) -> PgCursor:
        text, _ = translate(sql, returning=False)
        # Read the parameters first: a generator may query this connection, which psycopg's
        # executemany (a pipeline) would wait on for ever.
        rows = list(parameters)
        cursor = self._conn.cursor()
        if rows:
            cursor.executemany(text, rows)
        return PgCursor(cursor, None)

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self._conn.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self._conn.close()


def connect_postgres(url: str, *, read_only: bool, timeout: float) -> PgConnection:
    """Connect to the PostgreSQL database at ``url``; ``timeout`` (seconds) bounds both the
    connection and each wait for another writer's lock."""
    try:
        import psycopg
    except ImportError as e:
        raise StoreError(
            f"{redacted(url)}: PostgreSQL needs psycopg: pip install 'sitroom[postgres]'"
        ) from e
    conn = psycopg.connect(
        url,
        autocommit=True,
        row_factory=_row_factory,
        connect_timeout=max(1, round(timeout)),
    )
    try:
        conn.execute(f"SET lock_timeout = {max(1, round(timeout * 1000))}")
        conn.execute("SET default_transaction_read_only = " + ("on" if read_only else "off"))
    except psycopg.Error:
        conn.close()
        raise
    return PgConnection(conn)


# -- translating SQL -----------------------------------------------------------------------------

# The tables keyed by ``id INTEGER PRIMARY KEY``: an INSERT into one of them returns its id.
_ID_TABLE = re.compile(r"CREATE TABLE (\w+) \(\s*id INTEGER PRIMARY KEY", re.IGNORECASE)
_INSERT_INTO = re.compile(r"^\s*INSERT\s+(?:OR\s+IGNORE\s+)?INTO\s+(\w+)", re.IGNORECASE)
_OR_IGNORE = re.compile(r"^(\s*INSERT)\s+OR\s+IGNORE(\s+INTO)", re.IGNORECASE)


@functools.cache
def _id_tables() -> frozenset[str]:
    from sitroom.store.schema import MIGRATIONS

    return frozenset(m.group(1) for _, script in MIGRATIONS for m in _ID_TABLE.finditer(script))


@functools.lru_cache(maxsize=1024)
def translate(sql: str, *, returning: bool = True) -> tuple[str, bool]:
    """The store's SQL for PostgreSQL, and whether it was made to return the new row's id."""
    text = _placeholders(sql)
    if _OR_IGNORE.match(text):
        text = _OR_IGNORE.sub(r"\1\2", text).rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
    insert = _INSERT_INTO.match(sql)
    wants_id = (
        returning
        and insert is not None
        and insert.group(1) in _id_tables()
        and "RETURNING" not in sql.upper()
    )
    if wants_id:
        text = text.rstrip().rstrip(";") + " RETURNING id"
    return text, wants_id


def _placeholders(sql: str) -> str:
    """``?`` outside quotes as ``%s``; every ``%`` doubled (psycopg reads them everywhere)."""
    out: list[str] = []
    quote: str | None = None
    for char in sql:
        if char == "%":
            out.append("%%")
        elif quote is not None:
            out.append(char)
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
            out.append(char)
        elif char == "?":
            out.append("%s")
        else:
            out.append(char)
    return "".join(out)


_COMMENT = re.compile(r"--[^\n]*")
_ID_COLUMN = re.compile(r"\bid INTEGER PRIMARY KEY\b")
_BOOL_SUM = re.compile(r"\((\w+ IS NOT NULL)\)(?=\s*[+=])")


def schema_statement(conn: Connection, statement: str) -> str:
    """A statement of a migration script in the connection's dialect."""
    if not is_postgres(conn):
        return statement
    text = _COMMENT.sub("", statement)
    text = _ID_COLUMN.sub("id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", text)
    text = re.sub(r"\bINTEGER\b", "BIGINT", text)
    text = re.sub(r"\bREAL\b", "DOUBLE PRECISION", text)
    text = re.sub(r"\bTEXT\b", 'TEXT COLLATE "C"', text)
    return _BOOL_SUM.sub(r"(\1)::int", text)
