"""Opening the metadata store: one SQLite file, versioned schema, transactions.

The schema lives in ``infra_lab/sql/schema.sql`` as numbered blocks (``-- version: N``).
A new file gets every block; an older store gets the blocks above its ``PRAGMA
user_version`` (a migration), each in one transaction. A store written by a *newer*
``infra_lab`` (higher version), or a file that is not an intact SQLite database, is refused
before anything is written to it: the checks run on a read-only connection.

Connections run with foreign keys on, WAL journaling (readers never block the one writer)
and a busy timeout, so a second process that wants to write waits instead of failing at once.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from infra_lab._checks import number, require, text

__all__ = ["MetadataStore", "open_store", "SCHEMA_VERSION"]

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "sql" / "schema.sql"
_HEADER = b"SQLite format 3\x00"


def schema_blocks(sql: str | None = None) -> dict[int, str]:
    """The schema file split into ``{version: sql}`` blocks, in order (see module docstring)."""
    sql = SCHEMA_PATH.read_text(encoding="utf-8") if sql is None else sql
    parts = re.split(r"^-- version: (\d+)\s*$", sql, flags=re.M)
    blocks = {int(v): body for v, body in zip(parts[1::2], parts[2::2])}
    if list(blocks) != list(range(1, len(blocks) + 1)):
        raise RuntimeError(f"{SCHEMA_PATH}: versions must be 1, 2, 3, … in order; found {list(blocks)}")
    return blocks


#: The schema version this library writes (the highest block of schema.sql).
SCHEMA_VERSION = max(schema_blocks())


class MetadataStore:
    """An open metadata store: the SQLite connection plus who is writing.

    Use :func:`open_store` to get one; close it with ``store.close()`` or a ``with`` block.

    Parameters
    ----------
    path : str
        The file (or ``":memory:"``).
    connection : sqlite3.Connection
        Autocommit connection; writes go through :meth:`transaction`.
    actor : str
        Who the audit log names for every write made through this store.
    timeout_s : float
        How long a write waits for another process's write to finish.

    See Also
    --------
    open_store : opens (creates, migrates or refuses) a store.
    """

    def __init__(self, path: str, connection: sqlite3.Connection, actor: str, timeout_s: float) -> None:
        self.path, self.connection, self.actor, self.timeout_s = path, connection, actor, timeout_s
        self._depth = 0

    def __repr__(self) -> str:
        return f"MetadataStore(path={self.path!r}, actor={self.actor!r})"

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All writes inside commit together or not at all; nested blocks join the outer one."""
        con = self.connection
        if self._depth == 0:
            try:
                con.execute("BEGIN IMMEDIATE")  # take the write lock now: no upgrade deadlock later
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    raise TimeoutError(
                        f"the store {self.path} was locked by another writer for longer than "
                        f"timeout_s={self.timeout_s:g}; retry, or open it with a longer timeout_s") from exc
                raise
        self._depth += 1
        try:
            yield con
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                con.execute("ROLLBACK")
            raise
        self._depth -= 1
        if self._depth == 0:
            con.execute("COMMIT")

    def query(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        """Rows of a parameterised read (``?`` placeholders only)."""
        return self.connection.execute(sql, params).fetchall()

    def close(self) -> None:
        """Close the connection (the file stays)."""
        self.connection.close()

    def __enter__(self) -> "MetadataStore":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _refuse_unusable_file(path: Path) -> None:
    """Refuse a corrupt or newer-version file using a read-only connection: nothing is written."""
    with open(path, "rb") as fh:
        header = fh.read(len(_HEADER))
    if header != _HEADER:
        raise ValueError(f"path={str(path)!r}: is not an SQLite database (its first bytes are "
                         f"{header[:16]!r}); pass a new file name, or restore the store from a backup")
    try:
        # With no -wal file beside it nobody is writing: read it as immutable, which creates no
        # -shm/-wal files either. Otherwise a plain read-only connection joins the live store.
        live = Path(str(path) + "-wal").exists()
        ro = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro{'' if live else '&immutable=1'}", uri=True)
        try:
            version = ro.execute("PRAGMA user_version").fetchone()[0]
            check = ro.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            ro.close()
    except sqlite3.DatabaseError as exc:
        raise ValueError(f"path={str(path)!r}: the store is corrupt ({exc}); restore it from a backup "
                         "or open a new file") from exc
    if check != "ok":
        raise ValueError(f"path={str(path)!r}: the store failed PRAGMA quick_check ({check}); "
                         "restore it from a backup or open a new file")
    if version > SCHEMA_VERSION:
        raise ValueError(f"path={str(path)!r}: the store has schema version {version}, newer than the "
                         f"{SCHEMA_VERSION} this infra_lab understands; upgrade infra_lab to open it "
                         "(nothing was written)")


def _migrate(store: MetadataStore) -> None:
    con = store.connection
    for version, sql in schema_blocks().items():
        with store.transaction():
            # Re-read inside the write lock: another process may have migrated meanwhile.
            if con.execute("PRAGMA user_version").fetchone()[0] >= version:
                continue
            for statement in _statements(sql):
                con.execute(statement)
            con.execute(f"PRAGMA user_version = {int(version)}")  # PRAGMA takes no parameters


def _statements(sql: str) -> list[str]:
    """Split a schema block into statements (``sqlite3.complete_statement`` handles triggers)."""
    out, buf = [], ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip() and not all(l.strip().startswith("--") or not l.strip() for l in buf.splitlines()):
                out.append(buf.strip())
            buf = ""
    return out


def open_store(path: str | Path, timeout_s: float = 5.0, actor: str = "course") -> MetadataStore:
    """Open the metadata store at ``path``, creating or migrating it; refuse what it cannot use.

    Parameters
    ----------
    path : str or pathlib.Path
        The SQLite file (created on first use), or ``":memory:"`` for a throw-away store.
    timeout_s : float, default 5.0
        Seconds a write waits for another process's write lock (SQLite busy timeout); in
        (0, 86400].
    actor : str, default "course"
        Who the audit log names for the writes made through this store.

    Returns
    -------
    MetadataStore

    Raises
    ------
    ValueError
        The file is not an SQLite database, fails ``PRAGMA quick_check``, or has a schema
        version newer than :data:`SCHEMA_VERSION`. Nothing is written to it.

    See Also
    --------
    build_example_store : a store filled with one complete provenance chain.
    table_counts : rows per table, to see what a store holds.

    References
    ----------
    SQLite documentation, *Write-Ahead Logging* (wal.html), Section 2.2 "Concurrency";
    *PRAGMA user_version* and *PRAGMA foreign_keys* (pragma.html).

    Examples
    --------
    >>> store = open_store(":memory:")
    >>> store.query("PRAGMA user_version")[0][0] == SCHEMA_VERSION
    True
    >>> store.query("PRAGMA foreign_keys")[0][0]
    1
    """
    if isinstance(path, Path):
        path = str(path)
    path = text("path", path)
    require("\x00" not in path, "path", path, "must not contain NUL characters")
    t = float(number("timeout_s", timeout_s, low=0.0, high=86_400.0, low_open=True))  # SQLite takes int ms
    actor = checked_text("actor", actor)
    if path != ":memory:":
        file = Path(path)
        require(not file.is_dir(), "path", path, "is a folder; pass a file name such as store.db")
        if file.exists() and file.stat().st_size > 0:
            _refuse_unusable_file(file)
        file.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=t, isolation_level=None, check_same_thread=False)
    con.execute("PRAGMA foreign_keys = ON")
    con.execute(f"PRAGMA busy_timeout = {int(t * 1000)}")
    if path != ":memory:":
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = NORMAL")  # durable at checkpoints; safe with WAL
    store = MetadataStore(path, con, actor, t)
    _migrate(store)
    return store


def checked_text(name: str, value: Any, *, allow_empty: bool = False, max_chars: int | None = None) -> str:
    """A string that SQLite can store as UTF-8 text (no lone surrogates); named errors otherwise."""
    value = text(name, value, allow_empty=allow_empty)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"{name}={value[:40]!r}...: is not valid Unicode text (position {exc.start}); "
                         "decode bytes with the right encoding first") from None
    if max_chars is not None and len(value) > max_chars:
        raise ValueError(f"{name}=<{len(value)} characters>: must be at most {max_chars} characters")
    return value


def check_store(store: Any) -> MetadataStore:
    """Refuse anything but an open :class:`MetadataStore`, by the public name ``store``."""
    if not isinstance(store, MetadataStore):
        raise TypeError(f"store={store!r:.60}: must be a MetadataStore from infra_lab.governance.open_store(path)")
    return store
