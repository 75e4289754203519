"""Thermal physics: which parts of a face are warm and cold, and how the room changes that."""

import numpy as np
import pytest

from thermal_fld_ros.data.synth import head, person, thermal
from thermal_fld_ros.data.synth.config import SynthConfig
from thermal_fld_ros.data.synth.person import PART_HEAD, PART_LENS, PART_TORSO, sample_person


def _person(seed=0, ambient=22.0):
    rng = np.random.default_rng(seed)
    config = SynthConfig(p_glasses=0, p_mask=0, p_hat=0, p_beard=0, p_hand=0)
    person = sample_person(rng, config)
    person.jacket = None  # a shirt; the jacket tests put one on
    person.physiology = thermal.sample_physiology(rng, ambient)
    return person


def _skin_at(person, u, v):
    return thermal.skin_temperature(person, np.atleast_1d(float(u)), np.atleast_1d(float(v)))[0]


def _points(person):
    ident = person.identity
    uv = head.landmark_uv(ident, person.expression)
    return {"canthus": uv[39], "nose_tip": uv[30] + [0, -0.02], "cheek": (-0.75, -0.32),
            "forehead": (0.0, 0.4), "ear": (-1.62, ident.ear_v)}


def test_inner_eye_corners_are_warmest_nose_cheeks_and_ears_cooler():
    for seed in range(10):
        p = _person(seed)
        t = {k: _skin_at(p, *uv) for k, uv in _points(p).items()}
        assert t["canthus"] > t["nose_tip"] and t["canthus"] > t["cheek"] and t["canthus"] > t["ear"]
        assert t["forehead"] > t["ear"]
        assert 31.0 < t["canthus"] < 38.5


def test_nose_tip_is_cooler_in_a_cold_room():
    drop = {}
    for ambient in (12.0, 26.0):
        diffs = []
        for seed in range(30):
            p = _person(seed, ambient)
            pts = _points(p)
            diffs.append(_skin_at(p, *pts["forehead"]) - _skin_at(p, *pts["nose_tip"]))
        drop[ambient] = np.mean(diffs)
    assert drop[12.0] > drop[26.0] + 2.0


def test_cold_nose_has_the_outline_of_the_nose():
    for seed in range(10):
        ident = _person(seed).identity
        tip = ident.nose_tip_v
        across = ident.nose_du + np.linspace(0.0, 0.35, 71)
        w = thermal.cold_nose(ident, 1.5, across, np.full_like(across, tip))
        assert w[0] > 0.9 and w[-1] == 0.0  # the tip cools as a whole, the cheek beside it not
        edge = np.flatnonzero((w < 0.9) & (w > 0.1))
        assert len(edge) == 0 or np.ptp(across[edge]) < 0.06  # sharp: within ~5 mm
        bridge = thermal.cold_nose(ident, 1.5, np.array([ident.nose_du]), np.array([ident.eye_v]))
        assert bridge[0] < 0.05 * w[0]  # the bridge between the eyes stays warm


def test_the_cold_nose_is_coldest_along_its_ridge_not_its_wings_or_below_the_tip():
    """Eye-aligned median faces of the real Tufts frames are darkest a quarter to a third of the
    eye distance below the eyes, a narrow column down the nose; synth-18's cold wings and
    columella put a wide dark triangle at the nose's base."""
    for seed in range(5):
        ident = _person(seed).identity
        tip, du = ident.nose_tip_v, ident.nose_du
        ridge = tip + 0.3 * (ident.eye_v - tip)  # seven tenths of the way down
        wing = (du + 0.95 * ident.nose_width, tip - 0.07)
        below = tip - 0.5 * (ident.eye_v - tip)
        w = thermal.cold_nose(ident, 0.5, np.array([du, wing[0], du]), np.array([ridge, wing[1], below]))
        assert w[0] > 0.8 and w[1] < 0.7 * w[0] and w[2] == 0.0


def test_the_nasal_bridge_is_cooler_than_the_forehead_and_the_inner_eye_corners():
    """Between the two bright inner eye corners real faces show a darker bridge (0.85 of the
    face-room contrast on the median Tufts face, against 1.05 at the corners and 1.0 on the
    forehead)."""
    for seed in range(5):
        p = _person(seed)
        pts = _points(p)
        bridge = _skin_at(p, p.identity.nose_du, p.identity.eye_v - 0.03)
        assert bridge < _skin_at(p, *pts["forehead"]) - 0.8
        assert bridge < _skin_at(p, *pts["canthus"]) - 1.5


