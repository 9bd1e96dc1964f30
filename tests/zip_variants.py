"""Shared by the tests of parsers that read ZIPs of CSVs: find a fact by its cell, and make synthetic variants
of a real ZIP (members re-zipped after an edit) to check that cosmetic changes parse and real ones are refused."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import zipfile
from collections.abc import Callable

from parsers.facts import Document, Fact

Change = Callable[[dict[str, bytes]], dict[str, bytes]]


def at(facts: list[Fact], member: str, row: int, column: str) -> Fact:
    hits = [f for f in facts if (f.locator.member, f.locator.row, f.locator.column) == (member, row, column)]
    assert len(hits) == 1, f"{len(hits)} facts at {member} row {row} {column}"
    return hits[0]


def rebuilt(doc: Document, change: Change) -> Document:
    """A synthetic variant: the real ZIP's members, changed by `change`, zipped again."""
    with zipfile.ZipFile(io.BytesIO(doc.data)) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in change(members).items():
            zf.writestr(name, data)
    data = buf.getvalue()
    return dataclasses.replace(doc, data=data, sha256=hashlib.sha256(data).hexdigest())


def edit_csv(member: str, edit: Callable[[list[list[str]]], list[list[str]]]) -> Change:
    """A change that rewrites one CSV member's rows with `edit`."""
    def change(members: dict[str, bytes]) -> dict[str, bytes]:
        rows = list(csv.reader(io.StringIO(members[member].decode("utf-8"))))
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(edit(rows))
        return {**members, member: out.getvalue().encode("utf-8")}
    return change
