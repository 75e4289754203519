"""SF-TL54 (IS2AI): 54 landmarks on thermal frames with aligned RGB pairs, LabelMe JSON.

Layout: ``<root>[/dataset]/{gray,iron,rgb}/{train,val,test}/{images,json}/NAME.(png,json)``.
Each JSON holds ``shapes``: one rectangle labelled ``face`` (two corner points) and 54 point
shapes. The subject id is the leading number of NAME, the recording trial the second one.

Landmark order (assumption, documented because the labels are not specified): when the 54 point
labels are integers forming exactly 0..53 or 1..54, the label is the index (1-based shifted
down). Otherwise the points are taken in order of appearance, which is what the dataset authors'
own ``build_dlib_landmarks_xml.py`` does (it ignores the labels).

Glasses: when ``metadata.csv`` of the dataset repository (Sub_ID, Split, ..., Acc_Trial_1,
Acc_Trial_2) is found in the root or next to the modality folders, faces get
``attributes["glasses"]`` for their trial, so metrics can be split by glasses.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from thermal_fld_ros.data.loaders._common import (
    SPLITS,
    AnnotationError,
    box_from_points,
    check_split,
    find_image,
    read_csv_rows,
    read_image,
)
from thermal_fld_ros.data.records import Face, LabelledImage
from thermal_fld_ros.layout import FLIP_PERMUTATION, NUM_LANDMARKS, flip_landmarks

NAME = "sftl54"
MODALITIES = ("gray", "iron", "rgb")
FACE_LABEL = "face"
#: Subject-id ranges (inclusive) of each split. "published": the experiments of the SF-TL54
#: paper; "metadata": the dataset's metadata.csv (REFERENCE.md section 2).
PROTOCOLS: dict[str, tuple[tuple[int, int, str], ...]] = {
    "published": ((1, 100, "train"), (101, 110, "val"), (111, 142, "test")),
    "metadata": ((1, 100, "train"), (101, 120, "val"), (121, 142, "test")),
}
#: Appended to LabelledImage.source of the horizontally mirrored test copies.
MIRRORED_SUFFIX = "#mirrored"
METADATA_FILE = "metadata.csv"
_LEADING_NUMBERS = re.compile(r"^(\d+)(?:_(\d+))?")


def protocol_split(subject: int, protocol: str) -> str:
    """Split of ``subject`` under a subject-id protocol."""
    if protocol not in PROTOCOLS:
        raise ValueError(f"unknown protocol {protocol!r}; expected one of {sorted(PROTOCOLS)}")
    for first, last, split in PROTOCOLS[protocol]:
        if first <= subject <= last:
            return split
    raise ValueError(f"subject {subject} is outside the {protocol!r} protocol (subjects 1-142)")


def _point_order(labels: list[str]) -> list[int]:
    """Landmark index of each point shape, from integer labels or order of appearance."""
    try:
        numbers = [int(float(label)) for label in labels]
    except (ValueError, OverflowError):
        return list(range(len(labels)))
    for base in (0, 1):
        if sorted(numbers) == list(range(base, base + len(labels))):
            return [n - base for n in numbers]
    return list(range(len(labels)))


def parse_labelme(path: Path, image_size: tuple[int, int] | None = None) -> Face:
    """The face of one SF-TL54 LabelMe file; ``image_size`` (w, h) is checked when given."""
    try:
        data = json.loads(path.read_text())
        shapes = data["shapes"]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise AnnotationError(path, f"not a LabelMe JSON with 'shapes' ({exc})") from None
    if image_size is not None and "imageWidth" in data and "imageHeight" in data:
        if (data["imageWidth"], data["imageHeight"]) != image_size:
            raise AnnotationError(path, f"annotated for a {data['imageWidth']}x{data['imageHeight']} "
                                        f"image, but the image is {image_size[0]}x{image_size[1]}")
    boxes, labels, coords = [], [], []
    for number, shape in enumerate(shapes):
        try:
            kind, label, points = shape.get("shape_type", "point"), str(shape["label"]), shape["points"]
            xy = np.asarray(points, dtype=np.float32).reshape(-1, 2)
        except (KeyError, TypeError, ValueError, AttributeError):
            raise AnnotationError(path, f"shape #{number} is malformed: {shape!r:.120}") from None
        if label.lower() == FACE_LABEL:
            if kind != "rectangle" or len(xy) != 2:
                raise AnnotationError(path, f"the '{FACE_LABEL}' shape must be a rectangle of two corners")
            boxes.append(np.concatenate([xy.min(axis=0), xy.max(axis=0)]))
        elif kind == "point":
            if len(xy) != 1:
                raise AnnotationError(path, f"point shape {label!r} has {len(xy)} points, expected 1")
            labels.append(label)
            coords.append(xy[0])
    if len(boxes) > 1:
        raise AnnotationError(path, f"{len(boxes)} '{FACE_LABEL}' rectangles; SF-TL54 has one face per image")
    if len(coords) != NUM_LANDMARKS:
        raise AnnotationError(path, f"{len(coords)} landmark points, expected {NUM_LANDMARKS}")
    landmarks = np.zeros((NUM_LANDMARKS, 2), dtype=np.float32)
    landmarks[_point_order(labels)] = np.asarray(coords, dtype=np.float32)
    visible = np.ones(NUM_LANDMARKS, dtype=bool)
    box = boxes[0].astype(np.float32) if boxes else box_from_points(landmarks)
    return Face(box=box, landmarks=landmarks, visible=visible)


def _glasses_table(base: Path) -> dict[tuple[int, int], bool]:
    """(subject, trial) -> wears glasses, from the dataset repository's metadata.csv."""
    for folder in (base, base.parent):
        path = folder / METADATA_FILE
        if path.is_file():
            rows = read_csv_rows(path, ("Sub_ID", "Acc_Trial_1", "Acc_Trial_2"))
            try:
                return {(int(row["Sub_ID"]), trial): "glasses" in row[f"Acc_Trial_{trial}"].lower()
                        for _, row in rows for trial in (1, 2)}
            except ValueError:
                raise AnnotationError(path, "Sub_ID must be an integer") from None
    return {}


