"""Generic landmark CSV: one CSV next to an image folder, for datasets with no loader of their own.

Format (defined by this package):
- a header row; one row per face; rows naming the same image are the faces of that image;
- ``image``: image path relative to the CSV's folder;
- ``x0,y0,...,x{K-1},y{K-1}``: landmarks in pixels (K >= 1; SF-TL54 order when K = 54); an empty
  cell or ``-1,-1`` marks a point that is not annotated (NaN coordinates, not visible);
- optional ``v0..v{K-1}``: 0 annotated but occluded, 1 visible (absent: visible);
- optional ``box_x1,box_y1,box_x2,box_y2``: face box in pixels; absent or empty means the box is
  derived from the landmarks with layout.face_box_from_landmarks;
- optional ``subject`` and ``split`` (train/val/test);
- any other column (yaw, pitch, roll, glasses, ...) becomes a Face attribute: numbers as float,
  yes/no/true/false as bool, anything else as text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from thermal_fld_ros.data.loaders._common import (
    AnnotationError,
    attribute_value,
    box_from_points,
    check_split,
    count_point_columns,
    point_columns,
    points_from_row,
    read_csv_rows,
    read_image,
)
from thermal_fld_ros.data.records import Face, LabelledImage

NAME = "csv"
DEFAULT_CSV = "landmarks.csv"
IMAGE_COLUMN = "image"
BOX_COLUMNS = ("box_x1", "box_y1", "box_x2", "box_y2")
SUBJECT_COLUMN, SPLIT_COLUMN = "subject", "split"


def _csv_path(root: Path) -> Path:
    """The CSV itself, the folder's landmarks.csv, or the folder's only CSV."""
    if root.is_file():
        return root
    if (root / DEFAULT_CSV).is_file():
        return root / DEFAULT_CSV
    found = sorted(root.glob("*.csv"))
    if len(found) != 1:
        raise FileNotFoundError(f"{root}: expected {DEFAULT_CSV} or exactly one CSV file, found "
                                f"{[p.name for p in found]}")
    return found[0]


def _face(row: dict[str, str], k: int, path: Path, line: int) -> Face:
    points, visible = points_from_row(row, k, path, line)
    cells = [row.get(c, "") for c in BOX_COLUMNS]
    if all(cells):
        try:
            box = np.asarray([float(c) for c in cells], dtype=np.float32)
        except ValueError:
            raise AnnotationError(path, f"box is not numeric: {cells}", line) from None
        if box[2] <= box[0] or box[3] <= box[1]:
            raise AnnotationError(path, f"box {box.tolist()} has x2 <= x1 or y2 <= y1", line)
    elif any(cells):
        raise AnnotationError(path, f"incomplete box {dict(zip(BOX_COLUMNS, cells))}: give all four or none",
                              line)
    elif np.isfinite(points).all(axis=1).any():
        box = box_from_points(points)
    else:
        raise AnnotationError(path, "face has neither a box nor any annotated landmark", line)
    used = point_columns(k) | set(BOX_COLUMNS) | {IMAGE_COLUMN, SUBJECT_COLUMN, SPLIT_COLUMN}
    attributes = {key: attribute_value(value) for key, value in row.items() if key not in used and value}
    return Face(box=box, landmarks=points if k else None, visible=visible if k else None,
                attributes=attributes)


def load_csv(root: str | Path, split: str | None = None, *,
             num_points: int | None = None) -> Iterator[LabelledImage]:
    """Images and faces listed in a generic landmark CSV; ``split`` filters on its split column."""
    check_split(split)
    path = _csv_path(Path(root))
    rows = read_csv_rows(path, (IMAGE_COLUMN,))
    k = count_point_columns(rows[0][1]) if rows else 0
    if num_points is not None and k != num_points:
        raise AnnotationError(path, f"has {k} landmark column pairs x<i>,y<i>, expected {num_points}", 1)
    if split is not None and rows and SPLIT_COLUMN not in rows[0][1]:
        raise AnnotationError(path, f"split {split!r} requested but the CSV has no '{SPLIT_COLUMN}' column",
                              1)
    grouped: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, row in rows:
        if not row[IMAGE_COLUMN]:
            raise AnnotationError(path, "empty image name", line)
        if split is None or row.get(SPLIT_COLUMN) == split:
            grouped.setdefault(row[IMAGE_COLUMN], []).append((line, row))
    for name, image_rows in grouped.items():
        image_path = path.parent / name
        if not image_path.is_file():
            raise AnnotationError(path, f"image {name!r} not found in {path.parent}", image_rows[0][0])
        first = image_rows[0][1]
        faces = [_face(row, k, path, line) for line, row in image_rows]
        yield LabelledImage(image=read_image(image_path), faces=faces,
                            subject=first.get(SUBJECT_COLUMN) or None, split=first.get(SPLIT_COLUMN) or None,
                            source=f"{NAME}:{name}")
