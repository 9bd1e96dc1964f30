"""A series' table rows declared as a small text table (`declare_rows`), and printed rows matched to them in
order (`match_rows`); a new label is set apart, unless the row after it may belong to it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from parsers.facts import Document, Kind, ParseError, RequestType, Unit
from parsers.formats.pdf_block_rows import BlockRow
from parsers.formats.pdf_printed import label_key


@dataclass(frozen=True, slots=True)
class RowSpec:
    """A declared table row: the labels it is printed under, and what its figures count.

    `id` None declares a heading printed without figures. `parts` names the rows this one is the printed total
    of (checked by tests, flagged `is_total`)."""

    id: str | None
    labels: tuple[str, ...]
    type: RequestType = RequestType.LEGAL_PROCESS
    raw: str = ""  # request_type_raw: the row's place in its table, as printed
    metric: str = "requests"
    unit: Unit = Unit.REQUESTS
    kind: Kind = Kind.USER_DATA
    parts: tuple[str, ...] = ()


def declare_rows(table: str, **defaults: str) -> tuple[RowSpec, ...]:
    """Row declarations written as a table, one row a line, fields split by "|":
    id (or "-" for a heading) | labels, spellings split by "~" | request type | request_type_raw | parts (ids
    split by spaces) | metric | unit | kind; a line starting with "|" or "~" goes on with the line before. Empty or
    missing fields take `defaults` (type, raw, metric, unit,
    kind: the enums' values, e.g. type="subpoena", unit="selectors", kind="national-security")."""
    rows: list[RowSpec] = []
    names = ("id", "labels", "type", "raw", "parts", "metric", "unit", "kind")
    joined: list[str] = []
    for line in table.strip().splitlines():  # a line starting with "|" or "~" goes on with the line before
        if line.strip().startswith(("|", "~")) and joined:
            joined[-1] += " " + line.strip()
        elif line.strip() and not line.lstrip().startswith("#"):
            joined.append(line)
    for line in joined:
        given = dict(zip(names, (f.strip() for f in line.split("|")), strict=False))
        f = {k: given.get(k) or defaults.get(k, "") for k in names}
        labels = tuple(x.strip() for x in f["labels"].split("~"))
        if f["id"] == "-":
            rows.append(RowSpec(None, labels))
            continue
        rows.append(RowSpec(f["id"], labels, RequestType(f["type"] or "legal_process"), f["raw"] or labels[0],
                            f["metric"] or "requests", Unit(f["unit"] or "requests"), Kind(f["kind"] or "user-data"),
                            tuple(f["parts"].split())))
    return tuple(rows)


def row_labels(specs: Iterable[RowSpec]) -> list[str]:
    return [x for spec in specs for x in spec.labels]


def match_rows(doc: Document, title: str, rows: Sequence[BlockRow], declared: Sequence[RowSpec],
               group: Callable[[str], bool] | None = None,
               unknown: list[BlockRow] | None = None) -> list[tuple[BlockRow, RowSpec, str]]:
    """Each printed row with its declaration, and the group heading (a country) it stands under.

    Labels repeat ("Historic", "Customer Selectors Targeted"), so rows are matched in declared order: each
    printed row takes the first declaration at or after the previous one's that lists its label. Under a `group`
    heading (a figure-less row for which `group` holds) any declared row may follow, in any order. A heading
    with figures, or a row the declarations do not list where it stands, is refused.

    A new row (a label with figures no declaration lists) goes to `unknown` (without it: refused), unless the row
    after it is printed under a label several declarations share ("Customer Selectors Targeted" belongs to the
    row above it): then nothing says whether it belongs to the new row, and the table is refused.
    """
    out: list[tuple[BlockRow, RowSpec, str]] = []
    keys = [{label_key(x) for x in spec.labels} for spec in declared]
    i, current = 0, ""
    after: BlockRow | None = None  # the new row just before
    for br in rows:
        if group is not None and not br.cells and group(br.label):
            current, after = br.label, None
            continue
        if not br.known:
            if unknown is None:
                raise ParseError(doc, f"page {br.page}: row {br.label!r} of {title!r} is not a known row")
            unknown.append(br)
            after = br
            continue
        if after is not None and sum(label_key(br.label) in k for k in keys) > 1:
            raise ParseError(doc, f"page {br.page}: row {br.label!r} of {title!r} follows the new row "
                                  f"{after.label!r} and may belong to it")
        after = None
        key = re.sub(r"(?<=[a-z])\d$", "", label_key(br.label)) if not any(
            label_key(br.label) in k for k in keys) else label_key(br.label)
        start = 0 if current else i
        hit = next((j for j in range(start, len(declared)) if key in keys[j]), None)
        if hit is None:
            raise ParseError(doc, f"page {br.page}: row {br.label!r} of {title!r} is not where the layout has it")
        i, spec = hit + 1, declared[hit]
        if spec.id is None and br.cells:
            raise ParseError(doc, f"page {br.page}: heading {br.label!r} of {title!r} carries figures")
        if spec.id is not None:
            out.append((br, spec, current))
    return out