def test_eye_openings_are_almonds_with_pointed_corners():
    """Elliptical openings with a warm rim drew goggles; lids meet at a point at the corners."""
    ident = _person(1).identity
    eu, ev = head.eye_centres(ident)[0]
    vs = ev + np.linspace(-0.1, 0.1, 401)
    def height(u):
        return np.ptp(vs[thermal.eye_opening(ident, head.Expression(), np.full_like(vs, u), vs) > 0.5])
    assert height(eu + 0.8 * ident.eye_hw) < 0.5 * height(eu)


def test_lips_are_cooler_than_the_skin_round_them_and_the_closed_seam_coolest():
    """Real faces show the mouth as darker lips parted by a dark line; synth-18's warm lips left
    the mouth all but invisible (eye-aligned median faces)."""
    for seed in range(5):
        p = _person(seed)
        p.expression = head.Expression()
        ident = p.identity
        seam = float(head.mouth_line(ident, p.expression, np.array([0.0]))[0])
        vs = seam + np.array([2.5, 0.7, 0.0, -0.8, -2.5]) * ident.lip_h
        t = [_skin_at(p, 0.0, v) for v in vs]
        lips = p.physiology["lips"]
        assert thermal.LIPS_C[0] <= lips <= thermal.LIPS_C[1] < 0.0
        p.physiology["lips"] = 0.0
        above, upper, _, lower, below = np.array(t) - [_skin_at(p, 0.0, v) for v in vs]
        assert above == below == 0.0 and upper == pytest.approx(lips) == lower
        assert t[2] < min(t[1], t[3]) - 0.5  # the seam


def test_a_low_reach_takes_the_cold_up_the_bridge():
    ident = _person(3).identity
    u = np.array([ident.nose_du])
    mid = np.array([(ident.eye_v + ident.nose_tip_v) / 2])
    assert thermal.cold_nose(ident, 1.0, u, mid)[0] > 2 * thermal.cold_nose(ident, 2.5, u, mid)[0]


def test_orbits_are_warm_patches_with_an_edge():
    for seed in range(5):
        p = _person(seed)
        ident = p.identity
        (eu, ev), _ = head.eye_centres(ident)
        over = ev + 0.2 * thermal.ORBIT_AXES[1]  # in the orbit, over the eye opening
        assert thermal.orbits(ident, np.array([eu]), np.array([over]))[0] == 1.0
        # the mid forehead and the cheek below the orbit are outside it
        assert thermal.orbits(ident, np.array([0.0, eu]), np.array([0.4, ev - 0.2])).max() == 0.0
        # the edge: from full warmth to none within a third of the way down to the cheek
        down = ev - np.linspace(0.0, 0.15, 151)
        w = thermal.orbits(ident, np.full_like(down, eu), down)
        assert np.ptp(down[(w < 0.95) & (w > 0.05)]) < thermal.ORBIT_AXES[1] / 3
        warmth = p.physiology["orbit"]
        assert thermal.PERIORBITAL_C[0] <= warmth <= thermal.PERIORBITAL_C[1]
        with_orbit = _skin_at(p, eu, over)
        p.physiology["orbit"] = 0.0
        assert with_orbit - _skin_at(p, eu, over) == pytest.approx(warmth)


def test_the_orbit_is_warmest_by_the_inner_eye_corner_and_the_upper_lid_is_cool():
    """An even warm ring round a cool eye opening reads as goggles: real eyes are dark almonds
    with bright inner corners. The orbit keeps its warmth on the nose side and above the eye,
    and loses much of it toward its outer edge and below the eye; the upper lid above the
    lashes is cooler than the skin above."""
    for seed in range(5):
        p = _person(seed)
        p.expression = head.Expression()  # eyes open
        ident = p.identity
        (eu, ev), _ = head.eye_centres(ident)  # image-left eye: u < 0, lateral is more negative
        b = thermal.ORBIT_AXES[1]
        points = [(eu + 0.08, ev + 0.2 * b), (eu - 0.12, ev + 0.2 * b),  # medial, lateral
                  (eu, ev + 0.6 * b), (eu, ev - 0.6 * b)]  # above, below
        with_orbit = [_skin_at(p, *uv) for uv in points]
        warmth = p.physiology["orbit"]
        p.physiology["orbit"] = 0.0
        medial, lateral, above, below = (w - _skin_at(p, *uv) for w, uv in zip(with_orbit, points))
        assert medial == pytest.approx(warmth) and above == pytest.approx(warmth)
        assert lateral < medial - 0.3 * warmth
        assert below < above - 0.2 * warmth
        lid = ev + ident.eye_hh
        lid_and_above = thermal.fine_detail(p, np.full(2, eu),
                                            lid + np.array([1.0, 3.0]) * thermal.UPPER_LID_V)
        assert lid_and_above[0] < lid_and_above[1] - 1.0


