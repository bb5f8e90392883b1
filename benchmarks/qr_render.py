"""How long the QR step takes to draw its code for a 255-character payload (a WhatsApp-sized
code), against a bare rich Text of the same size as the floor, in three areas: the step at
120×40 (half blocks), the step at 100×30 and the zoom at 80×24 (sextants — ``fit_qr`` tries
the larger renderings first, so a cold draw there builds the ones that did not fit too).

    .venv/bin/python benchmarks/qr_render.py [--runs 2000]

Figures (medians), for each area:

- cold: a new code arrives — qrcode builds the matrix (once per code, cached), then the text;
- warm: a redraw (resize, refresh) — what ``QRCodeView.render`` does on every paint;
- floor: building an equal-sized rich Text from a ready-made string of the same cells;
- each also rendered to segments by rich, as Textual does before painting.

The target is a warm draw under 5 ms. Not a test: it prints its figures.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.text import Text

sys.path.insert(
    0, str(Path(__file__).resolve().parents[1])
)  # run from a checkout, installed or not

from beeper_tui.loginkit.qr_text import fit_qr, qr_matrix, render_qr
from beeper_tui.tui.login.steps.qr import QR_STYLE, qr_content

PAYLOAD = "2@" + "A1b2C3d4+/" * 25 + "xyz"
AREAS = {
    "step at 120×40": (118, 30),
    "step at 100×30": (98, 20),
    "zoom at 80×24": (80, 24),
}
"""Cells the code's view has in each place (measured in the wizard)."""
TARGET_MS = 5.0


def median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(area: tuple[int, int], runs: int) -> float:
    """Print the figures for one area; return the warm redraw with segments (ms)."""
    console = Console(width=area[0], color_system="truecolor", file=open("/dev/null", "w"))  # noqa: SIM115
    options = console.options.update_width(area[0])

    def cold() -> Text:
        qr_matrix.cache_clear()
        render_qr.cache_clear()
        return qr_content(fit_qr(PAYLOAD, *area)[0])

    def warm() -> Text:
        return qr_content(fit_qr(PAYLOAD, *area)[0])

    drawing, fits = fit_qr(PAYLOAD, *area)
    same_size = "\n".join(drawing.lines)  # the same characters, ready-made

    def floor() -> Text:
        return Text(same_size, style=QR_STYLE, no_wrap=True, overflow="crop")

    def segments(build: Callable[[], Text]) -> Callable[[], object]:
        return lambda: list(console.render(build(), options))

    cold_ms = median_ms(cold, max(20, runs // 50))
    warm_ms = median_ms(warm, runs)
    floor_ms = median_ms(floor, runs)
    warm_seg_ms = median_ms(segments(warm), runs // 4)
    floor_seg_ms = median_ms(segments(floor), runs // 4)

    print(
        f"{drawing.glyphs.name}, {drawing.cols}×{drawing.rows} cells "
        f"(quiet zone {drawing.quiet_zone}, fits {area[0]}×{area[1]}: {fits})"
    )
    print(f"  cold  (new code: qrcode matrix + text)   {cold_ms:8.3f} ms")
    print(f"  warm  (redraw: cached matrix → text)     {warm_ms:8.3f} ms")
    print(f"  floor (bare rich Text, same size)        {floor_ms:8.3f} ms")
    print(f"  warm  + rich render to segments          {warm_seg_ms:8.3f} ms")
    print(f"  floor + rich render to segments          {floor_seg_ms:8.3f} ms")
    print(
        f"  ratio warm / floor: {warm_ms / floor_ms:.2f}×   "
        f"with segments: {warm_seg_ms / floor_seg_ms:.2f}×"
    )
    return warm_seg_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000, help="runs for the warm figures")
    args = parser.parse_args()
    assert len(PAYLOAD) == 255
    print(f"payload: {len(PAYLOAD)} characters")
    worst = 0.0
    for place, area in AREAS.items():
        print(f"{place}: ", end="")
        worst = max(worst, measure(area, args.runs))
    verdict = "meets" if worst < TARGET_MS else "MISSES"
    print(f"target: every redraw under {TARGET_MS:g} ms → {verdict} (slowest {worst:.3f} ms)")


if __name__ == "__main__":
    main()
