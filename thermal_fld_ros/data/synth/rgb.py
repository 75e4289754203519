"""Visible-light rendering of the same people, same pixels: the aligned RGB pair.

Albedo per pixel from the same surface coordinates as the thermal render (skin tone, lips, eyes,
brows, hair, beard, clothes, accessories), Lambert lighting from a random direction plus ambient
light. Glasses are transparent in visible light (sunglasses dark), unlike in LWIR.
"""

from __future__ import annotations

import numpy as np

from . import head
from .person import (PART_BRIM, PART_COLLAR, PART_FRAME, PART_HAND, PART_HEAD, PART_LOCK,
                     PART_NECK, PART_TORSO, Person, hat_weight, jacket_front, mask_weight,
                     neckline)
from .thermal import brow_weight, eye_opening, mouth_interior, surface_texture

#: Skin albedo (linear RGB) from light to dark, Fitzpatrick-like; people are drawn between them.
SKIN_TONES = np.array([
    [0.85, 0.62, 0.50], [0.78, 0.54, 0.40], [0.66, 0.44, 0.30],
    [0.52, 0.33, 0.20], [0.34, 0.20, 0.12], [0.20, 0.12, 0.07],
])
HAIR_COLOURS = np.array([
    [0.02, 0.015, 0.01], [0.08, 0.05, 0.03], [0.2, 0.12, 0.06], [0.5, 0.38, 0.2],
    [0.45, 0.18, 0.07], [0.5, 0.5, 0.5],
])
IRIS_COLOURS = np.array([[0.2, 0.1, 0.04], [0.08, 0.04, 0.02], [0.2, 0.35, 0.5], [0.2, 0.3, 0.15]])


def sample_appearance(rng: np.random.Generator) -> dict:
    k = rng.uniform(0, len(SKIN_TONES) - 1)
    i = int(k)
    skin = SKIN_TONES[i] * (1 - (k - i)) + SKIN_TONES[min(i + 1, len(SKIN_TONES) - 1)] * (k - i)
    return {
        "skin": skin * rng.uniform(0.92, 1.08, 3),
        "hair": HAIR_COLOURS[rng.integers(len(HAIR_COLOURS))] * rng.uniform(0.8, 1.2),
        "iris": IRIS_COLOURS[rng.integers(len(IRIS_COLOURS))],
        "cloth": rng.uniform(0.03, 0.8, 3),
        "mask": np.array([0.6, 0.75, 0.9]) if rng.random() < 0.6 else rng.uniform(0.05, 0.95, 3),
        "hat": rng.uniform(0.03, 0.8, 3),
        "frame": rng.uniform(0.01, 0.3, 3),
        "jacket": rng.uniform(0.02, 0.6, 3),
    }


def _g(x: np.ndarray, sigma: float) -> np.ndarray:
    return np.exp(-0.5 * (x / sigma) ** 2)


def _mix(base: np.ndarray, colour: np.ndarray, weight: np.ndarray) -> np.ndarray:
    return base + weight[:, None] * (np.asarray(colour)[None, :] - base)


def head_albedo(person: Person, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """(N, 3) linear albedo of head pixels at surface angles (u, v)."""
    ident, expr, app = person.identity, person.expression, person.appearance
    skin = np.asarray(app["skin"])
    col = np.broadcast_to(skin, (len(u), 3)).copy()
    blush = 0.5 * _g(np.abs(u) - 0.6, 0.2) * _g(v + 0.3, 0.15)
    col = _mix(col, skin * np.array([1.05, 0.92, 0.9]), blush)
    col = _mix(col, skin * np.array([0.85, 0.5, 0.5]), head.lips_weight(ident, expr, u, v))
    col = _mix(col, app["hair"] + 0.05, 0.85 * brow_weight(ident, u, v))
    eye = eye_opening(ident, expr, u, v)
    if eye.any():
        white = np.array([0.75, 0.72, 0.68])
        eye_col = np.broadcast_to(white, (len(u), 3)).copy()
        for eu, ev in head.eye_centres(ident):
            r = np.hypot(u - eu, v - ev)
            eye_col = _mix(eye_col, app["iris"], (r < ident.eye_hh * 0.95).astype(float))
            eye_col = _mix(eye_col, np.zeros(3), (r < ident.eye_hh * 0.4).astype(float))
        col = _mix(col, eye_col, eye)
    nostril = sum(_g(u - ident.nose_du - s * ident.nose_width * 0.45, 0.03)
                  * _g(v - ident.nose_tip_v + 0.11, 0.02) for s in (-1.0, 1.0))
    col = col * (1.0 - 0.8 * np.clip(nostril, 0, 1))[:, None]
    inside = mouth_interior(ident, expr, u, v)
    if inside.any():
        teeth = (v > head.mouth_line(ident, expr, u) + head.LIP_SEAM * 0.35).astype(float) * 0.8
        mouth = _mix(np.broadcast_to([0.25, 0.04, 0.05], (len(u), 3)).copy(),
                     np.array([0.8, 0.78, 0.7]), teeth)
        col = _mix(col, mouth, inside)
    hair = head.hair_weight(ident, u, v)
    strands = 0.85 + 0.15 * surface_texture(person.physiology["strands"], u, v)
    col = _mix(col, app["hair"] * strands[:, None], hair)
    if ident.beard_cm > 0:
        col = _mix(col, app["hair"] * strands[:, None], 0.9 * head.beard_weight(ident, expr, u, v))
    if person.mask:
        col = _mix(col, app["mask"], mask_weight(ident, u, v))
    if person.hat is not None:
        col = _mix(col, app["hat"], hat_weight(ident, u, v))
    return col


def person_albedo(person: Person, part: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """(N, 3) albedo of one person's pixels (lenses are handled by the compositor)."""
    app = person.appearance
    out = np.zeros((len(part), 3))
    sel = part == PART_HEAD
    if sel.any():
        out[sel] = head_albedo(person, u[sel], v[sel])
    skin = np.asarray(app["skin"])
    sel = part == PART_NECK
    out[sel] = np.where((v[sel] > person.collar)[:, None], app["cloth"], skin * 0.95)
    sel = part == PART_HAND
    if sel.any():
        out[sel] = np.where((v[sel] > person.hand["sleeve"])[:, None], app["cloth"], skin)
    sel = part == PART_TORSO
    if sel.any():
        cu, cv = u[sel], v[sel]
        bare, band = neckline(person, cu, cv)
        cloth = np.broadcast_to(app["cloth"], (sel.sum(), 3)) * (1.0 - 0.35 * band)[:, None]
        shirt = _mix(cloth, skin, bare)
        jacket, lapel = jacket_front(person, cu, cv)  # lapels: folded edges, in shadow
        outer = np.asarray(app["jacket"])[None, :] * (1.0 - 0.2 * lapel)[:, None]
        out[sel] = shirt + jacket[:, None] * (outer - shirt)
    out[part == PART_COLLAR] = app["jacket"]
    out[part == PART_FRAME] = app["frame"]
    out[part == PART_BRIM] = app["hat"]
    out[part == PART_LOCK] = app["hair"]
    return out