def test_the_forehead_mottles_less_than_the_cheeks():
    """Real foreheads read smooth. Mottle is random per person, so the amplitudes are pooled."""
    forehead, cheeks = [], []
    for seed in range(10):
        p = _person(seed)
        fu, fv = np.meshgrid(np.linspace(-0.25, 0.25, 20), p.identity.eye_v + np.linspace(0.3, 0.45, 8))
        cu, cv = np.meshgrid(np.r_[np.linspace(-0.9, -0.6, 10), np.linspace(0.6, 0.9, 10)],
                             np.linspace(-0.4, -0.2, 8))
        u, v = np.r_[fu.ravel(), cu.ravel()], np.r_[fv.ravel(), cv.ravel()]
        mottled = thermal.skin_temperature(p, u, v)
        p.physiology["mottle_amp"] = 0.0
        mottle = np.abs(mottled - thermal.skin_temperature(p, u, v))
        forehead.append(mottle[:fu.size].mean())
        cheeks.append(mottle[fu.size:].mean())
    assert np.mean(forehead) < 0.6 * np.mean(cheeks)


def test_lenses_read_warmer_toward_their_lower_edge():
    """They reflect the warm cheeks and body below them, as real sunglasses do."""
    p = _person(1, 22.0)
    p.physiology["lens_dc"], p.physiology["lens_glow"] = 1.0, 3.0
    # lens surface coordinates: radius from the centre, angle (up at +pi/2)
    u, v = np.array([1.0, 0.0, 1.0]), np.array([np.pi / 2, 0.0, -np.pi / 2])
    top, centre, bottom = thermal.person_temperature(p, np.full(3, PART_LENS), u, v, np.ones(3), 22.0)
    assert top == pytest.approx(23.0, abs=0.05) and bottom == pytest.approx(26.0, abs=0.1)
    assert top < centre < bottom


def test_glasses_clothing_and_hair_are_colder_than_skin():
    for seed in range(5):
        p = _person(seed, 22.0)
        n = 20
        u = np.concatenate([[0.0, 0.0, 0.0], np.linspace(-0.5, 0.5, n)])
        v = np.concatenate([[0.4, 0.15, 1.3], np.linspace(0.3, 0.9, n)])  # forehead, lens, ...
        part = np.array([PART_HEAD, PART_LENS, PART_HEAD] + [PART_TORSO] * n)
        t = thermal.person_temperature(p, part, u, v, np.ones(len(u)), 22.0)
        skin, lens, crown, cloth = t[0], t[1], t[2], t[3:].mean()
        assert lens < skin - 5 and cloth < skin - 1
        if p.identity.hair_style != "bald":
            assert crown < skin - 1


def test_grazing_view_looks_cooler():
    p = _person(2)
    part = np.array([PART_HEAD, PART_HEAD])
    t = thermal.person_temperature(p, part, np.zeros(2), np.full(2, 0.4), np.array([1.0, 0.1]), 20.0)
    assert t[1] < t[0] - 0.5


def test_breathing_warms_the_nostrils_on_exhale():
    p = _person(3)
    ident = p.identity
    u, v = ident.nose_du + 0.45 * ident.nose_width, ident.nose_tip_v - 0.115  # a nostril
    p.physiology["breath"] = 1.0
    exhale = _skin_at(p, u, v)
    p.physiology["breath"] = -1.0
    assert exhale > _skin_at(p, u, v) + 1.0


def _torso_grid(n=60):
    u, v = np.meshgrid(np.linspace(-0.9, 0.9, n), np.linspace(0.0, 1.2, n))
    return u.ravel(), v.ravel()


