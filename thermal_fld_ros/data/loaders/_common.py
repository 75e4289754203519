"""Parsing shared by the dataset loaders: images, YOLO lines, point columns, error reporting.

Every format keeps only what is specific to it in its own module; anything two loaders read the
same way (YOLO-normalised boxes, ``x<i>``/``y<i>`` CSV columns, image decoding) lives here once.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator, Mapping
from pathlib import Path

import cv2
import numpy as np

from thermal_fld_ros.data.records import Face
from thermal_fld_ros.layout import face_box_from_landmarks

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff")
SPLITS = ("train", "val", "test")
#: Normalised coordinates may overshoot [0, 1] a little where a box is cut by the frame edge;
#: anything beyond this is taken for pixel coordinates written by mistake.
NORMALISED_SLACK = 0.05
#: YOLO5Face writes -1 for a landmark that was not annotated.
YOLO5FACE_MISSING = -1.0
#: COCO / YOLO-pose visibility flags (1, in between, is "annotated but occluded").
COCO_UNLABELLED, COCO_VISIBLE = 0, 2


class AnnotationError(ValueError):
    """A malformed annotation or image file: the message names the file (and line) at fault."""

    def __init__(self, path: str | Path, message: str, line: int | None = None):
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")


def read_image(path: str | Path, keep_colour: bool = False) -> np.ndarray:
    """Decode an image without changing its bit depth: uint8/uint16 grey or (H, W, 3) RGB.

    Many thermal exports store grey as three identical channels; those collapse to (H, W) so
    that a grey frame always looks the same to the consumer, unless ``keep_colour`` (RGB pairs).
    """
    image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if image is None:
        raise AnnotationError(path, "cannot be decoded as an image (missing, empty or corrupt)")
    if image.ndim == 2:
        return image
    image = image[..., :3]  # drop alpha
    if not keep_colour and (image[..., 0] == image[..., 1]).all() and (image[..., 1] == image[..., 2]).all():
        return np.ascontiguousarray(image[..., 0])
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


def find_image(folder: Path, stem: str) -> Path | None:
    """The image called ``stem`` with any known extension in ``folder``, or None."""
    for ext in IMAGE_EXTENSIONS + tuple(e.upper() for e in IMAGE_EXTENSIONS):
        candidate = folder / f"{stem}{ext}"
        if candidate.is_file():
            return candidate
    return None


def list_images(folder: Path) -> list[Path]:
    """Image files directly in ``folder``, sorted by name for a reproducible order."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_EXTENSIONS)


def require_dir(path: Path, what: str) -> Path:
    if not path.is_dir():
        raise FileNotFoundError(f"{what}: folder {path} does not exist")
    return path


def check_split(split: str | None) -> None:
    if split is not None and split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")


def box_from_points(points: np.ndarray) -> np.ndarray:
    """Face box of the annotated points (layout.face_box_from_landmarks); occluded ones count,
    their position is known, unannotated (NaN) ones do not."""
    known = points[np.isfinite(points).all(axis=1)]
    if len(known) == 0:
        raise ValueError("no annotated landmark to derive a face box from")
    return face_box_from_landmarks(known)


def _floats(tokens: list[str], path: Path, line: int) -> list[float]:
    try:
        values = [float(t) for t in tokens]
    except ValueError:
        values = []
    if len(values) != len(tokens) or not all(math.isfinite(v) for v in values):
        raise AnnotationError(path, f"non-numeric value in {' '.join(tokens)!r}", line)
    return values


def read_yolo_faces(path: Path, width: int, height: int, point_fields: int,
                    num_points: int | None = None, binary_visibility: bool = False) -> list[Face]:
    """Faces of one YOLO label file: ``cls cx cy w h`` then ``point_fields`` values per point.

    point_fields 0: boxes only; 2: ``x y`` (a point with both values negative is not annotated,
    the YOLO5Face convention); 3: ``x y v`` with COCO flags (0 unlabelled, 1 occluded,
    2 visible), or 0/1 (hidden/visible) when ``binary_visibility``. Unannotated points get NaN
    coordinates so that nothing can mistake them for (0, 0). A line with only the box is accepted
    in every mode (a face whose points were not annotated). Values are normalised by image size.
    """
    faces: list[Face] = []
    for line_no, raw in enumerate(path.read_text().splitlines(), start=1):
        tokens = raw.split()
        if not tokens or tokens[0].startswith("#"):
            continue
        values = _floats(tokens, path, line_no)
        if len(values) < 5:
            raise AnnotationError(path, f"expected 'cls cx cy w h ...', got {len(values)} values", line_no)
        cls, cx, cy, w, h = values[:5]
        rest = values[5:]
        if not (w > 0 and h > 0):
            raise AnnotationError(path, f"box width/height must be positive, got {w} {h}", line_no)
        if max(abs(cx - 0.5), abs(cy - 0.5)) > 0.5 + NORMALISED_SLACK or max(w, h) > 1 + NORMALISED_SLACK:
            raise AnnotationError(path, "box values must be normalised to [0, 1] by the image size "
                                        f"(looks like pixels: {cx} {cy} {w} {h})", line_no)
        box = np.array([(cx - w / 2) * width, (cy - h / 2) * height,
                        (cx + w / 2) * width, (cy + h / 2) * height], dtype=np.float32)
        face = Face(box=box, attributes={"class": int(cls)})
        if rest:
            if point_fields == 0:
                raise AnnotationError(path, f"expected only 'cls cx cy w h', got {len(values)} values",
                                      line_no)
            if len(rest) % point_fields:
                raise AnnotationError(path, f"{len(rest)} values after the box do not form points of "
                                            f"{point_fields} values each", line_no)
            k = len(rest) // point_fields
            if num_points is not None and k != num_points:
                raise AnnotationError(path, f"expected {num_points} points, got {k}", line_no)
            table = np.asarray(rest, dtype=np.float32).reshape(k, point_fields)
            if point_fields == 3:
                flags = table[:, 2]
                visible = flags > 0 if binary_visibility else flags >= COCO_VISIBLE
                unannotated = np.zeros(k, bool) if binary_visibility else flags == COCO_UNLABELLED
            else:
                unannotated = (table[:, :2] <= YOLO5FACE_MISSING / 2).all(axis=1)
                visible = ~unannotated
            coords = table[~unannotated, :2]
            if coords.size and (coords.max() > 1 + NORMALISED_SLACK or coords.min() < -NORMALISED_SLACK):
                raise AnnotationError(path, "point values must be normalised to [0, 1] by the image size",
                                      line_no)
            face.landmarks = table[:, :2] * np.array([width, height], dtype=np.float32)
            face.landmarks[unannotated] = np.nan
            face.visible = visible
        faces.append(face)
    return faces


