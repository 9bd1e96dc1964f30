"""The Okabe-Ito colour-blind-safe palette, shared by every chart so a colour means the same thing site-wide."""

from __future__ import annotations

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


ROWS = "rows"
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"  # the Vega-Lite that vl-convert 1.9 draws with


class Spec(dict[str, Any]):
    """A finished Vega-Lite spec, written as plain JSON-ready dicts. Building specs through Altair's objects cost
    about a fifth of a second per chart (deep copies on every layer, facet and `properties` call), most of a
    cold build; the dicts say the same. `to_dict()` checks the spec against the Vega-Lite schema Altair ships,
    as Altair's own `to_dict()` did (tests/test_charts.py calls it for every chart module)."""

    def to_dict(self, validate: bool = True) -> dict[str, Any]:
        spec = dict(self)
        if validate:
            validate_vega_lite(spec)
        return spec


def validate_vega_lite(spec: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError when the spec is no valid Vega-Lite (the schema bundled with Altair)."""
    import json
    from importlib.resources import files

    import jsonschema

    schema = json.loads(files("altair.vegalite.v6.schema").joinpath("vega-lite-schema.json").read_text("utf-8"))
    jsonschema.Draft7Validator(schema).validate(spec)


def field(name: str, kind: str, **options: Any) -> dict[str, Any]:
    """One encoding channel: `field("year", "ordinal", title=None)`; a None option is written as JSON null."""
    return {"field": name, "type": kind, **options}


def tooltip(*fields: tuple[str, str, str]) -> list[dict[str, Any]]:
    """(field, type, title) triples as Vega-Lite tooltip entries."""
    return [{"field": f, "type": kind, "title": title} for f, kind, title in fields]


def spec(body: dict[str, Any], rows: list[dict[str, Any]], *, title: str, description: str) -> Spec:
    """The top-level spec: `body` (a layer, facet or concatenation whose marks read the named dataset `rows`),
    the rows attached once by that name, the title and takeaway, and the site-wide config."""
    config = base_config()
    config["view"] = {"continuousWidth": 300, "continuousHeight": 300, **config["view"]}  # Altair's defaults
    return Spec({"$schema": SCHEMA, "config": config, **body, "title": title, "description": description,
                 "datasets": {ROWS: rows}})


ROWS_DATA = {"name": ROWS}  # the rows a chart draws, referred to by name from its marks
