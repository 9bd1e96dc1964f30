"""Synthetic CSV variants made in a test from a real document's bytes (never stored): the rows as read, changed,
written back."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Callable

from parsers.facts import Document

Rows = list[list[str]]


def rewritten_csv(doc: Document, change: Callable[[Rows], Rows], *, lineterminator: str = "\r\n") -> Document:
    """`doc` with its CSV rows passed through `change` (sha256 "synthetic")."""
    rows = list(csv.reader(io.StringIO(doc.data.decode("utf-8-sig"), newline="")))
    out = io.StringIO()
    csv.writer(out, lineterminator=lineterminator).writerows(change(rows))
    return dataclasses.replace(doc, data=out.getvalue().encode(), sha256="synthetic")
