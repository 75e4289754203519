"""Landmark metrics against hand-computed values: NME, FR@0.10, AUC@0.10, CED, grouped reports."""

import cv2
import numpy as np
import pytest

from thermal_fld_ros import metrics
from thermal_fld_ros.data.loaders import tfw
from thermal_fld_ros.layout import NUM_LANDMARKS


def sftl54_face(eye_distance=10.0):
    """Ground truth with outer eye corners 36 at (0, 0) and 45 at (eye_distance, 0)."""
    gt = np.zeros((NUM_LANDMARKS, 2))
    gt[45] = (eye_distance, 0.0)
    return gt


def test_nme_is_mean_point_error_over_outer_eye_distance():
    gt = sftl54_face(10.0)
    pred = gt.copy()
    pred[0] += (3, 4)   # error 5
    pred[30] += (6, 8)  # error 10
    # (5 + 10) / 54 points / 10 px = 15 / 540
    assert metrics.nme(pred, gt) == pytest.approx([15 / 540])


def test_nme_of_a_batch_normalises_each_face_by_its_own_eyes():
    gt = np.stack([sftl54_face(10.0), sftl54_face(20.0)])
    pred = gt + (0.0, 2.7)  # every point 2.7 px off
    np.testing.assert_allclose(metrics.nme(pred, gt), [2.7 / 10, 2.7 / 20])


def test_visibility_mask_and_unannotated_points_leave_the_mean():
    gt = sftl54_face(10.0)
    pred = gt.copy()
    pred[0] += (3, 4)
    pred[1] += (6, 8)
    visible = np.zeros(NUM_LANDMARKS, bool)
    visible[[0, 1, 2]] = True
    # (5 + 10 + 0) / 3 points / 10 px
    assert metrics.nme(pred, gt, visible=visible) == pytest.approx([0.5])
    gt_missing = gt.copy()
    gt_missing[3:30] = np.nan  # not annotated: ignored even without a mask
    # (5 + 10) / (54 - 27) points / 10 px
    assert metrics.nme(pred, gt_missing) == pytest.approx([15 / 270])
    assert np.isnan(metrics.nme(pred, gt, visible=np.zeros(NUM_LANDMARKS, bool)))[0]


def test_one_visibility_row_applies_to_every_face_of_a_batch():
    gt = np.stack([sftl54_face(10.0), sftl54_face(20.0)])
    pred = gt.copy()
    pred[:, 0] += (3, 4)  # error 5 on point 0 of both faces
    visible = np.zeros(NUM_LANDMARKS, bool)
    visible[[0, 1]] = True
    # (5 + 0) / 2 points, over 10 and 20 px
    np.testing.assert_allclose(metrics.nme(pred, gt, visible=visible), [0.25, 0.125])


def test_five_point_nme_uses_the_given_eye_centre_indices_or_distances():
    gt = np.array([[0, 0], [20, 0], [10, 10], [4, 20], [16, 20]], float)
    pred = gt.copy()
    pred[2] += (0, 4)
    # 4 / 5 points / 20 px between the eye centres
    assert metrics.nme(pred, gt, normaliser=tfw.EYE_CENTRES) == pytest.approx([0.04])
    assert metrics.nme(pred, gt, normaliser=np.array([8.0])) == pytest.approx([0.1])
    with pytest.raises(ValueError, match="give the normaliser"):
        metrics.nme(pred, gt)


def test_degenerate_normaliser_and_bad_predictions_are_refused():
    gt = sftl54_face(0.0)
    with pytest.raises(ValueError, match=r"zero or unknown for face\(s\) \[0\]"):
        metrics.nme(gt, gt)
    pred = sftl54_face()
    pred[5] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        metrics.nme(pred, sftl54_face())
    with pytest.raises(ValueError, match="must both be"):
        metrics.nme(np.zeros((54, 2)), np.zeros((53, 2)))


def test_failure_rate_counts_nme_strictly_above_the_threshold():
    # 0.15 and 0.30 fail; 0.10 itself does not
    assert metrics.failure_rate([0.05, 0.10, 0.15, 0.30]) == 0.5
    assert metrics.failure_rate([0.05, 0.08], threshold=0.06) == 0.5


