"""Surface temperatures (degrees C) of skin, hair, clothing and accessories.

Numbers follow facial thermography (and the testo 872 frames in /work/shared: face skin 34-36 C in
a 19-25 C room): the orbits around the eyes, inner eye corners and forehead warmest; nose tip,
cheeks and ears cooler, the nose much cooler in a cold room (vasoconstriction) and cooling as a
whole, with its own sharp outline as in the real frames; exhaled air warms nostrils and mouth;
insulating layers (hair, beard, clothing, masks, hats) sit between skin and ambient; glass is
opaque in LWIR and shows a cold plate. Real frames also show sharp small structure, modelled
here: superficial vessels on forehead and temples, warm skin creases, ear concha vs helix,
nostrils, dark lash lines, cool teeth and a warm yawning mouth, mask rims and pleats, collar
bands warm where they touch skin and collar flaps cool, cool folds, dark gaps between hair clumps.
Emissivity falls at grazing angles, so silhouettes look cooler, as in real frames.
"""

from __future__ import annotations

import cv2
import numpy as np

from . import head
from .person import (CREW_BAND, PART_BRIM, PART_COLLAR, PART_FRAME, PART_HAND, PART_HEAD,
                     PART_LENS, PART_LOCK, PART_NECK, PART_TORSO, POLO_BAND, Person, finger_gaps,
                     hat_weight, jacket_front, lock_wave, mask_pleats, mask_rim, mask_weight,
                     neckline)

