"""Grey-level statistics of face regions: how renders and real frames compare where a glance looks.

The realism probe (realism.py) says how separable renders are, not what differs. These numbers
name six things a person sees at once and the generator controls directly:
- hair level: the band above the forehead on a scale from the room (0) to the forehead (1),
  dark caps against hair that sits between room and skin;
- forehead texture: the std of a forehead patch after a plane fit (gradients across the face
  are not texture), over the face-room contrast: blotchy renders against smooth skin;
- cheek texture: the same on a patch of each cheek (their mean), where renders put cool
  blotches (thermal.py's cheek patches) and perfusion mottle;
- temple level: the sides of the forehead on the hair level's scale (mean of both sides), where
  real frames cool off toward hair and the head's turn and a wide, flat forehead does not;
- forehead grain and hair grain: the mean absolute difference of side-by-side pixels on the
  forehead patch and on the hair band, over the face-room contrast: sensor noise and streaks a
  pixel or two wide, which the textures above mix with blotches several pixels across.
All are read from 8-bit frames at 54 landmarks. Real frames have no landmarks, so both sides
use the landmarks the shipped student predicts: the same regions, the same errors. Only frontal
faces count (the nose tip near the middle of the eyes along the eye line, whatever the roll),
where the regions are where they seem.
The room is read at the frame's left and right edges, which show the wall in studio frames.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from ...layout import (BROW_LEFT, BROW_RIGHT, MOUTH_LEFT, MOUTH_RIGHT, NOSE_TIP, OUTER_EYE_LEFT,
                       OUTER_EYE_RIGHT)
from .generator import stream
from .realism import boxed_real_frames, real_setting

#: Landmarks (faces, 54, 2) of the faces found in an 8-bit frame, best first.
LandmarkFinder = Callable[[np.ndarray], np.ndarray]
T = TypeVar("T")

#: Faces with a smaller outer-eye distance (pixels) are skipped: too few pixels per patch.
MIN_EYE_DISTANCE_PX = 25.0
#: Frames with less face-room contrast (grey levels) are skipped: ratios would be noise.
MIN_CONTRAST = 20.0
#: A face is frontal when the nose tip is within this share of the eye distance of the eyes'
#: midpoint, along the eye line (so a rolled head still counts).
FRONTAL_SHARE = 0.15
#: Share of the frame width at each side that shows the room.
ROOM_EDGE = 1 / 12
#: Patches: centre distance above the brows and half width, half height, in eye distances.
FOREHEAD_PATCH = (0.35, 0.3, 0.12)
HAIR_PATCH = (0.85, 0.25, 0.07)
#: Temple patches: centre distance above the brows and out to each side of their middle, half
#: width, half height, in eye distances.
TEMPLE_PATCH = (0.15, 0.75, 0.08, 0.15)
#: Cheek patches: centred this share of the way from each outer eye corner to the mouth corner
#: on the same side (below the eye, beside the nose wing), half side in eye distances.
CHEEK_ALONG, CHEEK_HALF = 0.45, 0.12
#: Head yaw range (degrees) of the renders: most of them frontal enough to count.
RENDER_YAW_DEG = (-20.0, 20.0)


@dataclass(frozen=True)
class FaceStats:
    """One face's statistics (module docstring): all are shares of the face-room contrast."""

    hair_level: float
    forehead_texture: float
    cheek_texture: float
    temple_level: float
    forehead_grain: float
    hair_grain: float


@dataclass(frozen=True)
class FrontalFace:
    """A face that qualifies for the statistics, with its geometry and grey scale: ``room`` and
    ``contrast`` (forehead minus room) map the frame to the room 0 / forehead 1 scale."""

    points: np.ndarray  # (54, 2)
    eye_distance: float
    across: np.ndarray  # unit vector from the left to the right outer eye corner
    brows: np.ndarray  # middle of the brows
    up: np.ndarray  # unit vector from the nose tip to the brows
    room: float
    contrast: float
    forehead: np.ndarray  # the forehead patch


def frontal_face(grey: np.ndarray, landmarks: np.ndarray) -> FrontalFace | None:
    """The face as a FrontalFace, or None when it is too small, turned, too faint or its forehead
    leaves the frame."""
    pts = np.asarray(landmarks, np.float64)
    distance = float(np.linalg.norm(pts[OUTER_EYE_RIGHT] - pts[OUTER_EYE_LEFT]))
    middle = (pts[OUTER_EYE_RIGHT] + pts[OUTER_EYE_LEFT]) / 2
    across = (pts[OUTER_EYE_RIGHT] - pts[OUTER_EYE_LEFT]) / max(distance, 1e-6)
    if distance < MIN_EYE_DISTANCE_PX or abs((pts[NOSE_TIP] - middle) @ across) > FRONTAL_SHARE * distance:
        return None  # small, or turned (the nose tip off the eyes' middle along the eye line)
    brows = pts[list(BROW_LEFT + BROW_RIGHT)].mean(axis=0)
    up = (brows - pts[NOSE_TIP]) / max(float(np.linalg.norm(brows - pts[NOSE_TIP])), 1e-6)
    forehead = _patch(grey, brows, up, distance, FOREHEAD_PATCH)
    if forehead is None:
        return None
    edge = max(1, int(grey.shape[1] * ROOM_EDGE))
    room = float(np.median(np.concatenate([grey[:, :edge].ravel(), grey[:, -edge:].ravel()])))
    contrast = float(np.median(forehead)) - room
    if contrast < MIN_CONTRAST:
        return None
    return FrontalFace(pts, distance, across, brows, up, room, contrast, forehead)


