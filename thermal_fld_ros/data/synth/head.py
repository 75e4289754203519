"""Parametric 3D head: a superquadric skull with facial features, identity and expression blends.

The surface is a function ``P(u, v)`` of two angles around the head centre (u: azimuth, 0 = the
face, > 0 toward the subject's left = image right; v: elevation, > 0 up), in centimetres in the
head frame (x image-right, y down, z away from the camera when the head is frontal). Features are
radial bumps in (u, v); expressions are 3D displacements (a jaw rotation about the TMJ, corner
pulls for a smile). Because the 54 SF-TL54 landmarks are (u, v) surface points evaluated with the
very same function, they move with identity, expression and pose exactly, and the renderer's mesh
samples the same function on a grid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from ...layout import NUM_LANDMARKS

#: Identity parameters: mean and standard deviation (cm for lengths, radians for (u, v) positions).
IDENTITY_STATS: dict[str, tuple[float, float]] = {
    "ax": (7.6, 0.35),          # skull half width
    # eye level to crown. synth-18 lowered it from 12.0: profiles of eye-aligned faces up the
    # midline reach the room about 3 cm above the hairline on real frames, 5 cm on renders
    "ay_up": (11.2, 0.6),
    "ay_down": (11.9, 0.6),     # eye level to chin: face length
    "az_front": (9.6, 0.35),    # head centre (ear canal) to the face
    "az_back": (10.6, 0.5),
    "power": (2.6, 0.2),        # superquadric exponent: boxier heads above 2
    # lower face narrower than the skull. synth-13 raised the mean from 0.13: jaw (gonial) width
    # to cheekbone width of the mean head 0.83 -> 0.75, as adult norms (about 10.5 / 14 cm), and
    # eye-aligned median faces of the real frames are narrower at the jaw than the renders were
    "jaw_taper": (0.25, 0.04),
    "eye_u": (0.35, 0.025),
    "eye_v": (0.05, 0.025),
    "eye_hw": (0.145, 0.012),   # half width of the eye opening
    "eye_hh": (0.056, 0.008),   # half height of the open eye
    "socket": (0.9, 0.2),       # eye socket depth under the brow
    "brow_v": (0.2, 0.02),
    "brow_amp": (0.45, 0.2),
    "nose_tip_v": (-0.28, 0.025),
    "nose_amp": (2.1, 0.3),
    "nose_width": (0.16, 0.02),
    "mouth_v": (-0.57, 0.03),
    "mouth_hw": (0.29, 0.03),
    "lip_amp": (0.5, 0.15),
    "lip_h": (0.055, 0.01),     # lip height in v
    "chin_v": (-1.02, 0.04),
    "chin_amp": (0.6, 0.2),
    "cheek_amp": (0.5, 0.25),
    "ear_amp": (1.9, 0.3),
    "ear_v": (-0.05, 0.04),
    "jaw_u": (1.2, 0.05),       # lateral reach of the jaw-line landmarks
    "jaw_v0": (0.0, 0.04),      # height of landmarks 0 and 16
    "jaw_n": (2.6, 0.35),       # squareness of the jaw line
    # synth-11 raised the mean from 0.62: eye-aligned median faces of the real Tufts frames
    # stay at forehead warmth about 1 cm further up than the renders did
    "hairline_v": (0.72, 0.12),
    # hair volume over the scalp; 1.8 +- 0.6 up to synth-17 (see HAIR_RISE_V)
    "hair_cm": (1.0, 0.4),
    "beard_cm": (0.0, 0.0),     # set by the sampler when a beard is drawn
}

#: Shares of the hair styles among people with hair, and the hairline (v) of a fringe. Up to
#: synth-14 a quarter wore a fringe down to the brows (0.3-0.4): a fifth of the frontal renders
#: had a forehead darker than the nose, against one in twenty real frontal faces. A fringe
#: now also ends higher up the forehead.
HAIR_STYLES = {"short": 0.6, "long": 0.25, "fringe": 0.15}
FRINGE_HAIRLINE_V = (0.3, 0.5)
#: Ear size under long hair, times the sampled one: hair falling over the ears shows them as a
#: soft bulge. At full size they stood out of synth-17's long hair as dark lumps by the eyes.
LONG_HAIR_EAR = 0.4

#: Names of the per-side asymmetry offsets (small, radians or cm).
ASYM_STD = {"eye_dv": 0.01, "brow_dv": 0.012, "nose_du": 0.012, "mouth_dv": 0.008, "ear_dv": 0.03}


#: Jaw opening at jaw_open = 1 (a yawn), degrees about the TMJ.
JAW_MAX_DEG = 30.0
#: TMJ pivot in the head frame (cm): just in front of the ear canal.
JAW_PIVOT = np.array([0.0, 0.0, 0.5])
#: The condyle also slides down and forward when the mouth opens wide (cm at jaw_open = 1).
JAW_SLIDE = np.array([0.0, 1.3, -0.6])
#: Recently used (identity, expression) pairs whose landmarks are kept.
_CACHE = 16
#: Half height (in v) of the lip seam that stretches into the mouth opening.
LIP_SEAM = 0.008
#: How the nose widens from the bridge to the tip (exponent of the position down the nose): a
#: narrow ridge between the eyes and a rounded tip. synth-18's linear widening (1) outlined
#: a cold nose as a triangle.
NOSE_FLARE = 2.5
#: Band (in v, around the ragged hairline) over which hair coverage goes from 0 to 1. Real
#: hairlines end within a few millimetres; synth-10's (-0.06, 0.12), about 2 cm, blurred the
#: edge between the warm forehead and the cool hair.
HAIRLINE_EDGE = (-0.03, 0.06)
#: Rise (in v, from the hairline's edge) over which the hair layer grows to its full volume:
#: hair leaves the skin lying flat and thin. Up to synth-17 the full layer stood within the 1 cm
#: edge, a wall up to 4 cm high facing the camera, whose half-covered band rendered as a glowing
#: rim with radial streaks above the forehead; behind it lay a thick cap near room temperature.
#: Up the midline of eye-aligned faces (room 0, forehead 1) real Tufts frames read 0.49, 0.40
#: and 0.26 about 0.75, 1.5 and 2.2 cm above the hairline; synth-17 read 0.44, 0.29, 0.18, and
#: only through the wall's glow (its cap kept 0.01-0.15 of the skin-room difference); synth-18,
#: with thinner hair and less still air (thermal.HAIR_AIR_CM), 0.51, 0.41, 0.30.
HAIR_RISE_V = 0.35
#: Temporal fossa: amplitude (cm, before the facial features' fade toward the sides, so about
#: 1 cm deep at its centre), centre (|u|, v radians) and spread (u, v) of the hollow above the
#: zygomatic arch where the forehead narrows (minimum frontal breadth ~11 cm against a ~15 cm
#: skull). Without it the superquadric keeps the sides of the forehead facing the camera, and on
#: eye-aligned median faces the render temples stood warmer than real (synth-12).
TEMPORAL_FOSSA_CM = 2.0
TEMPORAL_FOSSA_UV = (1.05, 0.3)
TEMPORAL_FOSSA_SPREAD = (0.22, 0.18)


@dataclass(frozen=True)
class Identity:
    """One person's head shape (see IDENTITY_STATS) plus hair style and asymmetry."""

    ax: float = 7.6
    ay_up: float = 12.0
    ay_down: float = 11.9
    az_front: float = 9.6
    az_back: float = 10.6
    power: float = 2.6
    jaw_taper: float = 0.25
    eye_u: float = 0.35
    eye_v: float = 0.05
    eye_hw: float = 0.145
    eye_hh: float = 0.056
    socket: float = 0.9
    brow_v: float = 0.2
    brow_amp: float = 0.45
    nose_tip_v: float = -0.28
    nose_amp: float = 2.1
    nose_width: float = 0.16
    mouth_v: float = -0.57
    mouth_hw: float = 0.29
    lip_amp: float = 0.5
    lip_h: float = 0.055
    chin_v: float = -1.02
    chin_amp: float = 0.6
    cheek_amp: float = 0.5
    ear_amp: float = 1.9
    ear_v: float = -0.05
    jaw_u: float = 1.2
    jaw_v0: float = 0.0
    jaw_n: float = 2.6
    hairline_v: float = 0.62
    hair_cm: float = 1.8
    beard_cm: float = 0.0
    hair_style: str = "short"  # short (ears free), long (ears and nape covered), fringe, bald
    hair_phase: float = 0.0  # phase of the ragged hairline and uneven hair volume
    eye_dv: float = 0.0      # asymmetry: image-right eye higher by this (radians)
    brow_dv: float = 0.0
    nose_du: float = 0.0
    mouth_dv: float = 0.0
    ear_dv: float = 0.0


