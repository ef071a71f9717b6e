"""Bar charts as plain SVG geometry, drawn by the template (no script, no chart library)."""

from __future__ import annotations

from dataclasses import dataclass

# Colours of the states, as in the reader (learning yellow, new blue, known grey-green).
STATE_COLOURS = {"new": "#3b82f6", "learning": "#eab308", "known": "#16a34a", "ignored": "#9ca3af"}


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


def stacked_bars(
    columns: list[tuple[str, dict[str, int]]], colours: dict[str, str], width: float, height: float
) -> list[Bar]:
    """One stacked bar per (label, {series: value}), scaled to the tallest column."""
    if not columns:
        return []
    top = max(1, max(sum(values.values()) for _, values in columns))
    step = width / len(columns)
    bars = []
    for index, (label, values) in enumerate(columns):
        base = height
        for series, colour in colours.items():
            value = values.get(series, 0)
            if not value:
                continue
            h = value / top * height
            base -= h
            bars.append(
                Bar(
                    index * step + step * 0.1,
                    base,
                    step * 0.8,
                    h,
                    colour,
                    f"{label}: {value} {series}",
                )
            )
    return bars
