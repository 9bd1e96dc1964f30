"""The static dashboard (`govreq site`): a stage after the warehouse that reads it and writes plain HTML pages.

`dashboard.build.build_site` is the entry point; pages are in `dashboard/pages/`, charts (one per module) in
`dashboard/charts/`, Jinja2 templates (autoescaped: every label may come from a scraped document) in
`dashboard/templates/`, and the queries the pages run in `dashboard/sql/`.
"""