#: Largest share of the skin-to-room difference that a cold cheek or ear loses (the nose: below).
MAX_DROP = 0.55
#: Range of the nose's cooling factor (times 1.2 C + 0.55 C per degree of room below 24 C),
#: and the largest share of the skin-to-room difference a cold nose loses. Whether the nose
#: constricts differs between people in one room: of the frontal Tufts faces a quarter read
#: as warm as their cheeks and two in five 0.3 of the face-room contrast colder. synth-12 drew
#: (2.0, 5.0) up to MAX_DROP, which put nearly every render nose at the cap: a dark wedge in
#: two renders in three (nose tip minus cheeks, quartiles -0.46 / -0.37 / -0.26 against Tufts'
#: -0.39 / -0.22 / -0.03); synth-15's draw gives -0.37 / -0.20 / -0.05 (face_stats landmarks).
#: synth-19 raised the top from 4.0 as the cold left the nose's base (NOSE_WINGS, NOSE_TIP_FADE).
NOSE_COOLING = (0.0, 5.0)
NOSE_MAX_DROP = 0.65
#: Skin emissivity at normal incidence, and how fast it drops toward grazing view.
SKIN_EMISSIVITY = 0.98
GRAZING_DROP = 0.6
GRAZING_POWER = 3.0
#: The sides of the face (temples, cheeks toward the ears) are less perfused: degrees C cooler.
LATERAL_C = 2.4
#: Inhaling cools the nostrils and upper lip less than exhaling warms them (share).
INHALE_SHARE = 0.4
_REMAP_WIDTH = 1024
#: Width (texture rms units) of the zero-crossing ridges that draw vessels and fabric folds.
RIDGE_WIDTH = 0.22
#: Ear (normalised superquadric radius): concha and canal warm inside, helix rim cool, the
#: sulcus behind the rim warm; offsets in degrees C.
EAR_CONCHA_C, EAR_HELIX_C, EAR_SULCUS_C = 1.6, -1.4, 1.0
#: Eyelid margin and lashes (cooler than the lid skin), degrees C and width in v.
LASH_C, LASH_WIDTH = -1.0, 0.016
#: Warm skin creases (alar groove, nasolabial fold): concave skin sees more of itself.
CREASE_C = 0.7
#: Hanging long hair: share of the skin-room difference at its surface where it leaves the head
#: and from LOCK_FALL_CM down its length. Up to synth-16 it was 0.5 throughout, less 2 C at the
#: ends, and its clumps were drawn at the mesh vertices: dull grey flaps beside real long hair,
#: which is bright near the head and streaked all the way down.
LOCK_K = (0.7, 0.35)
LOCK_FALL_CM = 30.0
#: Strand texture over a lock: texture u per radian round it and texture v per cm down it (the
#: clumps are a few mm wide and several cm long), and how far (texture u per unit of wave
#: slope) they swing round the lock along its waves.
LOCK_STRAND_U, LOCK_STRAND_V = 1.5, 1.0 / 80.0
LOCK_TWIST = 2.0
#: Share of a lock's excess over the room that its clump gaps lose per unit of clumps() x
#: strand_amp: softer than the scalp hair's STRAND_GAP, since hanging hair is many layers deep.
LOCK_GAP = 0.15
#: Clothing: collar band touching the neck, contact patches on the shoulders (warm) and the
#: crests of folds standing off the body (cool), degrees C.
COLLAR_C, CONTACT_C, FOLD_C = 1.2, 1.5, -1.6
#: Collar flaps of shirts and polos lie folded over the shoulders, two layers off the skin:
#: cooler than the shirt (degrees C at the widest band, person.POLO_BAND[1]).
FLAP_C = -2.0
#: Range of the chin's offset from the forehead (degrees C). Up to synth-19 it was 0.2-1.2 C
#: cooler: eye-aligned median faces of the real Tufts frames are as warm just above and below
#: the chin as on the cheeks (0.96-0.99 of the face-room contrast), the renders 0.85-0.91.
CHIN_C = (-0.5, 0.5)
#: Range of the bare neck's offset from the forehead (degrees C). Up to synth-20 it was 0.4-2.2 C
#: cooler, with the throat's midline 0.5 C cooler still: eye-aligned median faces of the real
#: Tufts frames read 0.93-0.97 of the face-room contrast down the middle of the neck, the renders
#: 0.80-0.83 (0.88-0.90 with this range and no cooler midline).
NECK_C = (-1.2, 0.2)
#: Range of the factor on the ears' cooling (2.5 C plus 0.4 C per degree below 22 C, at most
#: MAX_DROP of the skin-room difference). Up to synth-19 it was 0.6-1.5: the probe's mean 16x16
#: thumbnail of render crops was 0.17-0.22 of the crop's range warmer than the real crops beside
#: the head from the eyes to the mouth, where the ears stand (seed 5); 1.5-2.5 takes 0.035 off.
EAR_SCALE = (1.5, 2.5)
#: Range of the share of the skin-room difference left at the surface of clothing. Fabric lies on
#: the skin over the shoulders and chest; synth-15's 0.3-0.65 read cool and flat beside the real
#: frames: face_stats shoulder level (room 0, forehead 1; 1.4 eye distances out, 0.6 below the
#: chin) 0.33 against 0.44 on Tufts, and 0.43 with 0.45-0.8 (synth-16 with its student).
#: synth-17 put half the people in a jacket (JACKET_SHARE 0.5-0.85 of this), which took it to
#: 0.38; with this range and JACKET_SHARE below, 0.43 (quartiles 0.27 / 0.43 / 0.63 against
#: Tufts 0.32 / 0.44 / 0.61).
CLOTHING_K = (0.5, 0.85)
#: An outer layer (jacket, coat, fleece) lies over the shirt, so its surface keeps a share of
#: what the shirt's keeps of the skin-room difference (this range of it), as does its collar
#: standing off the neck. The collar's top edge and the folded lapels are cooler still
#: (degrees C).
JACKET_SHARE = (0.65, 0.95)
JACKET_EDGE_C = -1.0
#: Hanging drape of clothing: soft bands along the fall of the fabric (air gaps vs contact),
#: degrees C rms.
DRAPE_C = 0.7
#: Range of the torso surface coordinates the clothing textures span.
TORSO_U, TORSO_V = (-1.0, 1.0), (0.0, 1.5)
#: Skin mottling is weaker in the orbits, whose warmth is the most stable facial feature, and
#: on the forehead, which real frames show smooth: face_stats.py's forehead texture is 0.025 in
#: real frames (median), 0.055 with no forehead steadying (synth-8), 0.035 with it.
PERIORBITAL_STEADY, FOREHEAD_STEADY = 0.8, 0.6
#: The forehead's extent: from this far above the eye centres (v radians, a smooth edge) and
#: this wide in u (Gaussian sigma, radians).
FOREHEAD_V, FOREHEAD_U = (0.1, 0.25), 0.5
#: Warmth of the orbit (degrees C): the recessed, thin-skinned region around each eye sees
#: itself and reads as a bright patch with a clear edge, the brightest part of real faces.
PERIORBITAL_C = (1.0, 2.4)
#: Half axes (u, v radians) of the warm orbit around the eye centre, and the width of its edge
#: (share of the radius).
ORBIT_AXES, ORBIT_EDGE = (0.22, 0.11), 0.3
#: Share of the orbit's warmth lost toward its lateral edge (the medial half, by the inner eye
#: corner, keeps all of it), and the cooling (degrees C) of the upper eyelid between the lash
#: line and the lid crease, this high (v) above the lash line. An even warm ring round a cool
#: eye opening drew goggles; real eyes read as dark almonds with bright inner corners.
ORBIT_LATERAL = 0.6
UPPER_LID_C, UPPER_LID_V = -1.8, 0.04
#: Share of the orbit's warmth lost below the eye (in full one orbit half-height down), the
#: exponent of the lid margins' profile along the eye (0.5 an ellipse; toward 1 the lids meet
#: at pointed corners), and the share of the cornea's cooling that the tear film along the lids
#: does not show. synth-18's elliptical openings (0.5), ringed by a warm band (0.45) over a
#: fully warm lower orbit, rendered as goggles beside the real frames' dark almonds.
ORBIT_LOWER = 0.5
LID_POWER = 0.9
MENISCUS = 0.2
#: Height (cm) of the nose above the face over which its cooling sets in: the cold nose ends
#: at a sharp outline, as in real frames. NOSE_NEAR_U: the nose's reach in u (radians).
NOSE_EDGE_CM = (0.2, 0.7)
NOSE_NEAR_U = 0.35
#: Weight of the nose wings in the height that outlines the cold nose, and where down the nose
#: (head.along_nose: 1 at the tip) the cooling fades out below the tip. Eye-aligned median faces
#: of the real Tufts frames are darkest a quarter to a third of the eye distance below the eyes,
#: a narrow column down the ridge, and back near the cheeks' level at the nose's base; synth-18
#: cooled wings and columella in full and drew a wide dark triangle there (median render 0.72
#: of the face-room contrast at the tip's level against 0.85, and 0.95 up the ridge against 0.71).
NOSE_WINGS = 0.6
NOSE_TIP_FADE = (1.4, 1.0)
#: Exponent of the cooling along the nose (0 at the nasion, 1 at the tip): a low one takes
#: the cold up the bridge. synth-18 drew 1.0-2.5, cold at the tip only.
NOSE_REACH = (0.2, 0.8)
#: Cooling (degrees C) of the nasal bridge between the inner eye corners, whatever the nose
#: does: thin skin over bone, darker than both bright corners on every real median face (Tufts
#: 0.85 of the face-room contrast on the midline at eye level, 1.05 at the corners). Its width
#: (u, Gaussian sigma) and its extent down the nose (head.along_nose, smooth edges).
BRIDGE_C = (1.0, 4.0)
BRIDGE_U = 0.08
BRIDGE_TOP, BRIDGE_BOTTOM = (-0.4, 0.0), (1.0, 0.5)
#: Lips against the skin round them (degrees C), and the darker line where they meet (degrees
#: C, Gaussian sigma in v). Real mouths read darker than the skin beside them (median faces:
#: 0.07 of the face-room contrast on Tufts, 0.1 on Terravic); synth-18's warm lips (-0.2 to
#: +0.8 C) left the mouth all but invisible.
LIPS_C = (-3.0, -0.5)
SEAM_C, SEAM_WIDTH = -1.0, 0.012
#: Warming (degrees C) of the upper lip by a full exhale; synth-18's 1.4 left the skin under
#: the nose warmer than the cheeks, where real median faces show it at their level.
BREATH_LIP_C = 0.4
#: Lenses read warmer toward their lower edge (degrees C at the bottom, rising with the square
#: of the height): they reflect the warm cheeks and body below them, as the real sunglasses
#: do. Frames hold this share of the skin-room difference (synth-18: 0.5, grey bars).
LENS_GLOW_C = (0.0, 4.0)
FRAME_K = 0.3
#: Weight of pore-scale texture relative to the few-cm perfusion mottle; skin reads smooth.
PORES = 0.5
#: Open mouth (degrees C against the lip skin): the oral cavity of a yawn is near core
#: temperature, the exposed teeth of a smile or speech are cool.
CAVITY_C, TEETH_C = 2.0, 1.5
#: Range (cm) of the hair thickness that halves the skin-room difference. synth-4 drew 0.6-1.8,
#: which left short hair nearly as warm as the forehead; synth-5 to -8 drew 0.25-0.7, a dark cap
#: near room temperature. Real hair sits between: face_stats.py's hair level (the band above
#: the forehead, room 0, forehead 1) has medians 0.41 (Tufts) and 0.32 (Terravic); 0.24 with
#: synth-8's range, 0.42 with synth-9's 0.4-1.6 (0.35 once synth-11 added HAIR_AIR_CM). With
#: the synth-14 student's landmarks the real medians read 0.34 / 0.37 and synth-14's 0.45, and
#: render heads stayed warm further up the midline (0.30 one eye distance above the brows,
#: against 0.05 on Tufts and 0.24 on Terravic); synth-15's range gives 0.40 and 0.20. A lower
#: range still (0.25-1.1) took the crowns of thick hair to the room, with no strand gaps left.
#: synth-18's thinner hair (head.HAIR_RISE_V) with 0.3-1.3 read 0.46-0.49 against the real
#: 0.29 / 0.28 (synth-18 student); this range reads 0.31-0.34.
HAIR_INSULATION_CM = (0.15, 0.8)
#: Still air (cm of hair-equivalent insulation) that any hair holds against the scalp, on top of
#: the layer's thickness. Without it (synth-10) cropped hair at the temples and the sides read
#: nearly as warm as skin and the crown too warm: on eye-aligned median faces the renders stood
#: 0.1-0.25 of the face-room contrast above the real Tufts frames there. synth-18 took it from
#: 1.2 to 0.2 with thinner hair (head.HAIR_RISE_V): 1.2 had been balancing the warm wall at the
#: hairline, and with the wall gone the cap read as the room (face_stats hair level 0.18
#: against the real 0.35 / 0.30). 0.2 puts the midline profile above the hairline within 0.04
#: of the real one over its first 1.5 cm. Cooler hair let the probe tell renders apart more
#: easily by texture (seed 5: 0.72 with 0.4, 0.81 with 0.7 and STRAND_GAP 0.1, 0.68 with 0.2).
HAIR_AIR_CM = 0.2
#: Hair clump gaps: share of the hair layer's excess over the room that a gap loses per unit of
#: clumps() x strand_amp, and the most it loses (a gap still shows some hair). synth-18 took
#: them from 0.35 and 0.8: over its warmer, thinner hair those gaps drew black gashes. Its 0.2
#: left render hair twice as grainy as real hair (face_stats hair grain 0.020 against 0.011 /
#: 0.010); 0.07 reads 0.012.
STRAND_GAP, MAX_GAP = 0.07, 0.5
#: Blur (texels along v, along u) of the strand field: streaks along v, combed clumps. Real hair
#: shows clumps, not single strands; synth-12's 0.5 texels across (a texel is about 3 mm at the
#: crown) drew fine combed stripes, 1.7 times the pixel-to-pixel change across the real hair.
STRAND_BLUR_TEXELS = (2.0, 1.0)
#: Gain of the cool gaps between hair clumps (the negative half of a unit-rms field).
CLUMP_GAIN = 1.6


