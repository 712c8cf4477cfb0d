"""The embedded OCP server's state: OBProxy clusters, OceanBase clusters and obLinks in SQLite."""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..models import ObCluster, ObLink, ObproxyCluster

_SCHEMA = """
CREATE TABLE IF NOT EXISTS obproxy_clusters (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    address TEXT,
    port INTEGER,
    config_url TEXT,
    work_mode TEXT NOT NULL DEFAULT 'CONFIG_URL',
    create_time TEXT NOT NULL,
    update_time TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ob_clusters (
    id INTEGER PRIMARY KEY,
    -- OceanBase 3.x primary and standby clusters share a name; obClusterId tells them apart.
    name TEXT NOT NULL,
    ob_cluster_id INTEGER NOT NULL,
    type TEXT NOT NULL DEFAULT 'PRIMARY',
    status TEXT NOT NULL DEFAULT 'RUNNING',
    ob_version TEXT,
    UNIQUE (name, ob_cluster_id)
);
CREATE TABLE IF NOT EXISTS ob_links (
    obproxy_cluster_id INTEGER NOT NULL REFERENCES obproxy_clusters(id),
    cluster_name TEXT NOT NULL,
    ob_cluster_id INTEGER NOT NULL,
    username TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (obproxy_cluster_id, cluster_name)
);
CREATE TABLE IF NOT EXISTS request_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    status INTEGER NOT NULL,
    trace_id TEXT NOT NULL,
    body TEXT,
    fault TEXT
);
"""


@dataclass(frozen=True)
class LoggedRequest:
    """One request the server answered, for tests that count calls."""

    method: str
    path: str
    status: int
    trace_id: str
    body: Any = None
    """The request's JSON body as the server understood it, for writes."""
    fault: str | None = None
    """The fault injected into this request, if any; its status is 0 when no answer came."""


def now_text() -> str:
    """A timestamp as OCP writes them: milliseconds and a numeric offset."""
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