def test_hair_is_between_the_room_and_the_skin_and_textured():
    """A crown of hair traps still air: its surface is cooler than the skin, warmer than the room,
    and the gaps between clumps show more of the room without ever reading colder than it."""
    for seed in range(8):
        p = _person(seed, 22.0)
        if p.identity.hair_style == "bald":
            continue
        u = np.linspace(-0.6, 0.6, 40)
        crown = np.full(40, 1.2)
        part = np.full(80, PART_HEAD)
        t = thermal.person_temperature(p, part, np.concatenate([u, u]),
                                       np.concatenate([crown, np.full(40, 0.3)]), np.ones(80), 22.0)
        hair, forehead = t[:40], t[40:]
        assert 22.0 < hair.min() and hair.mean() < forehead.mean() - 2.5
        # strands and clumps, not a helmet; subtle ones: at synth-18's STRAND_GAP the render
        # hair is still grainier than the real hair (face_stats hair grain)
        assert hair.std() > 0.06 * (hair.mean() - 22.0)


def test_even_cropped_hair_holds_an_insulating_layer_of_air():
    """Where hair lies at all its surface is well below skin temperature: the temples and the
    sides of short hair are thin, yet they read cooler than the forehead in real frames."""
    for seed in range(8):
        p = _person(seed, 22.0)
        u = np.array([0.0, 0.0, -1.4, 1.4])
        v = np.array([0.0, 1.2, 0.35, 0.35])  # bare forehead, crown, cropped sides
        weight = head.hair_weight(p.identity, u, v)
        k = thermal.hair_k(p, u, v, weight)
        assert weight[0] == 0.0 and k[0] == 1.0
        haired = weight == 1.0
        assert haired.sum() >= 2 or p.identity.hair_style == "bald"
        ceiling = 0.5 ** (thermal.HAIR_AIR_CM / p.physiology["hair_insulation_cm"])
        assert np.all(k[haired] <= ceiling + 1e-12)


def test_hair_leaves_the_skin_thin_and_cools_as_it_thickens():
    """A centimetre above the hairline hair reads about half way from the room to the skin and
    further up, where the layer is full (head.HAIR_RISE_V), cooler still: up the midline of
    eye-aligned real faces the level falls from 0.5 through 0.4 and 0.25 over about 2 cm. Up to
    synth-17 the hair read near the room at once (under 7 % of the contrast, over 200 people)."""
    near, up = [], []
    for seed in range(60):
        p = _person(seed, 22.0)
        if p.identity.hair_style == "bald":
            continue
        u = np.linspace(-0.3, 0.3, 20)
        line = p.identity.hairline_v
        v = np.r_[np.full(20, line + 0.1), np.full(20, line + head.HAIR_RISE_V + 0.1),
                  np.full(20, 0.3)]
        t = thermal.person_temperature(p, np.full(60, PART_HEAD), np.r_[u, u, u], v, np.ones(60),
                                       22.0)
        skin = np.median(t[40:]) - 22.0
        near.append((np.median(t[:20]) - 22.0) / skin)
        up.append((np.median(t[20:40]) - 22.0) / skin)
    assert 0.35 < np.median(near) < 0.75
    assert np.median(up) < np.median(near) - 0.1


def test_the_hairline_is_a_crisp_edge():
    """Coverage goes from none to full within HAIRLINE_EDGE (a few millimetres on the head)."""
    ident = head.Identity(hair_style="short")
    u = np.zeros(200)
    v = np.linspace(0.3, 1.0, 200)
    weight = head.hair_weight(ident, u, v)
    rising = v[(weight > 0.0) & (weight < 1.0)]
    assert rising.max() - rising.min() <= head.HAIRLINE_EDGE[1] - head.HAIRLINE_EDGE[0] + 1e-9


def test_collar_touching_the_neck_is_warmer_than_fold_crests():
    for seed in range(6):
        p = _person(seed, 22.0)
        p.collar, p.neck_depth, p.collar_width = 1.0, 1.0, person.CREW_BAND
        u, v = _torso_grid()
        t = thermal.person_temperature(p, np.full(len(u), PART_TORSO), u, v, np.ones(len(u)), 22.0)
        _, band = person.neckline(p, u, v)
        folds = thermal.fabric_texture(p.physiology, "folds", u, v)
        crest = (folds > 0.8) & (band == 0) & (v > 0.3)
        assert t[band > 0.9].mean() > t[crest].mean() + 1.0


