"""Charlotte-ThermalFace (UNC Charlotte): 16-bit radiometric frames, 72 or 43 landmarks.

The dataset's README (TeCSAR-UNCC/UNCC-ThermalFace) states 10 subjects, ~10,000 images, 72 or
43 manually annotated landmarks, "16-bit radiometric TemperatureLinear". It does not document
the annotation files; the assumptions below follow public code that reads the release (three
independent projects agree: S<k>.csv at the root with an ``ID`` column of values like R11185,
``x<i>``/``y<i>`` columns and a thermal ``Sensation`` column; raw frames ``S<k>/R<n>.tiff`` in
centikelvin; 8-bit previews ``S<k>/N<n>.jpg`` beside them, which the R-prefixed IDs never name):
- frames: ``<root>/S<k>/<ID>.tiff`` (raw 16-bit; other extensions accepted), subject folder S<k>;
- annotations: CSV files with a header, one row per image, an ``ID`` column holding the image
  stem and landmark columns ``x0,y0,...,x{K-1},y{K-1}`` in pixels, plus per-image
  environment columns (air temperature, humidity, distance, thermal sensation, ...) that become
  Face attributes. Found as ``<root>/S<k>.csv`` (one per subject) or any CSV inside a subject
  folder (so per-image CSVs of a single row work too). Images are looked up next to the CSV and
  in ``<root>/<CSV stem>/``;
- TemperatureLinear in 0.01 K steps, so ``celsius=True`` gives degrees C = raw / 100 - 273.15.
  By default the 16-bit values are returned unchanged.
There is no box annotation: the box is derived from the landmarks. There is no official split.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from thermal_fld_ros.data.loaders._common import (
    AnnotationError,
    attribute_value,
    box_from_points,
    count_point_columns,
    find_image,
    point_columns,
    points_from_row,
    read_csv_rows,
    read_image,
    require_dir,
)
from thermal_fld_ros.data.records import Face, LabelledImage

NAME = "charlotte"
ID_COLUMN = "ID"
KNOWN_POINT_COUNTS = (72, 43)
#: TemperatureLinear resolution and offset: degrees C = raw * 0.01 - 273.15.
KELVIN_PER_COUNT = 0.01
KELVIN_AT_ZERO_C = 273.15


def _annotation_files(root: Path) -> list[Path]:
    return sorted(root.glob("*.csv")) + sorted(root.glob("*/*.csv"))


def _subject(csv_path: Path, root: Path) -> str:
    return csv_path.stem if csv_path.parent == root else csv_path.parent.name


def load_charlotte(root: str | Path, split: str | None = None, *, subjects: Sequence[str] | None = None,
                   celsius: bool = False) -> Iterator[LabelledImage]:
    """Annotated Charlotte-ThermalFace frames, optionally of some ``subjects`` (e.g. ["S1"])."""
    if split is not None:
        raise ValueError("Charlotte-ThermalFace has no official split; select subjects= instead")
    root = require_dir(Path(root), "Charlotte-ThermalFace root")
    csv_files = [p for p in _annotation_files(root) if subjects is None or _subject(p, root) in subjects]
    if not csv_files:
        raise FileNotFoundError(f"{root}: no annotation CSV (S<k>.csv or S<k>/*.csv)"
                                + (f" for subjects {list(subjects)}" if subjects else ""))
    for csv_path in csv_files:
        rows = read_csv_rows(csv_path, (ID_COLUMN, "x0", "y0"))
        subject = _subject(csv_path, root)
        k = count_point_columns(rows[0][1]) if rows else 0
        if rows and k not in KNOWN_POINT_COUNTS:
            raise AnnotationError(csv_path, f"{k} landmark column pairs x<i>,y<i>; Charlotte-ThermalFace "
                                            f"has {' or '.join(map(str, KNOWN_POINT_COUNTS))}", 1)
        not_attributes = point_columns(k) | {ID_COLUMN}
        for line, row in rows:
            image_path = (find_image(csv_path.parent, row[ID_COLUMN])
                          or find_image(root / csv_path.stem, row[ID_COLUMN]))
            if image_path is None:
                raise AnnotationError(csv_path, f"no image named {row[ID_COLUMN]!r} next to the CSV or in "
                                                f"{root / csv_path.stem}", line)
            image = read_image(image_path)
            if celsius:
                if image.dtype != np.uint16:
                    raise AnnotationError(image_path, "celsius=True needs a 16-bit radiometric frame, "
                                                      f"got {image.dtype}")
                image = image.astype(np.float32) * np.float32(KELVIN_PER_COUNT) - np.float32(KELVIN_AT_ZERO_C)
            points, visible = points_from_row(row, k, csv_path, line)
            if not np.isfinite(points).all(axis=1).any():
                raise AnnotationError(csv_path, f"image {row[ID_COLUMN]!r} has no annotated landmark", line)
            attributes = {key: attribute_value(value) for key, value in row.items()
                          if key not in not_attributes and value}
            attributes["subject"] = subject
            face = Face(box=box_from_points(points), landmarks=points, visible=visible, attributes=attributes)
            yield LabelledImage(image=image, faces=[face], radiometric=celsius, subject=subject,
                                source=f"{NAME}:{image_path.relative_to(root)}")
