"""Detector output decoding: peaks -> boxes in frame pixels through the letterbox, NMS, IoU."""

from __future__ import annotations

import numpy as np

from thermal_fld_ros.detection.decode import box_iou, decode, nms
from thermal_fld_ros.detection.inputs import INPUT_HEIGHT, INPUT_WIDTH, STRIDE, letterbox_geometry

GH, GW = INPUT_HEIGHT // STRIDE, INPUT_WIDTH // STRIDE


def maps(peaks: list[tuple[int, int, float, float, float]]):
    """Heatmap/size/offset with peaks (gy, gx, score, w, h) in input pixels, offset 0.5 cell."""
    heat = np.zeros((1, GH, GW), np.float32)
    size = np.zeros((2, GH, GW), np.float32)
    offset = np.full((2, GH, GW), 0.5, np.float32)
    for gy, gx, score, w, h in peaks:
        heat[0, gy, gx] = score
        size[:, gy, gx] = (w, h)
    return heat, size, offset


def test_peak_becomes_a_box_in_frame_pixels_through_the_letterbox():
    geometry = letterbox_geometry(640, 512)  # scale 0.5
    heat, size, offset = maps([(20, 30, 0.9, 40, 48)])
    found = decode(heat, size, offset, geometry)
    cx, cy = (30.5 * STRIDE) / 0.5, (20.5 * STRIDE) / 0.5
    np.testing.assert_allclose(found.boxes, [[cx - 40, cy - 48, cx + 40, cy + 48]], atol=1e-3)
    np.testing.assert_allclose(found.scores, [0.9])


def test_threshold_local_maxima_and_ordering():
    geometry = letterbox_geometry(320, 256)
    heat, size, offset = maps([(10, 10, 0.5, 20, 20), (10, 11, 0.4, 20, 20),  # neighbour: not a peak
                               (40, 60, 0.8, 30, 30), (50, 5, 0.2, 20, 20)])  # below threshold
    found = decode(heat, size, offset, geometry, threshold=0.3)
    np.testing.assert_allclose(found.scores, [0.8, 0.5])


def test_boxes_are_clipped_to_the_frame():
    geometry = letterbox_geometry(320, 240)  # input 320x240 inside 320x256
    heat, size, offset = maps([(1, 1, 0.9, 40, 40)])
    box = decode(heat, size, offset, geometry).boxes[0]
    assert box[0] == 0 and box[1] == 0
    heat, size, offset = maps([(58, GW - 2, 0.9, 40, 40)])  # near the bottom-right corner
    box = decode(heat, size, offset, geometry).boxes[0]
    assert box[2] == 320 and box[3] == 240


def test_nms_removes_overlapping_lower_scores():
    boxes = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]], np.float32)
    keep = nms(boxes, np.array([0.5, 0.9, 0.4], np.float32))
    assert keep.tolist() == [1, 2]


def test_iou():
    a = np.array([[0, 0, 10, 10]], np.float32)
    b = np.array([[5, 0, 15, 10], [20, 20, 30, 30]], np.float32)
    np.testing.assert_allclose(box_iou(a, b), [[50 / 150, 0.0]], atol=1e-6)