def test_a_turtleneck_shows_folds_running_around_the_neck():
    """The clothed neck was one flat level (a grey cylinder); a rolled collar has folds whose
    crests run around the neck: along them the temperature changes less than across them."""
    from thermal_fld_ros.data.synth.person import PART_NECK

    p = _person(2, 22.0)
    p.collar = 0.4
    theta, along = np.meshgrid(np.linspace(-1.5, 1.5, 121), np.linspace(0.45, 1.0, 56))
    t = thermal.person_temperature(p, np.full(theta.size, PART_NECK), theta.ravel(), along.ravel(),
                                   np.ones(theta.size), 22.0).reshape(theta.shape)
    assert t.std() > 0.3
    # change per cm: a radian of theta is about 6 cm of neck, the whole of along about 8.5 cm
    around = np.abs(np.diff(t, axis=1)).mean() / (3.0 / 120 * 6.0)
    down = np.abs(np.diff(t, axis=0)).mean() / (0.55 / 55 * 8.5)
    assert 3.0 * around < down


def test_wide_collar_flaps_are_cooler_than_the_shirt_and_a_rib_band_warmer():
    p = _person(1, 22.0)
    p.collar, p.neck_depth = 1.0, 1.0
    u, v = _torso_grid()
    bands = {}
    for width in (person.CREW_BAND, person.POLO_BAND[1]):
        p.collar_width = width
        t = thermal.person_temperature(p, np.full(len(u), PART_TORSO), u, v, np.ones(len(u)), 22.0)
        skin, band = person.neckline(p, u, v)
        shirt = (skin == 0) & (band == 0) & (v < 0.8)
        bands[width] = t[band > 0.9].mean() - t[shirt].mean()
    assert bands[person.CREW_BAND] > 0.5 and bands[person.POLO_BAND[1]] < -0.5


def test_mask_rim_is_warmer_than_its_pleats():
    p = _person(4, 22.0)
    p.mask = True
    ident = p.identity
    u, v = np.meshgrid(np.linspace(-1.2, 1.2, 80), np.linspace(ident.chin_v - 0.2, 0.0, 80))
    u, v = u.ravel(), v.ravel()
    inside = person.mask_weight(ident, u, v) > 0
    t = thermal.person_temperature(p, np.full(len(u), PART_HEAD), u, v, np.ones(len(u)), 22.0)
    rim = inside & (person.mask_rim(ident, u, v) > 0.9)
    pleat = inside & (person.mask_pleats(ident, u, v) > 0.8) & (np.abs(u) > 0.5)
    assert rim.any() and pleat.any()
    assert t[rim].mean() > t[pleat].mean() + 1.0


def test_ear_concha_is_warmer_than_the_helix_rim():
    p = _person(5, 20.0)
    ident = p.identity
    side = 1.62
    concha = thermal.ear_detail(ident, np.array([side]), np.array([ident.ear_v]))
    helix = thermal.ear_detail(ident, np.array([side]), np.array([ident.ear_v + 0.26 * 0.88]))
    assert concha[0] > helix[0] + 2.0
    assert thermal.ear_detail(ident, np.array([0.0]), np.array([0.0]))[0] == 0.0


def test_ears_are_among_the_coolest_skin():
    """The pinna is thin and stands in the room: in a 22 C room real ears read well below the
    forehead; up to synth-19 renders cooled them by 2.2 C on average, and crops of them were
    warmer beside the head than real crops."""
    drops = []
    for seed in range(40):
        p = _person(seed)
        drops.append(_skin_at(p, 0.0, 0.4) - _skin_at(p, -1.62, p.identity.ear_v))
    assert np.mean(drops) > 4.0, np.mean(drops)


def test_nostrils_follow_the_breath():
    p = _person(6)
    ident = p.identity
    u, v = np.array([ident.nose_du + ident.nose_width * 0.45]), np.array([ident.nose_tip_v - 0.115])
    assert thermal.nostrils(ident, u, v)[0] == 1.0
    p.physiology["breath"] = 1.0
    exhale = thermal.fine_detail(p, u, v)[0]
    p.physiology["breath"] = -1.0
    assert exhale > thermal.fine_detail(p, u, v)[0] + 2.0