@dataclass(frozen=True)
class Expression:
    """Expression blend weights in [0, 1] and the name used for per-subset metrics."""

    name: str = "neutral"
    jaw_open: float = 0.0
    smile: float = 0.0
    eyes_closed: float = 0.0
    mouth_narrow: float = 0.0


def sample_identity(rng: np.random.Generator, scale: float = 1.0, asymmetry: float = 1.0,
                    beard: bool = False, bald: bool = False) -> Identity:
    """A random head: every IDENTITY_STATS parameter normal around its mean, clipped at 2.5 sd."""
    values = {}
    for name, (mean, std) in IDENTITY_STATS.items():
        values[name] = mean + std * scale * float(np.clip(rng.standard_normal(), -2.5, 2.5))
    for name, std in ASYM_STD.items():
        values[name] = std * asymmetry * float(np.clip(rng.standard_normal(), -2.5, 2.5))
    style = "bald" if bald else str(rng.choice(list(HAIR_STYLES), p=list(HAIR_STYLES.values())))
    values["hair_style"] = style
    values["hair_phase"] = float(rng.uniform(0.0, 2.0 * math.pi))
    values["hair_cm"] = max(values["hair_cm"], 0.2) * (2.0 if style == "long" else 1.0)
    if style == "long":
        values["ear_amp"] *= LONG_HAIR_EAR
    if style == "fringe":
        values["hairline_v"] = float(rng.uniform(*FRINGE_HAIRLINE_V))
    values["beard_cm"] = float(rng.uniform(0.2, 1.2)) if beard else 0.0
    return Identity(**values)


