"""Vectorised numpy z-buffer rasteriser for grid meshes, and the pinhole camera.

No OpenGL is available, and per-triangle Python loops are far too slow. Triangles are grouped by
the size of their pixel bounding box; each group enumerates its k x k candidate pixels at once,
keeps those inside (edge functions), and a scatter-min picks the nearest surface per pixel. The
output is a triangle id and barycentric weights per pixel ("deferred" rendering): every material
property is then computed per pixel from interpolated surface coordinates, so thermal and RGB
renders share one geometry pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Bounding-box size buckets (pixels); a triangle goes to the smallest bucket that holds it.
_BUCKETS = (1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 32, 40, 48, 64, 96, 128, 192, 256,
            384, 512, 768)
#: Points closer than this (cm) to the camera are not drawn.
NEAR_CM = 1.0
#: Edge-function slack so that shared edges leave no cracks between neighbours.
_EDGE_EPS = 1e-5


@dataclass
class Mesh:
    """Triangles over camera-frame vertices with per-vertex attributes.

    vertices (N, 3) cm in the camera frame (x right, y down, z forward); triangles (T, 3);
    normals (N, 3) outward unit normals (camera frame); attributes (N, C) interpolated per pixel;
    part: material id of every triangle (T,); person: index of the person it belongs to (T,).
    """

    vertices: np.ndarray
    triangles: np.ndarray
    normals: np.ndarray
    attributes: np.ndarray
    part: np.ndarray
    person: np.ndarray


@dataclass
class Raster:
    """Per-pixel result: nearest triangle (-1 for none), its barycentric weights and depth (cm)."""

    triangle: np.ndarray  # (H, W) int32
    bary: np.ndarray      # (H, W, 3) float32
    depth: np.ndarray     # (H, W) float32, inf where empty

    @property
    def covered(self) -> np.ndarray:
        return self.triangle >= 0


def grid_triangles(rows: int, cols: int) -> np.ndarray:
    """Two triangles per quad of a (rows, cols) vertex grid."""
    i, j = np.meshgrid(np.arange(rows - 1), np.arange(cols - 1), indexing="ij")
    a = (i * cols + j).ravel()
    b = a + 1
    c = a + cols
    d = c + 1
    return np.concatenate([np.stack([a, b, d], 1), np.stack([a, d, c], 1)]).astype(np.int64)


def grid_normals(points: np.ndarray) -> np.ndarray:
    """Outward unit normals of a (rows, cols, 3) grid surface (outward = d/dcol x d/drow)."""
    d_col = np.gradient(points, axis=1)
    d_row = np.gradient(points, axis=0)
    n = np.cross(d_col, d_row)
    return n / np.maximum(np.linalg.norm(n, axis=-1, keepdims=True), 1e-12)


def concat_meshes(meshes: list[Mesh]) -> Mesh:
    """One mesh from many, for a single rasterisation pass."""
    offsets = np.cumsum([0] + [len(m.vertices) for m in meshes[:-1]])
    return Mesh(
        vertices=np.concatenate([m.vertices for m in meshes]),
        triangles=np.concatenate([m.triangles + o for m, o in zip(meshes, offsets)]),
        normals=np.concatenate([m.normals for m in meshes]),
        attributes=np.concatenate([m.attributes for m in meshes]),
        part=np.concatenate([m.part for m in meshes]),
        person=np.concatenate([m.person for m in meshes]),
    )


def project(points: np.ndarray, focal: float, cx: float, cy: float) -> np.ndarray:
    """Pinhole projection of camera-frame points (..., 3) to pixel coordinates (..., 2)."""
    z = np.maximum(points[..., 2], NEAR_CM)
    return np.stack([cx + focal * points[..., 0] / z, cy + focal * points[..., 1] / z], axis=-1)


def rotation(yaw_deg: float, pitch_deg: float, roll_deg: float) -> np.ndarray:
    """Head rotation: yaw > 0 turns the face toward image right, pitch > 0 looks up,
    roll > 0 turns it clockwise in the image (pitch applied first, then yaw, then roll)."""
    y, p, r = np.radians([-yaw_deg, -pitch_deg, roll_deg])
    rx = np.array([[1, 0, 0], [0, np.cos(p), -np.sin(p)], [0, np.sin(p), np.cos(p)]])
    ry = np.array([[np.cos(y), 0, np.sin(y)], [0, 1, 0], [-np.sin(y), 0, np.cos(y)]])
    rz = np.array([[np.cos(r), -np.sin(r), 0], [np.sin(r), np.cos(r), 0], [0, 0, 1]])
    return rz @ ry @ rx


def front_facing(mesh: Mesh, two_sided_parts: tuple[int, ...] = ()) -> np.ndarray:
    """(T,) True for triangles with a vertex whose normal faces the camera (or two-sided ones).

    Culling by normal rather than by winding keeps every mesh builder free of winding rules.
    """
    facing = np.einsum("ij,ij->i", mesh.normals, mesh.vertices) < 0.0
    return facing[mesh.triangles].any(1) | np.isin(mesh.part, two_sided_parts)


def rasterise(xy: np.ndarray, z: np.ndarray, triangles: np.ndarray, height: int, width: int,
              keep: np.ndarray | None = None) -> Raster:
    """Nearest-surface triangle id and barycentrics for every pixel centre (integer coordinates).

    ``keep`` (T,) selects the triangles to draw (e.g. front_facing); all by default. Barycentrics
    and depth are affine in the pixel position, so each triangle gets plane coefficients once and
    every candidate pixel costs two multiply-adds per quantity.
    """
    ids = np.arange(len(triangles)) if keep is None else np.nonzero(keep)[0]
    tri = triangles[ids]
    zt = z[tri]
    xs, ys = xy[tri, 0], xy[tri, 1]
    area = ((xs[:, 1] - xs[:, 0]) * (ys[:, 2] - ys[:, 0])
            - (ys[:, 1] - ys[:, 0]) * (xs[:, 2] - xs[:, 0]))
    x0 = np.maximum(np.ceil(xs.min(1)), 0).astype(np.int64)
    x1 = np.minimum(np.floor(xs.max(1)), width - 1).astype(np.int64)
    y0 = np.maximum(np.ceil(ys.min(1)), 0).astype(np.int64)
    y1 = np.minimum(np.floor(ys.max(1)), height - 1).astype(np.int64)
    ok = (np.abs(area) > 1e-9) & (zt.min(1) > NEAR_CM) & (x1 >= x0) & (y1 >= y0)
    ids, tri, zt, xs, ys, area = ids[ok], tri[ok], zt[ok], xs[ok], ys[ok], area[ok]
    x0, x1, y0, y1 = x0[ok], x1[ok], y0[ok], y1[ok]
    inv = 1.0 / area
    a0, a1, a2 = (np.stack([xs[:, k], ys[:, k]], 1) for k in range(3))
    # w0 = cross(b - P, c - P) / area = (by - cy) px + (cx - bx) py + (bx cy - by cx), etc.
    coef = np.empty((3, len(ids), 3))  # rows: w0, w1, depth planes (a px + b py + c)
    for k, (b, c) in enumerate(((a1, a2), (a2, a0))):
        coef[k, :, 0] = (b[:, 1] - c[:, 1]) * inv
        coef[k, :, 1] = (c[:, 0] - b[:, 0]) * inv
        coef[k, :, 2] = (b[:, 0] * c[:, 1] - b[:, 1] * c[:, 0]) * inv
    coef[2] = coef[0] * (zt[:, 0:1] - zt[:, 2:3]) + coef[1] * (zt[:, 1:2] - zt[:, 2:3])
    coef[2, :, 2] += zt[:, 2]
    coef = coef.astype(np.float32)
    bw, bh = x1 - x0 + 1, y1 - y0 + 1
    size = np.maximum(bw, bh)

    pix_parts, z_parts, id_parts, w_parts = [], [], [], []
    lower = 0
    for k in _BUCKETS + (max(height, width),):
        sel = np.nonzero((size > lower) & (size <= k))[0]
        lower = k
        if len(sel) == 0:
            continue
        k2 = k * k
        oy, ox = np.divmod(np.arange(k2, dtype=np.int64), k)
        sx, sy = x0[sel], y0[sel]
        fx = sx[:, None].astype(np.float32) + ox.astype(np.float32)
        fy = sy[:, None].astype(np.float32) + oy.astype(np.float32)
        c0, c1 = coef[0, sel], coef[1, sel]
        w0 = c0[:, 0:1] * fx + c0[:, 1:2] * fy + c0[:, 2:3]
        w1 = c1[:, 0:1] * fx + c1[:, 1:2] * fy + c1[:, 2:3]
        inside = (w0 >= -_EDGE_EPS) & (w1 >= -_EDGE_EPS) & (w0 + w1 <= 1.0 + _EDGE_EPS)
        inside &= (ox < bw[sel, None]) & (oy < bh[sel, None])
        flat = np.flatnonzero(inside)
        if len(flat) == 0:
            continue
        rows, cols = np.divmod(flat, k2)
        gx, gy = sx[rows] + ox[cols], sy[rows] + oy[cols]
        cz = coef[2, sel[rows]]
        pix_parts.append(gy * width + gx)
        gxf, gyf = gx.astype(np.float32), gy.astype(np.float32)
        z_parts.append(cz[:, 0] * gxf + cz[:, 1] * gyf + cz[:, 2])
        id_parts.append(ids[sel[rows]])
        w_parts.append(np.stack([w0.ravel()[flat], w1.ravel()[flat]], 1))

    tri_img = np.full(height * width, -1, np.int32)
    bary = np.zeros((height * width, 3), np.float32)
    depth = np.full(height * width, np.inf, np.float32)
    if pix_parts:
        pix = np.concatenate(pix_parts)
        zc = np.concatenate(z_parts)
        np.minimum.at(depth, pix, zc)  # zc is float32 like depth: the winner compares equal
        win = zc <= depth[pix]
        w01 = np.concatenate(w_parts)[win]
        tri_img[pix[win]] = np.concatenate(id_parts)[win]
        bary[pix[win]] = np.concatenate([w01, 1.0 - w01.sum(1, keepdims=True)], 1)
    return Raster(tri_img.reshape(height, width), bary.reshape(height, width, 3),
                  depth.reshape(height, width))


def interpolate(raster: Raster, mesh: Mesh) -> np.ndarray:
    """(N, C) attributes of the N covered pixels, in np.nonzero(raster.covered) order."""
    covered = raster.covered
    corners = mesh.triangles[raster.triangle[covered]]  # (N, 3)
    weights = raster.bary[covered]                       # (N, 3)
    attrs = mesh.attributes
    return (attrs[corners[:, 0]] * weights[:, 0:1] + attrs[corners[:, 1]] * weights[:, 1:2]
            + attrs[corners[:, 2]] * weights[:, 2:3])