class OcpStore:
    """Thread-safe SQLite state, in memory by default or in a file that outlives the process."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._lock = threading.Lock()
        target = ":memory:" if path is None else str(path)
        self._db = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        with self._lock:
            self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # Seeding

    def is_empty(self) -> bool:
        with self._lock:
            row = self._db.execute("SELECT COUNT(*) FROM obproxy_clusters").fetchone()
        return bool(row[0] == 0)

    def seed(self, data: dict[str, Any]) -> None:
        """Loads `obClusters`, `obproxyClusters` (each with optional `obLinks`) from seed data."""
        ob_clusters = [ObCluster.model_validate(item) for item in data.get("obClusters", [])]
        proxies = data.get("obproxyClusters", [])
        stamp = now_text()
        with self._lock, self._db:
            self._db.execute("BEGIN")
            for ob in ob_clusters:
                self._db.execute(
                    "INSERT INTO ob_clusters (id, name, ob_cluster_id, type, status, ob_version)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        ob.id,
                        ob.name,
                        ob.ob_cluster_id,
                        ob.type or "PRIMARY",
                        ob.status or "RUNNING",
                        ob.ob_version,
                    ),
                )
            for item in proxies:
                proxy = ObproxyCluster.model_validate(item)
                self._db.execute(
                    "INSERT INTO obproxy_clusters (id, name, address, port, config_url, work_mode,"
                    " create_time, update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        proxy.id,
                        proxy.name,
                        proxy.address,
                        proxy.port,
                        proxy.config_url,
                        item.get("workMode", "CONFIG_URL"),
                        stamp,
                        stamp,
                    ),
                )
                for position, link in enumerate(proxy.ob_links):
                    self._insert_link(proxy.id, link, position)

    def seed_file(self, path: str | Path) -> None:
        self.seed(json.loads(Path(path).read_text(encoding="utf-8")))

    # Reads

    def obproxy_cluster(self, obproxy_cluster_id: int) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute(
                "SELECT * FROM obproxy_clusters WHERE id = ?", (obproxy_cluster_id,)
            ).fetchone()
            if row is None:
                return None
            return self._proxy_record(row)

    def obproxy_clusters(self, offset: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        with self._lock:
            total = self._db.execute("SELECT COUNT(*) FROM obproxy_clusters").fetchone()[0]
            rows = self._db.execute(
                "SELECT * FROM obproxy_clusters ORDER BY id LIMIT ? OFFSET ?", (limit, offset)
            ).fetchall()
            return [self._proxy_record(row) for row in rows], int(total)

    def ob_clusters_named(self, name: str) -> list[ObCluster]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM ob_clusters WHERE name = ? ORDER BY id", (name,)
            ).fetchall()
        return [self._ob_record(row) for row in rows]

    def ob_clusters(
        self, offset: int, limit: int, name: str | None = None
    ) -> tuple[list[ObCluster], int]:
        where, args = "", []
        if name:
            where, args = "WHERE instr(lower(name), lower(?)) > 0", [name]
        with self._lock:
            total = self._db.execute(f"SELECT COUNT(*) FROM ob_clusters {where}", args).fetchone()
            rows = self._db.execute(
                f"SELECT * FROM ob_clusters {where} ORDER BY id LIMIT ? OFFSET ?",
                [*args, limit, offset],
            ).fetchall()
        return [self._ob_record(row) for row in rows], int(total[0])

    def links(self, obproxy_cluster_id: int) -> list[ObLink]:
        with self._lock:
            return self._links(obproxy_cluster_id)

    # Writes

    def add_links(self, obproxy_cluster_id: int, links: list[ObLink]) -> None:
        """Adds all links or none of them."""
        with self._lock, self._db:
            self._db.execute("BEGIN")
            start = self._db.execute(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM ob_links WHERE obproxy_cluster_id = ?",
                (obproxy_cluster_id,),
            ).fetchone()[0]
            for offset, link in enumerate(links):
                self._insert_link(obproxy_cluster_id, link, start + offset)
            self._touch(obproxy_cluster_id)

    def rename_obproxy_cluster(self, obproxy_cluster_id: int, name: str) -> None:
        """Renames an OBProxy cluster, as an operator can in OCP's console."""
        with self._lock, self._db:
            self._db.execute(
                "UPDATE obproxy_clusters SET name = ? WHERE id = ?", (name, obproxy_cluster_id)
            )
            self._touch(obproxy_cluster_id)

    def remove_link(self, obproxy_cluster_id: int, cluster_name: str) -> bool:
        with self._lock, self._db:
            self._db.execute("BEGIN")
            cursor = self._db.execute(
                "DELETE FROM ob_links WHERE obproxy_cluster_id = ? AND cluster_name = ?",
                (obproxy_cluster_id, cluster_name),
            )
            self._touch(obproxy_cluster_id)
            return cursor.rowcount > 0

    # The request log

    def log_request(
        self,
        method: str,
        path: str,
        status: int,
        trace_id: str,
        body: Any = None,
        fault: str | None = None,
    ) -> None:
        text = None if body is None else json.dumps(body, sort_keys=True)
        with self._lock:
            self._db.execute(
                "INSERT INTO request_log (method, path, status, trace_id, body, fault)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (method, path, status, trace_id, text, fault),
            )

    def requests(self) -> list[LoggedRequest]:
        with self._lock:
            rows = self._db.execute(
                "SELECT method, path, status, trace_id, body, fault FROM request_log ORDER BY seq"
            ).fetchall()
        return [
            LoggedRequest(
                method=row["method"],
                path=row["path"],
                status=row["status"],
                trace_id=row["trace_id"],
                body=None if row["body"] is None else json.loads(row["body"]),
                fault=row["fault"],
            )
            for row in rows
        ]

    def clear_requests(self) -> None:
        with self._lock:
            self._db.execute("DELETE FROM request_log")

    # Internals; callers hold the lock

    def _insert_link(self, obproxy_cluster_id: int, link: ObLink, position: int) -> None:
        self._db.execute(
            "INSERT INTO ob_links (obproxy_cluster_id, cluster_name, ob_cluster_id, username,"
            " position) VALUES (?, ?, ?, ?, ?)",
            (obproxy_cluster_id, link.cluster_name, link.ob_cluster_id, link.username, position),
        )

    def _touch(self, obproxy_cluster_id: int) -> None:
        self._db.execute(
            "UPDATE obproxy_clusters SET update_time = ? WHERE id = ?",
            (now_text(), obproxy_cluster_id),
        )

    def _links(self, obproxy_cluster_id: int) -> list[ObLink]:
        rows = self._db.execute(
            "SELECT l.cluster_name, l.ob_cluster_id, l.username, c.id AS cluster_id, c.status,"
            " c.type FROM ob_links l LEFT JOIN ob_clusters c"
            " ON c.name = l.cluster_name AND c.ob_cluster_id = l.ob_cluster_id"
            " WHERE l.obproxy_cluster_id = ? ORDER BY l.position",
            (obproxy_cluster_id,),
        ).fetchall()
        return [
            ObLink(
                cluster_name=row["cluster_name"],
                ob_cluster_id=row["ob_cluster_id"],
                username=row["username"],
                cluster_id=row["cluster_id"],
                status=row["status"],
                cluster_type=row["type"],
            )
            for row in rows
        ]

    def _proxy_record(self, row: sqlite3.Row) -> dict[str, Any]:
        record = dict(row)
        record["ob_links"] = self._links(int(row["id"]))
        return record

    @staticmethod
    def _ob_record(row: sqlite3.Row) -> ObCluster:
        return ObCluster.model_validate(dict(row))


def synthetic_seed(obproxy_clusters: int, ob_clusters: int) -> dict[str, Any]:
    """Seed data of many clusters, for tests and benchmarks at scale.

    OBProxy cluster `i` is named `obproxy-{i}`; OceanBase cluster `j` is `ob-{j}` with
    obClusterId `100000 + j`. No links exist yet.
    """
    return {
        "obClusters": [
            {"id": j, "name": f"ob-{j}", "obClusterId": 100000 + j, "obVersion": "4.3.5.1"}
            for j in range(1, ob_clusters + 1)
        ],
        "obproxyClusters": [
            {
                "id": i,
                "name": f"obproxy-{i}",
                "address": f"obproxy-{i}.db.example.internal",
                "port": 2883,
            }
            for i in range(1, obproxy_clusters + 1)
        ],
    }
