"""YOLO-pose text labels, any number of points: the common export of annotation tools.

One line per face: ``cls cx cy w h`` then ``x y v`` per point, all normalised by image
width/height; images in ``images/`` and labels in ``labels/`` (layouts: see _common.yolo_pairs).
Visibility ``v`` follows COCO: 0 not annotated (NaN coordinates), 1 annotated but occluded,
2 visible. Exports that write 0/1 for hidden/visible need ``binary_visibility=True``.
An image without a label file is a background image (no faces).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from thermal_fld_ros.data.loaders._common import AnnotationError, read_image, read_yolo_faces, yolo_pairs
from thermal_fld_ros.data.records import LabelledImage

NAME = "yolo_pose"
POINT_FIELDS = 3


def load_yolo_pose(root: str | Path, split: str | None = None, *, num_points: int | None = None,
                   binary_visibility: bool = False) -> Iterator[LabelledImage]:
    """Images of a YOLO-pose tree; every face must have the same number of points.

    ``num_points`` None takes it from the first face with points and holds the rest to it.
    """
    root = Path(root)
    for image_path, label_path, record_split in yolo_pairs(root, split):
        image = read_image(image_path)
        height, width = image.shape[:2]
        faces = [] if label_path is None else read_yolo_faces(
            label_path, width, height, point_fields=POINT_FIELDS, num_points=num_points,
            binary_visibility=binary_visibility)
        for face in faces:
            if face.landmarks is None:
                continue
            if num_points is None:
                num_points = len(face.landmarks)
            elif len(face.landmarks) != num_points:
                raise AnnotationError(label_path, f"{len(face.landmarks)} points, but this dataset has "
                                                  f"{num_points} per face")
        yield LabelledImage(image=image, faces=faces, split=record_split,
                            source=f"{NAME}:{image_path.relative_to(root)}")
