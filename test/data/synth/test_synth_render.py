"""The rasteriser: coverage, nearest surface wins, attribute interpolation, culling by normal."""

import numpy as np

from thermal_fld_ros.data.synth.render import (Mesh, front_facing, grid_triangles, interpolate,
                                               rasterise, rotation)


def _square(x0, y0, x1, y1, z, value):
    """A screen-aligned square grid (2x2 vertices) at depth z; attribute = (value, value, normal)."""
    xs, ys = np.meshgrid([x0, x1], [y0, y1])
    verts = np.stack([xs.ravel(), ys.ravel(), np.full(4, z)], 1).astype(float)
    normals = np.tile([0.0, 0.0, -1.0], (4, 1))
    tris = grid_triangles(2, 2)
    return Mesh(verts, tris, normals, np.full((4, 2), value), np.zeros(len(tris), np.int16),
                np.zeros(len(tris), np.int16))


def test_square_covers_exactly_its_pixel_centres():
    m = _square(2.0, 3.0, 6.0, 8.0, 10.0, 1.0)
    r = rasterise(m.vertices[:, :2], m.vertices[:, 2], m.triangles, 12, 10)
    ys, xs = np.nonzero(r.covered)
    assert (xs.min(), xs.max(), ys.min(), ys.max()) == (2, 6, 3, 8)
    assert r.covered.sum() == 5 * 6
    np.testing.assert_allclose(r.depth[r.covered], 10.0)


def test_nearest_surface_wins_and_attributes_interpolate():
    far = _square(0.0, 0.0, 9.0, 9.0, 20.0, 1.0)
    near = _square(3.0, 3.0, 6.0, 6.0, 5.0, 2.0)
    offset = len(far.vertices)
    mesh = Mesh(np.concatenate([far.vertices, near.vertices]),
                np.concatenate([far.triangles, near.triangles + offset]),
                np.concatenate([far.normals, near.normals]),
                np.concatenate([far.attributes, near.attributes]),
                np.zeros(4, np.int16), np.zeros(4, np.int16))
    r = rasterise(mesh.vertices[:, :2], mesh.vertices[:, 2], mesh.triangles, 10, 10)
    values = np.zeros((10, 10))
    values[r.covered] = interpolate(r, mesh)[:, 0]
    np.testing.assert_allclose([values[4, 4], values[1, 1], values[8, 2]], [2.0, 1.0, 1.0], atol=1e-5)


def test_back_faces_are_culled_by_their_normals():
    m = _square(0.0, 0.0, 5.0, 5.0, 10.0, 1.0)
    assert front_facing(m).all()
    m.normals[:, 2] = 1.0  # normals now point away from the camera
    assert not front_facing(m).any()


def test_rotation_conventions():
    face = np.array([0.0, 0.0, -1.0])  # a frontal face looks at the camera (-z)
    assert (rotation(30, 0, 0) @ face)[0] > 0.4    # yaw > 0: toward image right
    assert (rotation(0, 30, 0) @ face)[1] < -0.4   # pitch > 0: up (y is down)
    assert (rotation(0, 0, 30) @ np.array([1.0, 0, 0]))[1] > 0.4  # roll > 0: clockwise
