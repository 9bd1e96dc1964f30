"""The restatement ledger: figures that differ between two releases of a series, counted by kind and grouped by
release pair (older -> newer, both archived copies linked; the mart site_restatement_pairs), then line by line."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from dashboard.charts import restatement_counts
from dashboard.context import optional_query, query
from dashboard.format import doc_anchor, period_label, plural
from dashboard.render import Builder, ChartBlock

KIND_WORDS = {"value_changed": "changed value", "status_changed": "changed status (a blank became a number, or back)",
              "withdrawn": "withdrawn", "added": "added to a past period"}


def page_restatements(b: Builder) -> Path:
    site = b.site
    rows, why = optional_query(site.con, "restatements", "restatements", allow_empty=True)
    if not rows:
        sources = query(site.con, "sources")
        return b.page("restatements.html", "restatements.html", "Restatements", rows=rows, why=why,
                      files=len({s["url"] for s in sources}),
                      multi=len({s["url"] for s in sources if s["versions"] > 1}))
    by_kind = Counter(r["kind"] for r in rows)
    kinds = [(k, KIND_WORDS.get(k, k.replace("_", " ")), n) for k, n in
             sorted(by_kind.items(), key=lambda t: (list(KIND_WORDS).index(t[0]) if t[0] in KIND_WORDS else 9, t[0]))]
    counts = Counter((site.name(r["company"]), r["kind"]) for r in rows)
    drawn = [{"company_name": c, "kind": k, "figures": n} for (c, k), n in sorted(counts.items())]
    block = ChartBlock(
        slug="restatements", title="Figures that differ between two versions of the same file, per company",
        takeaway="; ".join(f"{n:,} {words}" for _, words, n in kinds) + f", at {plural(len({r['company'] for r in rows}), 'company', 'companies')}.",
        unit=restatement_counts.UNIT, build=restatement_counts.chart, rows=drawn,
        table=[("company_name", "Company"), ("kind", "Kind of change"), ("figures", "Figures")],
        sources=[u for r in rows for u in (r["old_source_url"], r["new_source_url"])],
    )
    ledger = [{**r, "company_name": site.name(r["company"]), "company_page": site.company(r["company"]).page,
               "period": period_label(r["period_start"], r["period_end"]),
               "change": KIND_WORDS.get(r["kind"], r["kind"]).split(" (")[0],
               "old_href": f"documents.html#{doc_anchor(r['old_document_sha256'])}" if r["old_document_sha256"] else "",
               "new_href": f"documents.html#{doc_anchor(r['new_document_sha256'])}" if r["new_document_sha256"] else ""}
              for r in rows]
    def doc(sha: str) -> str:
        return f"documents.html#{doc_anchor(sha)}" if sha else ""

    pairs = [{**p, "company_name": site.name(p["company"]), "company_page": site.company(p["company"]).page,
              "old_href": doc(p["old_document_sha256"]), "new_href": doc(p["new_document_sha256"])}
             for p in query(site.con, "restatement_pairs")]
    return b.page("restatements.html", "restatements.html", "Restatements", charts=True, rows=rows, why="",
                  pairs=pairs,
                  kinds=kinds, section=b.chart(block, "restatements.html"), ledger=ledger,
                  companies=len({r["company"] for r in rows}))
