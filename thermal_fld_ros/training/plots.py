"""Loss-curve PNGs drawn with OpenCV (matplotlib is not a dependency of the package)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

WIDTH, HEIGHT, MARGIN = 900, 520, 60
COLOURS = ((31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
           (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207))
#: Moving-average window (steps) applied to the noisy per-step losses.
SMOOTH = 25


def _smooth(y: np.ndarray) -> np.ndarray:
    k = min(SMOOTH, len(y))
    return np.convolve(y, np.ones(k) / k, mode="valid") if k > 1 else y


def plot_curves(curves: dict[str, tuple[np.ndarray, np.ndarray]], path: Path, title: str) -> None:
    """Log-scale curves {name: (steps, values)} into one PNG with a legend."""
    img = np.full((HEIGHT, WIDTH, 3), 255, np.uint8)
    series = {}
    for name, (x, y) in curves.items():
        y = np.asarray(y, np.float64)
        ok = np.isfinite(y) & (y > 0)
        if ok.sum() < 2:
            continue
        ys = _smooth(y[ok])
        series[name] = (np.asarray(x, np.float64)[ok][len(y[ok]) - len(ys):], np.log10(ys))
    cv2.putText(img, title, (MARGIN, 30), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (0, 0, 0), 1, cv2.LINE_AA)
    if series:
        xmin = min(s[0].min() for s in series.values())
        xmax = max(s[0].max() for s in series.values())
        ymin = min(s[1].min() for s in series.values())
        ymax = max(s[1].max() for s in series.values())
        sx = (WIDTH - 2 * MARGIN) / max(xmax - xmin, 1e-9)
        sy = (HEIGHT - 2 * MARGIN) / max(ymax - ymin, 1e-9)
        cv2.rectangle(img, (MARGIN, MARGIN), (WIDTH - MARGIN, HEIGHT - MARGIN), (0, 0, 0), 1)
        for i, (name, (x, y)) in enumerate(series.items()):
            colour = COLOURS[i % len(COLOURS)][::-1]
            pts = np.stack([MARGIN + (x - xmin) * sx, HEIGHT - MARGIN - (y - ymin) * sy], 1)
            cv2.polylines(img, [pts.astype(np.int32)], False, colour, 2, cv2.LINE_AA)
            cv2.putText(img, name, (WIDTH - MARGIN - 170, MARGIN + 20 + 18 * i), cv2.FONT_HERSHEY_SIMPLEX,
                        0.45, colour, 1, cv2.LINE_AA)
        for label, pos in ((f"step {xmin:.0f}", (MARGIN, HEIGHT - 20)),
                           (f"step {xmax:.0f}", (WIDTH - MARGIN - 80, HEIGHT - 20)),
                           (f"1e{ymax:.1f}", (5, MARGIN + 5)), (f"1e{ymin:.1f}", (5, HEIGHT - MARGIN))):
            cv2.putText(img, label, pos, cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 0), 1, cv2.LINE_AA)
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), img)
