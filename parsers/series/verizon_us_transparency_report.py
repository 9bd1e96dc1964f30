"""Verizon's US Transparency Report (PDF, 2013 - 2H 2020): a table of US law-enforcement demands and one of
national-security bands, a column per half-year, each reprinting up to three years of past half-years.

Every printed figure is kept with the period of its own column, from this document; which report's figure is
current for a half-year is decided downstream. The figures are US-wide (country US). Not read: the tables of
other countries' demands that the editions 2013 - 1H 2015 print after the US ones (`INTERNATIONAL` pages).
"""

from __future__ import annotations

import dataclasses
import re

from parsers.facts import Document, Fact, ParseError
from parsers.formats import pdf_block_reading as drift
from parsers.formats import pdf_block_tables as blocks
from parsers.formats import pdf_blocks as pdf
from parsers.formats.declarations import Correction
from parsers.formats.interpreter import Reading, strict
from parsers.formats.pdf_blocks import declare_rows, label_key
from parsers.formats.pdf_tables import page_texts, pick_pages

SERIES = (("verizon", "us-transparency-report"),)

# id | labels (spellings split by "~") | request type | request_type_raw | parts | metric | unit | kind
# Until 1H 2019 total orders stand over general, pen-register and wiretap orders. From 2H 2019 there is no
# total-orders row, and "Orders" (later "General Orders") are general orders only (the 2H 2019 report says so).
US_ROWS = declare_rows("""
subpoenas | Subpoenas                  | subpoena       | Subpoenas
orders    | Total Orders               | court_order    | Total Orders            | general pen wiretap
general   | General Orders             | court_order    | General Orders
general   | Orders                     | court_order    | Orders (general orders)
pen       | Pen Registers/ Trap & Trace Orders ~ Pen Register/ Trap & Trace Orders ~ Pen Register/ Trap & Traces
          | court_order | Pen Registers / Trap & Trace Orders
wiretap   | Wiretap Orders ~ Wiretaps  | court_order    | Wiretap Orders
warrants  | Warrants                   | search_warrant | Warrants
emergency | Emergency Requests From Law Enforcement ~ Emergency Requests | emergency
-         | From Law Enforcement
total     | Total                      | all            | Total                   | subpoenas orders warrants emergency
""")  # "From Law Enforcement": the end of "Emergency Requests From Law Enforcement" carried over a page break
_NSL = "nsl | National Security Letters | national_security | National Security Letters | | | | national-security"
# 2013 (the first report): one column, "Orders" over sub-rows printed figure first, and the NSL band.
US_ROWS_2013 = (*US_ROWS[:2], *declare_rows("orders | Orders | court_order | Orders | general pen wiretap"),
                *US_ROWS[2:], *declare_rows(_NSL))
NS_ROWS = declare_rows(f"""
{_NSL}
nsl_selectors             | Number of customer selectors | | National Security Letters | | selectors_targeted | selectors
fisa_content              | FISA Orders (Content)        | | FISA content
fisa_content_selectors    | Number of customer selectors | | FISA content     | | selectors_targeted | selectors
fisa_noncontent           | FISA Orders (Non-Content)    | | FISA non-content
fisa_noncontent_selectors | Number of customer selectors | | FISA non-content | | selectors_targeted | selectors
""", type="national_security", kind="national-security")  # each selectors row belongs to the row above it
# Columns not read, with why: Verizon halved its 2013 full-year figures itself ("we have simply halved those
# numbers ... to provide a more meaningful comparison"): an average, not a count of any half-year.
UNREAD_COLUMN = re.compile(r"(?i)^half of 2013\s*\*?$")
# Columns not read, by position (sha256 prefix, page, 0-based column), with why.
UNREAD_COLUMNS = {
    # 2H 2017: a second "1st Half of 2017" column, figure for figure the same as the one before it; the table
    # never gives the second half of 2017 (the report's text does: "We received 61,211 subpoenas ...").
    ("43359aa60e57", 2, 5): "a repeated '1st Half of 2017' column",
}
# Column headings Verizon misprinted: (sha256 prefix, page, heading) -> (heading meant, why).
_JUNE30 = ("July 1, 2019 – Dec. 31, 2019", "the column after 'Jan 1, 2019– Jun. 30, 2019' is the second half of "
           "2019, as the report's text says")
CORRECTIONS = {("6cfe8fed4491", 5, "June 30, 2019 –Dec. 31 2019"): _JUNE30,
               ("12f13fb09604", 4, "June 30, 2019 –Dec. 31 2019"): _JUNE30,
               ("6dafd21bf494", 4, "June 30, 2019 –Dec. 31 2019"): _JUNE30,
               ("43359aa60e57", 2, "1st Half of 2014"): (
                   "1st Half of 2015", "its figures are the first half of 2015's (the 1H 2015 report prints them), "
                   "and the next column is the second half of 2015"),
               ("99a7704c13e4", 7, "July 1, 2015 – June 30, 2015"): (
                   "Jan. 1, 2015 – June 30, 2015", "the column after 'July 1, 2014 – Dec. 31, 2014' is the first "
                   "half of 2015 (the report's period)")}
# Figures left unread, with why: (sha256 prefix, page, column heading, figure as printed).
UNREAD_FIGURES = {
    ("4794051b4a03", 8, "July 1, 2016 – Dec. 31, 2016", "1000-999"): "a band whose low end is above its high end "
    "(the 2H 2016 report prints 1000-1499 for these NSL selectors)",
    ("83a10e3d5433", 4, "Jan 1, 2016 – Jun. 30, 2016", "2000-1499"): "a band whose low end is above its high end "
    "(the 2H 2016 report prints 2000-2499 for these FISA content selectors)",
}
WITHHELD = "'*': the government imposes a six-month delay on reporting this figure (the report's footnote)"
DOUBLE_COUNTED = ("Verizon's 2H 2019 report says its earlier reports double counted pen register and trap and "
                  "trace orders by also including them in the orders category, and that this table corrects that")
