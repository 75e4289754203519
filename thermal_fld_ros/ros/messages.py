"""Conversions between ROS messages and the core's arrays and results (no cv_bridge needed).

Landmarks travel as ``sensor_msgs/PointCloud2`` because no standard ROS 2 message holds 2D
keypoints with scores (vision_msgs has none, and is not on every install); a point cloud is typed,
self-describing, carries the camera header and is read with numpy alone:
``np.frombuffer(msg.data, dtype=LANDMARK_DTYPE)``. One point per (face, landmark); x and y are
image pixels, z is always 0. Faces travel the same way, one point per face.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from sensor_msgs.msg import Image, PointCloud2, PointField
from std_msgs.msg import Header

from thermal_fld_ros.pipeline import FaceResult

#: One landmark: pixel position, network score, degrees C (NaN when not radiometric), owner.
LANDMARK_DTYPE = np.dtype([
    ("x", "<f4"), ("y", "<f4"), ("z", "<f4"), ("score", "<f4"),
    ("temperature", "<f4"), ("track_id", "<i4"), ("index", "<i4"),
])
#: One face: box corners, detector/tracker score, track id.
FACE_DTYPE = np.dtype([
    ("x1", "<f4"), ("y1", "<f4"), ("x2", "<f4"), ("y2", "<f4"),
    ("score", "<f4"), ("track_id", "<i4"),
])
_POINTFIELD_TYPES = {np.dtype("<f4"): PointField.FLOAT32, np.dtype("<i4"): PointField.INT32}


def _cloud(header: Header, records: np.ndarray) -> PointCloud2:
    fields = [PointField(name=name, offset=offset, datatype=_POINTFIELD_TYPES[dtype], count=1)
              for name, (dtype, offset) in records.dtype.fields.items()]
    return PointCloud2(header=header, height=1, width=len(records), fields=fields,
                       is_bigendian=False, point_step=records.dtype.itemsize,
                       row_step=records.dtype.itemsize * len(records), is_dense=True,
                       data=records.tobytes())


def landmarks_cloud(header: Header, faces: Sequence[FaceResult]) -> PointCloud2:
    """All landmarks of a frame as one cloud, with the input image's header."""
    parts = []
    for face in faces:
        rec = np.zeros(len(face.landmarks), dtype=LANDMARK_DTYPE)
        rec["x"], rec["y"] = face.landmarks[:, 0], face.landmarks[:, 1]
        rec["score"] = face.landmark_scores
        rec["temperature"] = np.nan if face.temperatures_c is None else face.temperatures_c
        rec["track_id"] = face.track_id
        rec["index"] = np.arange(len(face.landmarks))
        parts.append(rec)
    records = np.concatenate(parts) if parts else np.zeros(0, dtype=LANDMARK_DTYPE)
    return _cloud(header, records)


def faces_cloud(header: Header, faces: Sequence[FaceResult]) -> PointCloud2:
    """One point per face: box, score and track id."""
    records = np.zeros(len(faces), dtype=FACE_DTYPE)
    for rec, face in zip(records, faces):
        rec["x1"], rec["y1"], rec["x2"], rec["y2"] = face.bbox
        rec["score"], rec["track_id"] = face.score, face.track_id
    return _cloud(header, records)


def cloud_records(msg: PointCloud2, dtype: np.dtype) -> np.ndarray:
    """Read a cloud written by this module back into structured records."""
    if msg.point_step != dtype.itemsize:
        raise ValueError(f"point_step {msg.point_step} does not match {dtype.itemsize}")
    return np.frombuffer(bytes(msg.data), dtype=dtype)


def bgr_image(header: Header, bgr: np.ndarray) -> Image:
    """An (H, W, 3) uint8 BGR array (OpenCV's order) as a bgr8 Image (the overlay topic)."""
    height, width = bgr.shape[:2]
    return Image(header=header, height=height, width=width, encoding="bgr8", is_bigendian=0,
                 step=width * 3, data=np.ascontiguousarray(bgr).tobytes())
