"""Every knob of the synthetic generator in one dataclass; defaults cover issue 3's ranges.

Ranges are (low, high) tuples sampled uniformly unless a field says otherwise; probabilities are
per face. Tests narrow a range to a single value (e.g. ``yaw_deg=(60, 60)``) to pin a pose.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

Range = tuple[float, float]

#: Sensor frame sizes (width, height) of common LWIR cores: Lepton, Boson 320/640, VGA, Tau.
SENSOR_RESOLUTIONS: tuple[tuple[int, int], ...] = (
    (160, 120), (320, 240), (320, 256), (384, 288), (640, 480), (640, 512),
)


@dataclass
class SynthConfig:
    """Sampling ranges of one generator run (pose, size, expression, accessories, scene, sensor)."""

    # --- pose and size --------------------------------------------------------------------------
    yaw_deg: Range = (-70.0, 70.0)          # > 0: the face turns toward image right
    pitch_deg: Range = (-40.0, 40.0)        # > 0: looking up
    roll_deg: Range = (-35.0, 35.0)         # > 0: clockwise in the image
    #: Mass of poses near frontal: |angle| is drawn as range * u**pose_power (1 = uniform).
    pose_power: float = 1.4
    face_height_px: Range = (20.0, 400.0)   # face-box height on the simulated sensor, log-uniform
    #: generate_face frames: longest side cap, and frame side / face-box height.
    frame_max_px: int = 256
    frame_min_px: int = 48
    context_ratio: Range = (1.7, 2.6)
    #: Random shift of the face centre in the frame, as a share of the free margin.
    placement_jitter: float = 0.8
    camera_distance_cm: Range = (45.0, 350.0)

    # --- identity and expression ----------------------------------------------------------------
    identity_scale: float = 1.0   # multiplies every identity standard deviation
    asymmetry: float = 1.0        # 0 gives exactly mirror-symmetric heads
    expressions: dict[str, float] = field(default_factory=lambda: {
        "neutral": 0.36, "smile": 0.18, "mouth_open": 0.14, "yawn": 0.1, "eyes_closed": 0.12,
        "talking": 0.1,
    })

    # --- accessories (probability per face) -----------------------------------------------------
    p_glasses: float = 0.18
    p_sunglasses: float = 0.3     # share of glasses that are sunglasses (bigger, darker plates)
    p_mask: float = 0.1
    p_hat: float = 0.12
    p_beard: float = 0.18
    p_hand: float = 0.1
    p_bald: float = 0.08

    # --- scene ----------------------------------------------------------------------------------
    scenes: dict[str, float] = field(default_factory=lambda: {
        "indoor": 0.45, "studio": 0.15, "car": 0.2, "outdoor": 0.2,
    })
    ambient_c: dict[str, Range] = field(default_factory=lambda: {
        "indoor": (16.0, 28.0), "studio": (18.0, 26.0), "car": (8.0, 34.0), "outdoor": (-5.0, 35.0),
    })
    p_warm_objects: float = 0.6
    p_other_people: float = 0.3

    # --- sensor ---------------------------------------------------------------------------------
    resolutions: tuple[tuple[int, int], ...] = SENSOR_RESOLUTIONS
    # temporal noise (NETD), degrees C rms, log-uniform: median 63 mK, as uncooled cores rate
    # (Lepton, Boson < 50 mK, Seek < 70 mK), with a tail of grainy ones. synth-12's (0.03, 0.4)
    # put half the cameras above 0.11 C: render foreheads changed twice as much from one pixel
    # to the next as those of the shared real frames (docs/synthetic_data.md)
    netd_c: Range = (0.02, 0.2)
    # stripes and sharpening halved in synth-5, sharpening again in synth-11 and synth-14:
    # stronger ones made the renders' grain and spectra stand out from the real frames (realism
    # probe), and render hair grew grainier with every step of sharpening (face_stats)
    fpn_c: Range = (0.0, 0.06)               # column/row fixed-pattern stripe rms
    nonuniformity_c: Range = (0.0, 1.2)      # vignetting / low-frequency offset amplitude
    blur_px: Range = (0.5, 1.3)              # optical blur sigma at the sensor
    sharpen: Range = (0.0, 0.15)             # detail-enhancement gain (unsharp mask)
    radiometric_bias_c: Range = (-1.5, 1.5)  # absolute calibration error of cheap cores

    # --- multi-face scenes ----------------------------------------------------------------------
    max_faces: int = 4
    p_no_face: float = 0.08

    # --- output ---------------------------------------------------------------------------------
    rgb: bool = True

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SynthConfig:
        def fix(value: Any) -> Any:  # JSON turns tuples into lists
            if isinstance(value, list):
                return tuple(fix(v) for v in value)
            if isinstance(value, dict):
                return {k: fix(v) for k, v in value.items()}
            return value

        return cls(**{k: fix(v) for k, v in data.items()})
