"""A short moving-camera clip made from one synthetic scene, with exact landmarks on every frame.

The demo and the tracking checks need temporally coherent frames, which independent generator
samples are not. Warping one rendered scene (pan, zoom and roll of a handheld or robot camera)
gives coherent motion and keeps the ground truth exact, at the cost of rigid faces.
"""

from __future__ import annotations

import math
from typing import Iterator

import cv2
import numpy as np

from thermal_fld_ros.data.records import Face, LabelledImage
from thermal_fld_ros.data.synth import SynthConfig, generate_scene
from thermal_fld_ros.layout import face_box_from_landmarks

#: Camera motion over one cycle of the clip.
PAN_PX = (18.0, 8.0)
ROLL_DEG = 10.0
ZOOM = 0.08
#: Faces smaller than this are not worth a demo (the detector's floor is 20 px).
MIN_FACE_HEIGHT_PX = 36.0
#: Faces turned further than this from the camera are left out of the clip: a demo shows the
#: common case, and beyond it the outer-eye NME normaliser shrinks towards zero.
MAX_YAW_DEG = 35.0
CLIP_RESOLUTION = (320, 240)


def _inside(box: np.ndarray, width: int, height: int) -> bool:
    """The box stays in the frame however the camera pans."""
    margin_x, margin_y = PAN_PX[0] + ZOOM * width / 2, PAN_PX[1] + ZOOM * height / 2
    return (box[0] >= margin_x and box[1] >= margin_y
            and box[2] <= width - margin_x and box[3] <= height - margin_y)


def _scene_with_faces(seed: int) -> LabelledImage:
    """The first scene from ``seed`` on whose faces are clearly visible, turned at most
    MAX_YAW_DEG and stay in the frame."""
    config = SynthConfig(resolutions=(CLIP_RESOLUTION,), p_no_face=0.0, max_faces=2,
                         face_height_px=(MIN_FACE_HEIGHT_PX, 140.0))
    rng = np.random.default_rng(seed)
    while True:
        scene = generate_scene(rng, config)
        height, width = scene.image.shape
        faces = [f for f in scene.faces if f.landmarks is not None]
        if faces and all(f.box[3] - f.box[1] >= MIN_FACE_HEIGHT_PX and _inside(f.box, width, height)
                         and abs(f.attributes["yaw"]) <= MAX_YAW_DEG for f in faces):
            return scene


def synthetic_clip(seed: int, num_frames: int) -> Iterator[LabelledImage]:
    """``num_frames`` radiometric frames (degrees C) of one scene under smooth camera motion."""
    scene = _scene_with_faces(seed)
    height, width = scene.image.shape
    centre = (width / 2.0, height / 2.0)
    for k in range(num_frames):
        phase = 2.0 * math.pi * k / max(num_frames, 1)
        matrix = cv2.getRotationMatrix2D(centre, ROLL_DEG * math.sin(phase), 1.0 + ZOOM * math.sin(phase))
        matrix[:, 2] += (PAN_PX[0] * math.sin(phase), PAN_PX[1] * math.sin(2.0 * phase))
        image = cv2.warpAffine(scene.image, matrix, (width, height), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)
        faces = []
        for face in scene.faces:
            points = (face.landmarks @ matrix[:, :2].T + matrix[:, 2]).astype(np.float32)
            faces.append(Face(box=face_box_from_landmarks(points), landmarks=points,
                              visible=face.visible, attributes=dict(face.attributes)))
        yield LabelledImage(image=image, faces=faces, radiometric=True,
                            source=f"clip:{seed}:{k}", split="demo")
