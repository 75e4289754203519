"""Synthetic paired thermal / RGB faces with exact SF-TL54 landmarks (issue 3).

The student network is trained only on these renders and judged on real LWIR frames, so every
stage imitates a real camera chain: a parametric 3D head (head.py) with identity and expression
blends (head.py), posed with body and accessories (person.py) and projected by a pinhole
camera; a numpy z-buffer rasteriser (render.py) shared by thermal, RGB and landmarks
(compose.py); per-region skin physics and insulating layers (thermal.py); loose hair strands past
the head outline (fringe.py); backgrounds with warm distractors (scene.py); a microbolometer
sensor model and the encodings cameras publish (sensor.py); the RGB pair from the same geometry
(rgb.py); samples (generator.py); datasets and parallel generation (dataset.py); contact sheets
(sheet.py); a measurable check of how easily renders are told from real frames (realism.py)
and face-region statistics that name what differs (face_stats.py).

API (other modules code against exactly this):
- ``generate_face(rng, config)``: one face with context in a frame of up to config.frame_max_px,
  ``image`` float32 degrees C after the sensor model, ``rgb`` the aligned pair, one Face with box,
  (54, 2) landmarks, (54,) visible (False = self-occluded) and attributes: yaw, pitch, roll
  (degrees; yaw > 0 turns the face toward image right, pitch > 0 up, roll > 0 clockwise),
  expression, glasses, sunglasses, mask, hat, beard, hand, hair, scene, ambient_c,
  face_height_px (in this frame), sensor_face_height_px (on the simulated sensor; larger when a
  big face was rendered at reduced resolution), occluded (indices covered by accessories, hair,
  hands or others).
- ``generate_scene(rng, config)``: a full sensor frame (160x120 .. 640x512) with 0..N faces.
- ``stream(seed, kind)``: endless deterministic samples; ``parallel_stream`` is the same sequence
  made on several processes.
- ``to_encoding(image_c, encoding)``: celsius_f32, raw_u16, centikelvin_u16, agc_u8, iron, rainbow,
  white_hot, black_hot (sensor.py documents scales and offsets); ``from_encoding`` inverts the
  radiometric ones.
- ``write_dataset`` / ``read_dataset``: the on-disk layout documented in dataset.py;
  ``dataset_config`` gives back the SynthConfig a dataset was written with.
"""

from __future__ import annotations

from .config import SynthConfig
from .dataset import dataset_config, parallel_stream, read_dataset, write_dataset
from .generator import generate_face, generate_scene, sample, stream
from .sensor import ENCODINGS, from_encoding, to_encoding

__all__ = [
    "ENCODINGS", "SynthConfig", "dataset_config", "from_encoding", "generate_face",
    "generate_scene", "parallel_stream", "read_dataset", "sample", "stream", "to_encoding",
    "write_dataset",
]
