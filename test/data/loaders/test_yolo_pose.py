"""YOLO-pose loader: any number of points with COCO visibility, the usual folder layouts."""

import cv2
import numpy as np
import pytest

from thermal_fld_ros.data.loaders import AnnotationError
from thermal_fld_ros.data.loaders.yolo_pose import load_yolo_pose

W, H = 40, 20


def write(root, name, lines, layout="ultralytics", split="val"):
    images, labels = {"ultralytics": (root / "images" / split, root / "labels" / split),
                      "flat": (root / "images", root / "labels")}[layout]
    images.mkdir(parents=True, exist_ok=True)
    labels.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(images / f"{name}.png"), np.zeros((H, W), np.uint16))
    (labels / f"{name}.txt").write_text("\n".join(lines) + "\n")


def test_points_are_scaled_by_width_and_height_and_coco_flags_set_visibility(tmp_path):
    write(tmp_path, "a", ["0 0.5 0.5 0.5 0.5 0.25 0.5 2 0.75 0.5 1 0 0 0"])
    record = next(load_yolo_pose(tmp_path))
    face = record.faces[0]
    np.testing.assert_allclose(face.box, [10, 5, 30, 15])
    np.testing.assert_allclose(face.landmarks[:2], [[10, 10], [30, 10]])
    assert face.visible.tolist() == [True, False, False]  # 2 visible, 1 occluded, 0 unlabelled
    assert np.isnan(face.landmarks[2]).all(), "an unlabelled point must not pass for (0, 0)"
    assert record.image.dtype == np.uint16, "16-bit frames load unchanged"
    assert record.split == "val"


def test_binary_visibility_reads_one_as_visible(tmp_path):
    write(tmp_path, "a", ["0 0.5 0.5 0.5 0.5 0.25 0.5 1 0.75 0.5 0"], layout="flat")
    face = next(load_yolo_pose(tmp_path, binary_visibility=True)).faces[0]
    assert face.visible.tolist() == [True, False]
    np.testing.assert_allclose(face.landmarks[1], [30, 10])


def test_split_selects_the_subfolder(tmp_path):
    write(tmp_path, "t", ["0 0.5 0.5 0.5 0.5"], split="train")
    write(tmp_path, "v", ["0 0.5 0.5 0.5 0.5"], split="val")
    assert [r.source for r in load_yolo_pose(tmp_path, "train")] == ["yolo_pose:images/train/t.png"]
    assert len(list(load_yolo_pose(tmp_path))) == 2


def test_a_file_with_another_point_count_than_the_first_is_refused(tmp_path):
    write(tmp_path, "a", ["0 0.5 0.5 0.5 0.5 0.25 0.5 2 0.75 0.5 2"])
    write(tmp_path, "b", ["0 0.5 0.5 0.5 0.5 0.25 0.5 2"])
    with pytest.raises(AnnotationError, match=r"b\.txt.*expected 2 points, got 1"):
        list(load_yolo_pose(tmp_path))
    with pytest.raises(AnnotationError, match=r"a\.txt.*expected 1 points, got 2"):
        list(load_yolo_pose(tmp_path, num_points=1))


@pytest.mark.parametrize("line, message", [
    ("0 0.5 0.5 0.5 0.5 0.25 0.5", "do not form points of 3"),
    ("0 0.5 0.5 0 0.5", "positive"),
    ("face 0.5 0.5 0.5 0.5", "non-numeric"),
    ("0 nan 0.5 0.5 0.5", "non-numeric"),
])
def test_malformed_lines_name_file_and_line(tmp_path, line, message):
    write(tmp_path, "bad", ["", line])
    with pytest.raises(AnnotationError, match=rf"bad\.txt:2: .*{message}"):
        list(load_yolo_pose(tmp_path))


def test_unreadable_image_is_reported_with_its_path(tmp_path):
    write(tmp_path, "a", ["0 0.5 0.5 0.5 0.5"])
    (tmp_path / "images" / "val" / "a.png").write_bytes(b"not a png")
    with pytest.raises(AnnotationError, match=r"a\.png: cannot be decoded"):
        list(load_yolo_pose(tmp_path))
