"""Small server-side SVG line charts for change pages (no script needed)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from config.admin.display import muted

COLOURS = ("#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c", "#0891b2", "#4b5563")
WIDTH, HEIGHT, PAD = 640, 220, 30


def line_chart(labels: Sequence[str], series: dict[str, Sequence[float | None]]) -> SafeString:
    """``series`` (name -> one value per label, 0-100) as lines over ``labels``."""
    if not labels:
        return muted("No completed tests yet.")
    step = (WIDTH - 2 * PAD) / max(1, len(labels) - 1)

    def point(index: int, value: float) -> str:
        return f"{PAD + index * step:.1f},{HEIGHT - PAD - value / 100 * (HEIGHT - 2 * PAD):.1f}"

    lines = []
    for (name, values), colour in zip(series.items(), COLOURS * 10, strict=False):
        points = " ".join(point(i, v) for i, v in enumerate(values) if v is not None)
        lines.append((points, colour, name))
    polylines = format_html_join(
        "",
        '<polyline fill="none" stroke-width="2" points="{}" stroke="{}">'
        "<title>{}</title></polyline>",
        lines,
    )
    legend = format_html_join(
        " ", '<span style="color:{}">&#9632; {}</span>', ((c, n) for _, c, n in lines)
    )
    return format_html(
        '<svg viewBox="0 0 {} {}" width="100%" style="max-width:{}px" role="img">'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#9ca3af"/>{}'
        '<text x="2" y="{}" font-size="10">100</text><text x="2" y="{}" font-size="10">0</text>'
        '<text x="{}" y="{}" font-size="10">{}</text><text x="{}" y="{}" font-size="10" '
        'text-anchor="end">{}</text></svg><div>{}</div>',
        WIDTH, HEIGHT, WIDTH, PAD, HEIGHT - PAD, WIDTH - PAD, HEIGHT - PAD, polylines,
        PAD, HEIGHT - PAD, PAD, HEIGHT - 8, labels[0], WIDTH - PAD, HEIGHT - 8, labels[-1], legend,
    )  # fmt: skip
