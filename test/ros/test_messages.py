"""Landmark and face clouds carry the camera header and read back with numpy alone."""

import numpy as np
import pytest
from std_msgs.msg import Header

from thermal_fld_ros.pipeline import FaceResult
from thermal_fld_ros.ros import messages


def _face(track_id: int, temperatures: bool) -> FaceResult:
    rng = np.random.default_rng(track_id)
    return FaceResult(bbox=np.array([1, 2, 30, 40], np.float32), score=0.9, track_id=track_id,
                 landmarks=rng.uniform(0, 50, (54, 2)).astype(np.float32),
                 landmark_scores=rng.uniform(0, 1, 54).astype(np.float32),
                 temperatures_c=rng.uniform(30, 37, 54).astype(np.float32) if temperatures else None)


def _header() -> Header:
    header = Header(frame_id="thermal_optical")
    header.stamp.sec, header.stamp.nanosec = 12, 345
    return header


def test_landmark_cloud_holds_every_point_of_every_face_with_its_track_id():
    faces = [_face(3, temperatures=True), _face(7, temperatures=False)]
    msg = messages.landmarks_cloud(_header(), faces)
    assert (msg.header.frame_id, msg.header.stamp.sec, msg.header.stamp.nanosec) == ("thermal_optical", 12, 345)
    assert msg.width == 108 and msg.height == 1
    rec = messages.cloud_records(msg, messages.LANDMARK_DTYPE)
    np.testing.assert_allclose(rec["x"][:54], faces[0].landmarks[:, 0])
    np.testing.assert_allclose(rec["y"][54:], faces[1].landmarks[:, 1])
    np.testing.assert_allclose(rec["temperature"][:54], faces[0].temperatures_c)
    assert np.isnan(rec["temperature"][54:]).all(), "non-radiometric faces must say NaN, not 0"
    assert rec["track_id"].tolist() == [3] * 54 + [7] * 54
    assert rec["index"].tolist() == list(range(54)) * 2


def test_cloud_fields_describe_the_record_layout_for_generic_readers():
    msg = messages.landmarks_cloud(_header(), [_face(1, True)])
    names = [f.name for f in msg.fields]
    assert names == list(messages.LANDMARK_DTYPE.names)
    assert [f.offset for f in msg.fields] == [messages.LANDMARK_DTYPE.fields[n][1] for n in names]
    assert msg.point_step == messages.LANDMARK_DTYPE.itemsize


def test_empty_frame_gives_an_empty_cloud_not_an_error():
    msg = messages.landmarks_cloud(_header(), [])
    assert msg.width == 0 and len(msg.data) == 0


def test_face_cloud_has_one_point_per_face():
    rec = messages.cloud_records(messages.faces_cloud(_header(), [_face(4, False)]), messages.FACE_DTYPE)
    assert rec["track_id"].tolist() == [4]
    np.testing.assert_allclose([rec["x1"][0], rec["y2"][0]], [1, 40])


def test_reading_with_the_wrong_layout_is_refused():
    msg = messages.faces_cloud(_header(), [_face(4, False)])
    with pytest.raises(ValueError, match="point_step"):
        messages.cloud_records(msg, messages.LANDMARK_DTYPE)


def test_overlay_image_is_bgr8_with_the_input_header():
    bgr = np.zeros((4, 6, 3), np.uint8)
    bgr[1, 2] = (255, 0, 0)
    msg = messages.bgr_image(_header(), bgr)
    assert (msg.encoding, msg.width, msg.height, msg.step) == ("bgr8", 6, 4, 18)
    assert msg.header.frame_id == "thermal_optical"
    assert bytes(msg.data) == bgr.tobytes()
