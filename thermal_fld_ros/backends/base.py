"""The one interface every inference backend implements.

Models here have one float32 input with a dynamic batch axis and a few named outputs (the
landmark student: "image" -> "landmarks", "scores"; the detector: "image" -> "heatmap", "size",
"offset"), so a backend is "batch in, dict of named arrays out".
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path

import numpy as np


class Backend(ABC):
    """Runs one model. ``name`` says what runs it (for logs and bench rows)."""

    name: str
    model_path: Path

    @abstractmethod
    def run(self, batch: np.ndarray) -> dict[str, np.ndarray]:
        """Outputs by name for a float32 batch [N, ...] (N >= 1)."""

    @property
    def max_batch(self) -> int | None:
        """Largest batch one call takes (None = unlimited); callers split larger batches."""
        return None

    def close(self) -> None:
        """Release device memory and sessions (also done at garbage collection)."""
