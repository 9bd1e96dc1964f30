"""The documents page: every archived file (URL, sha256, download date, status), each row anchored by sha256 so
every figure on the site can link to the exact bytes it was read from."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from dashboard.context import query
from dashboard.format import doc_anchor
from dashboard.render import Builder


def page_documents(b: Builder) -> Path:
    docs = [{**d, "anchor": doc_anchor(d["sha256"]), "company_name": b.site.name(d["company"]),
             "company_page": b.site.company(d["company"]).page,
             "state": ("current version" if d["is_newest"] else f"version {d['version']} of {d['versions']}")
             if d["parse_status"] == "loaded" else d["parse_status"].replace("_", " ")}
            for d in query(b.site.con, "documents")]
    status = Counter(d["parse_status"] for d in docs)
    return b.page("documents.html", "documents.html", "Documents", docs=docs, status=sorted(status.items()),
                  companies=len({d["company"] for d in docs}))
