"""Rendering people into a frame: one rasterisation for thermal, RGB and landmarks.

Meshes of all people are rasterised together. Materials (temperature, RGB albedo) are evaluated
at the visible vertices and interpolated; the few-millimetre facial features (eye openings, inner
eye corners, brows, nostrils, the open mouth) are added per pixel from the interpolated surface
coordinates, because the mesh is coarser than they are. The thermal frame, the RGB pair and the
landmarks therefore all come from one geometry.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from . import head, person as P
from .render import Mesh, Raster, concat_meshes, front_facing, interpolate, project, rasterise
from .rgb import person_albedo
from .fringe import fray_hair
from .scene import Background, smooth_noise
from .thermal import covered_skin, fine_detail, hair_strands, lock_strands, person_temperature

#: Depth margin (cm): a landmark more than this behind the drawn surface is hidden.
VISIBILITY_TOL_CM = 1.0
#: Lens tint (share of light absorbed) of clear glasses and sunglasses in the RGB pair.
LENS_TINT = {"clear": 0.12, "sun": 0.85}
#: Surface-angle window (|u|, v range) of eyes, brows and mouth, whose RGB is shaded per pixel.
FACE_DETAIL_U = 0.75
FACE_DETAIL_V = (-0.95, 0.4)
#: Vertices this far outside the frame (pixels) still count as in view (see _in_frame).
FRAME_MARGIN_PX = 24
#: Correlation length (pixels) and amplitude range (degrees C) of the sub-mesh surface grain.
GRAIN_PX = 3
GRAIN_C = (0.03, 0.2)

#: Channels of the per-vertex values (_shade): temperature, RGB, lens tint, surface (u, v), light,
#: hair coverage and cos of the view angle (the last two for _reshade_hair_edge).
CHANNELS = 10
T, RGB, TINT, UV, LIGHT, HAIR, COS_VIEW = 0, slice(1, 4), 4, slice(5, 7), 7, 8, 9
#: Pixels whose own hair coverage differs from the one interpolated from the vertices by more
#: than this are shaded again at the pixel.
HAIR_EDGE_TOL = 0.02

#: Per person: (54, 2) pixel landmarks, (54,) visible (not self-occluded), (54,) occluded.
Landmarks = tuple[np.ndarray, np.ndarray, np.ndarray]


@dataclass
class Camera:
    focal: float
    cx: float
    cy: float
    width: int
    height: int

    def scaled(self, s: int) -> Camera:
        """The same camera sampled s times finer (pixel centres stay aligned)."""
        return Camera(self.focal * s, (self.cx + 0.5) * s - 0.5, (self.cy + 0.5) * s - 0.5,
                      self.width * s, self.height * s)


@dataclass
class Actor:
    """A person and where they are."""

    person: P.Person
    placement: P.Placement


def _lighting(rng: np.random.Generator) -> tuple[np.ndarray, float]:
    light = np.array([rng.uniform(-1, 1), rng.uniform(-1, 0.3), -rng.uniform(0.3, 1.0)])
    return light / np.linalg.norm(light), float(rng.uniform(0.2, 0.55))


def _shade(person: P.Person, part: int, uv: np.ndarray, vertices: np.ndarray,
           normals: np.ndarray, ambient: float, light: tuple[np.ndarray, float],
           with_rgb: bool) -> np.ndarray:
    """(N, CHANNELS) per-vertex values of N vertices of a part (see CHANNELS).

    Materials are evaluated at the vertices rather than at every pixel, then interpolated by
    the rasteriser: the mesh is finer than the optics blur, so little is lost. What is sharper
    than a mesh cell (small facial features, the cold nose's outline, hair strands) is added
    per pixel by _add_fine_detail.
    """
    parts = np.full(len(vertices), part)
    u, v = uv[:, 0], uv[:, 1]
    rays = vertices / np.linalg.norm(vertices, axis=1, keepdims=True)
    cos_view = -np.einsum("ij,ij->i", normals, rays)
    if part in P.TWO_SIDED_PARTS:  # a thin sheet shows either face
        cos_view = np.abs(cos_view)
    out = np.zeros((len(parts), CHANNELS), np.float32)
    out[:, T] = person_temperature(person, parts, u, v, cos_view, ambient, fine=False)
    out[:, UV] = uv
    out[:, COS_VIEW] = cos_view
    if part == P.PART_HEAD:
        out[:, HAIR] = head.hair_weight(person.identity, u, v)
    if part == P.PART_LENS:
        out[:, TINT] = LENS_TINT[person.glasses]
    elif with_rgb:
        light_dir, ambient_light = light
        shade = ambient_light + (1 - ambient_light) * np.clip(-(normals @ light_dir), 0, None)
        out[:, RGB] = person_albedo(person, parts, u, v) * shade[:, None]
        out[:, LIGHT] = shade
    return out


def _reshade_hair_edge(values: np.ndarray, person: P.Person, sel: np.ndarray,
                       weight: np.ndarray, ambient: float) -> None:
    """Shade head pixels ``sel`` again where their own hair coverage ``weight`` differs from the
    interpolated one: the hairline is sharper than a mesh cell, and where it runs steeply across
    the cells (the temples of long hair) interpolation drew skin-warm thorns into the hair."""
    off = np.abs(weight - values[sel, HAIR]) > HAIR_EDGE_TOL
    if off.any():
        idx = sel[off]
        u, v = values[idx, UV].astype(np.float64).T
        values[idx, T] = person_temperature(person, np.full(len(idx), P.PART_HEAD), u, v,
                                            values[idx, COS_VIEW], ambient, fine=False)


def _add_fine_detail(values: np.ndarray, actors: list[Actor], part: np.ndarray,
                     owner: np.ndarray, ambient: float, with_rgb: bool) -> np.ndarray:
    """Small facial features and hair strands (on the head and on hanging locks) per pixel from
    the interpolated (u, v): their temperature offsets (channel 0) and, around eyes, brows and
    mouth, the RGB albedo (channels 1-3). Returns the hair coverage (0..1) of every pixel, for
    fray_hair."""
    hair = (part == P.PART_LOCK).astype(np.float32)
    for i, actor in enumerate(actors):
        sel = np.flatnonzero((owner == i) & (part == P.PART_LOCK))
        if len(sel):
            u, v = values[sel, UV].astype(np.float64).T
            values[sel, T] += lock_strands(actor.person, u, v, ambient)
        sel = np.flatnonzero((owner == i) & (part == P.PART_HEAD))
        if len(sel) == 0:
            continue
        u, v = values[sel, UV].astype(np.float64).T
        weight = head.hair_weight(actor.person.identity, u, v)
        _reshade_hair_edge(values, actor.person, sel, weight, ambient)
        hair[sel] = weight
        cover = covered_skin(actor.person, u, v, hair[sel])
        values[sel, T] += fine_detail(actor.person, u, v) * (1.0 - cover) \
            + hair_strands(actor.person, u, v, ambient, weight)
        if actor.person.hat is not None:
            hair[sel] *= 1.0 - P.hat_weight(actor.person.identity, u, v)
        if with_rgb:
            face = (np.abs(u) < FACE_DETAIL_U) & (v > FACE_DETAIL_V[0]) & (v < FACE_DETAIL_V[1])
            idx = sel[face]
            albedo = person_albedo(actor.person, part[idx], u[face], v[face])
            values[idx, RGB] = albedo * values[idx, LIGHT:LIGHT + 1]
    return hair


def _in_frame(xy: np.ndarray, triangles: np.ndarray, height: int, width: int) -> np.ndarray:
    """(T,) triangles with a vertex near the frame (triangles are far smaller than the margin)."""
    x, y = xy[:, 0], xy[:, 1]
    near = (x > -FRAME_MARGIN_PX) & (x < width + FRAME_MARGIN_PX) \
        & (y > -FRAME_MARGIN_PX) & (y < height + FRAME_MARGIN_PX)
    return near[triangles].any(1)


def _compose(actors: list[Actor], camera: Camera, background_t: np.ndarray,
             background_rgb: np.ndarray, ambient: float, light: tuple[np.ndarray, float],
             rng: np.random.Generator, with_rgb: bool = True
             ) -> tuple[np.ndarray, np.ndarray, list[Landmarks]]:
    """render() at the camera's own resolution."""
    meshes: list[Mesh] = []
    for i, actor in enumerate(actors):
        px_per_cm = camera.focal / max(actor.placement.head_centre[2], 1.0)
        meshes.extend(P.build_meshes(actor.person, actor.placement, px_per_cm, i))
    h, w = camera.height, camera.width
    temp = background_t.astype(np.float32).copy()
    rgb = background_rgb.astype(np.float32).copy()
    if not meshes:
        return temp, rgb, []
    mesh = concat_meshes(meshes)
    xy = project(mesh.vertices, camera.focal, camera.cx, camera.cy)
    z = mesh.vertices[:, 2]
    keep = front_facing(mesh, P.TWO_SIDED_PARTS) & _in_frame(xy, mesh.triangles, h, w)
    # shade only the vertices that can be seen (about half of them)
    needed = np.zeros(len(mesh.vertices), bool)
    needed[mesh.triangles[keep]] = True
    vertex_part = np.zeros(len(mesh.vertices), np.int16)
    vertex_part[mesh.triangles] = mesh.part[:, None]
    vertex_person = np.zeros(len(mesh.vertices), np.int16)
    vertex_person[mesh.triangles] = mesh.person[:, None]
    values = np.zeros((len(mesh.vertices), CHANNELS), np.float32)
    for i, actor in enumerate(actors):
        mine = needed & (vertex_person == i)
        for part in np.unique(vertex_part[mine]):
            sel = mine & (vertex_part == part)
            values[sel] = _shade(actor.person, int(part), mesh.attributes[sel], mesh.vertices[sel],
                                 mesh.normals[sel], ambient, light, with_rgb)
    mesh = Mesh(mesh.vertices, mesh.triangles, mesh.normals, values, mesh.part, mesh.person)
    is_lens = mesh.part == P.PART_LENS
    main = rasterise(xy, z, mesh.triangles, h, w, keep & ~is_lens)
    values = interpolate(main, mesh)
    covered = main.covered
    pixel_part = mesh.part[main.triangle[covered]]
    hair = _add_fine_detail(values, actors, pixel_part, mesh.person[main.triangle[covered]],
                            ambient, with_rgb)
    temp[covered] = values[:, T]
    if hair.any():
        hair_img = np.zeros((h, w), np.float32)
        hair_img[covered] = hair
        eligible = ~covered  # past the outline only: on the forehead hair_weight blends
        px_per_cm = camera.focal / max(actors[0].placement.head_centre[2], 1.0)
        temp = fray_hair(temp, hair_img, eligible, ambient, px_per_cm, rng)
    # fine skin and fabric texture below the mesh resolution (pores, vessels, weave): in a single
    # frame a screen-space field looks the same as one glued to the surface
    grain = smooth_noise(rng, h, w, max(4, max(h, w) // GRAIN_PX))
    temp[covered] += float(rng.uniform(*GRAIN_C)) * grain[covered]
    rgb[covered] = values[:, RGB]
    lens = None
    if is_lens.any():
        lens = rasterise(xy, z, mesh.triangles, h, w, keep & is_lens)
        front = lens.covered & (lens.depth < main.depth)
        lens_values = interpolate(lens, mesh)[front[lens.covered]]
        temp[front] = lens_values[:, T]
        tint = lens_values[:, TINT:TINT + 1]
        rgb[front] = rgb[front] * (1 - tint) + tint * 0.02
    results = [_landmarks(actor, camera, main, mesh, i, lens) for i, actor in enumerate(actors)]
    return temp, rgb, results


def _landmarks(actor: Actor, camera: Camera, main: Raster, mesh: Mesh, index: int,
               lens: Raster | None) -> Landmarks:
    """Pixel landmarks, self-occlusion visibility and occlusion by accessories or others."""
    person = actor.person
    pts, z, facing = P.landmarks_2d(person, actor.placement, camera.focal, camera.cx, camera.cy)
    h, w = main.depth.shape
    xi = np.clip(np.round(pts[:, 0]).astype(int), 0, w - 1)
    yi = np.clip(np.round(pts[:, 1]).astype(int), 0, h - 1)
    tri = main.triangle[yi, xi]
    drawn = tri >= 0
    own_head = drawn & (mesh.part[np.maximum(tri, 0)] == P.PART_HEAD) \
        & (mesh.person[np.maximum(tri, 0)] == index)
    in_front = main.depth[yi, xi] < z - VISIBILITY_TOL_CM
    ident = person.identity
    uv = head.landmark_uv(ident, person.expression)
    # skin points under a layer of the head mesh itself (mask, hat, fringe)
    covered = head.hair_weight(ident, uv[:, 0], uv[:, 1]) > 0.5
    if person.mask:
        covered |= P.mask_weight(ident, uv[:, 0], uv[:, 1]) > 0.5
    if person.hat is not None:
        covered |= P.hat_weight(ident, uv[:, 0], uv[:, 1]) > 0.5
    # hidden by the own head (nose in front of the far eye, ...) or facing away
    visible = facing & ~(own_head & in_front & ~covered)
    other = drawn & ~own_head & in_front
    if lens is not None:
        other |= lens.covered[yi, xi] & (lens.depth[yi, xi] < z)
    occluded = visible & (other | covered)
    return pts.astype(np.float32), visible, occluded


def to_uint8_rgb(rgb_linear: np.ndarray) -> np.ndarray:
    """Linear RGB 0..1 to 8-bit sRGB-like (gamma 2.2)."""
    return (np.clip(rgb_linear, 0, 1) ** (1 / 2.2) * 255.0).round().astype(np.uint8)


def render(actors: list[Actor], camera: Camera, background: Background, ambient: float,
           rng: np.random.Generator, supersample: int, with_rgb: bool
           ) -> tuple[np.ndarray, np.ndarray, list[Landmarks]]:
    """True temperature (H, W), linear RGB (H, W, 3) and per actor (landmarks, visible,
    occluded), composed at ``supersample`` x resolution and averaged down to the camera."""
    hi = camera.scaled(supersample)
    size_hi = (hi.width, hi.height)
    bg_t = cv2.resize(background.temperature, size_hi, interpolation=cv2.INTER_LINEAR)
    bg_c = cv2.resize(background.rgb, size_hi, interpolation=cv2.INTER_LINEAR)
    temp, rgb, results = _compose(actors, hi, bg_t, bg_c, ambient, _lighting(rng), rng, with_rgb)
    if supersample > 1:
        size = (camera.width, camera.height)
        temp = cv2.resize(temp, size, interpolation=cv2.INTER_AREA)
        rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
        results = [((pts + 0.5) / supersample - 0.5, vis, occ) for pts, vis, occ in results]
    return temp, rgb, results
