"""Face tracks across frames: the previous landmarks place the next crop, the detector runs only
every N frames or when a track's confidence drops, and track ids stay stable.

Two rules keep false faces from living on. A new track needs a detection of at least
``birth_score`` (known tracks match down to the detector's own threshold), and a track the
detector misses on more than ``max_misses`` runs in a row is dropped, however sure the landmarks
are. Why: the landmarker is trained on face crops and says little about whether a crop holds a
face at all (median mean point score 0.22 on false tracks against 0.38 on faces, synth-20 demo
clips of seeds 0-79, 2026-11-25), so the detector's weak boxes on warm objects (hands, lamps,
leaves, a seat seam) opened tracks that were then followed for good: 0.32 false faces per true face and
frame over 160 synthetic clips with the node's settings, 0.06 with these rules, at 0.972 -> 0.955
of the faces found (README, Inference; ``thermal-fld eval-tracking``).

Pure logic on arrays (no networks), so the cadence and id rules are tested in isolation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from thermal_fld_ros.detection.decode import Detections, box_iou
from thermal_fld_ros.layout import OUTER_EYE_LEFT, OUTER_EYE_RIGHT, face_box_from_landmarks

#: Two tracks overlapping this much (or ``same_face``) are one face seen twice: one is dropped.
DUPLICATE_IOU = 0.5
#: Share of the landmark extent in the next crop's size (see ``follow``).
LANDMARK_SIZE_WEIGHT = 0.3


@dataclass(frozen=True)
class TrackerConfig:
    """``detect_every``: detector cadence in frames while tracking goes well (1 = every frame).
    ``min_confidence``: mean landmark score under which the next frame runs the detector.
    ``drop_confidence``: under this a face is taken as lost and not reported.
    ``match_iou``: IoU that ties a detection to an existing track (keeps its id).
    ``max_faces``: most faces per frame (the landmark batch size).
    ``birth_score``: detector score a detection needs to open a new track.
    ``max_misses``: detector runs in a row that may miss a track before it is dropped."""

    detect_every: int = 10
    min_confidence: float = 0.5
    drop_confidence: float = 0.25
    match_iou: float = 0.3
    max_faces: int = 8
    birth_score: float = 0.3
    max_misses: int = 1

    def __post_init__(self) -> None:
        if self.detect_every < 1:
            raise ValueError("detect_every must be >= 1")
        if self.max_misses < 0:
            raise ValueError("max_misses must be >= 0")
        if not 0.0 <= self.birth_score <= 1.0:
            raise ValueError("birth_score must be in [0, 1]")
        if not 0.0 <= self.drop_confidence <= self.min_confidence <= 1.0:
            raise ValueError("need 0 <= drop_confidence <= min_confidence <= 1")


@dataclass
class Track:
    """A face followed over frames. ``box``/``angle``: where to crop it next."""

    track_id: int
    box: np.ndarray
    angle: float = 0.0
    score: float = 0.0  # detection score when (re)detected, else tracking confidence
    confidence: float = 1.0  # mean landmark score of the last frame
    misses: int = 0  # detector runs in a row that found no box for this track


def roll_and_box(landmarks: np.ndarray) -> tuple[np.ndarray, float]:
    """(face box, roll degrees) of (54, 2) landmarks: the box is taken on the de-rotated face,
    so a tilted head gives a tight crop that ``crop_transform(box, angle_deg=roll)`` levels."""
    eyes = landmarks[OUTER_EYE_RIGHT] - landmarks[OUTER_EYE_LEFT]
    roll = math.degrees(math.atan2(float(eyes[1]), float(eyes[0])))
    centre = landmarks.mean(axis=0)
    c, s = math.cos(math.radians(roll)), math.sin(math.radians(roll))
    to_upright = np.array([[c, s], [-s, c]], np.float32)  # rotation by -roll
    upright = (landmarks - centre) @ to_upright.T
    x1, y1, x2, y2 = face_box_from_landmarks(upright)
    mid = np.array([(x1 + x2) / 2, (y1 + y2) / 2], np.float32) @ to_upright + centre  # back by +roll
    hw, hh = (x2 - x1) / 2, (y2 - y1) / 2
    return np.array([mid[0] - hw, mid[1] - hh, mid[0] + hw, mid[1] + hh], np.float32), roll


def _centres_inside(boxes: np.ndarray, others: np.ndarray) -> np.ndarray:
    """(N, M) bool: the centre of ``others[m]`` lies inside ``boxes[n]``."""
    cx, cy = (others[:, 0] + others[:, 2]) / 2, (others[:, 1] + others[:, 3]) / 2
    return ((boxes[:, None, 0] <= cx) & (cx <= boxes[:, None, 2])
            & (boxes[:, None, 1] <= cy) & (cy <= boxes[:, None, 3]))


def same_face(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(A, B) bool: one box holds the other's centre. Boxes of one face in two conventions
    (detector vs landmarks, with or without a cap) pass even at a low IoU; boxes of two faces
    side by side do not."""
    a, b = np.asarray(a, np.float32).reshape(-1, 4), np.asarray(b, np.float32).reshape(-1, 4)
    return _centres_inside(a, b) | _centres_inside(b, a).T