def expression_named(name: str, rng: np.random.Generator | None = None) -> Expression:
    """Blend weights of a named expression, jittered when ``rng`` is given."""
    def draw(lo: float, hi: float) -> float:
        return (lo + hi) / 2.0 if rng is None else float(rng.uniform(lo, hi))

    if name == "smile":
        return Expression(name, jaw_open=draw(0.0, 0.15), smile=draw(0.5, 1.0))
    if name == "mouth_open":
        return Expression(name, jaw_open=draw(0.35, 0.7))
    if name == "yawn":
        return Expression(name, jaw_open=draw(0.85, 1.0), eyes_closed=draw(0.4, 0.9),
                          mouth_narrow=draw(0.3, 0.6))
    if name == "eyes_closed":
        return Expression(name, eyes_closed=draw(0.9, 1.0), smile=draw(0.0, 0.1))
    if name == "talking":
        return Expression(name, jaw_open=draw(0.08, 0.3), smile=draw(0.0, 0.3),
                          mouth_narrow=draw(0.0, 0.3))
    if name == "neutral":
        return Expression(name, smile=draw(0.0, 0.12), eyes_closed=draw(0.0, 0.1))
    raise ValueError(f"unknown expression {name!r}")


def mirrored(identity: Identity) -> Identity:
    """The same person seen in a mirror: asymmetry offsets change sign."""
    return replace(identity, eye_dv=-identity.eye_dv, brow_dv=-identity.brow_dv,
                   nose_du=-identity.nose_du, mouth_dv=-identity.mouth_dv,
                   ear_dv=-identity.ear_dv)


