"""One synthetic person: what they look like, how they are posed, and their meshes.

A Person bundles the head (identity, expression), pose, accessories, thermal physiology and RGB
appearance. ``build_meshes`` turns it into camera-frame grid meshes for the rasteriser: head,
neck, torso, and the accessories that have their own geometry (glasses, cap brim, a hand).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from . import head
from .config import SynthConfig
from .render import Mesh, grid_normals, grid_triangles, project, rotation

# Material ids of triangles (and so of pixels). Background pixels have no triangle.
(PART_HEAD, PART_NECK, PART_TORSO, PART_LENS, PART_FRAME, PART_BRIM, PART_HAND, PART_LOCK,
 PART_COLLAR) = range(9)
#: Thin sheets are seen from both sides, so they are never back-face culled.
TWO_SIDED_PARTS = (PART_LENS, PART_FRAME, PART_BRIM, PART_COLLAR)

#: Neck joint (cm) in the head frame and in the body frame: the head turns about it. Up to
#: synth-19 both sat at 9 cm below the head centre; the body now hangs 1 cm higher. On
#: eye-aligned median faces (outer eye corners 24 px apart) the shirt began about 6 px lower
#: than on the real Tufts frames and the skin of the neck ran on down the chest.
NECK_JOINT_HEAD = np.array([0.0, 9.0, 1.5])
NECK_JOINT_BODY = np.array([0.0, 10.0, 1.5])
#: Target triangle edge on screen (pixels) for the head mesh, and its angular limits (radians).
EDGE_PX = 4.0
MIN_STEP, MAX_STEP = 0.014, 0.12
#: Target cell size on screen (pixels) of neck and torso grids: smooth surfaces, larger cells.
BODY_EDGE_PX = 8.0
#: Neck shape: narrowing between jaw and shoulders, sideways flare of its base, half width and
#: half depth (cm) of its top ring (inside the head) and radius of its base. Up to synth-19 the
#: top ring was 5.6 x 5.3 cm and the base flared by 1.25: median render faces stayed skin-warm
#: (over 0.75 of the face-room contrast) 25-29 px across from the jaw down to the chest,
#: while the real Tufts necks narrow from 28 px under the jaw to 12-15 px above the shirt.
NECK_WAIST = 0.1
NECK_BASE_FLARE = 1.1
NECK_TOP_RADIUS = (5.0, 5.0)
NECK_BASE_RADIUS = 6.6
#: Height (cm, body frame) of the neck base: below the front of the shoulder plateau, so the
#: tube ends inside the chest. The plateau's front slopes down this far (cm) to the sternal
#: notch over the first arc length (cm) from the neck, and blends back into the lathe by the
#: second: the upper chest faces the camera instead of being a shelf seen edge-on.
NECK_BASE_Y = 17.5
STERNAL_DIP_CM, STERNAL_DIP_ARC_CM = 5.0, (8.0, 24.0)
#: Share of people whose clothing covers the neck (turtleneck, scarf, hoodie).
P_TURTLENECK = 0.15
#: Open shirt neck on the torso: half width (u) and depth down the chest (v) of a crew neck;
#: too shallow an opening ends the neck in a straight cut instead of a U.
NECKLINE_HALF_WIDTH = 0.17
NECKLINE_DEPTH = 0.3
#: Range of how far the opening reaches down (units of NECKLINE_DEPTH: crew 0.6 .. V-neck 1);
#: 0.6-2.0 up to synth-19, when skin ran 0.8 eye distances below the chin on the midline of
#: frontal renders against about 0.55 on the real Tufts median face. synth-20 drew 0.4-1.0,
#: where one of 12 frontal test builds ended the neck in a straight cut (at 0.4-0.5); at 0.6 and
#: above every one shows the U.
NECK_DEPTH = (0.6, 1.0)
#: Width of the fabric band around the opening (units of the opening's radius): a rib band of
#: a T-shirt or sweater (drawn for this share of people), else shirt or polo collar flaps.
CREW_BAND = 0.12
P_CREW_BAND = 0.5
POLO_BAND = (0.2, 0.45)
#: Share of people in an outer layer (jacket, coat, fleece) over the shirt. Its collar stands
#: around the back and sides of the neck, open at the throat (radians each side of the front),
#: highest at the nape (cm), its top edge leaning in toward the neck or out (cm). Below the
#: collar the front hangs open in a V whose edges (torso u, -1..1 around the body) start at the
#: collar's opening and spread down the chest (u per unit of torso v). Up to synth-16 nobody
#: wore one, and the crop's bottom corners beside the neck were bare background where real
#: frames show collars and lapels (flat share 0.67 / 0.62 against 0.54 / 0.42).
P_JACKET = 0.5
JACKET_COLLAR_CM = (2.5, 7.0)
JACKET_LEAN_CM = (-1.5, 3.0)
JACKET_OPEN_RAD = (0.45, 1.0)
JACKET_SPREAD = (0.0, 0.4)
#: Where the collar stands (cm, body frame): its base ring lies on the shoulder plateau, this
#: far from the neck's axis sideways and front to back, a little into the torso so no gap shows.
#: From its front ends, down to this share of its height, it rises to full height over this
#: arc (radians): the ends run into the lapels instead of ending in a cut.
JACKET_COLLAR_BASE = (8.5, 7.5, 14.0)
JACKET_COLLAR_ENDS, JACKET_COLLAR_RISE_RAD = 0.03, 1.5
#: Width (torso u) of the soft edge of the open front and of the folded lapel beside it.
JACKET_EDGE_U, LAPEL_U = 0.02, 0.04
#: Pleats of surgical masks: spacing (radians of v), height (cm), the band (in periods below
#: the top edge) they occupy; width of the pressed rim.
MASK_PLEAT_PERIOD = 0.2
MASK_PLEAT_BAND = (0.7, 3.7)
MASK_PLEAT_CM = 0.4
MASK_RIM = 0.06
#: Fingers side by side across the hand (-1..1): how many, the depth of the gaps between
#: them (cm back from the tips), the rounding radius of a fingertip (cm), and how far the
#: middle fingertips lead the outer ones (cm).
FINGERS = 4
FINGER_GAP_CM = 5.0
FINGER_TIP_CM = 1.0
FINGER_ARC_CM = 1.5
#: Long hair: length below the top of the ear (cm) and how far forward its ends fall (cm; past
#: about 8 they lie on the chest, below about 3 they hang behind the shoulders).
LOCK_LENGTH_CM = (14.0, 34.0)
LOCK_DRAPE_CM = (-2.0, 12.0)
#: Long hair's half width (cm) at the ear, and its waves: sideways amplitude (cm) at the ends
#: (they set in below the ear) and wavelength (cm). Up to synth-16 locks hung as straight,
#: narrow bands (half width 2.5-4.5 cm): real long hair falls in waves that fill the sides of
#: the neck, the crop's bottom corners.
LOCK_WIDTH_CM = (3.0, 5.5)
LOCK_WAVE_CM = (0.2, 1.2)
LOCK_WAVELENGTH_CM = (7.0, 16.0)
#: Length down a lock (cm) over which its waves set in: none above, full amplitude below.
LOCK_WAVE_ONSET_CM = (6.0, 16.0)
#: Top of a lock inside the hair (cm in from the skull's half width, and y in the head frame:
#: cm down from the head centre); below it a lock splays outward in proportion to its length.
#: synth-17's locks (2.5 cm in, splaying with the square root of the length) stood out of the
#: hair at the temples like flaps; these hang close to the head and frame the face.
LOCK_TOP = (3.5, -3.0)
#: Half depth (cm) of a lock front to back at the ear, thinning toward its end with its width.
LOCK_DEPTH_CM = 4.5
#: Lens half width and half height (cm) of clear glasses and of sunglasses, and the exponent of
#: the lens outline (superellipse: 2 an oval, 3.5 nearly a rectangle). Up to synth-5 every lens
#: was the same rounded rectangle; the real frames in ../shared show mostly ovals. synth-18 made
#: sunglasses larger (they were 2.2-2.9 by 1.6-2.3 cm, smaller than the real ones look beside
#: the eye distance; a 55-60 mm wide lens is common).
LENS_HALF_CM = {"clear": ((2.0, 2.6), (1.3, 1.9)), "sun": ((2.5, 3.1), (1.8, 2.4))}
LENS_EXPONENT = (2.0, 3.5)
#: Range of the lens taper: many sunglasses (wayfarers, aviators) are wider along the brow than
#: at the cheek, where synth-18 drew every lens up-down symmetric.
LENS_TAPER = {"clear": (0.0, 0.15), "sun": (0.0, 0.35)}
#: Half height (cm) of the frame's bridge and temple arms. The bridge joins the lenses this share
#: of their half width in from their centres, this far (cm) above them; up to synth-17 glasses
#: had no bridge, two plates floating apart, where real frames show a dark bar over the nose.
FRAME_HALF_CM = 0.22
BRIDGE_REACH, BRIDGE_RISE_CM = 0.8, 0.5


@dataclass(frozen=True)
class Lens:
    """Outline of one lens of a pair of glasses (both lenses are alike)."""

    half_width_cm: float = 2.4
    half_height_cm: float = 1.7
    exponent: float = 3.0  # superellipse: 2 an oval, larger toward a rectangle
    taper: float = 0.0  # share of the half width lost at the bottom (0: symmetric)


@dataclass
class Person:
    """Everything sampled about one person; the renderers read it, nothing here is random."""

    identity: head.Identity
    expression: head.Expression
    yaw: float
    pitch: float
    roll: float
    body_yaw: float
    body_roll: float
    glasses: str | None = None   # "clear" | "sun" | None
    lens: Lens = field(default_factory=Lens)
    mask: bool = False
    hat: str | None = None       # "cap" | "beanie" | None
    hand: dict | None = None     # pose of a hand near the face
    locks: dict | None = None    # long hair hanging past the head (length, drape, flare, cm)
    beard: bool = False
    build: float = 1.0           # shoulder width factor
    collar: float = 1.0          # neck position (0 head .. 1 shoulders) where clothing starts
    neck_depth: float = 1.0      # how far the shirt opening reaches down (NECK_DEPTH)
    collar_width: float = CREW_BAND  # fabric band around the opening: rib band .. polo flaps
    jacket: dict | None = None   # outer layer: collar height, lean, opening, spread of the V
    physiology: dict = field(default_factory=dict)   # thermal.sample_physiology
    appearance: dict = field(default_factory=dict)   # rgb.sample_appearance

    def attributes(self) -> dict:
        return {
            "yaw": round(self.yaw, 3), "pitch": round(self.pitch, 3), "roll": round(self.roll, 3),
            "expression": self.expression.name, "glasses": self.glasses is not None,
            "sunglasses": self.glasses == "sun", "mask": self.mask, "hat": self.hat is not None,
            "beard": self.beard, "hand": self.hand is not None,
            "hair": self.identity.hair_style,
        }


def _signed_angle(rng: np.random.Generator, lo: float, hi: float, power: float) -> float:
    """Angle in [lo, hi], denser near 0 (power > 1) so that frontal-ish faces dominate."""
    if lo == hi:
        return float(lo)
    side = hi if rng.random() < hi / (hi - lo) else lo
    return float(side * rng.random() ** power) if lo < 0 < hi else float(rng.uniform(lo, hi))


def sample_person(rng: np.random.Generator, config: SynthConfig) -> Person:
    """Draw identity, expression, pose and accessories from the config's ranges."""
    beard = rng.random() < config.p_beard
    ident = head.sample_identity(rng, config.identity_scale, config.asymmetry, beard=beard,
                                 bald=rng.random() < config.p_bald)
    names = list(config.expressions)
    weights = np.array([config.expressions[n] for n in names], dtype=np.float64)
    expr = head.expression_named(str(rng.choice(names, p=weights / weights.sum())), rng)
    yaw = _signed_angle(rng, *config.yaw_deg, config.pose_power)
    pitch = _signed_angle(rng, *config.pitch_deg, config.pose_power)
    roll = _signed_angle(rng, *config.roll_deg, config.pose_power)
    glasses, lens = None, Lens()
    if rng.random() < config.p_glasses:
        glasses = "sun" if rng.random() < config.p_sunglasses else "clear"
        (w_lo, w_hi), (h_lo, h_hi) = LENS_HALF_CM[glasses]
        lens = Lens(float(rng.uniform(w_lo, w_hi)), float(rng.uniform(h_lo, h_hi)),
                    float(rng.uniform(*LENS_EXPONENT)), float(rng.uniform(*LENS_TAPER[glasses])))
    mask = bool(rng.random() < config.p_mask)
    if mask and expr.jaw_open > 0.3:
        expr = head.expression_named("neutral", rng)
    hat = None
    if rng.random() < config.p_hat:
        hat = "cap" if rng.random() < 0.6 else "beanie"
    hand = None
    if rng.random() < config.p_hand:
        side = float(rng.choice([-1.0, 1.0]))
        hand = {"side": side, "height": float(rng.uniform(-0.9, 0.0)),
                "reach": float(rng.uniform(0.2, 0.9)), "tilt": side * float(rng.uniform(-10, 45)),
                "gap": float(rng.uniform(0.0, 1.5)), "sleeve": float(rng.uniform(18.0, 40.0))}
    locks = None
    if ident.hair_style == "long":
        locks = {"length": float(rng.uniform(*LOCK_LENGTH_CM)),
                 "drape": float(rng.uniform(*LOCK_DRAPE_CM)),
                 "flare": float(rng.uniform(0.0, 3.0)), "width": float(rng.uniform(*LOCK_WIDTH_CM)),
                 "wave": float(rng.uniform(*LOCK_WAVE_CM)),
                 "wavelength": float(rng.uniform(*LOCK_WAVELENGTH_CM)),
                 "phase": float(rng.uniform(0.0, 2.0 * math.pi))}
    jacket = None
    if rng.random() < P_JACKET:
        jacket = {"height": float(rng.uniform(*JACKET_COLLAR_CM)),
                  "lean": float(rng.uniform(*JACKET_LEAN_CM)),
                  "open": float(rng.uniform(*JACKET_OPEN_RAD)),
                  "spread": float(rng.uniform(*JACKET_SPREAD))}
    return Person(
        identity=ident, expression=expr, yaw=yaw, pitch=pitch, roll=roll,
        body_yaw=yaw * float(rng.uniform(0.2, 1.0)), body_roll=roll * float(rng.uniform(0.0, 0.4)),
        glasses=glasses, lens=lens, mask=mask, hat=hat, hand=hand, locks=locks, beard=beard,
        build=float(rng.uniform(0.82, 1.12)),
        collar=float(rng.uniform(0.35, 0.6)) if rng.random() < P_TURTLENECK else 1.0,
        neck_depth=float(rng.uniform(*NECK_DEPTH)),
        collar_width=CREW_BAND if rng.random() < P_CREW_BAND else float(rng.uniform(*POLO_BAND)),
        jacket=jacket,
    )