def sample_physiology(rng: np.random.Generator, ambient_c: float) -> dict:
    """Per-person temperatures and insulation factors, depending on the room temperature."""
    cold = max(0.0, 24.0 - ambient_c)
    forehead = float(np.clip(34.6 + 0.12 * (ambient_c - 22.0) + rng.normal(0, 0.5), 31.0, 36.6))
    span = max(forehead - ambient_c, 1.0)  # perfused skin never cools to the room
    cloth_k = float(rng.uniform(*CLOTHING_K))
    return {
        "forehead": forehead,
        "canthus": float(rng.uniform(0.5, 1.3)),
        "cornea": float(rng.uniform(-3.5, -1.5)),
        "brow": -float(rng.uniform(0.3, 1.4)),
        "nose": -min((1.2 + 0.55 * cold) * rng.uniform(*NOSE_COOLING), NOSE_MAX_DROP * span),
        "cheek": -min(rng.uniform(1.5, 3.5) + 0.12 * cold, MAX_DROP * span),
        "ear": -min((2.5 + 0.4 * cold) * rng.uniform(*EAR_SCALE), MAX_DROP * span),
        "lips": float(rng.uniform(*LIPS_C)),
        "chin": float(rng.uniform(*CHIN_C)),
        "neck": float(rng.uniform(*NECK_C)),
        "hand": -float(rng.uniform(0.5, 4.0) + 0.15 * cold),
        "breath": float(np.sin(rng.uniform(0, 2 * np.pi))),  # exhale > 0, inhale < 0
        # hair thickness that halves the skin-room difference (HAIR_INSULATION_CM): in a 22 C
        # room a full crown reads 5-12 C below the forehead (5-95 % of people)
        "hair_insulation_cm": float(rng.uniform(*HAIR_INSULATION_CM)),
        "strand_amp": float(rng.uniform(0.5, 1.2)),
        "vessel_amp": float(rng.uniform(0.5, 1.4)),
        "beard_k": float(rng.uniform(0.7, 0.92)),
        "cloth_k": cloth_k,
        "jacket_k": cloth_k * float(rng.uniform(*JACKET_SHARE)),
        "mask_k": float(rng.uniform(0.6, 0.85)),
        "hat_k": float(rng.uniform(0.2, 0.55)),
        "lens_dc": float(rng.uniform(0.0, 3.0)),
        "lens_glow": float(rng.uniform(*LENS_GLOW_C)),
        "mottle_amp": float(rng.uniform(0.35, 1.2)),
        "cheek_patch_c": float(rng.uniform(0.8, 2.2)),
        # unit-rms textures over surface coordinates: skin perfusion, hair strands, fabric folds
        "mottle": _texture(rng, (48, 96), 1.2),
        "patches": _texture(rng, (24, 48), 1.0),  # cool blotches on the cheeks, a few cm
        "pores": _texture(rng, (64, 128), 0.7),
        "strands": _texture(rng, (96, 192), STRAND_BLUR_TEXELS),
        "vessels": _ridges(_texture(rng, (64, 128), 1.6)),
        "folds": _ridges(_texture(rng, (32, 64), (1.4, 0.8))),
        "drape": _texture(rng, (12, 48), (2.0, 0.8)),
        "contact": _texture(rng, (16, 32), 1.5),
        "nose_reach": float(rng.uniform(*NOSE_REACH)),
        "bridge": -float(rng.uniform(*BRIDGE_C)),
        "orbit": float(rng.uniform(*PERIORBITAL_C)),
    }