def yolo_pairs(root: Path, split: str | None) -> Iterator[tuple[Path, Path | None, str | None]]:
    """(image, label or None, split) of a YOLO tree, in any of the three usual layouts.

    ``root/images/<split>`` + ``root/labels/<split>`` (Ultralytics), ``root/<split>/images`` +
    ``root/<split>/labels`` (TFW's dataset2yolo export), or flat ``root/images`` + ``root/labels``.
    A label file sits next to the image path with images -> labels and the suffix .txt.
    """
    check_split(split)
    splits = [split] if split else list(SPLITS)
    layouts = [(root / "images" / s, root / "labels" / s, s) for s in splits]
    layouts += [(root / s / "images", root / s / "labels", s) for s in splits]
    found = [entry for entry in layouts if entry[0].is_dir()]
    if not found and split is None and (root / "images").is_dir():
        found = [(root / "images", root / "labels", None)]
    if not found:
        raise FileNotFoundError(f"{root}: no YOLO image folder (images/<split>, <split>/images or images/)"
                                + (f" for split {split!r}" if split else ""))
    for image_dir, label_dir, name in found:
        for image_path in list_images(image_dir):
            label = label_dir / f"{image_path.stem}.txt"
            yield image_path, (label if label.is_file() else None), name


def read_csv_rows(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) of a CSV file with a header, checking the ``required`` columns."""
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in required if c not in header]
        if missing:
            raise AnnotationError(path, f"missing column(s) {missing}; header is {header}", 1)
        return [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k is not None})
                for row in reader]


def count_point_columns(header: list[str] | tuple[str, ...] | Mapping[str, str]) -> int:
    """Number of landmarks K given by consecutive ``x0,y0 .. x{K-1},y{K-1}`` columns."""
    k = 0
    while f"x{k}" in header and f"y{k}" in header:
        k += 1
    return k


def point_columns(k: int) -> set[str]:
    return {f"{axis}{i}" for i in range(k) for axis in "xyv"}


def points_from_row(row: Mapping[str, str], k: int, path: Path, line: int) -> tuple[np.ndarray, np.ndarray]:
    """(K, 2) float32 pixels and (K,) visibility from ``x<i>``/``y<i>`` (and optional ``v<i>``).

    Empty cells or ``-1,-1`` mark an unannotated point: NaN coordinates, not visible.
    ``v<i>`` = 0 marks an annotated but self-occluded point (coordinates kept).
    """
    points = np.full((k, 2), np.nan, dtype=np.float32)
    visible = np.zeros(k, dtype=bool)
    for i in range(k):
        cells = (row.get(f"x{i}", ""), row.get(f"y{i}", ""))
        if cells == ("", ""):
            continue
        if "" in cells:
            raise AnnotationError(path, f"landmark {i} has only one coordinate: {cells}", line)
        flag = row.get(f"v{i}", "") or "1"
        try:
            x, y, v = float(cells[0]), float(cells[1]), float(flag)
        except ValueError:
            raise AnnotationError(path, f"landmark {i} is not numeric: {cells + (flag,)}", line) from None
        if x == YOLO5FACE_MISSING and y == YOLO5FACE_MISSING:
            continue
        points[i] = (x, y)
        visible[i] = v > 0
    return points, visible


def attribute_value(text: str) -> object:
    """A CSV cell as an attribute: number when numeric, bool for yes/no words, else the text."""
    lowered = text.lower()
    if lowered in ("yes", "true"):
        return True
    if lowered in ("no", "false"):
        return False
    try:
        value = float(text)
    except ValueError:
        return text
    return value if math.isfinite(value) else text
