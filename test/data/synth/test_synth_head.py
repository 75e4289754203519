"""The parametric head: landmarks are surface points that follow expression and pose exactly."""

from dataclasses import replace

import numpy as np
import pytest

from thermal_fld_ros.data.synth import head, person
from thermal_fld_ros.data.synth.render import project, rotation
from thermal_fld_ros.layout import FLIP_PERMUTATION, NUM_LANDMARKS


def _project(ident, expr, yaw, pitch=0.0, roll=0.0):
    pts = head.landmarks_3d(ident, expr)[0] @ rotation(yaw, pitch, roll).T + np.array([0, 0, 120.0])
    return project(pts, 800.0, 0.0, 0.0)


def test_landmarks_are_points_of_the_rendered_surface():
    ident, expr = head.Identity(), head.expression_named("smile")
    uv = head.landmark_uv(ident, expr)
    assert uv.shape == (NUM_LANDMARKS, 2)
    np.testing.assert_allclose(head.landmarks_3d(ident, expr)[0],
                               head.surface(ident, expr, uv[:, 0], uv[:, 1], hair=False))


def test_frontal_layout_reads_like_a_face():
    p = _project(head.Identity(), head.Expression(), 0.0)
    assert p[36, 0] < p[39, 0] < p[42, 0] < p[45, 0]          # eyes left to right
    assert p[19, 1] < p[37, 1] < p[30, 1] < p[49, 1] < p[51, 1] < p[8, 1]  # brow above ... chin
    assert p[0, 0] < p[48, 0] < p[50, 0] < p[16, 0]
    assert abs(p[30, 0]) < 1e-6 and abs(p[8, 0]) < 1e-6     # symmetric head: midline at x = 0


def test_average_face_has_adult_proportions():
    """Anthropometric norms (Farkas): from the eye line to the chin, the nose tip lies about a
    third of the way down and the lips about 0.6; a long nose reads as a mannequin."""
    p = _project(head.Identity(), head.Expression(), 0.0)
    eye = p[[36, 39, 42, 45], 1].mean()
    share = lambda i: (p[i, 1] - eye) / (p[8, 1] - eye)  # noqa: E731
    assert 0.3 < share(30) < 0.4
    assert 0.55 < (share(52) + share(53)) / 2 < 0.67


def test_the_jaw_is_narrower_than_the_cheekbones():
    """Adult norms put the jaw (gonial) width at about 0.75 of the cheekbone width (about 10.5 and
    14 cm): a jaw as wide as the cheeks widens the whole lower face (synth-12: 0.83)."""
    ident, expr = head.Identity(), head.Expression()
    u = np.linspace(-1.2, 1.2, 481)  # in front of the ears

    def width(v: float) -> float:
        return 2.0 * float(np.abs(head.surface(ident, expr, u, np.full_like(u, v), hair=False)[:, 0]).max())

    cheekbones, jaw = width(-0.3), width(-0.8)
    assert 13.0 < cheekbones < 15.5
    assert 0.7 < jaw / cheekbones < 0.8


def test_mouth_opens_and_eyes_close():
    ident = head.Identity()
    closed = _project(ident, head.Expression(), 0.0)
    yawn = _project(ident, head.expression_named("yawn"), 0.0)
    shut = _project(ident, head.expression_named("eyes_closed"), 0.0)
    gap = lambda p: p[53, 1] - p[52, 1]  # noqa: E731
    assert gap(yawn) > gap(closed) + 10
    assert yawn[8, 1] > closed[8, 1] + 10  # the chin drops
    eye = lambda p: p[41, 1] - p[37, 1]  # noqa: E731
    assert eye(shut) < 0.2 * eye(closed)


def test_mirrored_pose_gives_flipped_landmarks():
    rng = np.random.default_rng(3)
    ident = head.sample_identity(rng, asymmetry=0.0)
    expr = head.expression_named("smile")
    for yaw, pitch, roll in [(35.0, 10.0, 0.0), (60.0, -20.0, 15.0)]:
        a = _project(ident, expr, yaw, pitch, roll)
        b = _project(ident, expr, -yaw, pitch, -roll)
        flipped = a[FLIP_PERMUTATION] * np.array([-1.0, 1.0])
        np.testing.assert_allclose(flipped, b, atol=1e-6)