def _ridges(tex: np.ndarray) -> np.ndarray:
    """0..1 thin branching lines along the zero crossings of a smooth field: superficial veins
    on the forehead and temples, crests of fabric folds."""
    return np.exp(-0.5 * (tex / RIDGE_WIDTH) ** 2).astype(np.float32)


def clumps(strands: np.ndarray) -> np.ndarray:
    """Hair texture from a unit-rms strand field: gaps between clumps let the room show (cool
    streaks); no strand is warmer than the layer, which would read as bright rays."""
    return np.minimum(strands, 0.0) * CLUMP_GAIN


def _g(x: np.ndarray, sigma: float) -> np.ndarray:
    return np.exp(-0.5 * (x / sigma) ** 2)


def _texture(rng: np.random.Generator, shape: tuple[int, int], blur) -> np.ndarray:
    """Smoothed white noise of unit rms; ``blur`` (sigma_v, sigma_u) in texels stretches it."""
    sigma = (blur, blur) if np.isscalar(blur) else blur
    tex = cv2.GaussianBlur(rng.standard_normal(shape).astype(np.float32), (0, 0),
                           sigmaX=sigma[1], sigmaY=sigma[0], borderType=cv2.BORDER_REFLECT)
    return tex / max(float(tex.std()), 1e-6)


