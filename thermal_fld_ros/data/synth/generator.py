"""Samples: one-face crops for landmark training, full sensor frames for the face detector.

Both render through compose.py, so thermal frame, RGB pair and landmarks share one geometry.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from ...layout import face_box_from_landmarks
from ..records import Face, LabelledImage
from . import person as P
from .config import SynthConfig
from .compose import Actor, Camera, render, to_uint8_rgb
from .rgb import sample_appearance
from .scene import make_background
from .sensor import apply_sensor, log_uniform, sample_sensor
from .thermal import sample_physiology

#: Height (cm) of the SF-TL54 face box of an average head, used to pick camera distances.
FACE_BOX_CM = 17.0
#: Frames with fewer pixels than this on the long side are rendered at 2x and downsampled.
SUPERSAMPLE_BELOW_PX = 64
#: Horizontal field of view range of the simulated cameras (degrees) in generate_scene.
HFOV_DEG = (30.0, 80.0)
#: Placement attempts per face in a multi-face scene before the face is dropped, and the largest
#: share of a face box that another face box may cover.
PLACEMENT_TRIES = 8
MAX_OVERLAP = 0.1
#: Bumped whenever renders change: split caches and dataset metadata carry it.
GENERATOR_VERSION = "synth-21"


def _choose(rng: np.random.Generator, weights: dict[str, float]) -> str:
    names = list(weights)
    p = np.array([weights[n] for n in names], dtype=np.float64)
    return str(rng.choice(names, p=p / p.sum()))


def _new_person(rng: np.random.Generator, config: SynthConfig, ambient: float) -> P.Person:
    person = P.sample_person(rng, config)
    person.physiology = sample_physiology(rng, ambient)
    person.appearance = sample_appearance(rng)
    return person


def _face_record(actor: Actor, pts: np.ndarray, visible: np.ndarray, occluded: np.ndarray,
                 extra: dict) -> Face:
    box = face_box_from_landmarks(pts)
    attributes = actor.person.attributes()
    attributes.update(extra)
    attributes["face_height_px"] = round(float(box[3] - box[1]), 2)
    attributes.setdefault("sensor_face_height_px", attributes["face_height_px"])
    attributes["occluded"] = [int(i) for i in np.nonzero(occluded)[0]]
    return Face(box=box, landmarks=pts.astype(np.float32), visible=visible.astype(bool),
                attributes=attributes)


def _bystanders(rng: np.random.Generator, config: SynthConfig, scene: str, ambient: float,
                camera: Camera, distance: float) -> list[Actor]:
    """Unlabelled people further back (warm distractors that look like people, not blobs)."""
    if scene == "studio" or rng.random() >= config.p_other_people:
        return []
    actors = []
    for _ in range(int(rng.integers(1, 3))):
        person = _new_person(rng, config, ambient)
        depth = distance * float(rng.uniform(1.8, 4.0))
        px, py = rng.uniform(0, camera.width), rng.uniform(0.1, 0.9) * camera.height
        centre = np.array([(px - camera.cx) * depth / camera.focal,
                           (py - camera.cy) * depth / camera.focal, depth])
        actors.append(Actor(person, P.place(person, centre)))
    return actors


def generate_face(rng: np.random.Generator, config: SynthConfig | None = None) -> LabelledImage:
    """One face with context in a small frame (see the package docstring for the contract)."""
    config = config or SynthConfig()
    scene = _choose(rng, config.scenes)
    ambient = float(rng.uniform(*config.ambient_c[scene]))
    person = _new_person(rng, config, ambient)
    sensor_h = log_uniform(rng, *config.face_height_px)
    ratio = float(rng.uniform(*config.context_ratio))
    side = int(np.clip(round(sensor_h * ratio), config.frame_min_px, config.frame_max_px))
    face_h = min(sensor_h, side / ratio)
    scale = face_h / sensor_h  # < 1: a big face seen at reduced resolution

    distance = float(rng.uniform(*config.camera_distance_cm))
    placement = P.place(person, np.array([0.0, 0.0, distance]))
    probe, _, _ = P.landmarks_2d(person, placement, 1000.0, 0.0, 0.0)
    box = face_box_from_landmarks(probe)
    focal = 1000.0 * face_h / max(float(box[3] - box[1]), 1e-6)
    box = box * (focal / 1000.0)
    bw, bh = float(box[2] - box[0]), float(box[3] - box[1])
    jitter = config.placement_jitter
    cx_box = side / 2 + jitter * rng.uniform(-0.5, 0.5) * max(side - bw - 2, 0)
    cy_box = side / 2 + jitter * rng.uniform(-0.5, 0.5) * max(side - bh - 2, 0)
    camera = Camera(focal, cx_box - (box[0] + box[2]) / 2, cy_box - (box[1] + box[3]) / 2,
                    side, side)

    background = make_background(rng, scene, side, side, ambient, config.p_warm_objects)
    supersample = 2 if side < SUPERSAMPLE_BELOW_PX else 1
    actor = Actor(person, placement)
    bystanders = _bystanders(rng, config, scene, ambient, camera, distance)
    temp, rgb, results = render([actor] + bystanders, camera, background, ambient, rng,
                                 supersample, config.rgb)
    pts, vis, occ = results[0]
    sensor = sample_sensor(rng, config)
    image = apply_sensor(temp, sensor, rng, scale)
    face = _face_record(actor, pts, vis, occ, {
        "scene": scene, "ambient_c": round(ambient, 2), "sensor_face_height_px": round(sensor_h, 2),
        "netd_c": round(sensor.netd_c, 4), "blur_px": round(sensor.blur_px * scale, 3),
    })
    return LabelledImage(image=image, faces=[face], radiometric=True,
                         rgb=to_uint8_rgb(rgb) if config.rgb else None, source="synth/face")


def generate_scene(rng: np.random.Generator, config: SynthConfig | None = None) -> LabelledImage:
    """A full sensor frame with 0..max_faces people (boxes and landmarks), for the detector."""
    config = config or SynthConfig()
    width, height = config.resolutions[int(rng.integers(len(config.resolutions)))]
    scene = _choose(rng, config.scenes)
    ambient = float(rng.uniform(*config.ambient_c[scene]))
    hfov = math.radians(rng.uniform(*HFOV_DEG))
    focal = width / 2 / math.tan(hfov / 2)
    camera = Camera(focal, (width - 1) / 2, (height - 1) / 2, width, height)
    count = 0 if rng.random() < config.p_no_face else int(rng.integers(1, config.max_faces + 1))
    actors: list[Actor] = []
    boxes: list[np.ndarray] = []
    max_h = min(config.face_height_px[1], 0.85 * height)
    for _ in range(count):
        person = _new_person(rng, config, ambient)
        for _ in range(PLACEMENT_TRIES):
            min_h = config.face_height_px[0]
            face_h = log_uniform(rng, min_h, max(max_h, min_h))
            distance = focal * FACE_BOX_CM / face_h
            px = rng.uniform(0.1, 0.9) * width
            py = rng.uniform(0.15, 0.85) * height
            centre = np.array([(px - camera.cx) * distance / focal,
                               (py - camera.cy) * distance / focal, distance])
            placement = P.place(person, centre)
            pts, _, _ = P.landmarks_2d(person, placement, focal, camera.cx, camera.cy)
            box = face_box_from_landmarks(pts)
            inside = box[0] >= 0 and box[1] >= 0 and box[2] <= width - 1 and box[3] <= height - 1
            if inside and all(_overlap(box, b) < MAX_OVERLAP for b in boxes):
                actors.append(Actor(person, placement))
                boxes.append(box)
                break
    background = make_background(rng, scene, height, width, ambient, config.p_warm_objects)
    temp, rgb, results = render(actors, camera, background, ambient, rng, 1, config.rgb)
    sensor = sample_sensor(rng, config)
    image = apply_sensor(temp, sensor, rng, 1.0)
    extra = {"scene": scene, "ambient_c": round(ambient, 2)}
    faces = [_face_record(a, *r, extra) for a, r in zip(actors, results)]
    return LabelledImage(image=image, faces=faces, radiometric=True,
                         rgb=to_uint8_rgb(rgb) if config.rgb else None, source="synth/scene")


def _overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over the smaller box: a small face hidden behind a big head counts fully."""
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return float(ix * iy / max(smaller, 1e-6))


def sample(seed: int, index: int, kind: str, config: SynthConfig | None = None) -> LabelledImage:
    """Sample ``index`` of the deterministic sequence ``seed``: independent of any other index."""
    rng = np.random.default_rng([seed, index])
    if kind == "face":
        return generate_face(rng, config)
    if kind == "scene":
        return generate_scene(rng, config)
    raise ValueError(f"unknown kind {kind!r} (face or scene)")


def stream(seed: int, kind: str = "face", config: SynthConfig | None = None
           ) -> Iterator[LabelledImage]:
    """Endless deterministic samples: the same seed always yields the same sequence."""
    index = 0
    while True:
        yield sample(seed, index, kind, config)
        index += 1
