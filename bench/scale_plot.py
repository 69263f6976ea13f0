"""Tables and PNG curves of the scale points (matplotlib, no display needed)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bench.scale_served import Point


def table(title: str, x_name: str, points: Sequence[Point]) -> str:
    """The points as a plain-text table: x, then every figure, one row per point."""
    names = list(points[0].figures) if points else []
    widths = [max(len(x_name), 10)] + [max(len(n), 9) for n in names]
    header = "  ".join(h.rjust(w) for h, w in zip([x_name, *names], widths, strict=True))
    lines = [title, header]
    for point in points:
        cells = [f"{point.x:,}"] + [_number(point.figures[n]) for n in names]
        lines.append("  ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True)))
    return "\n".join(lines)


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}"


def plot(
    path: Path,
    title: str,
    x_label: str,
    panels: Sequence[tuple[str, Sequence[tuple[str, Sequence[Point], str]]]],
    note: str,
    *,
    log_x: bool = True,
) -> None:
    """One PNG: a panel per (y label, [(line label, points, figure name)]); log x axis unless not."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, len(panels), figsize=(5.2 * len(panels), 4.0), squeeze=False)
    for axis, (y_label, lines) in zip(axes[0], panels, strict=True):
        for label, points, name in lines:
            axis.plot([p.x for p in points], [p.figures[name] for p in points], marker="o", label=label)
        if log_x:
            axis.set_xscale("log")
        axis.set_xlabel(x_label)
        axis.set_ylabel(y_label)
        axis.set_ylim(bottom=0)
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=8)
    figure.suptitle(title, fontsize=11)
    figure.text(0.01, 0.01, note, fontsize=7, color="#555555")
    figure.tight_layout(rect=(0, 0.04, 1, 0.95))
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=90)
    plt.close(figure)
