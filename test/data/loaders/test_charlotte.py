"""Charlotte-ThermalFace loader: 16-bit frames unchanged, per-subject CSV landmarks, attributes."""

import cv2
import numpy as np
import pytest

from thermal_fld_ros.data.loaders import AnnotationError
from thermal_fld_ros.data.loaders.charlotte import load_charlotte

RAW = 30815  # centikelvin: 308.15 K = 35.0 degrees C


def write_subject(root, subject="S1", ids=("R10001",), k=72, in_folder=False, extra="Sensation,Distance",
                  extra_values="-1,2.5"):
    folder = root / subject
    folder.mkdir(parents=True, exist_ok=True)
    for image_id in ids:
        frame = np.full((60, 80), RAW, np.uint16)
        frame[0, 0] = 29315  # 20.0 degrees C
        assert cv2.imwrite(str(folder / f"{image_id}.tiff"), frame)
    header = ",".join(["ID", extra] + [f"x{i},y{i}" for i in range(k)])
    cells = [f"{10 + i % 50},{5 + i % 40}" for i in range(k)]
    rows = [",".join([image_id, extra_values] + cells) for image_id in ids]
    path = (folder / "annotations.csv") if in_folder else (root / f"{subject}.csv")
    path.write_text("\n".join([header] + rows) + "\n")
    return path


def test_sixteen_bit_frame_is_returned_unchanged_with_72_points_and_attributes(tmp_path):
    write_subject(tmp_path)
    record = next(load_charlotte(tmp_path))
    assert record.image.dtype == np.uint16 and record.image[1, 1] == RAW and not record.radiometric
    face = record.faces[0]
    assert face.landmarks.shape == (72, 2) and face.visible.all()
    np.testing.assert_array_equal(face.landmarks[3], [13, 8])
    assert face.attributes == {"Sensation": -1.0, "Distance": 2.5, "subject": "S1"}
    assert record.subject == "S1" and record.source == "charlotte:S1/R10001.tiff"
    # No box in the annotation: it covers the landmarks (x 10..59, y 5..44) plus the forehead.
    x1, y1, x2, y2 = face.box
    assert (x1, x2, y2) == (10, 59, 44) and y1 < 5


def test_celsius_option_converts_centikelvin(tmp_path):
    write_subject(tmp_path)
    record = next(load_charlotte(tmp_path, celsius=True))
    assert record.radiometric and record.image.dtype == np.float32
    assert record.image[1, 1] == pytest.approx(35.0, abs=1e-4)
    assert record.image[0, 0] == pytest.approx(20.0, abs=1e-4)


def test_43_point_csv_inside_the_subject_folder_and_subject_filter(tmp_path):
    write_subject(tmp_path, "S2", ids=("R20001", "R20002"), k=43, in_folder=True)
    write_subject(tmp_path, "S3")
    records = list(load_charlotte(tmp_path, subjects=["S2"]))
    assert [r.faces[0].landmarks.shape for r in records] == [(43, 2), (43, 2)]
    assert {r.subject for r in records} == {"S2"}


def test_unexpected_point_count_missing_image_and_split_are_reported(tmp_path):
    path = write_subject(tmp_path, k=50)
    with pytest.raises(AnnotationError, match=rf"{path.name}:1: 50 landmark column pairs"):
        list(load_charlotte(tmp_path))
    path = write_subject(tmp_path)
    (tmp_path / "S1" / "R10001.tiff").unlink()
    with pytest.raises(AnnotationError, match=rf"{path.name}:2: no image named 'R10001'"):
        list(load_charlotte(tmp_path))
    with pytest.raises(ValueError, match="no official split"):
        list(load_charlotte(tmp_path, "test"))


def test_csv_without_id_column_is_refused(tmp_path):
    (tmp_path / "S1.csv").write_text("Name,x0,y0\nR1,1,2\n")
    with pytest.raises(AnnotationError, match=r"S1\.csv:1: missing column\(s\) \['ID'\]"):
        list(load_charlotte(tmp_path))