def face_stats(grey: np.ndarray, landmarks: np.ndarray) -> FaceStats | None:
    """The statistics of one face in an 8-bit frame, or None when the face does not qualify
    (``frontal_face``) or a patch leaves the frame."""
    face = frontal_face(grey, landmarks)
    if face is None:
        return None
    pts, distance, across, brows, up = face.points, face.eye_distance, face.across, face.brows, face.up
    hair = _patch(grey, brows, up, distance, HAIR_PATCH)
    cheeks = [_box(grey, pts[eye] + CHEEK_ALONG * (pts[mouth] - pts[eye]),
                   CHEEK_HALF * distance, CHEEK_HALF * distance)
              for eye, mouth in ((OUTER_EYE_LEFT, MOUTH_LEFT), (OUTER_EYE_RIGHT, MOUTH_RIGHT))]
    above, out, half_w, half_h = TEMPLE_PATCH
    temples = [_box(grey, brows + (up * above + side * across * out) * distance,
                    half_w * distance, half_h * distance) for side in (-1.0, 1.0)]
    if hair is None or any(p is None for p in cheeks + temples):
        return None
    room, contrast = face.room, face.contrast
    temple = float(np.mean([np.median(t) for t in temples]))
    return FaceStats(hair_level=(float(np.median(hair)) - room) / contrast,
                     forehead_texture=_detrended_std(face.forehead) / contrast,
                     cheek_texture=float(np.mean([_detrended_std(c) for c in cheeks])) / contrast,
                     temple_level=(temple - room) / contrast,
                     forehead_grain=_grain(face.forehead) / contrast, hair_grain=_grain(hair) / contrast)


def _patch(grey: np.ndarray, brows: np.ndarray, up: np.ndarray, distance: float,
           spec: tuple[float, float, float]) -> np.ndarray | None:
    above, half_w, half_h = spec
    return _box(grey, brows + up * above * distance, half_w * distance, half_h * distance)


def _box(grey: np.ndarray, centre: np.ndarray, half_w: float, half_h: float) -> np.ndarray | None:
    """The pixels within half_w, half_h of centre, or None when they leave the frame."""
    cx, cy = centre
    x0, x1 = int(cx - half_w), int(cx + half_w)
    y0, y1 = int(cy - half_h), int(cy + half_h)
    if x0 < 0 or y0 < 0 or x1 > grey.shape[1] or y1 > grey.shape[0]:
        return None
    return grey[y0:y1, x0:x1].astype(np.float64)


def _grain(patch: np.ndarray) -> float:
    """Mean absolute difference of side-by-side pixels."""
    return float(np.abs(np.diff(patch, axis=1)).mean())


def _detrended_std(patch: np.ndarray) -> float:
    """Std of the patch around its least-squares plane."""
    yy, xx = np.indices(patch.shape)
    design = np.c_[xx.ravel(), yy.ravel(), np.ones(patch.size)]
    coef, *_ = np.linalg.lstsq(design, patch.ravel(), rcond=None)
    return float((patch.ravel() - design @ coef).std())


@dataclass(frozen=True)
class StatsSummary:
    """Medians and quartiles of each statistic over the faces that qualified."""

    faces: int
    quartiles: dict[str, tuple[float, float, float]]


def summarise(stats: Iterable[FaceStats | None]) -> StatsSummary:
    """Quartiles over the faces that counted (None: a face that did not)."""
    kept = [s for s in stats if s is not None]
    quartiles = {}
    for name in FaceStats.__dataclass_fields__:
        values = [getattr(s, name) for s in kept] or [float("nan")]
        q1, q2, q3 = np.percentile(values, [25, 50, 75])
        quartiles[name] = (float(q1), float(q2), float(q3))
    return StatsSummary(len(kept), quartiles)


#: Measures one face of an 8-bit frame from its landmarks (face_stats, median_face.aligned_face).
FaceMeasure = Callable[[np.ndarray, np.ndarray], T | None]


def real_faces(landmarks_of: LandmarkFinder, measure: FaceMeasure) -> dict[str, list[T | None]]:
    """``measure`` of the first face of each boxed real frame in ../shared (the realism probe's),
    per source (None: no face found, or one the measure refused)."""
    by_source: dict[str, list[T | None]] = {}
    for source, _, grey in boxed_real_frames():
        by_source.setdefault(source, []).append(_first_face(grey, landmarks_of, measure))
    return by_source


def render_faces(landmarks_of: LandmarkFinder, measure: FaceMeasure, count: int, seed: int) -> list[T | None]:
    """``measure`` of ``count`` near-frontal renders in the real frames' setting, each published
    as 8-bit AGC as the realism probe does."""
    setting = real_setting(yaw_deg=RENDER_YAW_DEG)
    agc_rng = np.random.default_rng(seed)
    renders = itertools.islice(stream(seed, "face", setting.config), count)
    return [_first_face(setting.published(s.image, agc_rng), landmarks_of, measure) for s in renders]


def real_stats(landmarks_of: LandmarkFinder) -> dict[str, StatsSummary]:
    """Statistics of the boxed real frames, per source."""
    return {source: summarise(stats) for source, stats in real_faces(landmarks_of, face_stats).items()}


def render_stats(landmarks_of: LandmarkFinder, count: int, seed: int) -> StatsSummary:
    """Statistics of ``count`` renders in the real frames' setting (``render_faces``)."""
    return summarise(render_faces(landmarks_of, face_stats, count, seed))


def _first_face(grey: np.ndarray, landmarks_of: LandmarkFinder, measure: FaceMeasure) -> T | None:
    found = landmarks_of(grey)
    return measure(grey, found[0]) if len(found) else None