def _mirrored(record: LabelledImage) -> LabelledImage:
    """Horizontally mirrored copy, landmarks re-indexed left<->right (published test protocol)."""
    width = record.image.shape[1]
    face = record.faces[0]
    x1, y1, x2, y2 = face.box
    mirrored = Face(
        box=np.array([width - 1 - x2, y1, width - 1 - x1, y2], dtype=np.float32),
        landmarks=flip_landmarks(face.landmarks, width),
        visible=face.visible[FLIP_PERMUTATION],
        attributes={**face.attributes, "mirrored": True},
    )
    rgb = None if record.rgb is None else np.ascontiguousarray(record.rgb[:, ::-1])
    return LabelledImage(image=np.ascontiguousarray(record.image[:, ::-1]), faces=[mirrored],
                         radiometric=record.radiometric, rgb=rgb,
                         source=record.source + MIRRORED_SUFFIX, subject=record.subject, split=record.split)


def load_sftl54(root: str | Path, split: str | None = None, *, modality: str = "gray",
                protocol: str | None = None, mirrored_test: bool = False) -> Iterator[LabelledImage]:
    """SF-TL54 images of ``split`` (None: all), optionally re-split by subject ``protocol``.

    Without a protocol the split is the folder the file lies in. ``mirrored_test`` follows each
    test image with its mirrored copy. For gray/iron, the aligned RGB frame of the same NAME
    fills ``rgb`` when present.
    """
    check_split(split)
    if modality not in MODALITIES:
        raise ValueError(f"unknown SF-TL54 modality {modality!r}; expected one of {MODALITIES}")
    if protocol is not None and protocol not in PROTOCOLS:
        raise ValueError(f"unknown protocol {protocol!r}; expected one of {sorted(PROTOCOLS)}")
    root = Path(root)
    base = root / "dataset" if (root / "dataset").is_dir() else root
    folders = [split] if split and protocol is None else list(SPLITS)
    json_files = [(path, folder) for folder in folders
                  for path in sorted((base / modality / folder / "json").glob("*.json"))]
    if not json_files:
        raise FileNotFoundError(f"{base}: no SF-TL54 JSON under {modality}/{{{','.join(folders)}}}/json")
    glasses = _glasses_table(base)
    for json_path, folder in json_files:
        match = _LEADING_NUMBERS.match(json_path.stem)
        if match is None:
            raise AnnotationError(json_path, "file name does not start with the subject id")
        subject = int(match.group(1))
        record_split = protocol_split(subject, protocol) if protocol else folder
        if split and record_split != split:
            continue
        image_dir = base / modality / folder / "images"
        image_path = find_image(image_dir, json_path.stem)
        if image_path is None:
            raise AnnotationError(json_path, f"no image {json_path.stem}.* in {image_dir}")
        image = read_image(image_path, keep_colour=modality != "gray")
        face = parse_labelme(json_path, (image.shape[1], image.shape[0]))
        face.attributes["subject"] = str(subject)
        trial = int(match.group(2)) if match.group(2) else None
        if (subject, trial) in glasses:
            face.attributes["glasses"] = glasses[(subject, trial)]
        rgb = None
        if modality != "rgb":
            rgb_path = (find_image(base / "rgb" / folder / "images", json_path.stem)
                        or find_image(base / "rgb" / folder, json_path.stem))
            rgb = read_image(rgb_path, keep_colour=True) if rgb_path else None
        record = LabelledImage(image=image, faces=[face], rgb=rgb, subject=str(subject), split=record_split,
                               source=f"{NAME}:{image_path.relative_to(base)}")
        yield record
        if mirrored_test and record_split == "test":
            yield _mirrored(record)
