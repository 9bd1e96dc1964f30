"""The normalised fact: one published figure, with where it was printed and how sure we are of it.

Every parser returns a list of `Fact`. Parsers are pure functions of archived bytes: they get a `Document`
(bytes plus what the archive knows about them) and never touch the network or the warehouse.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from parsers.quick_init import quick_init


class Status(str, enum.Enum):
    """How a value was published. A blank is never a zero."""

    REPORTED = "reported"  # an exact figure was printed
    ZERO = "zero"  # 0 was printed
    NOT_REPORTED = "not_reported"  # the cell was blank: the company said nothing
    NOT_APPLICABLE = "not_applicable"  # "-", "N/A": printed as not applicable (not zero)
    SUPPRESSED = "suppressed"  # "<10" and the like: an interval, the exact figure withheld
    BANDED = "banded"  # "0-249", "500-999": a range, as US national-security figures are
    WITHHELD = "withheld"  # the company says it may not publish it (gag, law) or printed "withheld"


class Unit(str, enum.Enum):
    """What a figure counts. Never add across units."""

    REQUESTS = "requests"
    ACCOUNTS = "accounts"  # users / accounts specified
    ITEMS = "items"  # items / URLs / pieces of content named for removal
    DEVICES = "devices"
    FINANCIAL_IDENTIFIERS = "financial_identifiers"
    SELECTORS = "selectors"
    CUSTOMERS = "customers"
    PERCENT = "percent"  # a percentage, kept on the 0-100 scale as published
    SCORE = "score"  # an outside rating (Ranking Digital Rights), never a count
    HOURS = "hours"  # a duration (the DSA template's median response times), never a count
    RECIPIENTS = "recipients"  # users of a service (the DSA's average monthly active recipients)
    OTHER = "other"


class RequestType(str, enum.Enum):
    """The common taxonomy of request types; the raw label is always kept beside it."""

    ALL = "all"  # every kind of government request together
    LEGAL_PROCESS = "legal_process"  # subpoenas, court orders, warrants, other legal process
    SUBPOENA = "subpoena"
    COURT_ORDER = "court_order"
    SEARCH_WARRANT = "search_warrant"
    EMERGENCY = "emergency"
    PRESERVATION = "preservation"
    DIPLOMATIC = "diplomatic"  # MLAT / letters rogatory / diplomatic channels
    NATIONAL_SECURITY = "national_security"  # FISA, NSL
    CIVIL = "civil"
    CONTENT_REMOVAL = "content_removal"
    ACCOUNT_RESTRICTION = "account_restriction"
    OTHER = "other"


class Kind(str, enum.Enum):
    """The kind of report series (registry) and of fact."""

    USER_DATA = "user-data"
    CONTENT_REMOVAL = "content-removal"
    NATIONAL_SECURITY = "national-security"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Document:
    """One archived file as a parser sees it: its bytes and what the archive recorded about them."""

    data: bytes
    sha256: str
    url: str
    company: str
    series: str
    fetched_at: str = ""  # ISO timestamp of the fetch that stored these bytes
    content_type: str = ""
    archive_path: str = ""  # where the archived copy lives, relative to the data directory

    @property
    def name(self) -> str:
        """A short name for error messages: the URL's last path segment and the hash prefix."""
        tail = self.url.rstrip("/").rsplit("/", 1)[-1] or self.url
        return f"{tail} ({self.sha256[:12]})"


@quick_init
@dataclass(frozen=True, slots=True)
class Locator:
    """Where in the document a cell was printed. Rendered as a compact string in the warehouse."""

    member: str | None = None  # the file inside a ZIP
    sheet: str | None = None  # the sheet of a workbook
    page: int | None = None  # 1-based PDF page
    table: int | None = None  # table index on a page or in an HTML document (1-based)
    row: int | None = None  # 1-based row as a spreadsheet program would number it (header = row 1)
    column: str | None = None  # the column's header as printed (or letter for spreadsheets)
    bbox: tuple[float, float, float, float] | None = None  # PDF cell box: x0, top, x1, bottom (points)

    def render(self) -> str:
        parts: list[str] = []
        if self.member is not None:
            parts.append(f"member={self.member}")
        if self.sheet is not None:
            parts.append(f"sheet={self.sheet}")
        if self.page is not None:
            parts.append(f"page={self.page}")
        if self.table is not None:
            parts.append(f"table={self.table}")
        if self.row is not None:
            parts.append(f"row={self.row}")
        if self.column is not None:
            parts.append(f"column={self.column}")
        if self.bbox is not None:
            parts.append("bbox=" + ",".join(f"{v:.1f}" for v in self.bbox))
        return ";".join(parts)


@quick_init
@dataclass(frozen=True, slots=True)
class Fact:
    """One published figure.

    `value` is set only when the report printed an exact number (status reported or zero, or a derived
    value that says so in `note`). `value_low`/`value_high` always hold the interval the figure is known to lie
    in: equal to `value` for exact figures, the band for bands, 1..9 for "<10", and both None when nothing was
    published.
    """

    company: str
    series: str
    period_start: dt.date
    period_end: dt.date
    country_iso2: str | None  # None for global / not a country (see country_raw)
    country_raw: str  # the label as printed ("" for a company-wide figure)
    request_type: RequestType
    request_type_raw: str
    metric: str  # what is counted, e.g. "requests", "accounts_specified", "percent_some_data_produced"
    unit: Unit
    value: float | None
    value_low: float | None
    value_high: float | None
    status: Status
    is_total: bool  # the row/column is a total printed next to its parts
    source_url: str
    document_sha256: str
    locator: Locator
    raw_text: str  # the cell exactly as printed
    kind: Kind = Kind.USER_DATA
    counts_toward_total: bool = True  # False for rows the report's own notes exclude (e.g. Google preservation)
    note: str = ""  # anything lossy or uncertain about this figure, said plainly
    extra: dict[str, str] = field(default_factory=dict)  # further published dimensions (product, requester...)


class ParseError(Exception):
    """A document could not be parsed. The message names the document and what was wrong."""

    def __init__(self, document: Document | str, problem: str) -> None:
        name = document.name if isinstance(document, Document) else document
        super().__init__(f"{name}: {problem}")
        self.document_name = name
        self.problem = problem


class UnknownLayout(ParseError):
    """The document does not match any layout the parser knows. Loading it would risk wrong numbers."""