def test_auc_is_the_area_under_the_ced_up_to_the_threshold():
    # (0.10 + 0.05 + 0 + 0) / 4 faces / 0.10
    assert metrics.auc([0.0, 0.05, 0.10, 0.30]) == pytest.approx(0.375)
    assert metrics.auc([0.0, 0.0]) == 1.0
    assert metrics.auc([0.2]) == 0.0
    # The closed form agrees with integrating the sampled CED curve.
    nmes = np.random.default_rng(1).uniform(0, 0.15, 200)
    x, y = metrics.ced_curve(nmes, samples=20001)
    assert metrics.auc(nmes) == pytest.approx(np.trapezoid(y, x) / 0.10, abs=1e-3)


def test_ced_gives_the_share_of_faces_at_or_below_each_error():
    x, y = metrics.ced_curve([0.0, 0.05, 0.10, 0.30], samples=3)
    np.testing.assert_allclose(x, [0.0, 0.05, 0.10])
    np.testing.assert_allclose(y, [0.25, 0.50, 0.75])


def test_summary_leaves_out_faces_without_an_nme():
    s = metrics.summarise([0.02, 0.04, np.nan, 0.12])
    assert s.faces == 3
    assert s.nme == pytest.approx(0.06)  # (0.02 + 0.04 + 0.12) / 3
    assert s.failure_rate == pytest.approx(1 / 3)
    assert s.auc == pytest.approx((0.08 + 0.06 + 0) / 3 / 0.10)


@pytest.mark.parametrize("attributes, labels", [
    ({"yaw": 29.9}, ["|yaw| 0-30"]),
    ({"yaw": -30.0}, ["|yaw| 30-60"]),
    ({"abs_yaw": 67.5, "sunglasses": True}, ["|yaw| 60+", "glasses yes"]),
    ({"glasses": False, "sunglasses": False}, ["glasses no"]),
    ({"subject": "3"}, []),
])
def test_subsets_come_from_pose_and_glasses_attributes(attributes, labels):
    assert metrics.subset_labels(attributes) == labels


def test_report_groups_by_dataset_and_subset():
    nmes = [0.02, 0.04, 0.20, 0.06]
    datasets = ["sftl54", "sftl54", "tfw", "tfw"]
    attributes = [{"yaw": 10}, {"yaw": -70, "glasses": True}, {"yaw": 80}, {}]
    r = metrics.report(nmes, datasets, attributes)
    assert r.overall.faces == 4 and r.overall.nme == pytest.approx(0.08)
    assert r.per_dataset["sftl54"].nme == pytest.approx(0.03)
    assert r.per_dataset["tfw"].failure_rate == 0.5
    assert r.per_subset["|yaw| 60+"].faces == 2
    assert r.per_subset["|yaw| 60+"].nme == pytest.approx(0.12)  # (0.04 + 0.20) / 2
    assert r.per_subset["glasses yes"].faces == 1
    assert "|yaw| 0-30" in r.format() and r.to_dict()["per_dataset"]["tfw"]["faces"] == 2
    with pytest.raises(ValueError, match="3 entries for 4 faces"):
        metrics.report(nmes, datasets[:3])


def test_ced_png_draws_a_good_method_above_a_poor_one(tmp_path):
    def curve_rows(nmes):
        path = metrics.write_ced_png(tmp_path / "ced.png", {"only": nmes})
        image = cv2.imread(str(path))
        assert image.shape == (metrics.CED_SIZE[1], metrics.CED_SIZE[0], 3)
        rows, _ = np.nonzero((np.abs(image.astype(int) - metrics.CURVE_COLOURS_BGR[0]).sum(axis=2) < 30))
        return rows

    good, poor = curve_rows([0.0] * 10), curve_rows([0.09] * 5 + [0.5] * 5)
    assert good.size and poor.size
    assert np.median(good) < np.median(poor), "image rows grow downwards: the better CED sits higher"
