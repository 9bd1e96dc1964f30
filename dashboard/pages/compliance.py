"""Compliance rates: what the companies printed for all countries together, and who prints none."""

from __future__ import annotations

from pathlib import Path

from dashboard.charts import compliance_rates
from dashboard.context import KIND_LABELS, query
from dashboard.format import plural
from dashboard.render import Builder, ChartBlock


def measure_label(metric: str, kind: str) -> str:
    words = metric.removeprefix("percent_").replace("_", " ")
    return f"% of {KIND_LABELS.get(kind, kind)}: {words}"


def page_compliance(b: Builder) -> Path:
    site = b.site
    rows = [{**r, "company_name": site.name(r["company"]), "measure": measure_label(r["metric"], r["kind"])}
            for r in query(site.con, "compliance") if not site.company(r["company"]).secondary]
    per_country_only = sorted(site.name(r["company"]) for r in query(site.con, "compliance_per_country_only")
                              if not site.company(r["company"]).secondary)
    worldwide = sorted({r["company_name"] for r in rows})
    others = sorted(c.name for c in site.companies.values()
                    if not c.secondary and c.name not in worldwide and c.name not in per_country_only)
    section = None
    if rows:
        block = ChartBlock(
            slug="compliance",
            title="Share of requests the companies say they complied with",
            takeaway=f"{plural(len(worldwide), 'company prints', 'companies print')} a worldwide rate. Ranges show "
                     "a rate printed as a band or rounded.",
            unit=compliance_rates.UNIT, build=compliance_rates.chart, rows=rows,
            table=[("company_name", "Company"), ("measure", "Measure"), ("period_start", "From"),
                   ("period_end", "To"), ("raw_text", "As printed"), ("source_url", "Document")],
            sources=[r["source_url"] for r in rows],
        )
        section = b.chart(block, "compliance.html")
    return b.page("compliance.html", "compliance.html", "Compliance rates", charts=bool(rows), section=section,
                  worldwide=worldwide, per_country_only=per_country_only, others=others, figures=len(rows))
