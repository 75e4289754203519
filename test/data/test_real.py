"""Real thermal faces in the shared data: counts, boxes inside frames, attributes, radiometry.

Needs ../shared/data/real_thermal_faces (or THERMAL_FLD_SHARED); skipped where it is absent.
Only tufts_attributes is checked without the data.
"""

import numpy as np
import pytest

from thermal_fld_ros.data.loaders import AnnotationError
from thermal_fld_ros.data.records import Face, LabelledImage
from thermal_fld_ros.data.real import box_holdout, iter_real, read_voc_boxes, tufts_attributes
from thermal_fld_ros.resources import shared_data_dir

needs_data = pytest.mark.skipif(
    shared_data_dir() is None,
    reason="shared real_thermal_faces data absent (../shared/data or THERMAL_FLD_SHARED)")

TUFTS_SIZE, TERRAVIC_SIZE = (256, 336), (240, 320)


def assert_boxes_inside(records, size):
    for record in records:
        assert record.image.shape == size, record.source
        for face in record.faces:
            x1, y1, x2, y2 = face.box
            assert 0 <= x1 < x2 <= size[1] and 0 <= y1 < y2 <= size[0], (record.source, face.box)


def test_tufts_names_give_pose_expression_and_sunglasses():
    assert tufts_attributes("12_TD_IR_A_0") == {"subject": "12", "pose_index": 0, "sunglasses": False,
                                                "abs_yaw": 90.0}
    assert tufts_attributes("12_TD_IR_A_4")["abs_yaw"] == 0.0
    assert tufts_attributes("12_TD_IR_A_7")["abs_yaw"] == 67.5
    assert tufts_attributes("3_TD_IR_E_5") == {"subject": "3", "expression": "sunglasses", "abs_yaw": 0.0,
                                               "sunglasses": True}
    with pytest.raises(ValueError, match="not a Tufts name"):
        tufts_attributes("12_TD_RGB_A_1")


def test_malformed_voc_file_is_reported_with_its_path(tmp_path):
    path = tmp_path / "face02_0001.xml"
    path.write_text("<annotation><object><name>thermal_face</name><bndbox><xmin>3</xmin></bndbox></object>"
                    "</annotation>")
    with pytest.raises(AnnotationError, match=r"face02_0001\.xml: not PASCAL VOC"):
        read_voc_boxes(path)
    path.write_text("<annotation><object><bndbox><xmin>1</xmin><ymin>2</ymin><xmax>30</xmax><ymax>40</ymax>"
                    "</bndbox></object></annotation>")
    np.testing.assert_array_equal(read_voc_boxes(path)[0], [1, 2, 30, 40])


def test_detector_holdout_is_tufts_subjects_16_to_22_and_terravic_face02():
    def tufts(subject):
        return LabelledImage(np.zeros((4, 4), np.uint8), [], source="real/tufts:images/x.png", subject=subject)

    def terravic(sequence):
        face = Face(box=np.zeros(4, np.float32), attributes={"sequence": sequence})
        return LabelledImage(np.zeros((4, 4), np.uint8), [face], source="real/terravic:images/x.jpg")

    assert [box_holdout(tufts(s)) for s in ("1", "15", "16", "22")] == [False, False, True, True]
    assert (box_holdout(terravic("face02")), box_holdout(terravic("face17"))) == (True, False)


def test_unknown_source_is_refused():
    with pytest.raises(ValueError, match="unknown real source 'flir'"):
        next(iter_real("flir"))


@needs_data
def test_tufts_has_292_boxed_frames_of_subjects_1_to_22_with_one_face_inside_the_frame():
    boxed = list(iter_real("tufts", boxed_only=True))
    assert len(boxed) == 292
    assert {int(r.subject) for r in boxed} == set(range(1, 23))
    assert all(len(r.faces) == 1 and r.faces[0].landmarks is None for r in boxed)
    assert_boxes_inside(boxed, TUFTS_SIZE)
    e5 = [r for r in boxed if r.source.endswith("_E_5.png")]
    assert e5 and all(r.faces[0].attributes["sunglasses"] for r in e5)
    assert {r.faces[0].attributes.get("pose_index") for r in boxed} >= set(range(9))


@needs_data
def test_tufts_without_box_filter_has_all_1545_frames():
    records = list(iter_real("tufts"))
    assert len(records) == 1545 and sum(bool(r.faces) for r in records) == 292
    assert all(r.image.dtype == np.uint8 and r.image.ndim == 2 for r in records)


@needs_data
def test_terravic_has_498_frames_each_with_one_box_inside_the_frame():
    records = list(iter_real("terravic", boxed_only=True))
    assert len(records) == 498 and all(len(r.faces) == 1 for r in records)
    assert_boxes_inside(records, TERRAVIC_SIZE)
    assert {r.faces[0].attributes["sequence"] for r in records} == {"face02", "face17"}


@needs_data
def test_testo_frames_are_float_celsius_with_skin_and_room_temperatures():
    records = list(iter_real("testo"))
    assert len(records) == 12
    for record in records:
        assert record.radiometric and record.image.dtype == np.float32 and record.image.shape == (240, 320)
        assert 30.0 < record.image.max() < 42.0, "hottest pixels are faces (34-38.5 C)"
        assert 10.0 < np.median(record.image) < 30.0, "most of the frame is the room (19-25 C)"


@needs_data
@pytest.mark.parametrize("source, count, ndim", [
    ("puj_und", 600, 2), ("lepton", 190, 2), ("iris", 51, 2), ("handheld", 33, 3)])
def test_unboxed_sources_have_their_documented_counts_and_no_faces(source, count, ndim):
    records = list(iter_real(source))
    assert len(records) == count
    assert all(r.faces == [] and r.image.ndim == ndim and r.image.dtype == np.uint8 for r in records)
    assert all(r.source.startswith(f"real/{source}:") for r in records)


@needs_data
def test_puj_und_subjects_come_from_file_names():
    subjects = {r.subject for r in iter_real("puj_und")}
    assert "PUJ_T360_S01" in subjects and len([s for s in subjects if s.startswith("UND_")]) == 82


@needs_data
def test_misc_mixes_grey_tfw_samples_and_rgb_palette_frames():
    records = list(iter_real("misc"))
    assert len(records) == 7
    grey = [r for r in records if r.image.ndim == 2]
    assert len(grey) == 3 and all(r.image.shape == (348, 464) for r in grey)  # the TFW samples
    assert all(r.image.shape[2] == 3 for r in records if r.image.ndim == 3), "RGBA loses its alpha"


@needs_data
def test_boxed_only_over_all_sources_gives_just_tufts_and_terravic():
    sources = [r.source.split(":")[0] for r in iter_real(boxed_only=True)]
    assert sources.count("real/tufts") == 292 and sources.count("real/terravic") == 498
    assert len(sources) == 790


@needs_data
def test_detector_holdout_shares_no_person_with_the_training_frames():
    records = [r for source in ("tufts", "terravic") for r in iter_real(source, boxed_only=True)]
    held = [r for r in records if box_holdout(r)]
    trained = [r for r in records if not box_holdout(r)]
    assert (len(held), len(trained)) == (186, 604)

    def people(rs):
        return {r.subject or r.faces[0].attributes["sequence"] for r in rs}

    assert not people(held) & people(trained)
