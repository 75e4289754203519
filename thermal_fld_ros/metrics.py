"""Landmark accuracy as the thermal FLD literature reports it (REFERENCE.md section 2).

NME: mean point-to-point error of a face divided by its ground-truth outer-eye-corner distance
(SF-TL54 points 36 and 45); other layouts name their normaliser indices (TFW: eye centres 0, 1).
FR@0.10: share of faces with NME > 0.10. AUC@0.10: area under the cumulative error distribution
(CED) up to 0.10, divided by 0.10, computed exactly as mean(max(0, 0.10 - NME)) / 0.10 (the
integral of a step function; no sampling grid to disagree about). The CED plot is drawn with
OpenCV, already a runtime dependency, instead of adding matplotlib and its font/pillow stack to
a package that ships to robots for one line chart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import cv2
import numpy as np

from thermal_fld_ros import layout

FAILURE_THRESHOLD = 0.10
#: |yaw| bins in degrees for per-pose summaries: [0, 30), [30, 60), [60, inf).
YAW_BIN_EDGES = (30.0, 60.0)
CED_SIZE = (640, 480)  # width, height in pixels
_MARGIN_LEFT, _MARGIN_RIGHT, _MARGIN_TOP, _MARGIN_BOTTOM = 60, 20, 30, 50
_TICKS = 5
CURVE_COLOURS_BGR = ((180, 119, 31), (14, 127, 255), (44, 160, 44), (40, 39, 214), (189, 103, 148),
                     (75, 86, 140))
_FONT = cv2.FONT_HERSHEY_SIMPLEX


def nme(pred: np.ndarray, gt: np.ndarray, visible: np.ndarray | None = None,
        normaliser: tuple[int, int] | np.ndarray | None = None) -> np.ndarray:
    """Per-face NME of (N, K, 2) or (K, 2) predictions against ground truth: (N,) float64.

    Only points that are visible (when ``visible`` (N, K) is given) and annotated (finite ground
    truth) count; a face with no such point gets NaN. ``normaliser``: None means the outer eye
    corners for 54 points (required otherwise), a pair of point indices, or (N,) distances.
    """
    pred = np.asarray(pred, dtype=np.float64)
    gt = np.asarray(gt, dtype=np.float64)
    if pred.shape != gt.shape or gt.shape[-1] != 2 or gt.ndim not in (2, 3):
        raise ValueError(f"pred {pred.shape} and gt {gt.shape} must both be (N, K, 2) or (K, 2)")
    pred, gt = pred.reshape(-1, *gt.shape[-2:]), gt.reshape(-1, *gt.shape[-2:])
    mask = np.isfinite(gt).all(axis=-1)
    if visible is not None:
        mask &= np.broadcast_to(np.asarray(visible, dtype=bool), mask.shape)
    if not np.isfinite(pred[mask]).all():
        raise ValueError("predictions contain NaN/inf at evaluated points")
    if normaliser is None:
        if gt.shape[1] != layout.NUM_LANDMARKS:
            raise ValueError(f"{gt.shape[1]} points: give the normaliser indices (e.g. eye centres)")
        distance = layout.interocular_distance(gt)
    elif isinstance(normaliser, tuple):
        i, j = normaliser
        distance = np.linalg.norm(gt[:, i] - gt[:, j], axis=-1)
    else:
        distance = np.asarray(normaliser, dtype=np.float64).reshape(-1)
    bad = np.flatnonzero(~(np.isfinite(distance) & (distance > 0)))
    if bad.size:
        raise ValueError(f"normalising distance is zero or unknown for face(s) {bad.tolist()[:10]}")
    errors = np.where(mask, np.linalg.norm(np.where(mask[..., None], pred - gt, 0.0), axis=-1), 0.0)
    counted = mask.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counted > 0, errors.sum(axis=1) / counted, np.nan) / distance


def _finite(nmes: Sequence[float] | np.ndarray) -> np.ndarray:
    values = np.asarray(nmes, dtype=np.float64).reshape(-1)
    return values[np.isfinite(values)]


def failure_rate(nmes: Sequence[float] | np.ndarray, threshold: float = FAILURE_THRESHOLD) -> float:
    """Share of faces with NME above ``threshold`` (faces without an NME are left out)."""
    values = _finite(nmes)
    return float((values > threshold).mean()) if values.size else float("nan")


def auc(nmes: Sequence[float] | np.ndarray, threshold: float = FAILURE_THRESHOLD) -> float:
    """Area under the CED curve on [0, threshold], divided by threshold (1.0 = every NME is 0)."""
    values = _finite(nmes)
    return float(np.clip(threshold - values, 0.0, None).mean() / threshold) if values.size else float("nan")


def ced_curve(nmes: Sequence[float] | np.ndarray, threshold: float = FAILURE_THRESHOLD,
              samples: int = 201) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of the CED: y = share of faces with NME <= x, for x on [0, threshold]."""
    values = np.sort(_finite(nmes))
    x = np.linspace(0.0, threshold, samples)
    y = np.searchsorted(values, x, side="right") / max(values.size, 1)
    return x, y