def test_asymmetric_person_mirrors_into_its_mirror_twin():
    ident = head.sample_identity(np.random.default_rng(5))
    expr = head.Expression()
    a = _project(ident, expr, 20.0)
    b = _project(head.mirrored(ident), expr, -20.0)
    np.testing.assert_allclose(a[FLIP_PERMUTATION] * np.array([-1.0, 1.0]), b, atol=1e-6)


def test_a_lopsided_mouth_tilts_without_a_step_at_the_midline():
    """synth-18 lifted one half of the lip seam as a whole: cool lips showed the step as a
    vertical line through the mouth."""
    ident = replace(head.Identity(), mouth_dv=0.02)
    expr = head.Expression()
    hw = head.mouth_half_width(ident, expr)
    seam = head.mouth_line(ident, expr, np.array([-hw, -1e-3, 1e-3, hw]))
    assert seam[3] - seam[0] == pytest.approx(0.02)
    assert abs(seam[2] - seam[1]) < 1e-4


def test_identities_differ_and_are_seeded():
    a = head.sample_identity(np.random.default_rng(1))
    b = head.sample_identity(np.random.default_rng(1))
    c = head.sample_identity(np.random.default_rng(2))
    assert a == b and a != c


def test_few_people_wear_a_fringe_down_to_the_brows():
    """One real frontal face in twenty shows a forehead darker than its nose; synth-14's
    fringes (a quarter of people, all within 0.2 of the brows) gave one render in five."""
    idents = [head.sample_identity(np.random.default_rng(seed)) for seed in range(400)]
    low = [i for i in idents if i.hair_style == "fringe" and i.hairline_v < 0.4]
    assert len(low) / len(idents) < 0.12
    assert any(i.hairline_v >= 0.4 for i in idents if i.hair_style == "fringe")


def test_hands_have_fingers_and_masks_have_pleats():
    across = np.linspace(-0.7, 0.7, 281)
    gaps = person.finger_gaps(across)
    assert gaps.max() == 1.0 and (gaps == 0).mean() > 0.5
    assert np.count_nonzero(np.diff((gaps > 0.5).astype(int)) == 1) == person.FINGERS - 1
    ident = head.Identity()
    v = np.linspace(ident.nose_tip_v, ident.chin_v, 200)
    lift = person.mask_offset(ident, head.Expression(), np.full(200, 0.7), v)
    assert np.ptp(np.diff(lift)) > 0.02 and lift.min() > 0.4


def test_the_forehead_narrows_into_a_temporal_fossa(monkeypatch):
    """The sides of the forehead sink in (so they turn from the camera); its middle does not."""
    ident, expr = head.Identity(), head.Expression()
    u, v = np.array([0.0, head.TEMPORAL_FOSSA_UV[0]]), np.full(2, head.TEMPORAL_FOSSA_UV[1])
    with_fossa = np.linalg.norm(head.surface(ident, expr, u, v, hair=False), axis=-1)
    monkeypatch.setattr(head, "TEMPORAL_FOSSA_CM", 0.0)
    without = np.linalg.norm(head.surface(ident, expr, u, v, hair=False), axis=-1)
    assert without[0] - with_fossa[0] == pytest.approx(0.0, abs=0.05)
    assert 0.7 < without[1] - with_fossa[1] < 1.5  # about 1 cm deep, as the real hollow


def test_hair_lies_flat_at_the_hairline_and_rises_to_its_volume():
    """Hair leaves the skin lying flat: no wall of hair stands at the hairline facing the camera
    (such a wall rendered as a glowing rim above the forehead); its full volume comes
    HAIR_RISE_V further up."""
    ident, expr = head.Identity(hair_style="short", hair_cm=1.5), head.Expression()
    line = float(head.hairline(ident, np.array([0.0]))[0])
    v = line + np.array([head.HAIRLINE_EDGE[1], head.HAIR_RISE_V + 0.05])
    u = np.zeros(2)
    height = np.linalg.norm(head.surface(ident, expr, u, v), axis=-1) \
        - np.linalg.norm(head.surface(ident, expr, u, v, hair=False), axis=-1)
    assert height[0] < 0.25 * ident.hair_cm  # fully covered already, yet thin
    assert height[1] > 0.6 * ident.hair_cm
