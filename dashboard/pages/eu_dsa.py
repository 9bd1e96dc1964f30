"""EU government orders, platform by platform: the DSA's harmonised transparency reports (template table 3).

The only like-for-like count of government demands across Chinese and US platforms: orders from EU Member
States' authorities to act against illegal content and to provide information about users, as each filing
prints its all-EU totals, raw and per million average monthly active recipients, then each platform's Member
State breakdown. EU only, required by law: kept apart from the voluntary global reports on every other page.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from dashboard.charts import eu_orders
from dashboard.context import optional_query
from dashboard.format import doc_anchor, fmt_number, period_label, plural
from dashboard.render import Builder, ChartBlock

PATH = "eu-orders.html"
ORDER_TYPES = (("orders_to_act", "to act against illegal content (Art. 9)"),
               ("orders_to_provide_information", "to provide information about users (Art. 10)"))


def _platform(site, r) -> str:
    name = site.name(r["company"])
    return f"{name}: {r['service']}" if r["service"] and r["service"].casefold() not in name.casefold() else name


def order_rows(site) -> tuple[list[dict], list[dict], list[dict], str]:
    """(each filing's all-EU totals, its Member State rows, the rows the chart draws, why there are none)."""
    totals, why = optional_query(site.con, "eu_dsa_orders", "eu_dsa_orders", allow_empty=True)
    states, _ = optional_query(site.con, "eu_dsa_orders_by_member_state", "eu_dsa_member_states", allow_empty=True)
    totals, states = totals or [], states or []
    for r in totals + states:
        r["platform"] = _platform(site, r)
        r["period"] = period_label(r["period_start"], r["period_end"])
        r["doc_href"] = f"documents.html#{doc_anchor(r['document_sha256'])}" if r["document_sha256"] else ""
    drawn = []
    for r in totals:
        for key, words in ORDER_TYPES:
            for measure, value in (("orders", r[key]), ("per million recipients", r[f"{key}_per_million_recipients"])):
                if value is not None:
                    drawn.append({"platform": r["platform"], "period": r["period"], "order_type": words,
                                  "measure": measure, "value": value, "shown": fmt_number(value)})
    return totals, states, drawn, why


def page_eu_dsa(b: Builder) -> Path:
    site = b.site
    totals, states, drawn, why = order_rows(site)
    section = None
    if drawn:
        block = ChartBlock(
            slug="eu-orders", title="Orders from EU Member States' authorities, per platform",
            takeaway=f"{plural(len({r['platform'] for r in totals}), 'platform')}: each filing's own all-EU totals, "
                     "raw and per million average monthly active recipients in the EU. Platforms categorise "
                     "orders differently: compare totals, not categories.",
            unit=eu_orders.UNIT, build=eu_orders.chart, rows=drawn,
            table=[("platform", "Platform"), ("period", "Period"), ("order_type", "Orders"), ("measure", "Measure"),
                   ("shown", "Value")],
            sources=[r["source_url"] for r in totals],
        )
        section = b.chart(block, PATH)
    by_platform: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in states:
        by_platform[(r["platform"], r["period"])].append(r)
    return b.page(PATH, "eu_orders.html", "EU government orders", charts=bool(drawn), why=why, totals=totals,
                  section=section, by_platform=sorted(by_platform.items()), order_types=ORDER_TYPES)