# Pages of the editions 2013 - 1H 2015 on other countries' demands (and website blocking): not read.
INTERNATIONAL = re.compile(r"International Report|transparency\.verizon\.com/international|Outside of the United "
                           r"States|Blocking Demands|\d\(\d+\) \d")  # "23(23)": demands (selectors) by country
SKIP = re.compile(r"^\d{1,2}/\d{1,2}/\d{4} Verizon|^http://transparency\.verizon\.com|^© 20\d\d Verizon")
US_TITLE = label_key("Law Enforcement Demands for Customer Data — United States")
FOOTNOTE = re.compile(r"^\*\s*[A-Za-z]")  # "* The government has imposed a six month delay ..."
US, NS = "US law enforcement demands", "national security demands"
LABELS_END = 90.0  # labels stand left of this (points); figures right of it
_WITHHELD = Correction((blocks.FIGURE,), lambda row, h: row.get(blocks.FIGURE).strip() == "*", WITHHELD)
_DOUBLE = Correction((blocks.FIGURE,), lambda row, h: row.get(blocks.ROW) in ("general", "pen"), DOUBLE_COUNTED)
KNOWN = (blocks.block_known(US, US_ROWS_2013, titles=[US], required=True, corrections=[_WITHHELD]),
         blocks.block_known(NS, NS_ROWS, titles=[NS], corrections=[_WITHHELD]))
DOUBLE_SAID = "double counted Pen Register and Trap and Trace Orders"  # from 2H 2019: said on those rows
KNOWN_2H_2019 = (dataclasses.replace(KNOWN[0], corrections=(_WITHHELD, _DOUBLE)), KNOWN[1])


def _prose(line: pdf.Line) -> bool:  # a segment longer than any label or heading fragment is running text
    return any(len(s.text) > 60 for s in line.segments)


def _table(doc: Document, lines: list[pdf.Line], first: int, last: int) -> list[pdf.BlockRow]:
    return pdf.stacked_table(doc, lines, first, last, pdf.row_labels(US_ROWS + NS_ROWS), left=LABELS_END,
                             is_title=lambda x: label_key(x.text).startswith(US_TITLE), prose=_prose,
                             unread=UNREAD_COLUMN.match, corrections=CORRECTIONS, unread_columns=UNREAD_COLUMNS,
                             suffix=re.compile(r"^\(approx(?:imately)?\)$"))


def _rows_2013(doc: Document, lines: list[pdf.Line], start: int) -> list[pdf.BlockRow]:
    """The first report: one column for 2013 (its title says so), sub-rows printed figure first."""
    end = pdf.find_row(lines, start, "National Security Letters")
    year = re.search(r"\((\d{4})\)$", lines[start].text)
    if end is None or year is None:
        raise ParseError(doc, "2013 layout: no '(2013)' title over a 'National Security Letters' row")
    default = pdf.Column(lines[start].text, pdf.read_period(year[1]), 0.0, 10_000.0, lines[start].page)
    return pdf.block_rows(doc, US, [pdf.figure_first(x) for x in lines[start + 1:end + 1]],
                          pdf.row_labels(US_ROWS_2013), default)


def read(doc: Document) -> Reading:
    texts = page_texts(doc)
    picked = pick_pages(texts, ["Subpoenas", "Warrants"], ["National Security Letters", "selectors"])
    pages = sorted({p for n in picked for p in (n - 1, n, n + 1) if 1 <= p <= len(texts)})
    lines = [line for line in pdf.page_lines(doc, pages, by_baseline=True) if not SKIP.search(line.text)]
    title = next((i for i, line in enumerate(lines) if label_key(line.text).startswith(US_TITLE)), None)
    if title is None:
        raise ParseError(doc, "no table titled 'Law Enforcement Demands for Customer Data — United States'")
    page, options = lines[title].page, {"corrections": CORRECTIONS, "blanks": True, "unread": UNREAD_FIGURES}
    if lines[title].text.endswith("(2013)"):
        parts = [blocks.rows_block(doc, US, page, US_ROWS_2013, lambda: _rows_2013(doc, lines, title), **options)]
    else:
        first, last = pdf.find_row(lines, title, "Subpoenas"), pdf.find_row(lines, title, "Total")
        ns = None if last is None else pdf.find_row(lines, last, "National Security Letters")
        if first is None or last is None or ns is None:
            raise ParseError(doc, "the US table has no 'Subpoenas' or no 'Total' row, or no national-security table "
                                  "(a 'National Security Letters' row with bands) follows it")
        end = next((i for i in range(ns, len(lines)) if FOOTNOTE.match(lines[i].text) or _prose(lines[i])),
                   len(lines))
        parts = [blocks.rows_block(doc, US, page, US_ROWS, lambda: _table(doc, lines, first, last), **options),
                 blocks.rows_block(doc, NS, lines[ns].page, NS_ROWS, lambda: _table(doc, lines, ns, end - 1), **options)]
    corrected = DOUBLE_SAID in " ".join(" ".join(texts).split())  # the report's prose says it corrected the table
    return drift.read_blocks(doc, KNOWN_2H_2019 if corrected else KNOWN, parts, flag_repeats=True,
                             unread_pages=pdf.pages_unread(texts, pages, INTERNATIONAL))


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))