def surface_texture(tex: np.ndarray, u: np.ndarray, v: np.ndarray,
                    u_range: tuple[float, float] = (-np.pi, np.pi),
                    v_range: tuple[float, float] = (-np.pi / 2, np.pi / 2)) -> np.ndarray:
    """Bilinear lookup of ``tex`` (rows = v, cols = u) at surface coordinates, wrapping around."""
    rows, cols = tex.shape
    x = ((u - u_range[0]) / (u_range[1] - u_range[0]) * cols).astype(np.float32)
    y = ((v_range[1] - v) / (v_range[1] - v_range[0]) * rows).astype(np.float32)
    n = len(x)
    width = _REMAP_WIDTH * ((n + _REMAP_WIDTH - 1) // _REMAP_WIDTH) if n else _REMAP_WIDTH
    maps = np.zeros((2, width), np.float32)  # remap wants 2D maps of < 32767 rows
    maps[0, :n], maps[1, :n] = x, y
    shape = (-1, _REMAP_WIDTH)
    out = cv2.remap(tex, maps[0].reshape(shape), maps[1].reshape(shape), cv2.INTER_LINEAR,
                    borderMode=cv2.BORDER_WRAP)
    return out.ravel()[:n]


def orbits(ident: head.Identity, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """0..1 inside the warm orbit of either eye (an ellipse reaching from the brow to the top
    of the cheek), falling off over ORBIT_EDGE of its radius."""
    out = np.zeros_like(u)
    for eu, ev in head.eye_centres(ident):
        r = np.hypot((u - eu) / ORBIT_AXES[0], (v - ev) / ORBIT_AXES[1])
        out = np.maximum(out, head.smoothstep(1.0, 1.0 - ORBIT_EDGE, r))
    return out


def lid_profile(ident: head.Identity, eye_u: float, u: np.ndarray) -> np.ndarray:
    """Height of the lid margins (share of their height at the eye's middle) along an eye:
    1 in the middle, 0 at the corners, which are pointed (an almond, not an ellipse)."""
    return np.clip(1.0 - ((u - eye_u) / ident.eye_hw) ** 2, 0.0, None) ** LID_POWER


def eye_opening(ident: head.Identity, expr: head.Expression, u: np.ndarray, v: np.ndarray
                ) -> np.ndarray:
    """0..1 inside the visible eyeball (between the lids) of either eye."""
    up = ident.eye_hh * (1.0 - expr.eyes_closed)
    low = ident.eye_hh * 0.7 * (1.0 - 0.4 * expr.smile)
    out = np.zeros_like(u)
    if up <= 0.002:
        return out
    for eu, ev in head.eye_centres(ident):
        x = lid_profile(ident, eu, u)
        dv = v - ev
        lid = np.where(dv > 0, up * x, low * x)
        out = np.maximum(out, np.clip((lid - np.abs(dv)) / 0.015, 0.0, 1.0))
    return out


def brow_weight(ident: head.Identity, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """0..1 eyebrow hair: an arched band above each eye, along the brow landmarks."""
    out = np.zeros_like(u)
    for side in (-1.0, 1.0):
        centre_u = side * (ident.eye_u + 0.04)
        arch = ident.brow_v - 0.005 - 0.06 * ((u - centre_u) / 0.22) ** 2
        out = np.maximum(out, np.exp(-0.5 * ((v - arch) / 0.018) ** 2)
                         * np.clip((0.22 - np.abs(u - centre_u)) / 0.04, 0.0, 1.0))
    return out


def mouth_interior(ident: head.Identity, expr: head.Expression, u: np.ndarray, v: np.ndarray
                   ) -> np.ndarray:
    """0..1 inside the opened mouth: the lip seam stretched by the jaw rotation."""
    if expr.jaw_open < 0.03:
        return np.zeros_like(u)
    hw = head.mouth_half_width(ident, expr)
    dv = np.abs(v - head.mouth_line(ident, expr, u))
    # the seam band opens into the gap between the lips; narrowing it toward the corners
    # gives the lens shape of an open mouth instead of a rectangle
    half = head.LIP_SEAM * 0.9 * np.sqrt(np.clip(1.0 - (u / hw) ** 2, 0.0, 1.0))
    return np.clip((half - dv) / (head.LIP_SEAM * 0.3), 0.0, 1.0)


def fine_detail(person: Person, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Temperature offsets of the small facial features (a few mm: inner eye corners, the open
    eyes, brows, the cold nose's outline and bridge, nostril breath, lips, the open mouth). The
    renderer evaluates them per pixel, as the mesh is too coarse for them (a sharp edge
    interpolated over its triangles reads as a polygon); where layers (hair, mask, hat) cover
    the skin they are hidden."""
    ident, expr, ph = person.identity, person.expression, person.physiology
    t = np.zeros_like(u)
    up = ident.eye_hh * (1.0 - expr.eyes_closed)
    for eu, ev in head.eye_centres(ident):
        inner = eu - np.sign(eu) * ident.eye_hw * 0.95
        t += ph["canthus"] * _g(u - inner, 0.04) * _g(v - ev, 0.035)
        shape = lid_profile(ident, eu, u)
        lid = ev + up * shape
        t += LASH_C * _g(v - lid, LASH_WIDTH) * shape
        t += UPPER_LID_C * _g(v - lid - UPPER_LID_V, UPPER_LID_V / 2) * shape
    # the cornea is coolest at its centre; the tear meniscus along the lids stays warmer
    centre = sum(_g(np.hypot(u - eu, v - ev) / ident.eye_hh, 0.8)
                 for eu, ev in head.eye_centres(ident))
    t += ph["cornea"] * eye_opening(ident, expr, u, v) * (1.0 - MENISCUS + MENISCUS * centre)
    t += ph["brow"] * brow_weight(ident, u, v)
    cold = cold_nose(ident, ph["nose_reach"], u, v)
    down = head.along_nose(ident, v)
    bridge = _g(u - ident.nose_du, BRIDGE_U) * head.smoothstep(*BRIDGE_TOP, down) \
        * head.smoothstep(*BRIDGE_BOTTOM, down)
    t += ph["nose"] * cold + ph["bridge"] * bridge * (1.0 - cold)  # a cold nose is cold once
    tip = ident.nose_tip_v
    # exhaled air warms the upper lip more than inhaled room air cools it
    airflow = max(ph["breath"], 0.0) + INHALE_SHARE * min(ph["breath"], 0.0)
    t += airflow * BREATH_LIP_C * _g(u - ident.nose_du, 0.16) * _g(v - tip + 0.14, 0.05)
    t += (0.5 + 1.2 * ph["breath"]) * nostrils(ident, u, v)
    t += CREASE_C * creases(ident, expr, u, v)
    t += ear_detail(ident, u, v)
    t += airflow * 1.0 * expr.jaw_open * _g(u, 0.3) * _g(v - ident.mouth_v, 0.08)
    # a slightly parted mouth shows teeth, cooled by the breath; a wide one the warm cavity
    inside = mouth_interior(ident, expr, u, v)
    t += (CAVITY_C * expr.jaw_open - TEETH_C * (1.0 - expr.jaw_open)) * inside
    lips = head.lips_weight(ident, expr, u, v)
    seam = _g(v - head.mouth_line(ident, expr, u), SEAM_WIDTH) * lips
    t += (ph["lips"] * lips + SEAM_C * seam) * (1.0 - inside)
    return t


def nostrils(ident: head.Identity, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """0..1 inside the two nostril openings (sharp-edged small ellipses under the nose tip)."""
    out = np.zeros_like(u)
    du, dv = u - ident.nose_du, v - ident.nose_tip_v + 0.115
    near = (np.abs(du) < ident.nose_width) & (np.abs(dv) < 0.03)
    for side in (-1.0, 1.0):
        r = np.hypot((du[near] - side * ident.nose_width * 0.45) / 0.04, dv[near] / 0.022)
        out[near] = np.maximum(out[near], np.clip((1.0 - r) / 0.3, 0.0, 1.0))
    return out


def creases(ident: head.Identity, expr: head.Expression, u: np.ndarray, v: np.ndarray
            ) -> np.ndarray:
    """0..1 skin creases: the groove around each nose wing and the nasolabial folds down to
    the mouth corners (deeper when smiling). Evaluated only around the nose and mouth."""
    alae_v = ident.nose_tip_v - 0.07
    hw = head.mouth_half_width(ident, expr)
    out = np.zeros_like(u)
    near = (np.abs(u) < hw + 0.15) & (v < alae_v + 0.15) & (v > ident.mouth_v - 0.05)
    if near.any():
        out[near] = _crease_lines(ident, expr, u[near], v[near], alae_v, hw)
    return out


def _crease_lines(ident: head.Identity, expr: head.Expression, u: np.ndarray, v: np.ndarray,
                  alae_v: float, hw: float) -> np.ndarray:
    out = np.zeros_like(u)
    for side in (-1.0, 1.0):
        ala = np.hypot((u - ident.nose_du - side * ident.nose_width * 0.95) / 0.075,
                       (v - alae_v) / 0.07)
        out = np.maximum(out, _g(ala - 1.0, 0.12) * (v < alae_v + 0.03))
        # fold line from beside the nose wing to just outside the mouth corner
        t = np.clip((alae_v - v) / (alae_v - ident.mouth_v), 0.0, 1.0)
        line_u = side * (ident.nose_width * 1.5 + t * (hw + 0.06 - ident.nose_width * 1.5))
        fold = _g(u - line_u, 0.018) * (t > 0.0) * (t < 1.0) * (0.4 + 0.6 * expr.smile)
        out = np.maximum(out, fold)
    return out


def ear_detail(ident: head.Identity, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Temperature offsets of the outer ear: warm concha and canal, cool helix rim, warm
    crease where the ear meets the head. Zero away from the ears."""
    out = np.zeros_like(u)
    near = np.abs(np.abs(u) - 1.62) < 0.3
    if not near.any():
        return out
    au, vv = np.abs(u[near]), v[near]
    dv = vv - ident.ear_v - np.sign(u[near]) * ident.ear_dv / 2
    r = (((au - 1.62) / 0.17) ** 4 + (dv / 0.26) ** 4) ** 0.25
    out[near] = (EAR_CONCHA_C * np.clip((0.55 - r) / 0.2, 0.0, 1.0)
                 + EAR_HELIX_C * _g(r - 0.88, 0.07) + EAR_SULCUS_C * _g(r - 1.08, 0.05))
    return out


def fabric_texture(ph: dict, name: str, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The physiology texture ``name`` over the torso (u across -1..1, v down from the neck):
    "folds" gives 0..1 fold crests, "drape" unit-rms soft bands along the fall of the fabric."""
    return surface_texture(ph[name], u, v, TORSO_U, TORSO_V)


def rolled_collar(ph: dict, theta: np.ndarray, along: np.ndarray) -> np.ndarray:
    """Temperature offsets over a clothed neck (theta around it, along 0 head .. 1 shoulders): a
    turtleneck is rolled and scrunched, so its fold crests run around the neck (the torso's
    fold texture turned a quarter) over soft drape. synth-13 filled it with one flat level:
    a grey cylinder."""
    across, down = np.clip(2.0 * along - 1.0, -1.0, 1.0), (theta / np.pi + 1.0) * 0.75
    return (FOLD_C * fabric_texture(ph, "folds", across, down)
            + DRAPE_C * fabric_texture(ph, "drape", across, down))


def fabric_contact(ph: dict, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """0..1 patches where clothing rests on the shoulders and chest and takes skin heat."""
    return np.clip(fabric_texture(ph, "contact", u, v) - 0.3, 0.0, 1.0) * np.exp(-v / 0.5)


def collar_offset(person: Person) -> float:
    """Temperature offset of the band around the shirt opening: a narrow rib band touching the
    neck is warm, wide collar flaps standing off it are cool."""
    share = (person.collar_width - CREW_BAND) / (POLO_BAND[1] - CREW_BAND)
    return COLLAR_C + (FLAP_C - COLLAR_C) * float(np.clip(share, 0.0, 1.0))


def covered_skin(person: Person, u: np.ndarray, v: np.ndarray,
                 hair: np.ndarray | None = None) -> np.ndarray:
    """0..1 share of head skin hidden under hair, mask or hat at surface angles (u, v);
    ``hair``: head.hair_weight there, when the caller has it already."""
    ident = person.identity
    cover = head.hair_weight(ident, u, v) if hair is None else hair
    if person.mask:
        cover = np.maximum(cover, mask_weight(ident, u, v))
    if person.hat is not None:
        cover = np.maximum(cover, hat_weight(ident, u, v))
    return cover


def skin_temperature(person: Person, u: np.ndarray, v: np.ndarray, fine: bool = True
                     ) -> np.ndarray:
    """Skin temperature of the head at surface angles (u, v), before insulation layers;
    ``fine`` False leaves out fine_detail (added per pixel by the renderer)."""
    ident, ph = person.identity, person.physiology
    t = np.full_like(u, ph["forehead"])
    au = np.abs(u)
    periorbital = orbits(ident, u, v)
    lateral = np.clip((au - ident.eye_u) / ORBIT_AXES[0], 0.0, 1.0)
    below = np.clip((ident.eye_v - v) / ORBIT_AXES[1], 0.0, 1.0)
    t += ph["orbit"] * periorbital * (1.0 - ORBIT_LATERAL * lateral) * (1.0 - ORBIT_LOWER * below)
    cheek = _g(au - 0.75, 0.3) * _g(v + 0.32, 0.3)
    blotch = np.clip(surface_texture(ph["patches"], u, v), 0.0, None)
    t += cheek * (ph["cheek"] - ph["cheek_patch_c"] * blotch)
    t -= LATERAL_C * np.clip((au - 0.8) / 0.7, 0.0, 1.0) * (1.0 - _g(au - 1.62, 0.2))
    ear = np.exp(-(((au - 1.62) / 0.2) ** 4 + ((v - ident.ear_v) / 0.3) ** 4))
    t += ph["ear"] * ear
    t += ph["chin"] * _g(u, 0.35) * _g(v - ident.chin_v, 0.15)
    t -= 0.4 * np.clip((v - 0.35) / 0.4, 0.0, 1.0)  # upper forehead under the hairline
    # superficial vessels (temporal artery branches, supratrochlear veins): warm lines
    region = np.maximum(_g(au - 0.85, 0.22) * _g(v - 0.2, 0.25),
                        0.6 * _g(u, 0.35) * _g(v - 0.4, 0.18))
    t += ph["vessel_amp"] * region * surface_texture(ph["vessels"], u, v)
    texture = surface_texture(ph["mottle"], u, v) + PORES * surface_texture(ph["pores"], u, v)
    steady = PERIORBITAL_STEADY * periorbital + FOREHEAD_STEADY * forehead(ident, u, v)
    t += ph["mottle_amp"] * (1.0 - steady) * texture
    if fine:
        t += fine_detail(person, u, v)
    return t


def hair_k(person: Person, u: np.ndarray, v: np.ndarray,
           weight: np.ndarray | None = None) -> np.ndarray:
    """Share of the skin-room difference left at the hair's surface: 1 on bare skin, lower
    where the layer is thicker, and below 1 wherever hair lies, however short (HAIR_AIR_CM).
    ``weight``: head.hair_weight at (u, v), when the caller has it already."""
    ident = person.identity
    weight = head.hair_weight(ident, u, v) if weight is None else weight
    thickness = head.hair_thickness(ident, u, v) + HAIR_AIR_CM * weight
    return 0.5 ** (thickness / person.physiology["hair_insulation_cm"])


def hair_strands(person: Person, u: np.ndarray, v: np.ndarray, ambient_c: float,
                 weight: np.ndarray | None = None) -> np.ndarray:
    """Temperature offsets of the gaps between hair clumps, where no hat or mask covers them:
    a share of the layer's excess over the room (STRAND_GAP), so a gap shows more of the room
    and never reads colder than it. Strands are a pixel or two wide, so the renderer evaluates
    them per pixel (at the mesh vertices they smoothed into soft streaks); a thin hairline
    fades them out with its coverage. ``weight``: head.hair_weight at (u, v), when the caller
    has it already."""
    ident, ph = person.identity, person.physiology
    weight = head.hair_weight(ident, u, v) if weight is None else weight
    out = np.zeros_like(u)
    on = weight > 0.0  # most pixels of a face have no hair
    if not on.any():
        return out
    u, v, weight = u[on], v[on], weight[on]
    gaps = np.maximum(STRAND_GAP * ph["strand_amp"] * clumps(surface_texture(ph["strands"], u, v)),
                      -MAX_GAP)
    excess = hair_k(person, u, v, weight) * (ph["forehead"] - ambient_c)
    strands = gaps * excess * weight
    if person.mask:
        strands *= 1.0 - mask_weight(ident, u, v)
    if person.hat is not None:
        strands *= 1.0 - hat_weight(ident, u, v)
    out[on] = strands
    return out


def lock_k(along_cm: np.ndarray) -> np.ndarray:
    """Share of the skin-room difference at the surface of hanging hair, ``along_cm`` down it."""
    fall = np.clip(along_cm / LOCK_FALL_CM, 0.0, 1.0)
    return LOCK_K[0] + (LOCK_K[1] - LOCK_K[0]) * fall


def lock_strands(person: Person, u: np.ndarray, v: np.ndarray, ambient_c: float) -> np.ndarray:
    """Temperature offsets of the gaps between clumps of hanging hair (u round the lock, v cm
    down it), a share of its excess over the room as in hair_strands and, like them, evaluated
    per pixel. The clumps twist along the lock's waves."""
    ph, locks = person.physiology, person.locks
    twist = LOCK_TWIST * lock_wave(locks, v) / locks["wavelength"]
    field = surface_texture(ph["strands"], u * LOCK_STRAND_U + twist, v * LOCK_STRAND_V)
    gaps = np.maximum(LOCK_GAP * ph["strand_amp"] * clumps(field), -MAX_GAP)
    return gaps * lock_k(v) * (ph["forehead"] - ambient_c)


def forehead(ident: head.Identity, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """0..1 the forehead: above the brows, fading toward the temples."""
    return head.smoothstep(*FOREHEAD_V, v - ident.eye_v) * _g(u, FOREHEAD_U)


def cold_nose(ident: head.Identity, reach: float, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """0..1 share of the nose cooling: the external nose is a thin appendage and cools as a
    whole, with a sharp outline where it leaves the face (head.nose_height); coldest along the
    ridge to the tip, the wings less (NOSE_WINGS), none below the tip. ``reach``: how far up the
    bridge it goes."""
    near = (np.abs(u - ident.nose_du) < NOSE_NEAR_U) & (v < ident.eye_v + 0.05) \
        & (v > ident.nose_tip_v - 0.25)
    out = np.zeros_like(u)
    if near.any():
        un, vn = u[near], v[near]
        down = head.along_nose(ident, vn)
        along = np.clip(down, 0.0, 1.0) ** reach * head.smoothstep(*NOSE_TIP_FADE, down)
        height = head.nose_height(ident, un, vn, NOSE_WINGS)
        out[near] = head.smoothstep(*NOSE_EDGE_CM, height) * along
    return out


def person_temperature(person: Person, part: np.ndarray, u: np.ndarray, v: np.ndarray,
                       cos_view: np.ndarray, ambient_c: float, fine: bool = True) -> np.ndarray:
    """Apparent temperature of points of one person, from their part id and surface coordinates
    (``fine`` False: without the small facial features, see fine_detail)."""
    ph, ident, expr = person.physiology, person.identity, person.expression
    out = np.full(part.shape, ambient_c, dtype=np.float64)
    skin_ref = ph["forehead"]

    def layer(k: float | np.ndarray) -> float | np.ndarray:  # a layer's surface, skin to room
        return ambient_c + k * (skin_ref - ambient_c)

    sel = part == PART_HEAD
    if sel.any():
        hu, hv = u[sel], v[sel]
        t = skin_temperature(person, hu, hv, fine)
        hair = head.hair_weight(ident, hu, hv)
        # the hair surface sits between skin and room; thicker hair is closer to the room
        t = t + hair * (ambient_c + hair_k(person, hu, hv, hair) * (t - ambient_c) - t)
        if ident.beard_cm > 0:
            t = t + head.beard_weight(ident, expr, hu, hv) * (layer(ph["beard_k"]) - t)
        if person.mask:
            m = mask_weight(ident, hu, hv)
            warm = 1.5 * max(ph["breath"], 0.0) * _g(hu, 0.3) * _g(hv - ident.mouth_v - 0.1, 0.18)
            fabric = layer(ph["mask_k"]) + warm + 0.25 * (skin_ref - ambient_c) * (
                mask_rim(ident, hu, hv) - 0.3 * mask_pleats(ident, hu, hv))
            t = t + m * (fabric - t)
        if person.hat is not None:
            t = t + hat_weight(ident, hu, hv) * (layer(ph["hat_k"]) - t)
        if fine:
            t = t + hair_strands(person, hu, hv, ambient_c, hair)
        out[sel] = t
    # one level where fabric touches the neck too: up to synth-19 it read 1.5 C warmer there, and
    # the shirt just below the neck read warmer on median render faces than on real ones
    cloth = layer(ph["cloth_k"])
    sel = part == PART_NECK
    if sel.any():
        theta, along = u[sel], v[sel]
        # warm bands over the carotids, the nape cooler than the throat
        t_neck = skin_ref + ph["neck"] - 1.2 * along ** 2 + 0.8 * _g(np.abs(theta) - 0.5, 0.15) \
            - 0.8 * (1.0 - np.cos(theta)) / 2.0 \
            + ph["mottle_amp"] * surface_texture(ph["mottle"], theta, along - 1.0)
        covered = along > person.collar  # a turtleneck; most necks are bare
        t_neck[covered] = cloth + rolled_collar(ph, theta[covered], along[covered])
        out[sel] = t_neck
    sel = part == PART_TORSO
    if sel.any():
        cu, cv = u[sel], v[sel]
        skin, band = neckline(person, cu, cv)
        body = cloth + collar_offset(person) * band \
            + FOLD_C * fabric_texture(ph, "folds", cu, cv) + CONTACT_C * fabric_contact(ph, cu, cv) \
            + DRAPE_C * fabric_texture(ph, "drape", cu, cv)
        body = body + skin * (skin_ref + ph["neck"] - 0.5 - body)
        jacket, lapel = jacket_front(person, cu, cv)
        # its own folds (another stretch of the fold texture), hanging like the shirt's drape
        outer = layer(ph["jacket_k"]) + JACKET_EDGE_C * lapel \
            + FOLD_C * fabric_texture(ph, "folds", cu * 0.7, cv + 0.5) \
            + DRAPE_C * fabric_texture(ph, "drape", cu, cv)
        out[sel] = body + jacket * (outer - body)
    sel = part == PART_COLLAR
    if sel.any():  # around the neck, cooler toward its top edge, creased along it
        theta, up = u[sel], v[sel]
        out[sel] = layer(ph["jacket_k"]) + JACKET_EDGE_C * up ** 2 \
            + FOLD_C * fabric_texture(ph, "folds", theta / np.pi - 1.0, up * 0.3)
    sel = part == PART_LOCK
    if sel.any():  # hanging hair: less skin heat reaches it toward the ends
        t = layer(lock_k(v[sel]))
        if fine:
            t = t + lock_strands(person, u[sel], v[sel], ambient_c)
        out[sel] = t
    sel = part == PART_LENS
    if sel.any():  # u: radius 0..1 from the lens centre, v: angle, up positive
        lower = 0.5 * (1.0 - u[sel] * np.sin(v[sel]))
        out[sel] = ambient_c + ph["lens_dc"] + ph["lens_glow"] * lower ** 2
    out[part == PART_FRAME] = layer(FRAME_K)
    out[part == PART_BRIM] = layer(ph["hat_k"] * 0.6)
    sel = part == PART_HAND
    if sel.any():  # fingertips cooler, forearm in a sleeve
        arm = skin_ref + ph["hand"] - 1.5 * np.exp(-v[sel] / 4.0) \
            - 1.2 * finger_gaps(np.cos(u[sel])) * (v[sel] < 9.0)
        out[sel] = np.where(v[sel] > person.hand["sleeve"], cloth, arm)
    # emissivity drop at grazing angles: the surface reflects some of the (cooler) room
    c = np.clip(cos_view, 0.0, 1.0)
    emiss = SKIN_EMISSIVITY * (1.0 - GRAZING_DROP * (1.0 - c) ** GRAZING_POWER)
    return emiss * out + (1.0 - emiss) * ambient_c
