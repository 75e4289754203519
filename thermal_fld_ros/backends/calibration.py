"""INT8 calibration batches from training data (synthetic scenes), for TensorRT's entropy calibrator.

Calibration must see what the networks see at run time: the landmark student gets
``preprocess.face_input`` crops of synthetic faces, the detector letterboxed synthetic frames,
each through a random camera encoding decoded by ``frames`` as on the robot.
"""

from __future__ import annotations

from typing import Iterator

import numpy as np

from thermal_fld_ros.frames import frame_from_array
from thermal_fld_ros.preprocess import face_input

DEFAULT_BATCHES = 32
ENCODINGS = ("agc_u8", "raw_u16", "celsius_f32", "iron")


def _scenes(seed: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    from thermal_fld_ros.data.synth import SynthConfig, generate_scene, to_encoding

    rng, config = np.random.default_rng(seed), SynthConfig(rgb=False)
    while True:
        scene = generate_scene(rng, config)
        data = to_encoding(scene.image, ENCODINGS[int(rng.integers(len(ENCODINGS)))], rng)
        grey = frame_from_array(data, "rgb8" if data.ndim == 3 else None).grey
        yield grey, np.array([f.box for f in scene.faces], np.float32).reshape(-1, 4)


def landmark_batches(batch_size: int, batches: int = DEFAULT_BATCHES, seed: int = 0) -> Iterator[np.ndarray]:
    """[batch_size, 1, 112, 112] face crops."""
    crops: list[np.ndarray] = []
    for grey, boxes in _scenes(seed):
        crops += [face_input(grey, box)[0] for box in boxes]
        while len(crops) >= batch_size and batches > 0:
            yield np.stack(crops[:batch_size])[:, None]
            crops, batches = crops[batch_size:], batches - 1
        if batches == 0:
            return


def detector_batches(batch_size: int, batches: int = DEFAULT_BATCHES, seed: int = 0) -> Iterator[np.ndarray]:
    """[batch_size, 1, 256, 320] letterboxed frames."""
    from thermal_fld_ros.detection.inputs import letterbox

    scenes = _scenes(seed)
    for _ in range(batches):
        yield np.stack([letterbox(next(scenes)[0])[0] for _ in range(batch_size)])[:, None]