def test_temple_vessels_draw_warm_lines():
    p = _person(7)
    u, v = np.meshgrid(np.linspace(0.6, 1.1, 50), np.linspace(0.0, 0.4, 50))
    u, v = u.ravel(), v.ravel()
    with_vessels = thermal.skin_temperature(p, u, v, fine=False)
    p.physiology["vessel_amp"] = 0.0
    lines = with_vessels - thermal.skin_temperature(p, u, v, fine=False)
    assert lines.min() >= 0.0 and lines.max() > 0.3
    assert (lines > 0.5 * lines.max()).mean() < 0.4  # thin lines, not a warm patch


def test_cheeks_show_cool_blotches_only():
    for seed in range(5):
        p = _person(seed)
        u, v = np.meshgrid(np.linspace(0.4, 1.1, 40), np.linspace(-0.7, 0.0, 40))
        u, v = np.concatenate([u.ravel(), -u.ravel()]), np.concatenate([v.ravel(), v.ravel()])
        blotchy = thermal.skin_temperature(p, u, v, fine=False)
        p.physiology["cheek_patch_c"] = 0.0
        blotches = blotchy - thermal.skin_temperature(p, u, v, fine=False)
        assert blotches.max() <= 1e-9 and blotches.min() < -0.3
        assert (blotches < -0.05).mean() < 0.8  # patches, not a uniform shift


def test_clothing_drape_runs_along_the_fall_of_the_fabric():
    ph = _person(3).physiology
    u, v = np.meshgrid(np.linspace(-0.9, 0.9, 80), np.linspace(0.1, 1.3, 80))
    drape = thermal.fabric_texture(ph, "drape", u.ravel(), v.ravel()).reshape(u.shape)
    step_u = np.abs(np.diff(drape, axis=1)).mean() / (u[0, 1] - u[0, 0])
    step_v = np.abs(np.diff(drape, axis=0)).mean() / (v[1, 0] - v[0, 0])
    assert step_v < 0.6 * step_u
    assert 0.5 < drape.std() < 1.5


def test_open_neck_reaches_down_the_chest():
    p = _person(0)
    p.collar, p.neck_depth = 1.0, 1.0
    skin, _ = person.neckline(p, np.array([0.0, 0.0, 0.4]), np.array([0.05, 0.25, 0.05]))
    assert skin[0] == 1.0 and skin[1] > 0.5 and skin[2] == 0.0


def test_the_chin_is_not_colder_than_the_forehead_on_average():
    """Eye-aligned median faces of the real Tufts frames are as warm at the chin as over the
    cheeks; up to synth-19 every chin was 0.2-1.2 C cooler than the forehead."""
    offsets = []
    for seed in range(40):
        p = _person(seed)
        chin = _skin_at(p, 0.0, p.identity.chin_v) - _skin_at(p, 0.0, 0.4)
        offsets.append(chin)
    assert abs(np.mean(offsets)) < 0.3 and max(offsets) > 0.0, offsets


def test_the_front_of_a_bare_neck_is_nearly_as_warm_as_the_forehead():
    """Eye-aligned median faces of the real Tufts frames read 0.93-0.97 of the face-room
    contrast down the middle of the neck; up to synth-20 the renders read 0.80-0.83 (the neck
    0.4-2.2 C under the forehead, its midline 0.5 C cooler still: 2.3 C on average here)."""
    from thermal_fld_ros.data.synth.person import PART_NECK

    offsets = []
    for seed in range(40):
        p = _person(seed, 22.0)
        p.collar = 1.0  # bare down to the shoulders
        front = thermal.person_temperature(p, np.array([PART_NECK]), np.zeros(1), np.array([0.5]),
                                           np.ones(1), 22.0)[0]
        offsets.append(front - p.physiology["forehead"])
    assert -1.2 < np.mean(offsets) < 0.0 and min(offsets) < -1.0, offsets


def test_teeth_of_a_smile_are_cool_and_a_yawning_mouth_is_warm():
    p = _person(2, 22.0)
    detail = {}
    for name in ("smile", "yawn"):
        p.expression = head.expression_named(name)
        centre = head.mouth_line(p.identity, p.expression, np.zeros(1))
        detail[name] = thermal.fine_detail(p, np.zeros(1), centre)[0]
    assert detail["smile"] < -0.8
    assert detail["yawn"] > 1.0