@dataclass(frozen=True)
class Summary:
    """Accuracy of one group of faces."""

    faces: int
    nme: float
    failure_rate: float
    auc: float


def summarise(nmes: Sequence[float] | np.ndarray, threshold: float = FAILURE_THRESHOLD) -> Summary:
    values = _finite(nmes)
    return Summary(faces=int(values.size), nme=float(values.mean()) if values.size else float("nan"),
                   failure_rate=failure_rate(values, threshold), auc=auc(values, threshold))


def yaw_bin(abs_yaw: float) -> str:
    """Label of the |yaw| bin (degrees): '|yaw| 0-30', '|yaw| 30-60' or '|yaw| 60+'."""
    low, high = YAW_BIN_EDGES
    if abs_yaw < low:
        return f"|yaw| 0-{low:g}"
    return f"|yaw| {low:g}-{high:g}" if abs_yaw < high else f"|yaw| {high:g}+"


def subset_labels(attributes: Mapping[str, object]) -> list[str]:
    """Subsets a face belongs to, from Face.attributes: pose bin and glasses yes/no, when known.

    Pose: ``yaw`` (degrees, either sign) or ``abs_yaw``. Glasses: ``glasses`` or ``sunglasses``;
    a face with either key true is 'glasses yes', with the key(s) present and false 'glasses no'.
    """
    labels = []
    yaw = attributes.get("yaw")
    abs_yaw = abs(float(yaw)) if yaw is not None else attributes.get("abs_yaw")
    if abs_yaw is not None:
        labels.append(yaw_bin(float(abs_yaw)))
    flags = [attributes[key] for key in ("glasses", "sunglasses") if key in attributes]
    if flags:
        labels.append("glasses yes" if any(bool(f) for f in flags) else "glasses no")
    return labels


@dataclass
class Report:
    """Overall, per-dataset and per-subset summaries of one evaluation."""

    threshold: float
    overall: Summary
    per_dataset: dict[str, Summary] = field(default_factory=dict)
    per_subset: dict[str, Summary] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {"threshold": self.threshold, "overall": asdict(self.overall),
                "per_dataset": {k: asdict(v) for k, v in self.per_dataset.items()},
                "per_subset": {k: asdict(v) for k, v in self.per_subset.items()}}

    def format(self) -> str:
        """Plain-text table, NME and FR in percent as the papers print them."""
        t = self.threshold
        lines = [f"{'group':<24}{'faces':>7}{'NME %':>9}{f'FR@{t:g} %':>11}{f'AUC@{t:g}':>10}"]
        groups = [("all", self.overall)] + [(f"dataset {k}", v) for k, v in self.per_dataset.items()]
        groups += list(self.per_subset.items())
        for name, s in groups:
            lines.append(f"{name:<24}{s.faces:>7}{100 * s.nme:>9.2f}{100 * s.failure_rate:>11.2f}"
                         f"{s.auc:>10.4f}")
        return "\n".join(lines)


