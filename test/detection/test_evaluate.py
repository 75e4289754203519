"""Recall/precision matching and the box-convention mapping used for the real-frame figures."""

from __future__ import annotations

import numpy as np
import pytest

from thermal_fld_ros.detection.evaluate import BoxMapping, count, evaluate, fit_mapping, match


def test_greedy_matching_one_detection_per_truth():
    truth = np.array([[0, 0, 10, 10], [20, 0, 30, 10]], np.float32)
    found = np.array([[0, 0, 10, 11], [1, 0, 10, 10], [50, 50, 60, 60]], np.float32)
    pairs = match(truth, found, np.array([0.5, 0.9, 0.8]), 0.5)
    assert pairs == [(0, 1)]


def test_counts_give_recall_and_precision():
    truth = np.array([[0, 0, 10, 10]], np.float32)
    results = [(truth, np.array([[0, 0, 10, 10], [40, 40, 50, 50]], np.float32), np.array([0.9, 0.8])),
               (truth, np.zeros((0, 4), np.float32), np.zeros(0))]
    c = count(results)
    assert (c.recall, c.precision) == (0.5, 0.5)


def test_fitted_mapping_recovers_a_systematic_convention_difference():
    rng = np.random.default_rng(0)
    results = []
    mapping = BoxMapping(width_scale=0.9, height_scale=0.8, centre_dy=0.1)
    for _ in range(20):
        x, y, s = rng.uniform(0, 100), rng.uniform(0, 100), rng.uniform(30, 60)
        ours = np.array([[x, y, x + s, y + 1.2 * s]], np.float32)
        results.append((mapping.apply(ours), ours, np.array([0.9])))
    fitted = fit_mapping(results)
    assert abs(fitted.width_scale - 0.9) < 1e-3 and abs(fitted.height_scale - 0.8) < 1e-3
    assert abs(fitted.centre_dy - 0.1) < 1e-3
    assert count(results, fitted).recall == 1.0


def test_unknown_split_is_refused_before_any_work(tmp_path):
    with pytest.raises(ValueError, match="split must be one of"):
        evaluate(tmp_path / "absent.onnx", split="train")
