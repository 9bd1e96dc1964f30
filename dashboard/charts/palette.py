"""The Okabe-Ito colour-blind-safe palette, shared by every chart so a colour means the same thing site-wide."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
GREY = "#BBBBBB"
LIGHT_GREY = "#E4E4E4"  # "not tracked": lighter than "unread", both plainly not a finding about the company

# for categories with no meaning of their own (companies, request types): the order is the assignment order
# yellow comes last: thin marks in yellow are hard to see on white
CATEGORICAL = [BLUE, ORANGE, BLUISH_GREEN, VERMILLION, REDDISH_PURPLE, BLACK, SKY_BLUE, YELLOW]

# time-axis labels: the year alone on 1 January, else month and year (short spans get mid-year ticks)
DATE_LABEL = "timeFormat(datum.value, '%m-%d') === '01-01' ? timeFormat(datum.value, '%Y') : timeFormat(datum.value, '%b %Y')"

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def base_config() -> dict[str, object]:
    """Vega-Lite config applied to every chart: readable fonts, no chart border."""
    return {
        "font": FONT,
        "view": {"stroke": None},
        "axis": {"labelFontSize": 12, "titleFontSize": 12, "gridColor": "#e6e6e6"},
        "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 320},
        "header": {"labelFontSize": 13, "labelFontWeight": "bold"},
        "title": {"fontSize": 15, "anchor": "start"},
    }


def config() -> Any:
    """base_config as the `config=` of a chart's constructor.

    Composite charts (layers, facets, concatenations) take every top-level property (title, resolve, config,
    size) in their constructor, not through chained `.properties()`, `.resolve_scale()` or `.configure()`: each
    such call rebuilds the composite, and Altair deep-copies every sub-chart on each rebuild (0.3 s a call for
    the 21-panel requests chart, about a third of the site's chart-building time). Channels are given as
    channel objects (`alt.Y("value_low:Q")`, `alt.ColorValue(...)`), not as shorthand strings or `alt.value`:
    `encode` turns those through `from_dict`, which rebuilds a table of every schema class each time (9 ms)."""
    import altair as alt

    return alt.Config(**base_config())


ROWS = "rows"


def rows_data() -> Any:
    """The rows a chart draws, referred to by name: composing charts (layers, facets) deep-copies inline data,
    which cost seconds per build, so the rows are attached once to the finished chart by `attach`."""
    import altair as alt

    return alt.NamedData(name=ROWS)


def attach(chart: Any, rows: list[dict[str, Any]]) -> Any:
    """The finished chart with its rows as the named dataset `rows_data` refers to."""
    chart["datasets"] = {ROWS: rows}
    return chart


def spec_of(chart: Any) -> dict[str, Any]:
    """The chart's Vega-Lite spec, unvalidated (tests/test_charts.py validates every chart module), with its
    datasets as they are: Altair's `to_dict` walks every value of every row through protocol checks, which cost
    the site about 2 s; the rows are plain JSON values already (format.published), so they go in as given.

    The datasets are taken off the chart itself for the conversion and put back after, not off a copy: copying a
    composite chart runs its constructor again, which deep-copies every sub-chart (0.6 s of the site's build)."""
    from altair import Undefined

    datasets = chart["datasets"]
    chart["datasets"] = Undefined
    try:
        spec: dict[str, Any] = chart.to_dict(validate=False)
    finally:
        chart["datasets"] = datasets
    if datasets is not Undefined:
        spec["datasets"] = datasets
    return spec


def build_spec(build: Callable[..., Any], rows: list[dict[str, Any]], **arguments: Any) -> dict[str, Any]:
    """`build(rows, **arguments)`'s spec (spec_of), built with Altair's debug mode off: in it (Altair's default)
    every schema object validates itself against the Vega-Lite schema as it is made, 1,500 times for the site
    (about 0.5 s); the tests validate every chart module's whole spec instead."""
    from altair.utils.schemapi import debug_mode

    with debug_mode(False):
        return spec_of(build(rows, **arguments))


class _LazyAltair:
    """Altair, imported on first use: a rebuild whose charts all come from the cache never pays for importing it
    (about a second, most of a warm build). Chart modules use `from dashboard.charts.palette import alt`."""

    def __getattr__(self, name: str) -> Any:
        import altair

        return getattr(altair, name)


alt: Any = _LazyAltair()