def test_the_nose_cools_at_the_pixel_pass_so_its_outline_stays_round():
    """The cold nose's sharp outline belongs to fine_detail (evaluated per pixel): interpolated
    over mesh triangles it read as a polygon."""
    for seed in range(5):
        p = _person(seed)
        tip = _points(p)["nose_tip"]
        u, v = np.atleast_1d(tip[0]), np.atleast_1d(tip[1])
        coarse = thermal.skin_temperature(p, u, v, fine=False)[0]
        assert coarse - thermal.skin_temperature(p, u, v)[0] > 0.5


def test_hair_strands_are_cool_gaps_on_thick_hair_only():
    for seed in range(8):
        p = _person(seed)
        if p.identity.hair_style == "bald":
            continue
        u = np.linspace(-0.6, 0.6, 200)
        v = np.full_like(u, 1.2)
        crown = thermal.hair_strands(p, u, v, 22.0)
        excess = thermal.hair_k(p, u, v) * (p.physiology["forehead"] - 22.0)
        # gaps let the room show, never rays: a share of what the layer holds above the room
        assert crown.max() <= 0.0 and crown.min() < -0.5 * thermal.STRAND_GAP * excess.max()
        assert np.all(thermal.hair_strands(p, u, np.full_like(u, 0.0), 22.0) == 0.0)  # bare skin


def test_hair_gaps_part_clumps_not_single_strands():
    """Across the crown the gaps stay alike over 0.03 rad (about 3 mm): an LWIR camera sees hair
    clumps; synth-12's finer stripes gave 1.7 times the real hair's pixel-to-pixel change."""
    u = np.linspace(-0.6, 0.6, 1201)
    lag = 30  # samples: 0.03 rad
    correlations = []
    for seed in range(8):
        p = _person(seed)
        if p.identity.hair_style == "bald":
            continue
        gaps = thermal.hair_strands(p, u, np.full_like(u, 1.2), 22.0)
        gaps = gaps - gaps.mean()
        correlations.append((gaps[:-lag] * gaps[lag:]).mean() / gaps.var())
    assert np.mean(correlations) > 0.6


def test_a_hat_hides_the_hair_strands():
    rng = np.random.default_rng(4)
    p = sample_person(rng, SynthConfig(p_hat=1.0, p_mask=0, p_hand=0))
    p.physiology = thermal.sample_physiology(rng, 22.0)
    u = np.linspace(-0.6, 0.6, 200)
    assert np.abs(thermal.hair_strands(p, u, np.full_like(u, 1.3), 22.0)).max() < 0.05


def test_the_mesh_pass_leaves_the_strands_to_the_pixel_pass():
    p = next(q for q in map(_person, range(20)) if q.identity.hair_style != "bald")
    u = np.linspace(-0.6, 0.6, 200)
    v = np.full_like(u, 1.2)
    part = np.full(len(u), PART_HEAD)
    fine = thermal.person_temperature(p, part, u, v, np.ones(len(u)), 22.0)
    coarse = thermal.person_temperature(p, part, u, v, np.ones(len(u)), 22.0, fine=False)
    emissivity = thermal.SKIN_EMISSIVITY
    np.testing.assert_allclose(fine - coarse, emissivity * thermal.hair_strands(p, u, v, 22.0), atol=0.05)


def test_in_one_room_some_noses_stay_warm_and_others_turn_cold():
    """Real frontal faces in one room range from a nose as warm as the cheeks to a dark cold
    nose (synth-15); synth-14 drew nearly every nose at its cap (10-90 % within 2.8 C)."""
    diffs = []
    for seed in range(60):
        p = _person(seed, 22.0)
        pts = _points(p)
        diffs.append(_skin_at(p, *pts["forehead"]) - _skin_at(p, *pts["nose_tip"]))
    warm, cold = np.percentile(diffs, [20, 80])
    assert warm < 3.0 and cold > 6.5


