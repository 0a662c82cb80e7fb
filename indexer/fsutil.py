"""Durability helpers shared by every writer that publishes a directory atomically
(the index store, the embedded-model cache): flush it all to disk before the rename
that makes it visible, so a crash never exposes a directory with missing bytes.
"""
from __future__ import annotations

import os
from pathlib import Path


def fsync_dir(directory: Path) -> None:
    """Persist a directory's entries (a rename is only durable once its parent is synced)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(root: Path) -> None:
    """fsync every file below ``root``, then every directory, deepest first."""
    for current, _dirs, files in os.walk(root, topdown=False):
        for name in files:
            with open(os.path.join(current, name), "rb") as fh:
                os.fsync(fh.fileno())
        fsync_dir(Path(current))