def report(nmes: Sequence[float] | np.ndarray, datasets: Sequence[str] | None = None,
           attributes: Sequence[Mapping[str, object]] | None = None,
           threshold: float = FAILURE_THRESHOLD) -> Report:
    """Summaries of per-face ``nmes``, grouped by the ``datasets`` name and ``attributes`` of each face."""
    values = np.asarray(nmes, dtype=np.float64).reshape(-1)
    for name, column in (("datasets", datasets), ("attributes", attributes)):
        if column is not None and len(column) != values.size:
            raise ValueError(f"{name} has {len(column)} entries for {values.size} faces")
    per_dataset = {}
    if datasets is not None:
        for name in dict.fromkeys(datasets):
            per_dataset[name] = summarise(values[np.asarray(datasets) == name], threshold)
    groups: dict[str, list[int]] = {}
    for index, attrs in enumerate(attributes or []):
        for label in subset_labels(attrs):
            groups.setdefault(label, []).append(index)
    per_subset = {label: summarise(values[groups[label]], threshold) for label in sorted(groups)}
    return Report(threshold, summarise(values, threshold), per_dataset, per_subset)


def write_ced_png(path: str | Path, curves: Mapping[str, Sequence[float] | np.ndarray],
                  threshold: float = FAILURE_THRESHOLD, size: tuple[int, int] = CED_SIZE) -> Path:
    """Draw the CED of each named set of per-face NMEs into a PNG; the legend gives AUC and FR."""
    width, height = size
    canvas = np.full((height, width, 3), 255, dtype=np.uint8)
    x0, x1 = _MARGIN_LEFT, width - _MARGIN_RIGHT
    y0, y1 = height - _MARGIN_BOTTOM, _MARGIN_TOP  # y0: bottom (share 0), y1: top (share 1)
    for tick in range(_TICKS + 1):
        gx = round(x0 + (x1 - x0) * tick / _TICKS)
        gy = round(y0 + (y1 - y0) * tick / _TICKS)
        cv2.line(canvas, (gx, y0), (gx, y1), (225, 225, 225), 1)
        cv2.line(canvas, (x0, gy), (x1, gy), (225, 225, 225), 1)
        cv2.putText(canvas, f"{threshold * tick / _TICKS:.2f}", (gx - 14, y0 + 18), _FONT, 0.4, (0, 0, 0), 1)
        cv2.putText(canvas, f"{tick / _TICKS:.1f}", (x0 - 30, gy + 4), _FONT, 0.4, (0, 0, 0), 1)
    cv2.rectangle(canvas, (x0, y1), (x1, y0), (0, 0, 0), 1)
    cv2.putText(canvas, "NME (normalised)", ((x0 + x1) // 2 - 60, height - 12), _FONT, 0.45, (0, 0, 0), 1)
    cv2.putText(canvas, "share of faces", (x0, y1 - 10), _FONT, 0.45, (0, 0, 0), 1)
    for number, (name, nmes) in enumerate(curves.items()):
        colour = CURVE_COLOURS_BGR[number % len(CURVE_COLOURS_BGR)]
        xs, ys = ced_curve(nmes, threshold, samples=x1 - x0 + 1)
        px = x0 + xs / threshold * (x1 - x0)
        py = y0 + ys * (y1 - y0)
        cv2.polylines(canvas, [np.stack([px, py], axis=1).round().astype(np.int32)], False, colour, 2)
        legend_y = y0 - 12 - 18 * (len(curves) - 1 - number)
        cv2.line(canvas, (x1 - 250, legend_y - 4), (x1 - 225, legend_y - 4), colour, 2)
        cv2.putText(canvas, f"{name}  AUC {auc(nmes, threshold):.3f}  FR {failure_rate(nmes, threshold):.3f}",
                    (x1 - 220, legend_y), _FONT, 0.4, (0, 0, 0), 1)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not cv2.imwrite(str(path), canvas):
        raise OSError(f"could not write the CED plot to {path}")
    return path