@dataclass
class Placement:
    """Where a person is: head rotation and centre, body rotation and origin (camera frame, cm)."""

    head_rotation: np.ndarray
    head_centre: np.ndarray
    body_rotation: np.ndarray
    body_origin: np.ndarray

    def head_to_camera(self, points: np.ndarray) -> np.ndarray:
        return points @ self.head_rotation.T + self.head_centre

    def body_to_camera(self, points: np.ndarray) -> np.ndarray:
        return points @ self.body_rotation.T + self.body_origin


def place(person: Person, head_centre: np.ndarray) -> Placement:
    """Head at ``head_centre``; the body hangs from the neck joint, turned by the body angles."""
    rh = rotation(person.yaw, person.pitch, person.roll)
    rb = rotation(person.body_yaw, 0.0, person.body_roll)
    joint = head_centre + rh @ NECK_JOINT_HEAD
    return Placement(rh, np.asarray(head_centre, float), rb, joint - rb @ NECK_JOINT_BODY)


def landmarks_2d(person: Person, placement: Placement, focal: float, cx: float, cy: float
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(54, 2) pixel landmarks, (54,) camera depth (cm) and (54,) front-facing flags."""
    ident, expr = person.identity, person.expression
    local, local_normals = head.landmarks_3d(ident, expr)
    pts = placement.head_to_camera(local)
    normals = local_normals @ placement.head_rotation.T
    rays = pts / np.linalg.norm(pts, axis=1, keepdims=True)
    facing = (normals * rays).sum(1) < 0.05
    return project(pts, focal, cx, cy), pts[:, 2], facing


def _axis_samples(lo: float, hi: float, dense: tuple[float, float], step: float,
                  extra: tuple[float, ...] = ()) -> np.ndarray:
    """Samples of [lo, hi]: ``step`` apart inside ``dense``, three times sparser outside."""
    parts = [np.arange(lo, dense[0], 3 * step), np.arange(dense[0], dense[1], step),
             np.arange(dense[1], hi, 3 * step), [hi], extra]
    return np.unique(np.concatenate(parts))


def _head_grid(person: Person, step: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, cols) u and v sample angles; rows near the mouth follow the curved lip seam."""
    ident, expr = person.identity, person.expression
    m0 = float(head.mouth_line(ident, expr, np.array([0.0]))[0])
    seam = tuple(m0 + k * head.LIP_SEAM for k in (-3, -1, 0, 1, 3))
    us = _axis_samples(-math.pi, math.pi, (-2.0, 2.0), step)
    vs = _axis_samples(-math.pi / 2 + 0.02, math.pi / 2 - 0.02, (-1.45, 0.7), step, seam)
    u, v = np.meshgrid(us, vs)
    bend = head.mouth_line(ident, expr, u) - m0
    v = v + bend * np.exp(-0.5 * ((v - m0) / 0.07) ** 2)
    return u, v, us


def _lathe(half_width: np.ndarray, half_depth: np.ndarray, profile_y: np.ndarray, cols: int,
           centre_z: float) -> np.ndarray:
    """(rows, cols, 3) stack of horizontal ellipses about the y axis (rows follow the profile)."""
    theta = np.linspace(-math.pi, math.pi, cols)
    x = half_width[:, None] * np.sin(theta)[None, :]
    z = centre_z - half_depth[:, None] * np.cos(theta)[None, :]
    y = np.broadcast_to(profile_y[:, None], x.shape)
    return np.stack([x, y, z], axis=-1)


def _grid_mesh(points_cam: np.ndarray, normals_cam: np.ndarray, uv: np.ndarray, part: int,
               person_index: int) -> Mesh:
    rows, cols = points_cam.shape[:2]
    tris = grid_triangles(rows, cols)
    return Mesh(points_cam.reshape(-1, 3), tris, np.ascontiguousarray(normals_cam.reshape(-1, 3)),
                uv.reshape(-1, 2).astype(np.float64), np.full(len(tris), part, np.int16),
                np.full(len(tris), person_index, np.int16))


def build_meshes(person: Person, placement: Placement, px_per_cm: float, person_index: int = 0
                 ) -> list[Mesh]:
    """Camera-frame meshes of one person (one part each); per-vertex attributes are the
    mesh's own surface coordinates (u, v)."""
    step = float(np.clip(EDGE_PX / (px_per_cm * 9.0), MIN_STEP, MAX_STEP))
    ident, expr = person.identity, person.expression
    u, v, _ = _head_grid(person, step)
    pts = head.surface(ident, expr, u, v)
    if person.mask:
        pts = pts + mask_offset(ident, expr, u, v)[..., None] * head.direction(u, v)
    if person.hat is not None:
        lift = hat_weight(ident, u, v) * (0.8 if person.hat == "beanie" else 0.5)
        pts = pts + lift[..., None] * head.direction(u, v)
    normals = grid_normals(pts)
    rh = placement.head_rotation
    meshes = [_grid_mesh(placement.head_to_camera(pts), normals @ rh.T,
                         np.stack([u, v], -1), PART_HEAD, person_index)]
    meshes.append(_neck_mesh(placement, person_index, px_per_cm))
    meshes.append(_torso_mesh(placement, person_index, person.build, px_per_cm))
    if person.glasses is not None:
        meshes.extend(_glasses_meshes(person, placement, person_index))
    if person.hat == "cap":
        meshes.append(_brim_mesh(ident, placement, person_index))
    if person.hand is not None:
        meshes.append(_hand_mesh(person, placement, person_index))
    if person.locks is not None:
        meshes.extend(_lock_mesh(person, placement, person_index, side) for side in (-1.0, 1.0))
    if person.jacket is not None:
        meshes.append(_jacket_collar_mesh(person.jacket, placement, person_index, px_per_cm))
    return meshes


def mask_offset(ident: head.Identity, expr: head.Expression, u: np.ndarray, v: np.ndarray
                ) -> np.ndarray:
    """Radial lift (cm) of a face mask: drapes from the nose bridge over nose, mouth and chin,
    with horizontal pleats standing off the face (a flat plate gives renders away)."""
    w = mask_weight(ident, u, v)
    nose = ident.nose_amp * 0.75 * np.exp(-0.5 * (u / 0.3) ** 2) \
        * np.exp(-0.5 * ((v - ident.nose_tip_v + 0.1) / 0.3) ** 2)
    return w * (0.5 + nose + MASK_PLEAT_CM * mask_pleats(ident, u, v))


def _mask_top(ident: head.Identity, u: np.ndarray) -> np.ndarray:
    return ident.eye_v - 0.17 + 0.25 * np.clip(np.abs(u) - 0.25, 0.0, None)


def mask_weight(ident: head.Identity, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """0..1 coverage of a surgical mask."""
    inside = (v < _mask_top(ident, u)) & (v > ident.chin_v - 0.25) & (np.abs(u) < 1.3)
    return inside.astype(np.float64)


def mask_pleats(ident: head.Identity, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """0..1 crests of the pleats of a surgical mask: sharp folds, strongest on the cheeks where
    the fabric is gathered (crests stand off the skin and read cooler in LWIR)."""
    phase = (_mask_top(ident, u) - v) / MASK_PLEAT_PERIOD
    crest = np.abs(np.sin(np.pi * phase)) ** 3 * ((phase > MASK_PLEAT_BAND[0])
                                                 & (phase < MASK_PLEAT_BAND[1]))
    return crest * np.clip((np.abs(u) - 0.15) / 0.3, 0.25, 1.0)


def mask_rim(ident: head.Identity, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """0..1 band along the mask edge, where the fabric presses on the skin (warmer)."""
    top = _mask_top(ident, u)
    edge = np.minimum(np.minimum(top - v, v - ident.chin_v + 0.25), (1.3 - np.abs(u)) * 0.6)
    return np.clip(1.0 - edge / MASK_RIM, 0.0, 1.0)


def hat_weight(ident: head.Identity, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """0..1 coverage of a cap or beanie: the crown down to just above the brows."""
    edge = ident.brow_v + 0.28 + 0.1 * np.clip(np.abs(u) - 0.8, -0.8, 0.8) ** 2
    return (v > np.minimum(edge, 0.62)).astype(np.float64)


def neckline(person: Person, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(skin, collar) 0..1 weights on the torso (u across -1..1, v down from the neck): the open
    neck of a shirt and the band of fabric around it (cooler and darker in both renders)."""
    if person.collar < 1.0:  # high collar: the neck itself is clothed
        zero = np.zeros_like(u)
        return zero, zero
    r = np.hypot(u / NECKLINE_HALF_WIDTH, v / (NECKLINE_DEPTH * person.neck_depth))
    w = person.collar_width
    return np.clip((1.0 - r) / 0.1, 0.0, 1.0), np.clip(1.0 - np.abs(r - 1.0 - w) / w, 0.0, 1.0)


def jacket_front(person: Person, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(jacket, lapel) 0..1 weights on the torso (u across -1..1, v down from the neck): the
    outer layer outside the open V of its front, and the folded edge along the V."""
    if person.jacket is None:
        zero = np.zeros_like(u)
        return zero, zero
    edge = person.jacket["open"] / math.pi + person.jacket["spread"] * v
    inside = edge - np.abs(u)  # > 0 in the open front
    lapel = np.clip(1.0 - np.abs(inside + LAPEL_U) / LAPEL_U, 0.0, 1.0)
    return np.clip(0.5 - inside / JACKET_EDGE_U, 0.0, 1.0), lapel


def _cells(length_cm: float, px_per_cm: float, lo: int, hi: int) -> int:
    """Grid samples along ``length_cm`` so that cells are about BODY_EDGE_PX on screen."""
    return int(np.clip(length_cm * px_per_cm / BODY_EDGE_PX, lo, hi))


def _neck_mesh(placement: Placement, person_index: int, px_per_cm: float) -> Mesh:
    """A tube from inside the head (head frame) to the shoulders (body frame)."""
    rows, cols = _cells(18.0, px_per_cm, 6, 40), _cells(36.0, px_per_cm, 24, 96)
    t = np.linspace(0.0, 1.0, rows)
    theta = np.linspace(-math.pi, math.pi, cols)
    ring = np.stack([np.sin(theta), np.zeros_like(theta), -np.cos(theta)], -1)  # outward
    top_c = placement.head_to_camera(np.array([0.0, 3.0, 1.5]))
    bottom_c = placement.body_to_camera(np.array([0.0, NECK_BASE_Y, 2.0]))
    top = placement.head_to_camera(ring * np.array([NECK_TOP_RADIUS[0], 0, NECK_TOP_RADIUS[1]])
                                   + np.array([0.0, 3.0, 1.5]))
    # the base flares sideways into the trapezius
    bottom = placement.body_to_camera(ring * np.array([NECK_BASE_RADIUS * NECK_BASE_FLARE, 0,
                                                       NECK_BASE_RADIUS])
                                      + np.array([0.0, NECK_BASE_Y, 2.0]))
    centre = top_c[None] * (1 - t)[:, None] + bottom_c[None] * t[:, None]
    spoke = ((top - top_c)[None] * (1 - t)[:, None, None]
             + (bottom - bottom_c)[None] * t[:, None, None])
    waist = 1.0 - NECK_WAIST * np.sin(np.pi * t) ** 2  # slimmer between jaw and shoulders
    pts = centre[:, None, :] + spoke * waist[:, None, None]
    uv = np.stack(np.meshgrid(theta, t), -1)
    return _grid_mesh(pts, -grid_normals(pts), uv, PART_NECK, person_index)


#: Shoulder silhouette (cm, body frame) from the neck base outward: a gentle trapezius slope to
#: a rounded deltoid corner, then the upper arm straight down (not a bottle's sloping neck).
_TORSO_PROFILE = np.array([  # half width, height, half depth: the chest is in front of the neck
    (0.0, 12.5, 0.0), (5.0, 12.8, 6.5), (8.0, 13.6, 8.0), (12.0, 14.8, 9.5), (16.0, 16.2, 10.5),
    (19.0, 17.6, 11.0), (21.5, 19.4, 11.5), (23.0, 22.3, 12.0), (23.6, 27.0, 12.0),
    (23.8, 33.0, 12.0), (23.0, 70.0, 12.0), (20.0, 100.0, 11.0), (17.0, 170.0, 9.0),
])  # below the chest the body narrows to the hips and legs: people in a scene are whole


#: Length (cm) that sets the torso grid's row count; rows bunch near the shoulders (s ** 1.5).
TORSO_GRID_CM = 90.0
#: Depth (cm, body frame) of the torso's vertical axis, which a jacket's collar stands around.
TORSO_AXIS_Z = 2.5


def _torso_mesh(placement: Placement, person_index: int, width: float, px_per_cm: float) -> Mesh:
    """Shoulders and chest: a lathe of the shoulder silhouette, flattened front to back."""
    rows, cols = _cells(TORSO_GRID_CM, px_per_cm, 20, 96), _cells(70.0 * width, px_per_cm, 32, 160)
    steps = np.linalg.norm(np.diff(_TORSO_PROFILE[:, :2], axis=0), axis=1)
    arc = np.concatenate([[0.0], np.cumsum(steps)])
    s = np.linspace(0.0, 1.0, rows) ** 1.5 * arc[-1]
    half_width = np.interp(s, arc, _TORSO_PROFILE[:, 0]) * width
    y = np.interp(s, arc, _TORSO_PROFILE[:, 1])
    half_depth = np.interp(s, arc, _TORSO_PROFILE[:, 2])
    pts = _lathe(half_width, half_depth, y, cols, TORSO_AXIS_Z)
    # the front of the shoulder plateau sinks to the sternal notch: from a camera at head
    # height the neck runs down into the shirt instead of ending at the shoulder line
    front = np.clip(np.cos(np.linspace(-math.pi, math.pi, cols)), 0.0, None) ** 2
    lo, hi = STERNAL_DIP_ARC_CM
    dip = np.clip(s / lo, 0.0, 1.0) * np.clip((hi - s) / (hi - lo), 0.0, 1.0)
    pts[..., 1] += STERNAL_DIP_CM * dip[:, None] * front[None, :]
    uv = np.stack(np.meshgrid(np.linspace(-1, 1, cols), s / 40.0), -1)
    cam = placement.body_to_camera(pts)
    normals = grid_normals(pts) @ placement.body_rotation.T
    return _grid_mesh(cam, -normals, uv, PART_TORSO, person_index)


def _jacket_collar_mesh(jacket: dict, placement: Placement, person_index: int,
                        px_per_cm: float) -> Mesh:
    """The collar of an outer layer: a band standing on the shoulders around the back and sides
    of the neck, open at the throat, lower toward its front ends (u = angle round the neck from
    the front, v = 0 at its base .. 1 at its top edge)."""
    rows, cols = _cells(jacket["height"], px_per_cm, 4, 16), _cells(50.0, px_per_cm, 24, 96)
    theta = np.linspace(jacket["open"], 2.0 * math.pi - jacket["open"], cols)
    h = np.linspace(0.0, 1.0, rows)[:, None]
    from_end = np.minimum(theta, 2.0 * math.pi - theta) - jacket["open"]
    ends = np.clip(from_end / JACKET_COLLAR_RISE_RAD, 0.0, 1.0)
    height = jacket["height"] * (JACKET_COLLAR_ENDS + (1.0 - JACKET_COLLAR_ENDS) * ends)[None, :]
    half_w, half_d, base_y = JACKET_COLLAR_BASE
    out = 1.0 + jacket["lean"] * h * ends[None, :] / half_w  # the front ends lie on the chest
    x = half_w * out * np.sin(theta)[None, :]
    z = TORSO_AXIS_Z - half_d * out * np.cos(theta)[None, :]
    y = base_y - height * h
    pts = np.stack([x, y, z], -1)
    uv = np.stack(np.broadcast_arrays(theta[None, :], h), -1)
    normals = grid_normals(pts) @ placement.body_rotation.T
    return _grid_mesh(placement.body_to_camera(pts), -normals, uv, PART_COLLAR, person_index)


def _glasses_meshes(person: Person, placement: Placement, person_index: int) -> list[Mesh]:
    """Two lens plates in front of the eyes (u = radius 0..1, v = angle), the bridge over the
    nose between them and the temple arms."""
    ident = person.identity
    lens = person.lens
    meshes, inner_rims = [], []
    for eu, ev in head.eye_centres(ident):
        centre = head.surface(ident, head.Expression(), np.array(eu), np.array(ev), hair=False)
        centre = centre + np.array([0.0, 0.25, -1.6 - 0.6 * ident.socket])
        r = np.linspace(0.0, 1.0, 6)
        a = np.linspace(-math.pi, math.pi, 28)
        rr, aa = np.meshgrid(r, a, indexing="ij")
        n = lens.exponent
        superell = (np.abs(np.cos(aa)) ** n + np.abs(np.sin(aa)) ** n) ** (-1 / n)
        narrowing = 1.0 - lens.taper * np.clip(-rr * np.sin(aa), 0.0, None)  # sin < 0: down
        x = centre[0] + rr * superell * np.cos(aa) * lens.half_width_cm * narrowing
        y = centre[1] - rr * superell * np.sin(aa) * lens.half_height_cm
        z = centre[2] + 0.25 * (x - centre[0]) * np.sign(eu) * 0.4 + 0.02 * (x - centre[0]) ** 2
        pts = placement.head_to_camera(np.stack([x, y, z], -1))
        normals = np.broadcast_to(placement.head_rotation @ np.array([0.0, 0.0, -1.0]), pts.shape)
        meshes.append(_grid_mesh(pts, normals, np.stack([rr, aa], -1), PART_LENS, person_index))
        side = np.sign(eu)
        inner_rims.append(np.array([centre[0] - side * lens.half_width_cm * BRIDGE_REACH,
                                    centre[1] - BRIDGE_RISE_CM, centre[2]]))
        # temple arm from the outer rim to above the ear, as a thin double-sided strip
        start = np.array([centre[0] + side * lens.half_width_cm, centre[1] - 0.3, centre[2] + 0.3])
        ear = head.surface(ident, head.Expression(), np.array(side * 1.5),
                           np.array(ident.ear_v + 0.25), hair=False)
        ear = ear + np.array([side * 0.4, 0.0, 0.0])
        meshes.append(_strip_mesh(start, ear, np.array([side, 0.0, 0.0]), placement, person_index))
    meshes.append(_strip_mesh(inner_rims[0], inner_rims[1], np.array([0.0, 0.0, -1.0]),
                              placement, person_index))
    return meshes


def _strip_mesh(start: np.ndarray, end: np.ndarray, facing: np.ndarray, placement: Placement,
                person_index: int) -> Mesh:
    """A thin frame piece (FRAME_HALF_CM high) from ``start`` to ``end`` in the head frame."""
    t = np.linspace(0.0, 1.0, 8)[:, None]
    line = start * (1 - t) + end * t
    strip = np.stack([line - [0, FRAME_HALF_CM, 0], line + [0, FRAME_HALF_CM, 0]], 1)
    pts = placement.head_to_camera(strip)
    normals = np.broadcast_to(placement.head_rotation @ facing, pts.shape)
    return _grid_mesh(pts, normals, np.zeros(pts.shape[:2] + (2,)), PART_FRAME, person_index)


def _brim_mesh(ident: head.Identity, placement: Placement, person_index: int) -> Mesh:
    """The visor of a cap: a half disc sticking out over the forehead, tilted down a little."""
    front = head.surface(ident, head.Expression(), np.array(0.0), np.array(ident.brow_v + 0.33),
                         hair=False)
    a = np.linspace(-math.pi / 2 - 0.5, math.pi / 2 + 0.5, 24)
    r = np.linspace(0.0, 1.0, 5)
    rr, aa = np.meshgrid(r, a, indexing="ij")
    x = 7.0 * np.sin(aa) * (0.55 + 0.45 * rr)
    z = front[2] + 2.0 - 9.0 * rr * np.cos(aa).clip(0.0, None) - 2.0 * (1 - rr) * np.cos(aa)
    y = front[1] - 0.3 + 0.15 * (z - front[2]) * -1.0
    pts = placement.head_to_camera(np.stack([x, y, z], -1))
    normals = np.broadcast_to(placement.head_rotation @ np.array([0.0, -1.0, 0.0]), pts.shape)
    return _grid_mesh(pts, normals, np.stack([rr, aa], -1), PART_BRIM, person_index)


#: Hand and forearm as a tube: (distance from the fingertips in cm, half width, half thickness).
_ARM_PROFILE = np.array([
    (0.0, 4.0, 0.9), (3.0, 4.2, 1.2), (15.0, 4.4, 1.8), (18.0, 3.1, 2.2),
    (22.0, 3.3, 2.7), (45.0, 4.2, 3.6),
])
#: Rounding of each finger's tip (cm back from its tip, thickness share).
_TIP_PROFILE = np.array([(0.0, 0.35), (0.6, 0.8), (1.5, 1.0)])
#: Samples along the arm: dense over the fingers, sparse along the forearm.
_ARM_S = np.concatenate([np.linspace(0.0, 1.0, 4), np.linspace(1.6, 9.0, 10),
                         np.linspace(11.0, 45.0, 12)])


def _finger_local(across: np.ndarray) -> np.ndarray:
    """-1..1 position inside the finger at ``across`` (-1..1 over the hand's width)."""
    pos = (np.clip(across, -0.999, 0.999) + 1.0) * FINGERS / 2.0
    return 2.0 * (pos - np.floor(pos)) - 1.0


def finger_gaps(across: np.ndarray) -> np.ndarray:
    """0..1 closeness to a gap between fingers at ``across`` (inner gaps only)."""
    inner = np.abs(across) < 1.0 - 1.0 / FINGERS
    return np.clip((np.abs(_finger_local(across)) - 0.75) / 0.25, 0.0, 1.0) * inner


def _finger_setback(across: np.ndarray) -> np.ndarray:
    """How far back (cm) the hand's outline starts at ``across``: rounded fingertips on an arc,
    with notches between the fingers."""
    local = _finger_local(across)
    round_tip = FINGER_TIP_CM * (1.0 - np.sqrt(np.clip(1.0 - local ** 2, 0.0, 1.0)))
    return FINGER_ARC_CM * across ** 2 + round_tip + FINGER_GAP_CM * finger_gaps(across) ** 2


def _hand_mesh(person: Person, placement: Placement, person_index: int) -> Mesh:
    """A hand resting against cheek, chin or mouth, palm toward the face, with its forearm
    running down out of the frame (u = angle round the arm, v = cm from the fingertips)."""
    ident, hand = person.identity, person.hand
    side = hand["side"]
    target_u = side * (0.15 + 0.75 * hand["reach"])
    target_v = ident.mouth_v + 0.5 * hand["height"] + 0.3
    anchor = head.surface(ident, person.expression, np.array(target_u), np.array(target_v),
                          hair=False)
    outward = head.direction(np.array(target_u), np.array(target_v))
    tilt = np.radians(hand["tilt"])
    along = np.array([np.sin(tilt), np.cos(tilt), 0.0]) + 0.35 * outward  # fingertips -> elbow
    along /= np.linalg.norm(along)
    across = np.cross(along, outward)
    across /= np.linalg.norm(across)
    thick = np.cross(across, along)
    theta = np.linspace(-math.pi, math.pi, 97)
    setback = _finger_setback(np.cos(theta))[None, :]
    length = _ARM_PROFILE[-1, 0]
    local = _ARM_S[:, None] * (length - setback) / length  # back from each column's own tip
    s = setback + local
    width = np.interp(s, _ARM_PROFILE[:, 0], _ARM_PROFILE[:, 1])[..., None]
    depth = (np.interp(s, _ARM_PROFILE[:, 0], _ARM_PROFILE[:, 2])
             * np.interp(local, _TIP_PROFILE[:, 0], _TIP_PROFILE[:, 1]))[..., None]
    start = anchor + outward * (1.8 + hand["gap"])
    axis = start + s[..., None] * along
    ring = (width * np.cos(theta)[None, :, None] * across
            + depth * np.sin(theta)[None, :, None] * thick)
    pts = axis + ring
    normals = grid_normals(pts)
    normals *= np.sign(np.einsum("ijk,ijk->ij", normals, ring) + 1e-9)[..., None]
    uv = np.stack([np.broadcast_to(theta, s.shape), s], -1)
    return _grid_mesh(placement.head_to_camera(pts), normals @ placement.head_rotation.T, uv,
                      PART_HAND, person_index)


def lock_wave(locks: dict, along_cm: np.ndarray) -> np.ndarray:
    """Sideways offset (cm, the same way on both sides) of long hair's waves at ``along_cm``
    down a lock: none at the top, full below the ear (LOCK_WAVE_ONSET_CM)."""
    lo, hi = LOCK_WAVE_ONSET_CM
    grow = np.clip((along_cm - lo) / (hi - lo), 0.0, 1.0)
    return locks["wave"] * grow * np.sin(2.0 * math.pi * along_cm / locks["wavelength"]
                                         + locks["phase"])


def _lock_mesh(person: Person, placement: Placement, person_index: int, side: float) -> Mesh:
    """Long hair hanging down one side of the head: a flattened tube whose top starts inside
    the hair volume and that hangs along the body's vertical, not the head's (gravity), past
    the jaw (u = angle round it, v = cm down its length)."""
    ident, locks = person.identity, person.locks
    s = np.linspace(0.0, 1.0, 32)
    top = placement.head_to_camera(np.array([side * (ident.ax - LOCK_TOP[0]), LOCK_TOP[1], 2.0]))
    down = locks["length"] + 3.0
    axis = np.stack([side * (2.5 + locks["flare"]) * s + lock_wave(locks, s * down),
                     down * s, -locks["drape"] * s ** 2], -1)
    taper = np.sqrt(np.clip(1.0 - s ** 4, 0.05, 1.0))  # ends thin out
    half_w = (locks["width"] * (0.8 + 0.3 * s) * taper)[:, None, None]
    half_d = (LOCK_DEPTH_CM * taper)[:, None, None]
    theta = np.linspace(-math.pi, math.pi, 48)
    ring = (half_w * np.sin(theta)[None, :, None] * np.array([1.0, 0.0, 0.0])
            - half_d * np.cos(theta)[None, :, None] * np.array([0.0, 0.0, 1.0]))
    pts = axis[:, None, :] + ring
    normals = grid_normals(pts)
    normals *= np.sign(np.einsum("ijk,ijk->ij", normals, ring) + 1e-9)[..., None]
    uv = np.stack(np.meshgrid(theta, s * down), -1)
    rb = placement.body_rotation
    return _grid_mesh(top + pts @ rb.T, normals @ rb.T, uv, PART_LOCK, person_index)
