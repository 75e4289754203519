"""Scores of reported faces on labelled clips: which reported face is which true face, its NME,
the reported faces that are no face (false faces), and how many track ids each face got.

One scorer for `make demo` (faces read back from the node's DDS messages) and `thermal-fld
eval-tracking` (faces from the pipeline in process), so both count the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from thermal_fld_ros import metrics
from thermal_fld_ros.data.records import Face

#: A reported face belongs to the true face whose landmark centre is nearest, within this share
#: of the true box height.
MATCH_RADIUS = 0.5


@dataclass
class ClipScores:
    """Totals over frames (and clips). ``ids``: (clip, true face) -> track ids it was reported
    under."""

    truth: int = 0
    found: int = 0
    false_faces: int = 0
    nmes: list[float] = field(default_factory=list)
    ids: dict[tuple[int, int], set[int]] = field(default_factory=dict)

    def add_frame(self, faces: Sequence[Face], reported: Mapping[int, np.ndarray], clip: int = 0) -> None:
        """One frame: its true faces and the reported landmarks, (54, 2) per track id."""
        matched: set[int] = set()
        self.truth += len(faces)
        for index, face in enumerate(faces):
            centre = face.landmarks.mean(axis=0)
            distances = {tid: float(np.linalg.norm(points.mean(axis=0) - centre))
                         for tid, points in reported.items()}
            best = min(distances, key=distances.__getitem__, default=None)
            if best is None or distances[best] > MATCH_RADIUS * (face.box[3] - face.box[1]):
                continue
            self.found += 1
            matched.add(best)
            self.ids.setdefault((clip, index), set()).add(best)
            self.nmes.append(float(metrics.nme(reported[best], face.landmarks, face.visible)[0]))
        self.false_faces += len(reported) - len(matched)

    @property
    def track_ids_per_face(self) -> float:
        """Mean number of ids a found face was reported under (1.0: never lost or swapped)."""
        return float(np.mean([len(v) for v in self.ids.values()])) if self.ids else float("nan")
