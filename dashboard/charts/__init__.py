"""Charts for the static site: one chart per module, each a function from rows (lists of dicts) to an Altair chart."""