def follow(previous: np.ndarray, landmark_box: np.ndarray) -> np.ndarray:
    """Next crop box: centred on the landmarks, size moved LANDMARK_SIZE_WEIGHT of the way from
    the previous box to the landmark extent. Why: a landmarker that is unsure pulls its points
    towards the crop centre; if the landmark extent alone set the next crop, the crop would
    shrink frame after frame. The detector's box resets the size when it runs."""
    size = (1 - LANDMARK_SIZE_WEIGHT) * (previous[2:] - previous[:2]) \
        + LANDMARK_SIZE_WEIGHT * (landmark_box[2:] - landmark_box[:2])
    centre = (landmark_box[:2] + landmark_box[2:]) / 2
    return np.concatenate([centre - size / 2, centre + size / 2]).astype(np.float32)


def duplicate(box: np.ndarray, others: np.ndarray) -> bool:
    """``box`` is a face already among ``others`` (IoU >= DUPLICATE_IOU or same_face)."""
    others = np.asarray(others, np.float32).reshape(-1, 4)
    return bool(len(others)) and bool((box_iou(box, others) >= DUPLICATE_IOU).any()
                                      or same_face(box, others).any())


@dataclass
class Tracker:
    config: TrackerConfig = field(default_factory=TrackerConfig)
    tracks: list[Track] = field(default_factory=list)
    frames_since_detection: int = 0
    next_id: int = 1

    def needs_detection(self) -> bool:
        return (not self.tracks or self.frames_since_detection + 1 >= self.config.detect_every
                or min(t.confidence for t in self.tracks) < self.config.min_confidence)

    def associate(self, detections: Detections) -> list[Track]:
        """Tracks for this frame's detections: matched ones keep their id and take the fresh box,
        unmatched detections of at least ``birth_score`` open new tracks, tracks the detector
        missed are carried on while they are still confident and missed at most ``max_misses``
        times in a row. Returns the tracks to run landmarks on (at most max_faces).

        A detection also matches a track when one box holds the other's centre (``same_face``):
        the detector's box and the landmark box of one face can differ in extent (a cap, a
        turned head) and still be one face."""
        self.frames_since_detection = 0
        track_boxes = np.array([t.box for t in self.tracks]).reshape(-1, 4)
        iou = box_iou(detections.boxes, track_boxes)
        iou = np.where(same_face(detections.boxes, track_boxes), np.maximum(iou, self.config.match_iou), iou)
        taken: set[int] = set()
        result: list[Track] = []
        for d in np.argsort(-detections.scores):
            best = next((int(t) for t in np.argsort(-iou[d]) if int(t) not in taken
                         and iou[d, t] >= self.config.match_iou), None)
            score = float(detections.scores[d])
            if best is None:
                if score < self.config.birth_score:
                    continue
                track = Track(self.next_id, detections.boxes[d].copy(), score=score)
                self.next_id += 1
            else:
                taken.add(best)
                track = self.tracks[best]
                track.box, track.angle, track.score, track.misses = detections.boxes[d].copy(), 0.0, score, 0
            result.append(track)
        for i, track in enumerate(self.tracks):  # missed by the detector: carry if sure and unique
            if i in taken:
                continue
            track.misses += 1
            if track.misses <= self.config.max_misses and track.confidence >= self.config.min_confidence \
                    and not duplicate(track.box, np.array([t.box for t in result])):
                result.append(track)
        self.tracks = result[: self.config.max_faces]
        return self.tracks

    def advance(self) -> list[Track]:
        """Tracks for a frame without detection (crops from the previous landmarks)."""
        self.frames_since_detection += 1
        return self.tracks

    def update(self, landmarks: np.ndarray, scores: np.ndarray, detected: bool) -> list[int]:
        """Feed this frame's landmarks (same order as the tracks); returns the indices of the
        faces to report (the others were lost, or were duplicates: of two tracks that converged
        on one face the older id stays)."""
        alive = []
        for i, (track, points, point_scores) in enumerate(zip(self.tracks, landmarks, scores)):
            track.confidence = float(point_scores.mean())
            if track.confidence < self.config.drop_confidence:
                continue
            box, track.angle = roll_and_box(points)
            track.box = follow(track.box, box)
            if not detected:
                track.score = track.confidence
            alive.append(i)
        kept: list[int] = []
        for i in sorted(alive, key=lambda k: self.tracks[k].track_id):
            if not duplicate(self.tracks[i].box, np.array([self.tracks[k].box for k in kept])):
                kept.append(i)
        indices = sorted(kept)
        self.tracks = [self.tracks[i] for i in indices]
        return indices

    def reset(self) -> None:
        self.tracks, self.frames_since_detection, self.next_id = [], 0, 1
