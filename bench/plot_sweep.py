#!/usr/bin/env python3
"""plot_sweep.py CSV SVG [TITLE]: ns/message against live orders, one line per contender.

CSV columns: file,live_orders_peak,contender,ns_per_message (bench/book_sweep.sh writes it).
The x axis is logarithmic (live orders span three decades); plain SVG, no plotting library.
"""
import csv
import math
import sys
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 760, 440
LEFT, RIGHT, TOP, BOTTOM = 70, 190, 40, 60
COLOURS = ["#1f5fbf", "#d0451b", "#2a9d3a", "#8e44ad", "#b8860b", "#555555"]


def load(path):
    series = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            live, ns = int(row["live_orders_peak"]), float(row["ns_per_message"])
            if live <= 0 or ns <= 0:
                raise ValueError("%s: non-positive value in %r" % (path, row))
            series.setdefault(row["contender"], []).append((live, ns, row["file"]))
    if not series:
        raise ValueError("%s: no rows" % path)
    return series


def plot(series, title):
    points = [p for s in series.values() for p in s]
    x_low = 10 ** math.floor(math.log10(min(p[0] for p in points)))
    x_high = 10 ** math.ceil(math.log10(max(p[0] for p in points)))
    y_high = max(p[1] for p in points) * 1.15
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(v):
        return LEFT + plot_w * (math.log10(v) - math.log10(x_low)) / (math.log10(x_high) - math.log10(x_low))

    def y(v):
        return TOP + plot_h * (1 - v / y_high)

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" '
           'font-size="12">' % (WIDTH, HEIGHT),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="20" font-size="13">%s</text>' % (LEFT, escape(title))]
    decade = x_low
    while decade <= x_high:
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>' % (x(decade), TOP, x(decade), TOP + plot_h))
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (x(decade), TOP + plot_h + 18, format(int(decade), ",")))
        decade *= 10
    step = 10 ** math.floor(math.log10(y_high / 4))
    step *= 2 if y_high / step > 8 else 1
    tick = 0.0
    while tick <= y_high:
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>' % (LEFT, y(tick), LEFT + plot_w, y(tick)))
        out.append('<text x="%d" y="%.1f" text-anchor="end">%g</text>' % (LEFT - 6, y(tick) + 4, tick))
        tick += step
    out.append('<text x="%d" y="%d" text-anchor="middle">peak live orders (log scale)</text>' % (LEFT + plot_w // 2, HEIGHT - 15))
    out.append('<text x="18" y="%d" transform="rotate(-90 18 %d)" text-anchor="middle">ns/message</text>' % (TOP + plot_h // 2, TOP + plot_h // 2))
    for n, (name, values) in enumerate(series.items()):
        colour = COLOURS[n % len(COLOURS)]
        values = sorted(values)
        out.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>' %
                   (colour, " ".join("%.1f,%.1f" % (x(v[0]), y(v[1])) for v in values)))
        for live, ns, label in values:
            out.append('<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"><title>%s: %s, %d live orders, %.1f ns/message'
                       '</title></circle>' % (x(live), y(ns), colour, escape(name), escape(label), live, ns))
        out.append('<rect x="%d" y="%d" width="14" height="4" fill="%s"/>' % (WIDTH - RIGHT + 20, TOP + 10 + 20 * n, colour))
        out.append('<text x="%d" y="%d">%s</text>' % (WIDTH - RIGHT + 40, TOP + 16 + 20 * n, escape(name)))
    out.append('</svg>')
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        svg = plot(load(argv[1]), argv[3] if len(argv) == 4 else "ns/message against live orders")
        with open(argv[2], "w") as f:
            f.write(svg)
    except (OSError, ValueError, KeyError) as error:
        print("plot_sweep.py: %s" % error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