def smoothstep(edge0: float, edge1: float, x: np.ndarray) -> np.ndarray:
    """0 at edge0, 1 at edge1, with zero slope at both: soft edges without a visible seam."""
    t = np.clip((x - edge0) / (edge1 - edge0), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def _gauss(x: np.ndarray, sigma: float) -> np.ndarray:
    return np.exp(-0.5 * (x / sigma) ** 2)


def direction(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Unit vector of surface angles (u, v) in the head frame (x right, y down, z back)."""
    cv = np.cos(v)
    return np.stack([np.sin(u) * cv, -np.sin(v), -np.cos(u) * cv], axis=-1)


def hairline(ident: Identity, u: np.ndarray) -> np.ndarray:
    """Elevation v of the hair boundary at azimuth u (hair lies above it)."""
    au = np.abs(u)
    if ident.hair_style == "bald":  # horseshoe of short hair around the back
        knots_u = [0.0, 1.3, 1.45, 1.9, 2.4, math.pi]
        knots_v = [1.45, 1.0, 0.32, 0.2, -0.2, -0.35]
    else:
        h = ident.hairline_v
        long = ident.hair_style == "long"
        side = -0.6 if long else 0.0        # sideburn, just in front of the ear
        over_ear = -0.7 if long else 0.3
        nape = -0.9 if long else -0.45
        knots_u = [0.0, 0.45, 0.8, 1.15, 1.3, 1.42, 1.5, 1.85, 2.3, math.pi]
        knots_v = [h, h + 0.03, min(h + 0.02, 0.55), min(h, 0.4), side, side, over_ear,
                   over_ear, nape, nape]
    return np.interp(au, knots_u, knots_v)


def _ragged(ident: Identity, u: np.ndarray, amplitude: float) -> np.ndarray:
    """Irregular offsets along the hairline: real hairlines are neither smooth nor symmetric."""
    ph = ident.hair_phase
    return amplitude * (np.sin(u * 17.0 + ph) * 0.5 + np.sin(u * 41.0 + 2.3 * ph) * 0.3
                        + np.sin(u * 5.0 + 3.1 * ph) * 0.6)


def _above_hairline(ident: Identity, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Elevation (v) above the ragged hairline."""
    return v - hairline(ident, u) - _ragged(ident, u, 0.03)


def hair_weight(ident: Identity, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Soft 0..1 hair coverage at surface angles (u, v)."""
    return smoothstep(*HAIRLINE_EDGE, _above_hairline(ident, u, v))


def eye_centres(ident: Identity) -> np.ndarray:
    """(2, 2) (u, v) of the image-left and image-right eye centres."""
    return np.array([[-ident.eye_u, ident.eye_v - ident.eye_dv / 2],
                     [ident.eye_u, ident.eye_v + ident.eye_dv / 2]])


def mouth_line(ident: Identity, expr: Expression, u: np.ndarray) -> np.ndarray:
    """Elevation v of the lip seam at azimuth u; smiling lifts the corners."""
    hw = ident.mouth_hw * (1.0 - 0.25 * expr.mouth_narrow)
    curve = (0.05 * expr.smile - 0.01) * (np.clip(np.abs(u) / hw, 0.0, 1.2) ** 2)
    # the asymmetry tilts the seam; a step at the midline drew a vertical line through the lips
    return ident.mouth_v + ident.mouth_dv * 0.5 * np.clip(u / hw, -1.0, 1.0) + curve


def mouth_half_width(ident: Identity, expr: Expression) -> float:
    return ident.mouth_hw * (1.0 - 0.25 * expr.mouth_narrow) * (1.0 + 0.15 * expr.smile)


def lips_weight(ident: Identity, expr: Expression, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """0..1 the red of the lips: an ellipse round the lip seam, deeper below it, with an edge a
    sixth of its size."""
    dv = v - mouth_line(ident, expr, u)
    extent = np.where(dv > 0, ident.lip_h * 1.3, ident.lip_h * 1.5)
    return np.clip((1.0 - np.hypot(u / mouth_half_width(ident, expr), dv / extent)) * 6.0, 0.0, 1.0)


def _radius(ident: Identity, u: np.ndarray, v: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Skin radius along direction d(u, v): superquadric skull plus facial feature bumps."""
    taper = 1.0 - ident.jaw_taper * smoothstep(-0.15, -1.0, v)
    ay = np.where(d[..., 1] < 0, ident.ay_up, ident.ay_down)
    az = np.where(d[..., 2] < 0, ident.az_front, ident.az_back)
    p = ident.power
    base = (np.abs(d[..., 0] / (ident.ax * taper)) ** p + np.abs(d[..., 1] / ay) ** p
            + np.abs(d[..., 2] / az) ** p) ** (-1.0 / p)
    front = _gauss(u, 0.9)  # facial features live on the front only
    au = np.abs(u)
    bumps = ident.brow_amp * _gauss(v - ident.brow_v - np.sign(u) * ident.brow_dv / 2, 0.07) \
        * _gauss(u, 0.55)
    # eye sockets (deep under the brow) with the eyeball bulging back out inside
    for eu, ev in eye_centres(ident):
        bumps = bumps - ident.socket * _gauss(u - eu, 0.19) * _gauss(v - ev, 0.11)
        bumps = bumps + 0.45 * _gauss(u - eu, 0.1) * _gauss(v - ev, 0.055)
    bumps = bumps + 0.35 * _gauss(u, 0.09) * _gauss(v - ident.eye_v + 0.02, 0.08)  # nasal root
    bumps = bumps + nose_height(ident, u, v)
    for side in (-1.0, 1.0):
        bumps = bumps + ident.cheek_amp * _gauss(u - side * 0.62, 0.22) * _gauss(v + 0.3, 0.2)
        bumps = bumps + 0.35 * _gauss(u - side * 1.05, 0.18) * _gauss(v + 0.62, 0.15)  # jaw angle
        bumps = bumps - TEMPORAL_FOSSA_CM * _gauss(u - side * TEMPORAL_FOSSA_UV[0], TEMPORAL_FOSSA_SPREAD[0]) \
            * _gauss(v - TEMPORAL_FOSSA_UV[1], TEMPORAL_FOSSA_SPREAD[1])
        ear_v = ident.ear_v + side * ident.ear_dv / 2
        ear = np.exp(-(((u - side * 1.62) / 0.17) ** 4 + ((v - ear_v) / 0.26) ** 4))
        bumps = bumps + ident.ear_amp * ear
    # maxilla and lips, chin
    bumps = bumps + 0.7 * _gauss(u, 0.36) * _gauss(v - ident.mouth_v - 0.04, 0.13)
    bumps = bumps + ident.lip_amp * _gauss(u, ident.mouth_hw * 0.65) \
        * (_gauss(v - ident.mouth_v - ident.lip_h * 0.6, ident.lip_h * 0.55)
           + _gauss(v - ident.mouth_v + ident.lip_h * 0.75, ident.lip_h * 0.65))
    bumps = bumps + ident.chin_amp * _gauss(u, 0.28) * _gauss(v - ident.chin_v - 0.07, 0.12)
    radius = base + bumps * np.where(au < 2.0, 1.0, 0.0) * np.maximum(front, _ear_band(u))
    return radius


def along_nose(ident: Identity, v: np.ndarray) -> np.ndarray:
    """Position down the nose: 0 at eye level (the nasion), 1 at the tip, above 1 below it."""
    return (ident.eye_v - v) / (ident.eye_v - ident.nose_tip_v)


def nose_height(ident: Identity, u: np.ndarray, v: np.ndarray, wings: float = 1.0
                ) -> np.ndarray:
    """How far (cm) the external nose stands off the face: a ridge growing from the nasion to
    the tip and dropping to the subnasale, plus the two wings (alae) at ``wings`` of their
    height. The thermal model cools the nose by this height, so the cold nose has the nose's
    own outline."""
    un = u - ident.nose_du
    t = np.clip(along_nose(ident, v), 0.0, None)
    ridge = np.where(t <= 1.0, 0.12 + 0.88 * t ** 1.3, np.exp(-((t - 1.0) / 0.28) ** 2))
    ridge = np.where(v > ident.eye_v, _gauss(v - ident.eye_v, 0.05) * 0.12, ridge)
    width = 0.055 + (ident.nose_width - 0.055) * np.clip(t, 0.0, 1.0) ** NOSE_FLARE
    height = ident.nose_amp * ridge * _gauss(un, width * 0.6)
    alae_v = ident.nose_tip_v - 0.07
    for side in (-1.0, 1.0):
        height = height + 0.8 * wings * _gauss(un - side * ident.nose_width * 0.95, 0.06) \
            * _gauss(v - alae_v, 0.055)
    return height


def _ear_band(u: np.ndarray) -> np.ndarray:
    """Lets ear bumps through the front-only mask at the sides of the head."""
    return _gauss(np.abs(u) - 1.62, 0.3)


def _jaw_weight(ident: Identity, expr: Expression, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """0..1 share of the jaw rotation a surface point follows: 1 below the lip seam."""
    hw = mouth_half_width(ident, expr)
    seam = LIP_SEAM + 0.35 * np.maximum(np.abs(u) - hw, 0.0)
    below = smoothstep(0.0, 1.0, 0.5 + (mouth_line(ident, expr, u) - v) / (2.0 * seam))
    return below * smoothstep(2.0, 1.35, np.abs(u))


def surface(ident: Identity, expr: Expression, u: np.ndarray, v: np.ndarray,
            hair: bool = True) -> np.ndarray:
    """3D points (..., 3) in cm of the head surface at angles (u, v); hair adds its volume."""
    u = np.asarray(u, dtype=np.float64)
    v = np.asarray(v, dtype=np.float64)
    d = direction(u, v)
    r = _radius(ident, u, v, d)
    if hair:
        r = r + hair_thickness(ident, u, v)
    if ident.beard_cm > 0:
        r = r + ident.beard_cm * beard_weight(ident, expr, u, v)
    p = r[..., None] * d
    if expr.smile > 0:
        hw = mouth_half_width(ident, expr)
        for side in (-1.0, 1.0):
            g = _gauss(u - side * hw, 0.13) * _gauss(v - ident.mouth_v, 0.12) * expr.smile
            p = p + g[..., None] * np.array([side * 0.45, -0.45, 0.25])
            cheek = _gauss(u - side * 0.6, 0.2) * _gauss(v + 0.35, 0.12) * expr.smile
            p = p + cheek[..., None] * (0.35 * d)
    if expr.jaw_open > 0:
        angle = math.radians(JAW_MAX_DEG * expr.jaw_open)
        w = _jaw_weight(ident, expr, u, v)[..., None]
        c, s = math.cos(angle), math.sin(angle)
        rot = np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])
        rotated = (p - JAW_PIVOT) @ rot.T + JAW_PIVOT + expr.jaw_open * JAW_SLIDE
        p = p + w * (rotated - p)
    return p


def hair_thickness(ident: Identity, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Hair layer thickness (cm) over the scalp: cropped thin at the sides, fuller on top, and
    rising from the hairline (HAIR_RISE_V)."""
    above = _above_hairline(ident, u, v)
    weight = smoothstep(*HAIRLINE_EDGE, above)  # hair_weight
    volume = 0.45 + 0.55 * smoothstep(0.0, 1.2, v) + _ragged(ident, u * 0.5 + v * 0.3, 0.12)
    rise = smoothstep(HAIRLINE_EDGE[0], HAIR_RISE_V, above)
    return ident.hair_cm * weight * volume * rise


def beard_weight(ident: Identity, expr: Expression, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """0..1 beard coverage: chin, jaw and upper lip, its top edge running diagonally from the
    sideburns down to the mouth corners; the lips stay bare."""
    au = np.abs(u)
    top = np.interp(au, [0.0, 0.3, 0.6, 1.0, 1.3, 1.45],
                    [ident.nose_tip_v - 0.16, ident.nose_tip_v - 0.2, -0.42, -0.28, -0.05, 0.0])
    weight = smoothstep(-0.03, 0.1, top - v) * smoothstep(1.5, 1.38, au) \
        * smoothstep(-1.7, -1.45, v)
    hw = mouth_half_width(ident, expr)
    lips = smoothstep(1.0, 0.8, np.hypot(u / (hw * 1.05),
                                          (v - ident.mouth_v) / (ident.lip_h * 2.2)))
    return weight * (1.0 - lips)


@lru_cache(maxsize=_CACHE)
def landmark_uv(ident: Identity, expr: Expression) -> np.ndarray:
    """(54, 2) surface angles of the SF-TL54 points for this identity and expression (cached,
    read-only: every sample asks several times)."""
    uv = np.zeros((NUM_LANDMARKS, 2))
    # jaw 0..16: a superellipse from the image-left tragus level round the chin
    phi = np.linspace(0.0, math.pi, 17)
    e = 2.0 / ident.jaw_n
    cosp, sinp = np.cos(phi), np.sin(phi)
    uv[0:17, 0] = -ident.jaw_u * np.sign(cosp) * np.abs(cosp) ** e
    uv[0:17, 1] = ident.jaw_v0 - (ident.jaw_v0 - ident.chin_v) * np.abs(sinp) ** e
    # brows 17..21 (outer to inner, image left) and 22..26 (inner to outer)
    for k, side in enumerate((-1.0, 1.0)):
        s = np.linspace(0.0, 1.0, 5)
        us = side * (ident.eye_u + 0.22 - s * 0.36)  # outer -> inner
        arch = 0.035 * np.sin(math.pi * (0.25 + 0.7 * s)) - 0.02
        vs = ident.brow_v + side * ident.brow_dv / 2 + arch
        idx = slice(17, 22) if k == 0 else slice(22, 27)
        if k == 0:
            uv[idx, 0], uv[idx, 1] = us, vs
        else:
            uv[idx, 0], uv[idx, 1] = us[::-1], vs[::-1]
    # nose bridge 27..30 nasion -> tip, lower nose 31..35
    tip = ident.nose_tip_v
    uv[27:31, 0] = ident.nose_du
    uv[27:31, 1] = np.linspace(ident.eye_v + 0.01, tip, 4)
    nw = ident.nose_width
    uv[31:36, 0] = ident.nose_du + np.array([-1.0, -0.5, 0.0, 0.5, 1.0]) * nw * 0.95
    uv[31:36, 1] = tip - np.array([0.095, 0.125, 0.14, 0.125, 0.095])
    # eyes: 36..41 image-left (outer corner first, clockwise), 42..47 image-right (inner first)
    low = ident.eye_hh * 0.7 * (1.0 - 0.4 * expr.smile)
    # closing lowers the upper lid onto the lower one
    upper = (1.0 - expr.eyes_closed) * 0.85 * ident.eye_hh - expr.eyes_closed * 0.9 * low
    thirds = np.array([-1.0 / 3.0, 1.0 / 3.0])
    for (eu, ev), base, sign in zip(eye_centres(ident), (36, 42), (-1.0, 1.0)):
        hw = ident.eye_hw
        outer, inner = eu + sign * hw, eu - sign * hw
        # clockwise in the image (y down): left-to-right along the upper lid, back along the lower
        xs_upper = eu + thirds * hw
        left, right = (outer, inner) if sign < 0 else (inner, outer)
        pts = [(left, ev), (xs_upper[0], ev + upper), (xs_upper[1], ev + upper), (right, ev),
               (xs_upper[1], ev - low), (xs_upper[0], ev - low)]
        uv[base:base + 6] = pts
    # mouth: 48 left corner, 49 upper lip top, 50 right corner, 51 lower lip bottom, 52/53 inner
    hw = mouth_half_width(ident, expr)
    corners = mouth_line(ident, expr, np.array([-hw, hw]))
    centre = float(mouth_line(ident, expr, np.array([0.0]))[0])
    uv[48] = (-hw, corners[0])
    uv[50] = (hw, corners[1])
    uv[49] = (0.0, centre + ident.lip_h * 1.25)
    uv[51] = (0.0, centre - ident.lip_h * 1.45)
    uv[52] = (0.0, centre + LIP_SEAM * 1.2)
    uv[53] = (0.0, centre - LIP_SEAM * 1.2)
    uv.setflags(write=False)
    return uv


@lru_cache(maxsize=_CACHE)
def landmarks_3d(ident: Identity, expr: Expression, step: float = 1e-3
                 ) -> tuple[np.ndarray, np.ndarray]:
    """(54, 3) landmark positions (cm, head frame) on the skin, under hair and beard, and their
    (54, 3) outward unit normals (central differences, all in one surface evaluation)."""
    uv = landmark_uv(ident, expr)
    offsets = np.array([[0, 0], [step, 0], [-step, 0], [0, step], [0, -step]])
    grid = uv[None, :, :] + offsets[:, None, :]
    pts = surface(replace(ident, beard_cm=0.0), expr, grid[..., 0], grid[..., 1], hair=False)
    n = np.cross(pts[1] - pts[2], pts[3] - pts[4])
    points, normals = pts[0], n / np.maximum(np.linalg.norm(n, axis=-1, keepdims=True), 1e-12)
    points.setflags(write=False)
    normals.setflags(write=False)
    return points, normals