def test_clothing_on_the_shoulders_holds_over_half_the_skin_heat():
    """Shirts lie on the skin: real shoulders read 0.44 of the face-room contrast (Tufts);
    synth-15 drew clothing at a median 0.45 of the skin-room difference and read 0.33."""
    shares = []
    for seed in range(40):
        p = _person(seed, 22.0)
        u, v = np.linspace(-0.9, -0.5, 9), np.full(9, 0.5)
        t = thermal.person_temperature(p, np.full(9, PART_TORSO), u, v, np.ones(9), 22.0)
        shares.append((np.median(t) - 22.0) / (p.physiology["forehead"] - 22.0))
    assert np.median(shares) > 0.52


JACKET = {"height": 5.0, "lean": 1.0, "open": 0.6, "spread": 0.2}


def test_a_jacket_is_cooler_than_the_shirt_in_its_open_front_and_its_lapels_cooler_still():
    """An outer layer lies over the shirt, so less skin heat reaches its surface; its folded
    lapels stand off it. The open front of the V shows the shirt."""
    shirts, bodies, lapels = [], [], []
    for seed in range(8):
        p = _person(seed, 22.0)
        p.jacket = JACKET
        u, v = _torso_grid()
        t = thermal.person_temperature(p, np.full(len(u), PART_TORSO), u, v, np.ones(len(u)), 22.0)
        jacket, lapel = person.jacket_front(p, u, v)
        skin, band = person.neckline(p, u, v)
        shirts.append(t[(jacket == 0) & (skin == 0) & (band == 0)].mean())
        bodies.append(t[(jacket == 1) & (lapel == 0)].mean())
        lapels.append(t[lapel > 0.9].mean())
    assert np.mean(shirts) > np.mean(bodies) + 1.0
    assert np.mean(lapels) < np.mean(bodies) - 0.5


def test_a_jacket_collar_is_fabric_between_the_room_and_the_skin_cooler_at_its_top_edge():
    from thermal_fld_ros.data.synth.person import PART_COLLAR

    p = _person(3, 22.0)
    p.jacket = JACKET
    theta, up = np.meshgrid(np.linspace(1.0, 5.2, 40), np.array([0.0, 1.0]))
    t = thermal.person_temperature(p, np.full(theta.size, PART_COLLAR), theta.ravel(), up.ravel(),
                                   np.ones(theta.size), 22.0).reshape(theta.shape)
    assert 22.0 < t.min() and t.max() < p.physiology["forehead"] - 3.0
    assert t[1].mean() < t[0].mean() - 0.5


def _lock_person(seed=5):
    p = _person(seed, 22.0)
    p.locks = {"length": 30.0, "drape": 4.0, "flare": 1.0, "width": 4.0, "wave": 1.0,
               "wavelength": 10.0, "phase": 0.0}
    return p


def test_hanging_hair_is_warmest_where_it_leaves_the_head():
    """Real long hair is bright beside the face and dims toward its ends (synth-16 drew it
    one dull level, 0.5 of the skin-room difference, less 2 C at the ends)."""
    from thermal_fld_ros.data.synth.person import PART_LOCK

    p = _lock_person()
    along = np.array([0.0, 40.0])
    t = thermal.person_temperature(p, np.full(2, PART_LOCK), np.zeros(2), along, np.ones(2), 22.0,
                                   fine=False)
    excess = (t - 22.0) / (p.physiology["forehead"] - 22.0)
    assert excess[0] > 0.6 and excess[1] < 0.4


def test_hanging_hair_is_streaked_along_its_fall():
    """Clump gaps run down a lock: round it the temperature changes more per cm than down it."""
    from thermal_fld_ros.data.synth.person import PART_LOCK

    p = _lock_person()
    theta, along = np.meshgrid(np.linspace(-1.5, 1.5, 151), np.linspace(5.0, 25.0, 101))
    t = thermal.person_temperature(p, np.full(theta.size, PART_LOCK), theta.ravel(), along.ravel(),
                                   np.ones(theta.size), 22.0).reshape(theta.shape)
    detail = t - thermal.person_temperature(
        p, np.full(theta.size, PART_LOCK), theta.ravel(), along.ravel(), np.ones(theta.size), 22.0,
        fine=False).reshape(theta.shape)
    assert detail.max() <= 1e-9 and detail.min() < -0.3  # gaps only, never warmer than the layer
    around = np.abs(np.diff(t, axis=1)).mean() / (3.0 / 150 * 4.0)  # a radian is about 4 cm
    down = np.abs(np.diff(t, axis=0)).mean() / (20.0 / 100)
    assert around > 3.0 * down
