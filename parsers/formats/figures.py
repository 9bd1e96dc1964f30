"""Build a `Fact` from one printed cell: the shared step of every parser."""

from __future__ import annotations

import datetime as dt

from parsers.facts import Document, Fact, Kind, Locator, ParseError, RequestType, Status, Unit
from parsers.normalise.countries import country_iso2
from parsers.normalise.values import CellValue, UnreadableCell, parse_number_cell


def figure(
    doc: Document,
    *,
    period: tuple[dt.date, dt.date],
    country_raw: str,
    request_type: RequestType,
    request_type_raw: str,
    metric: str,
    unit: Unit,
    raw: object,
    locator: Locator,
    kind: Kind,
    is_total: bool = False,
    counts_toward_total: bool = True,
    country_code_hint: str | None = None,
    cell: CellValue | None = None,
    note: str = "",
    extra: dict[str, str] | None = None,
) -> Fact:
    """One fact from one cell. `raw` is the cell as printed; `cell` overrides reading it (e.g. two-column bands)."""
    if cell is None:
        try:
            cell = parse_number_cell(raw, percent=unit is Unit.PERCENT)
        except UnreadableCell as e:
            raise ParseError(doc, f"{locator.render()}: {e}") from e
    if unit is Unit.PERCENT and cell.high is not None and not (0 <= (cell.low or 0) <= cell.high <= 100):
        raise ParseError(doc, f"{locator.render()}: percentage {raw!r} outside 0-100")
    if cell.low is not None and cell.high is not None and cell.low > cell.high:
        raise ParseError(doc, f"{locator.render()}: band {raw!r} has low > high")
    notes = "; ".join(n for n in (cell.note, note) if n)
    raw_text = "" if raw is None else str(raw)
    return Fact(
        company=doc.company,
        series=doc.series,
        period_start=period[0],
        period_end=period[1],
        country_iso2=country_iso2(country_raw, country_code_hint) if (country_raw or country_code_hint) else None,
        country_raw=country_raw,
        request_type=request_type,
        request_type_raw=request_type_raw,
        metric=metric,
        unit=unit,
        value=cell.value,
        value_low=cell.low,
        value_high=cell.high,
        status=cell.status,
        is_total=is_total,
        source_url=doc.url,
        document_sha256=doc.sha256,
        locator=locator,
        raw_text=raw_text,
        kind=kind,
        counts_toward_total=counts_toward_total,
        note=notes,
        extra=dict(extra or {}),
    )


__all__ = ["Status", "figure"]
