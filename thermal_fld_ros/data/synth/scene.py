"""Backgrounds behind the people: temperature (degrees C) and an RGB look of the same layout.

Scenes: "studio" (a dark curtain, as in the Tufts frames), "indoor" (walls, doors, windows, warm
monitors, lamps, radiators), "car" (seat and headrest, cold or sun-heated windows,
a hot dashboard) and "outdoor" (cold sky, trees, sun-warmed walls and ground). Objects are drawn
in both maps at the same place so the RGB pair stays consistent.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


#: Range of the number of curtain folds across a studio frame.
CURTAIN_FOLDS = (6, 22)


@dataclass
class Background:
    temperature: np.ndarray  # (H, W) float32 degrees C
    rgb: np.ndarray          # (H, W, 3) float32 linear 0..1


def smooth_noise(rng: np.random.Generator, height: int, width: int, cells: int) -> np.ndarray:
    """Unit-variance smooth random field with about ``cells`` blobs across the longer side."""
    ch = max(2, int(round(cells * height / max(height, width))) + 1)
    cw = max(2, int(round(cells * width / max(height, width))) + 1)
    coarse = rng.standard_normal((ch, cw)).astype(np.float32)
    return cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC)


def _rect(rng: np.random.Generator, height: int, width: int, min_frac: float, max_frac: float
          ) -> tuple[int, int, int, int]:
    w = int(width * rng.uniform(min_frac, max_frac))
    h = int(height * rng.uniform(min_frac, max_frac))
    x = int(rng.uniform(-0.2 * w, width - 0.8 * w))
    y = int(rng.uniform(-0.2 * h, height - 0.8 * h))
    return x, y, x + w, y + h


def _fill(temp: np.ndarray, rgb: np.ndarray, box: tuple[int, int, int, int], t: float,
          colour: tuple[float, float, float]) -> None:
    x1, y1, x2, y2 = box
    cv2.rectangle(temp, (int(x1), int(y1)), (int(x2), int(y2)), float(t), -1)
    cv2.rectangle(rgb, (int(x1), int(y1)), (int(x2), int(y2)), tuple(float(c) for c in colour), -1)


def _rounded(temp: np.ndarray, rgb: np.ndarray, box: tuple[int, int, int, int], t: float,
             colour: tuple[float, float, float]) -> None:
    """A box with rounded corners (cushions, headrests): real objects rarely have square ones."""
    x1, y1, x2, y2 = box
    r = max(1, min(x2 - x1, y2 - y1) // 4)
    _fill(temp, rgb, (x1 + r, y1, x2 - r, y2), t, colour)
    _fill(temp, rgb, (x1, y1 + r, x2, y2 - r), t, colour)
    for cx, cy in ((x1 + r, y1 + r), (x2 - r, y1 + r), (x1 + r, y2 - r), (x2 - r, y2 - r)):
        cv2.circle(temp, (cx, cy), r, float(t), -1)
        cv2.circle(rgb, (cx, cy), r, tuple(float(c) for c in colour), -1)


def _colour(rng: np.random.Generator, lo: float = 0.05, hi: float = 0.8
            ) -> tuple[float, float, float]:
    return tuple(float(c) for c in rng.uniform(lo, hi, 3))


def _warm_objects(rng: np.random.Generator, temp: np.ndarray, rgb: np.ndarray, ambient: float,
                  count: int) -> None:
    """Monitors, lamps, radiators and hot drinks: the hot distractors of real rooms (people are
    rendered as real 3D people by the generator)."""
    h, w = temp.shape
    for _ in range(count):
        kind = rng.choice(["monitor", "lamp", "radiator", "mug"])
        if kind == "monitor":
            box = _rect(rng, h, w, 0.15, 0.4)
            _fill(temp, rgb, box, ambient + rng.uniform(6, 18), (0.02, 0.02, 0.03))
            x1, y1, x2, y2 = box
            pad = max(1, (x2 - x1) // 14)
            _fill(temp, rgb, (x1 + pad, y1 + pad, x2 - pad, y2 - pad),
                  ambient + rng.uniform(3, 10), _colour(rng, 0.3, 0.9))
        elif kind == "lamp":
            centre = (int(rng.uniform(0, w)), int(rng.uniform(0, h * 0.6)))
            radius = max(2, int(min(h, w) * rng.uniform(0.02, 0.07)))
            cv2.circle(temp, centre, radius * 3, ambient + rng.uniform(4, 12), -1)
            cv2.circle(temp, centre, radius, ambient + rng.uniform(25, 70), -1)
            cv2.circle(rgb, centre, radius * 3, (0.9, 0.85, 0.7), -1)
            cv2.circle(rgb, centre, radius, (1.0, 1.0, 0.95), -1)
        elif kind == "radiator":
            x1, y1, x2, y2 = _rect(rng, h, w, 0.2, 0.45)
            y1 = max(y1, h // 2)
            hot = ambient + rng.uniform(15, 35)
            fins = max(3, (x2 - x1) // max(2, int(rng.uniform(4, 9))))
            for k, x in enumerate(np.linspace(x1, x2, fins)):
                t = hot if k % 2 == 0 else hot - 6
                cv2.rectangle(temp, (int(x), y1), (int(x + (x2 - x1) / fins), y2), t, -1)
            cv2.rectangle(rgb, (x1, y1), (x2, y2), (0.85, 0.85, 0.82), -1)
        else:  # a hot drink
            cx, cy = int(rng.uniform(0, w)), int(rng.uniform(0.5 * h, h))
            s = max(2, int(min(h, w) * rng.uniform(0.02, 0.05)))
            mug = (cx - s, cy - s, cx + s, cy + int(1.4 * s))
            _fill(temp, rgb, mug, ambient + rng.uniform(15, 40), _colour(rng))


def _curtain_folds(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """(1, W) -1..1 profile of a hanging curtain: irregular vertical folds, the ridges (facing
    the camera) sharper than the hollows between them."""
    cells = int(rng.integers(*CURTAIN_FOLDS))
    profile = smooth_noise(rng, 1, w, cells)
    profile = np.tanh(1.5 * profile)
    return profile.reshape(1, w)


def _studio(rng: np.random.Generator, h: int, w: int, ambient: float) -> Background:
    """A heavy dark curtain behind the sitter (Tufts): vertical folds, slightly cooler near the
    floor, little else."""
    folds = _curtain_folds(rng, h, w) * rng.uniform(0.1, 0.5)
    y = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None]
    temp = ambient + rng.uniform(-1.0, 1.0) + folds - rng.uniform(0.0, 0.8) * y \
        + 0.15 * smooth_noise(rng, h, w, 4)
    shade = 0.06 + 0.03 * folds / 0.5
    rgb = np.repeat((shade * np.ones((h, 1), np.float32))[..., None], 3, axis=2) \
        * np.array(_colour(rng, 0.3, 1.0), np.float32)
    return Background(temp.astype(np.float32), rgb.astype(np.float32))


def _walls(rng: np.random.Generator, h: int, w: int, ambient: float
           ) -> tuple[np.ndarray, np.ndarray]:
    """Two walls meeting in a vertical corner, each with its own gentle gradient (warm air
    under the ceiling, a cooler outside wall), a ceiling line and a floor or skirting board."""
    y = np.linspace(-0.5, 0.5, h, dtype=np.float32)[:, None]
    x = np.linspace(-0.5, 0.5, w, dtype=np.float32)[None, :]
    corner = rng.uniform(-0.7, 0.7)
    left = x < corner
    temp = np.where(left, rng.uniform(-1.5, 1.0) + rng.uniform(-1.5, 1.5) * x,
                    rng.uniform(-1.5, 1.0) + rng.uniform(-1.5, 1.5) * x)
    temp = ambient + temp - y * rng.uniform(0.3, 2.0) + 0.15 * smooth_noise(rng, h, w, 5)
    wall = np.array(_colour(rng, 0.35, 0.95), np.float32)
    rgb = np.where(left[..., None], wall * 0.85, wall) * np.ones((h, 1, 1), np.float32)
    temp, rgb = temp.astype(np.float32), np.ascontiguousarray(rgb, np.float32)
    if rng.random() < 0.4:  # ceiling, warmer
        top = int(h * rng.uniform(0.0, 0.2))
        temp[:top] += rng.uniform(0.3, 1.5)
        rgb[:top] *= 1.1
    if rng.random() < 0.5:  # floor or skirting board, cooler
        bottom = int(h * rng.uniform(0.8, 0.97))
        temp[bottom:] -= rng.uniform(0.3, 1.5)
        rgb[bottom:] *= 0.6
    return temp, rgb


def _door(rng: np.random.Generator, temp: np.ndarray, rgb: np.ndarray, ambient: float) -> None:
    """A door in its frame, standing on the floor: sharp outline, a slightly different panel."""
    h, w = temp.shape
    dw = int(w * rng.uniform(0.2, 0.45))
    x1 = int(rng.uniform(-0.2 * dw, w - 0.8 * dw))
    y1 = int(h * rng.uniform(-0.2, 0.3))
    frame = max(1, int(dw * rng.uniform(0.06, 0.12)))
    _fill(temp, rgb, (x1, y1, x1 + dw, h), ambient + rng.uniform(-1.0, 1.0),
          _colour(rng, 0.5, 0.95))
    panel = (x1 + frame, y1 + frame, x1 + dw - frame, h)
    _fill(temp, rgb, panel, ambient + rng.uniform(-2.0, 1.0), _colour(rng, 0.1, 0.7))
    if rng.random() < 0.6:  # handle: metal, reflects the cold room
        hx = x1 + dw - 3 * frame
        hy = int(y1 + (h - y1) * 0.55)
        _fill(temp, rgb, (hx, hy, hx + frame, hy + max(1, frame // 2)), ambient - rng.uniform(1, 4),
              (0.6, 0.6, 0.6))


def _furniture(rng: np.random.Generator, temp: np.ndarray, rgb: np.ndarray, ambient: float
               ) -> None:
    """A shelf, cabinet or table: a box resting low in the frame with sharp edges and shelf
    boards (objects in rooms sit at room temperature, their edges are what shows)."""
    h, w = temp.shape
    x1, _, x2, _ = _rect(rng, h, w, 0.2, 0.6)
    y1 = int(h * rng.uniform(0.3, 0.8))
    body_t = ambient + rng.uniform(-1.5, 1.0)
    colour = _colour(rng, 0.05, 0.6)
    _fill(temp, rgb, (x1, y1, x2, h), body_t, colour)
    height = h - y1
    edge = max(1, height // 25)
    for k in range(int(rng.integers(1, 4))):  # shelf boards or drawer edges
        yy = y1 + int(height * (k + 1) / 4)
        _fill(temp, rgb, (x1, yy, x2, yy + edge), body_t + rng.uniform(-0.8, 0.8),
              tuple(c * 1.2 for c in colour))
    _fill(temp, rgb, (x1, y1, x2, y1 + edge), body_t + rng.uniform(-1.0, 1.0), colour)


def _window(rng: np.random.Generator, temp: np.ndarray, rgb: np.ndarray, ambient: float) -> None:
    """Glass is opaque in LWIR: a window is a pane at the glass temperature (cold in winter,
    warm in sun) with a frame and mullions."""
    h, w = temp.shape
    x1, y1, x2, y2 = _rect(rng, h, w, 0.2, 0.5)
    frame = max(1, (x2 - x1) // 15)
    _fill(temp, rgb, (x1, y1, x2, y2), ambient + rng.uniform(-1.5, 0.5), (0.9, 0.9, 0.9))
    glass_t = ambient + rng.uniform(-6.0, 4.0)
    mid = (x1 + x2) // 2
    for a, b in ((x1 + frame, mid - frame // 2), (mid + frame // 2 + 1, x2 - frame)):
        _fill(temp, rgb, (a, y1 + frame, b, y2 - frame), glass_t, (0.6, 0.7, 0.85))


def _indoor(rng: np.random.Generator, h: int, w: int, ambient: float, p_warm: float) -> Background:
    """A room: walls with gentle gradients and a corner, then doors, furniture and windows."""
    temp, rgb = _walls(rng, h, w, ambient)
    for _ in range(int(rng.integers(0, 3))):
        builder = (_door, _furniture, _window)[int(rng.integers(3))]
        builder(rng, temp, rgb, ambient)
    if rng.random() < p_warm:
        _warm_objects(rng, temp, rgb, ambient, int(rng.integers(1, 4)))
    return Background(temp, rgb)


def _car(rng: np.random.Generator, h: int, w: int, ambient: float) -> Background:
    """Seat and headrest behind the driver, windows to a hot or cold outside, pillars."""
    outside = ambient + rng.uniform(-15, 20)
    temp = np.full((h, w), ambient + rng.uniform(-1, 3), np.float32)
    interior = np.array(_colour(rng, 0.02, 0.3), np.float32)
    rgb = np.broadcast_to(interior, (h, w, 3)).astype(np.float32).copy()
    side = int(rng.choice([-1, 1]))
    x1 = int(w * rng.uniform(0.0, 0.3)) if side < 0 else int(w * rng.uniform(0.7, 1.0))
    bottom = int(h * rng.uniform(0.4, 0.8))
    window = (min(x1, w), -1, w, bottom) if side > 0 else (-1, -1, x1, bottom)
    _fill(temp, rgb, window, outside, (0.55, 0.65, 0.8))
    headrest = (int(w * 0.32), int(h * rng.uniform(0.05, 0.25)), int(w * 0.68), int(h * 0.55))
    _rounded(temp, rgb, headrest, ambient + rng.uniform(0.5, 5), tuple(interior * 1.5))
    seat = (int(w * 0.15), int(h * 0.45), int(w * 0.85), h + w // 4)
    seat_t = ambient + rng.uniform(0.5, 6)
    _rounded(temp, rgb, seat, seat_t, tuple(interior * 1.3))
    for frac in (0.35, 0.65):  # upholstery seams
        x = int(w * (0.15 + 0.7 * frac))
        _fill(temp, rgb, (x, int(h * 0.5), x + max(1, w // 100), h), seat_t - rng.uniform(0.3, 1.5),
              tuple(interior))
    if rng.random() < 0.5:  # sun-heated roof liner / dashboard edge
        _fill(temp, rgb, (0, 0, w, int(h * rng.uniform(0.03, 0.12))), ambient + rng.uniform(5, 25),
              (0.7, 0.7, 0.68))
    temp += 0.4 * smooth_noise(rng, h, w, 6)
    return Background(temp, rgb)


def _outdoor(rng: np.random.Generator, h: int, w: int, ambient: float) -> Background:
    """Sky far colder than everything (radiative), horizon, trees, sun-warmed walls and ground."""
    horizon = int(h * rng.uniform(0.2, 0.75))
    y = np.arange(h, dtype=np.float32)[:, None]
    sky_top = ambient - rng.uniform(15, 45)
    sky = sky_top + (ambient - 3 - sky_top) * np.clip(y / max(horizon, 1), 0, 1) ** 2
    temp = np.broadcast_to(sky, (h, w)).astype(np.float32).copy()
    rgb = np.zeros((h, w, 3), np.float32)
    rgb[:] = np.array([0.35, 0.55, 0.9], np.float32) * (0.6 + 0.4 * (y / h))[..., None]
    ground = ambient + rng.uniform(-2, 12)
    temp[horizon:] = ground + 1.5 * smooth_noise(rng, h - horizon, w, 6)
    rgb[horizon:] = np.array(_colour(rng, 0.15, 0.45), np.float32)
    # canopies: a coarse field with leafy fine detail, so their outline frays; denser toward the
    # horizon so that they stand on it instead of floating in the sky
    leaves = smooth_noise(rng, h, w, 40)
    top = horizon - h * rng.uniform(0.1, 0.5)
    rise = 2.0 * np.clip((y - top) / max(horizon - top, 1.0), 0.0, 1.0)
    trees = smooth_noise(rng, h, w, 14) + 0.4 * leaves + rise > rng.uniform(1.3, 2.2)
    trees &= np.broadcast_to((y < horizon) & (y > top), (h, w))
    temp[trees] = ambient + rng.uniform(-3, 2) + 1.2 * leaves[trees]
    for _ in range(int(rng.integers(0, 4))):  # trunks and poles from the canopy to the ground
        tx, tw = int(rng.uniform(0, w)), max(1, int(w * rng.uniform(0.008, 0.03)))
        top = int(horizon - h * rng.uniform(0.05, 0.4))
        _fill(temp, rgb, (tx, top, tx + tw, horizon + 2), ambient + rng.uniform(-2, 2),
              (0.2, 0.15, 0.1))
    rgb[trees] = np.array([0.1, 0.3, 0.1], np.float32)
    for _ in range(int(rng.integers(0, 3))):  # buildings, walls warmed by the sun
        x1, y1, x2, y2 = _rect(rng, h, w, 0.15, 0.5)
        wall = (x1, y1, x2, max(y2, horizon))
        _fill(temp, rgb, wall, ambient + rng.uniform(-2, 15), _colour(rng))
    return Background(temp, rgb)


def make_background(rng: np.random.Generator, scene: str, height: int, width: int,
                    ambient_c: float, p_warm_objects: float = 0.6) -> Background:
    """The background of ``scene`` at the given size and room / air temperature."""
    if scene == "studio":
        bg = _studio(rng, height, width, ambient_c)
    elif scene == "indoor":
        bg = _indoor(rng, height, width, ambient_c, p_warm_objects)
    elif scene == "car":
        bg = _car(rng, height, width, ambient_c)
    elif scene == "outdoor":
        bg = _outdoor(rng, height, width, ambient_c)
    else:
        raise ValueError(f"unknown scene {scene!r}")
    return bg
