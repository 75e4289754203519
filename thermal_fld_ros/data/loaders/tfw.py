"""TFW, Thermal Faces in the Wild (IS2AI): face boxes + 5 landmarks, many faces per image.

Two layouts are read (from the IS2AI/TFW repository: README, visualize_dataset.py and the
dataset2yolo notebook):

- YOLO export (dataset2yolo): ``<split>/images/NAME.png`` + ``<split>/labels/NAME.txt``, one line
  per face ``0 cx cy w h x1 y1 ... x5 y5``, all normalised by image width/height.
- Original release: ``<split>/<environment>.csv`` (header row, then one row per face: image name,
  xs, ys, xe, ye, p1x, p1y, ..., p5x, p5y in pixels; rows of one image are consecutive), images in
  ``<split>/<environment>/`` or ``<split>/<environment>_gray/``. ``environment`` (e.g. indoor,
  outdoor) selects CSVs by name; None reads all.

Point order (README): centre of the right eye, centre of the left eye, nose tip, right mouth
corner, left mouth corner. "Right" is assumed to be the subject's right, i.e. image-left on a
frontal face (the RetinaFace/YOLO5Face order the dataset was made for).
Visibility: TFW has no visibility flags, so every point is visible, except one written as
negative (YOLO5Face's -1 for "not annotated"), which gets NaN coordinates and visible False.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from thermal_fld_ros.data.loaders._common import (
    SPLITS,
    YOLO5FACE_MISSING,
    AnnotationError,
    check_split,
    read_image,
    read_yolo_faces,
    yolo_pairs,
)
from thermal_fld_ros.data.records import Face, LabelledImage

NAME = "tfw"
NUM_POINTS = 5
#: NME normaliser for 5 points: the eye centres (inter-pupil distance), see metrics.nme.
EYE_CENTRES = (0, 1)
_CSV_COLUMNS = 1 + 4 + 2 * NUM_POINTS


def _csv_faces(path: Path) -> dict[str, list[Face]]:
    """Faces per image name of one original TFW CSV, in file order."""
    faces: dict[str, list[Face]] = {}
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    for line, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != _CSV_COLUMNS:
            raise AnnotationError(path, f"expected {_CSV_COLUMNS} columns (image, xs, ys, xe, ye, "
                                        f"5 x (x, y)), got {len(row)}", line)
        try:
            values = np.asarray(row[1:], dtype=np.float32)
        except ValueError:
            raise AnnotationError(path, f"non-numeric coordinate in {row}", line) from None
        box, points = values[:4], values[4:].reshape(NUM_POINTS, 2)
        if box[2] <= box[0] or box[3] <= box[1]:
            raise AnnotationError(path, f"box {box.tolist()} has xe <= xs or ye <= ys", line)
        visible = ~(points <= YOLO5FACE_MISSING).all(axis=1)
        points[~visible] = np.nan
        faces.setdefault(row[0], []).append(Face(box=box, landmarks=points, visible=visible))
    return faces


def _load_csv_layout(root: Path, splits: list[str], environment: str | None) -> Iterator[LabelledImage]:
    for split in splits:
        csv_files = sorted((root / split).glob(f"{environment or '*'}.csv"))
        for csv_path in csv_files:
            env = csv_path.stem
            folders = [root / split / env, root / split / f"{env}_gray"]
            for name, faces in _csv_faces(csv_path).items():
                image_path = next((f / name for f in folders if (f / name).is_file()), None)
                if image_path is None:
                    raise AnnotationError(csv_path, f"image {name!r} not found in "
                                                    f"{[str(f) for f in folders]}")
                for face in faces:
                    face.attributes["environment"] = env
                yield LabelledImage(image=read_image(image_path), faces=faces, split=split,
                                    source=f"{NAME}:{image_path.relative_to(root)}")


def load_tfw(root: str | Path, split: str | None = None, *,
             environment: str | None = None) -> Iterator[LabelledImage]:
    """TFW images of ``split`` (None: every split present) from either layout."""
    check_split(split)
    root = Path(root)
    splits = [split] if split else list(SPLITS)
    if any(next((root / s).glob("*.csv"), None) for s in splits):
        yield from _load_csv_layout(root, splits, environment)
        return
    if environment is not None:
        raise ValueError("environment= selects original TFW CSVs; the YOLO export has no environment")
    for image_path, label_path, record_split in yolo_pairs(root, split):
        image = read_image(image_path)
        height, width = image.shape[:2]
        faces = [] if label_path is None else read_yolo_faces(label_path, width, height, point_fields=2,
                                                              num_points=NUM_POINTS)
        yield LabelledImage(image=image, faces=faces, split=record_split,
                            source=f"{NAME}:{image_path.relative_to(root)}")
