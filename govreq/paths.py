"""Where things live in a data directory (a module of its own: every command needs it, few need the update)."""

from __future__ import annotations

from pathlib import Path

DB_NAME = "govreq.duckdb"


def db_path(data_dir: Path) -> Path:
    """The warehouse file of a data directory."""
    return Path(data_dir) / DB_NAME
