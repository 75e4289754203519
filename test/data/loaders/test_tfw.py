"""TFW loader: YOLO export (normalised box + 5 points) and the original pixel CSV release."""

import cv2
import numpy as np
import pytest

from thermal_fld_ros.data.loaders import AnnotationError
from thermal_fld_ros.data.loaders.tfw import load_tfw

W, H = 100, 80


def write_image(path, channels=3):
    path.parent.mkdir(parents=True, exist_ok=True)
    grey = np.full((H, W), 90, np.uint8)
    cv2.imwrite(str(path), np.dstack([grey] * channels) if channels > 1 else grey)


def write_yolo(root, split, name, lines):
    write_image(root / split / "images" / f"{name}.png")
    if lines is not None:
        (root / split / "labels").mkdir(parents=True, exist_ok=True)
        (root / split / "labels" / f"{name}.txt").write_text("\n".join(lines) + "\n")


def test_yolo_line_becomes_pixel_box_and_five_visible_points(tmp_path):
    # box centre (50, 40), size 20 x 16 -> (40, 32, 60, 48); points at x = 0.4..0.6 of 100, y = 0.5 of 80
    write_yolo(tmp_path, "train", "a", ["0 0.5 0.5 0.2 0.2 0.4 0.5 0.6 0.5 0.5 0.55 0.45 0.6 0.55 0.6"])
    record = next(load_tfw(tmp_path))
    face = record.faces[0]
    np.testing.assert_allclose(face.box, [40, 32, 60, 48])
    np.testing.assert_allclose(face.landmarks, [[40, 40], [60, 40], [50, 44], [45, 48], [55, 48]])
    assert face.visible.all() and face.landmarks.shape == (5, 2)
    assert record.image.shape == (H, W), "grey stored as three equal channels loads as grey"
    assert record.split == "train" and record.source == "tfw:train/images/a.png"


def test_several_faces_a_box_only_face_and_an_unannotated_point(tmp_path):
    write_yolo(tmp_path, "val", "b", [
        "0 0.5 0.5 0.2 0.2 0.4 0.5 0.6 0.5 -1 -1 0.45 0.6 0.55 0.6",
        "0 0.2 0.2 0.1 0.1",
    ])
    first, box_only = next(load_tfw(tmp_path, "val")).faces
    assert first.visible.tolist() == [True, True, False, True, True]
    assert np.isnan(first.landmarks[2]).all()
    assert box_only.landmarks is None
    np.testing.assert_allclose(box_only.box, [15, 12, 25, 20])


def test_image_without_label_file_has_no_faces(tmp_path):
    write_yolo(tmp_path, "test", "empty", None)
    assert next(load_tfw(tmp_path, "test")).faces == []


@pytest.mark.parametrize("line, message", [
    ("0 0.5 0.5 0.2 0.2 0.4 0.5 0.6 0.5", "expected 5 points, got 2"),
    ("0 50 40 20 16 0.4 0.5 0.6 0.5 0.5 0.55 0.45 0.6 0.55 0.6", "normalised"),
    ("0 0.5 0.5 0.2 0.2 0.4 0.5 0.6 0.5 0.5 0.55 0.45 0.6 55 60", "normalised"),
    ("0 0.5 0.5 0.2", "expected 'cls cx cy w h"),
    ("0 0.5 0.5 0.2 zero", "non-numeric"),
])
def test_malformed_yolo_line_names_file_and_line(tmp_path, line, message):
    write_yolo(tmp_path, "train", "bad", ["0 0.5 0.5 0.2 0.2", line])
    with pytest.raises(AnnotationError, match=rf"bad\.txt:2: .*{message}"):
        list(load_tfw(tmp_path))


def write_original(root, rows, env="indoor"):
    (root / "train").mkdir(parents=True, exist_ok=True)
    header = "image,xs,ys,xe,ye," + ",".join(f"p{i}x,p{i}y" for i in range(1, 6))
    (root / "train" / f"{env}.csv").write_text("\n".join([header] + rows) + "\n")


def test_original_csv_groups_pixel_rows_per_image(tmp_path):
    write_image(tmp_path / "train" / "indoor_gray" / "1.png")
    write_image(tmp_path / "train" / "indoor_gray" / "2.png")
    write_original(tmp_path, ["1.png,10,12,30,40,15,20,25,20,20,26,16,33,24,33",
                              "1.png,50,12,70,40,55,20,65,20,60,26,56,33,64,33",
                              "2.png,10,12,30,40,15,20,25,20,20,26,16,33,24,33"])
    records = list(load_tfw(tmp_path, environment="indoor"))
    assert [len(r.faces) for r in records] == [2, 1]
    np.testing.assert_array_equal(records[0].faces[1].box, [50, 12, 70, 40])
    np.testing.assert_array_equal(records[0].faces[1].landmarks[4], [64, 33])
    assert records[0].faces[0].attributes["environment"] == "indoor"
    assert list(load_tfw(tmp_path, environment="outdoor")) == []


def test_original_csv_with_wrong_column_count_or_missing_image_is_reported(tmp_path):
    write_original(tmp_path, ["1.png,10,12,30,40,15,20"])
    with pytest.raises(AnnotationError, match=r"indoor\.csv:2: expected 15 columns"):
        list(load_tfw(tmp_path))
    write_original(tmp_path, ["9.png,10,12,30,40,15,20,25,20,20,26,16,33,24,33"])
    with pytest.raises(AnnotationError, match="image '9.png' not found"):
        list(load_tfw(tmp_path))


def test_environment_on_a_yolo_export_and_missing_folders_are_refused(tmp_path):
    with pytest.raises(FileNotFoundError, match="no YOLO image folder"):
        list(load_tfw(tmp_path))
    write_yolo(tmp_path, "train", "a", None)
    with pytest.raises(ValueError, match="environment"):
        list(load_tfw(tmp_path, environment="indoor"))
