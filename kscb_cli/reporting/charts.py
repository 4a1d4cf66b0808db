"""Charts as data, drawn as pictures by one function.

A view holds its charts as plain data: the older shapes ``Pie``, ``Bar`` and ``Gantt`` (which
the default macros also write as Mermaid for Markdown) and the generic :class:`Chart`
(categories along one axis, one or more series of numbers: bars, stacked or grouped bars,
lines). :func:`spec` turns any of them into a Vega-Lite specification (itself data), and
:func:`draw` turns that into SVG or PNG with ``vl-convert-python``: no browser, no system
library, its own fonts (Liberation Sans), the same bytes for the same chart. Markdown keeps
Mermaid, which GitHub and GitLab draw (:func:`mermaid_source` for a ``Chart``); html, docx and
pdf get the pictures (see ``kscb_cli.reporting.documents``).

A new report adds a chart by putting a ``Chart`` in its view and ``{{ m.chart(doc.x) }}`` in
its template; nothing here changes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kscb_cli.base.errors import KscbError

FONT = "Liberation Sans"  # bundled with vl-convert, so text draws the same on any machine

# Colours chosen to read on screen and in print; the words are always kept beside them.
COLOURS = {
    "Red": "#d4351c",
    "Amber": "#f47738",
    "Green": "#00703c",
    "Blue": "#1d70b8",
    "Withdrawn": "#b1b4b6",
    "Fully met": "#00703c",
    "Mostly met": "#85994b",
    "Partially met": "#f47738",
    "Not met": "#d4351c",
    "Met": "#00703c",
    "Missed": "#d4351c",
    "Improved": "#00703c",
    "Same": "#b1b4b6",
    "Declined": "#d4351c",
    "Did not attend": "#b1b4b6",
    "Attended": "#1d70b8",
}
PALETTE = ("#1d70b8", "#f47738", "#00703c", "#912b88", "#d4351c", "#85994b", "#28a197", "#6f72af", "#b58840", "#505a5f")

MARKS = ("bar", "stacked", "grouped", "line")


@dataclass(frozen=True)
class Chart:
    """A chart over categories: ``series`` is ((name, (value per category, ...)), ...).

    ``mark``: bar (one series), stacked or grouped bars, or line (trends over time).
    ``horizontal`` lays long category names down the side. ``note`` is printed under it.
    """

    title: str
    mark: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | int | None, ...]], ...]
    axis: str = ""
    horizontal: bool = False
    note: str = ""
    colours: tuple[tuple[str, str], ...] = field(default=())

    def __post_init__(self) -> None:
        if self.mark not in MARKS:
            raise ValueError(f"chart mark {self.mark!r}: use one of {', '.join(MARKS)}")
        for name, values in self.series:
            if len(values) != len(self.categories):
                raise ValueError(
                    f"chart {self.title!r}: series {name!r} has {len(values)} values for {len(self.categories)} categories"
                )

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.series]

    @property
    def top(self) -> float:
        if self.mark == "stacked":
            return max(
                (sum(v or 0 for _, vs in self.series for v in [vs[i]]) for i in range(len(self.categories))), default=0
            )
        return max((v or 0 for _, vs in self.series for v in vs), default=0)


def chart_of(
    title: str, mark: str, table: Mapping[str, Mapping[str, float | None]], series: list[str], **kwargs: Any
) -> Chart | None:
    """A Chart from {category: {series: value}} in the given orders; None when it has nothing to show."""
    categories = tuple(table)
    if not categories or not series:
        return None
    rows = tuple((s, tuple(table[c].get(s) for c in categories)) for s in series)
    if not any(v for _, vs in rows for v in vs):
        return None
    return Chart(title, mark, categories, rows, **kwargs)


# --- Vega-Lite --------------------------------------------------------------------


def _colour_scale(names: list[str], given: dict[str, str]) -> dict[str, Any]:
    colours, spare = [], iter(PALETTE)
    for n in names:
        colours.append(given.get(n) or COLOURS.get(n) or next(spare, "#505a5f"))
    return {"domain": names, "range": colours}


def _base(title: str, width: int = 520, height: int = 260) -> dict[str, Any]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": title, "anchor": "start", "fontSize": 14},
        "width": width,
        "height": height,
        "background": "white",
        "config": {
            "font": FONT,
            "view": {"stroke": None},
            "axis": {"labelFontSize": 11, "titleFontSize": 11},
            "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom"},
        },
    }


def _spec_chart(c: Chart) -> dict[str, Any]:
    values = [
        {"category": cat, "order": i, "series": name, "s": j, "value": vs[i]}
        for j, (name, vs) in enumerate(c.series)
        for i, cat in enumerate(c.categories)
        if vs[i] is not None
    ]
    cats = list(c.categories)
    names = c.names
    colour = {
        "field": "series",
        "type": "nominal",
        "title": None,
        "sort": names,
        "scale": _colour_scale(names, dict(c.colours)),
    }
    if len(names) == 1 and c.mark == "bar":
        colour = {"value": dict(c.colours).get(names[0]) or COLOURS.get(names[0]) or PALETTE[0]}
    height = max(160, 26 * len(cats) * (len(names) if c.mark == "grouped" else 1)) if c.horizontal else 260
    spec = _base(c.title, height=height)
    spec["data"] = {"values": values}
    cat_axis = {
        "field": "category",
        "type": "ordinal" if c.mark == "line" else "nominal",
        "sort": cats,
        "title": None,
        "axis": {"labelLimit": 260, "labelAngle": 0 if c.horizontal or len(cats) <= 6 else -40},
    }
    top = int(c.top) if float(c.top).is_integer() else c.top
    ticks: dict[str, Any] = (
        {"values": list(range(0, int(top) + 1))} if isinstance(top, int) and top <= 12 else {"tickCount": 8}
    )
    val_axis = {"field": "value", "type": "quantitative", "title": c.axis or None, "axis": {"format": "d", **ticks}}
    if c.mark == "line":
        spec["mark"] = {"type": "line", "point": True}
        spec["encoding"] = {"x": cat_axis, "y": val_axis, "color": colour}
        return spec
    spec["mark"] = {"type": "bar"}
    enc: dict[str, Any] = {"color": colour, "tooltip": [{"field": "category"}, {"field": "series"}, {"field": "value"}]}
    if c.mark == "stacked":
        val_axis = {**val_axis, "stack": "zero"}
        enc["order"] = {"field": "s", "type": "quantitative"}
    if c.horizontal:
        enc["y"], enc["x"] = cat_axis, val_axis
        if c.mark == "grouped":
            enc["yOffset"] = {"field": "series", "sort": names}
    else:
        enc["x"], enc["y"] = cat_axis, val_axis
        if c.mark == "grouped":
            enc["xOffset"] = {"field": "series", "sort": names}
    spec["encoding"] = enc
    return spec


def _spec_pie(p: Any) -> dict[str, Any]:
    names = [n for n, _ in p.slices]
    spec = _base(p.title, width=300, height=300)
    spec["data"] = {
        "values": [{"name": f"{n} ({v})", "key": n, "value": v, "order": i} for i, (n, v) in enumerate(p.slices)]
    }
    labelled = [f"{n} ({v})" for n, v in p.slices]
    scale = _colour_scale(names, {})
    spec["mark"] = {"type": "arc", "stroke": "white"}
    spec["encoding"] = {
        "theta": {"field": "value", "type": "quantitative", "stack": True},
        "order": {"field": "order", "type": "quantitative"},
        "color": {
            "field": "name",
            "type": "nominal",
            "title": None,
            "sort": labelled,
            "scale": {"domain": labelled, "range": scale["range"]},
        },
    }
    return spec


def _spec_bar(b: Any) -> dict[str, Any]:
    return _spec_chart(
        Chart(b.title, "bar", tuple(b.labels), ((b.axis or "count", tuple(b.values)),), axis=b.axis, horizontal=True)
    )


def _spec_gantt(g: Any) -> dict[str, Any]:
    values = []
    for section, tasks in g.sections:
        for t in tasks:
            state = {"crit": "Red", "active": "Amber"}.get(t.tag, "Green")
            values.append(
                {"task": f"{section} {t.label}", "start": t.start.isoformat(), "end": t.end.isoformat(), "state": state}
            )
    tasks = [v["task"] for v in values]
    spec = _base(g.title, width=560, height=max(120, 20 * len(values)))
    spec["layer"] = [
        {
            "data": {"values": values},
            "mark": {"type": "bar", "cornerRadius": 2},
            "encoding": {
                "y": {"field": "task", "type": "nominal", "sort": tasks, "title": None, "axis": {"labelLimit": 300}},
                "x": {"field": "start", "type": "temporal", "title": None, "axis": {"format": "%b %Y"}},
                "x2": {"field": "end"},
                "color": {
                    "field": "state",
                    "type": "nominal",
                    "title": None,
                    "scale": _colour_scale(["Red", "Amber", "Green"], {}),
                },
            },
        },
        {
            "data": {"values": [{"day": g.as_of.isoformat()}]},
            "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#0b0c0c"},
            "encoding": {"x": {"field": "day", "type": "temporal"}},
        },
    ]
    return spec


def spec(chart: Any) -> dict[str, Any]:
    """The Vega-Lite specification of any chart a view holds."""
    kind = type(chart).__name__
    if isinstance(chart, Chart):
        return _spec_chart(chart)
    if kind == "Pie":
        return _spec_pie(chart)
    if kind == "Bar":
        return _spec_bar(chart)
    if kind == "Gantt":
        return _spec_gantt(chart)
    raise TypeError(f"not a chart: {kind}")


def title_of(chart: Any) -> str:
    return str(getattr(chart, "title", "") or "Chart")


def draw(chart: Any, fmt: str) -> bytes:
    """The chart as an SVG or PNG picture (the one function that draws every chart)."""
    try:
        import vl_convert as vlc
    except ImportError:
        raise KscbError(
            "drawing charts needs the documents extra: pip install 'kscb[documents]' (vl-convert-python)"
        ) from None
    s = spec(chart)
    if fmt == "svg":
        return vlc.vegalite_to_svg(s).encode("utf-8")
    if fmt == "png":
        return vlc.vegalite_to_png(s, scale=2)
    raise ValueError(f"picture format {fmt!r}")


# --- Mermaid, for Markdown --------------------------------------------------------


def _label(value: Any) -> str:
    text = " ".join(str(value).split())
    return re.sub(r'["#:;`<>{}\[\]]', "", text).strip() or "-"


def _num(v: float | int | None) -> str:
    if v is None:
        return "0"
    return str(int(v)) if float(v) == int(v) else f"{v:g}"


def mermaid_source(c: Chart) -> str:
    """The chart as a Mermaid ``xychart-beta`` block, with its series named under it (Mermaid draws no legend).

    Mermaid's bars of several series overlap, so stacked and grouped bars are both drawn as
    overlapping bars of running totals, tallest first, which reads as a stack (never as one
    series hiding another).
    """
    names = c.names
    colours = [dict(c.colours).get(n) or COLOURS.get(n) or PALETTE[i % len(PALETTE)] for i, n in enumerate(names)]
    series = list(c.series)
    if c.mark in ("stacked", "grouped"):
        totals = []
        for j in range(len(series)):
            totals.append(
                (
                    series[j][0],
                    tuple(sum((series[k][1][i] or 0) for k in range(j + 1)) for i in range(len(c.categories))),
                )
            )
        series, colours = list(reversed(totals)), list(reversed(colours))
    palette = ", ".join(colours)
    top = (
        max((v or 0 for _, vs in series for v in vs), default=0) or 1
    )  # the tallest bar drawn, running totals included
    lines = [
        "```mermaid",
        f'%%{{init: {{"themeVariables": {{"xyChart": {{"plotColorPalette": "{palette}"}}}}}}}}%%',
        "xychart-beta" + (" horizontal" if c.horizontal else ""),
        f'    title "{_label(c.title)}"',
        "    x-axis [" + ", ".join(f'"{_label(x)}"' for x in c.categories) + "]",
        f'    y-axis "{_label(c.axis or "count")}" 0 --> {_num(top)}',
    ]
    mark = "line" if c.mark == "line" else "bar"
    for _name, values in series:
        lines.append(f"    {mark} [" + ", ".join(_num(v) for v in values) + "]")
    lines.append("```")
    if len(names) > 1:
        lines.append("")
        order = "stacked, bottom to top" if c.mark in ("stacked", "grouped") else "in order"
        from kscb_cli.reporting.markdown import md

        lines.append(f"*Series ({order}): " + ", ".join(md(n) for n in names) + ".*")
    return "\n".join(lines)
