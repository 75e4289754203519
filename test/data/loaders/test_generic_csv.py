"""Generic landmark CSV: the documented columns, derived boxes, attributes and error messages."""

import cv2
import numpy as np
import pytest

from thermal_fld_ros.data.loaders import AnnotationError
from thermal_fld_ros.data.loaders.generic_csv import load_csv
from thermal_fld_ros.layout import NUM_LANDMARKS, face_box_from_landmarks

POINTS = np.stack([10.0 + np.arange(NUM_LANDMARKS), 20.0 + np.arange(NUM_LANDMARKS) % 25], axis=1)
POINT_HEADER = ",".join(f"x{i},y{i}" for i in range(NUM_LANDMARKS))


def point_cells(points=POINTS):
    return ",".join(f"{x:g},{y:g}" for x, y in points)


def write(root, header, rows, images=("a.png",)):
    (root / "imgs").mkdir(exist_ok=True)
    for name in images:
        cv2.imwrite(str(root / name), np.zeros((90, 120), np.uint8))
    path = root / "landmarks.csv"
    path.write_text("\n".join([header] + rows) + "\n")
    return path


def test_missing_box_is_derived_from_landmarks_and_extra_columns_become_attributes(tmp_path):
    write(tmp_path, f"image,subject,split,yaw,glasses,note,{POINT_HEADER}",
          [f"a.png,s7,test,-42.5,yes,frontal light,{point_cells()}"])
    record = next(load_csv(tmp_path))
    face = record.faces[0]
    np.testing.assert_array_equal(face.landmarks, POINTS.astype(np.float32))
    np.testing.assert_allclose(face.box, face_box_from_landmarks(POINTS))
    assert face.attributes == {"yaw": -42.5, "glasses": True, "note": "frontal light"}
    assert (record.subject, record.split, record.source) == ("s7", "test", "csv:a.png")


def test_given_box_is_used_and_rows_of_one_image_are_its_faces(tmp_path):
    write(tmp_path, f"image,box_x1,box_y1,box_x2,box_y2,{POINT_HEADER}",
          [f"a.png,1,2,110,80,{point_cells()}", f"a.png,5,6,50,60,{point_cells(POINTS + 1)}"])
    records = list(load_csv(tmp_path / "landmarks.csv"))  # the CSV path itself works too
    assert len(records) == 1 and len(records[0].faces) == 2
    np.testing.assert_array_equal(records[0].faces[1].box, [5, 6, 50, 60])


def test_empty_or_minus_one_cells_are_unannotated_and_v_columns_mark_occlusion(tmp_path):
    header = "image,x0,y0,x1,y1,x2,y2,v0,v1,v2"
    write(tmp_path, header, ["a.png,10,20,,,-1,-1,0,1,1"])
    face = next(load_csv(tmp_path)).faces[0]
    assert face.visible.tolist() == [False, False, False]
    np.testing.assert_array_equal(face.landmarks[0], [10, 20])
    assert np.isnan(face.landmarks[1:]).all()
    # The occluded point's position is known, so it alone places the (degenerate) box.
    np.testing.assert_array_equal(face.box, [10, 20, 10, 20])


def test_split_filters_rows_and_needs_a_split_column(tmp_path):
    write(tmp_path, f"image,split,{POINT_HEADER}",
          [f"a.png,train,{point_cells()}", f"b.png,test,{point_cells()}"], images=("a.png", "b.png"))
    assert [r.source for r in load_csv(tmp_path, "test")] == ["csv:b.png"]
    write(tmp_path, f"image,{POINT_HEADER}", [f"a.png,{point_cells()}"])
    with pytest.raises(AnnotationError, match="no 'split' column"):
        list(load_csv(tmp_path, "test"))


@pytest.mark.parametrize("header, row, message", [
    (f"image,box_x1,box_y1,box_x2,box_y2,{POINT_HEADER}", f"a.png,1,2,,,{point_cells()}", "incomplete box"),
    (f"image,box_x1,box_y1,box_x2,box_y2,{POINT_HEADER}", f"a.png,9,2,3,8,{point_cells()}", "x2 <= x1"),
    (f"image,{POINT_HEADER}", f"missing.png,{point_cells()}", "image 'missing.png' not found"),
    (f"image,{POINT_HEADER}", f"a.png,ten,{point_cells()[3:]}", "landmark 0 is not numeric"),
    (f"image,{POINT_HEADER}", f"a.png,,{point_cells()[3:]}", "landmark 0 has only one coordinate"),
    ("image,x0,y0", "a.png,,", "neither a box nor any annotated landmark"),
    (f"file,{POINT_HEADER}", f"a.png,{point_cells()}", r"missing column\(s\) \['image'\]"),
])
def test_malformed_rows_name_the_csv_and_line(tmp_path, header, row, message):
    write(tmp_path, header, [row])
    with pytest.raises(AnnotationError, match=rf"landmarks\.csv:\d+: .*{message}"):
        list(load_csv(tmp_path))


def test_point_count_is_checked_when_given_and_folder_needs_one_csv(tmp_path):
    write(tmp_path, f"image,{POINT_HEADER}", [f"a.png,{point_cells()}"])
    with pytest.raises(AnnotationError, match="54 landmark column pairs x<i>,y<i>, expected 5"):
        list(load_csv(tmp_path, num_points=5))
    (tmp_path / "landmarks.csv").rename(tmp_path / "one.csv")
    (tmp_path / "two.csv").write_text("image\n")
    with pytest.raises(FileNotFoundError, match="exactly one CSV"):
        list(load_csv(tmp_path))
