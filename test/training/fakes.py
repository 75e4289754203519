"""Tiny learnable fake faces for fast tests: bright blobs at template landmarks, RGB pair attached."""

from __future__ import annotations

import numpy as np

from thermal_fld_ros.data.records import Face, LabelledImage
from thermal_fld_ros.layout import NUM_LANDMARKS, face_box_from_landmarks

SIZE = 96


def template() -> np.ndarray:
    """54 distinct points spread over a unit face (jaw arc, brows, nose, eyes, mouth)."""
    t = np.linspace(-1.0, 1.0, NUM_LANDMARKS)
    return np.stack([0.5 + 0.4 * np.sin(3 * t), 0.5 + 0.4 * np.cos(5 * t) * t], 1).astype(np.float32)


def fake_image(rng: np.random.Generator) -> LabelledImage:
    scale = rng.uniform(40, 60)
    offset = rng.uniform(10, SIZE - 10 - scale, size=2)
    pts = template() * scale + offset
    yy, xx = np.mgrid[:SIZE, :SIZE].astype(np.float32)
    image = np.full((SIZE, SIZE), 22.0, np.float32)
    for i, (x, y) in enumerate(pts):
        image += (5.0 + 0.1 * i) * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / 6.0)
    image += rng.normal(0, 0.1, image.shape).astype(np.float32)
    rgb = np.clip((image - 20) * 20, 0, 255).astype(np.uint8)[..., None].repeat(3, 2)
    face = Face(box=face_box_from_landmarks(pts), landmarks=pts.astype(np.float32),
                visible=np.ones(NUM_LANDMARKS, bool), attributes={"yaw": 0.0})
    return LabelledImage(image=image, faces=[face], radiometric=False, rgb=rgb, source="fake")


def fake_images(n: int, seed: int = 0) -> list[LabelledImage]:
    rng = np.random.default_rng(seed)
    return [fake_image(rng) for _ in range(n)]
