"""SF-TL54 loader: LabelMe faces, landmark order, splits by folder or subject protocol, mirroring."""

import json

import cv2
import numpy as np
import pytest

from thermal_fld_ros.data.loaders import AnnotationError
from thermal_fld_ros.data.loaders.sftl54 import MIRRORED_SUFFIX, load_sftl54
from thermal_fld_ros.layout import NUM_LANDMARKS, face_box_from_landmarks

W, H = 64, 48
# 54 distinct points: x = 5 + i (0..53 + 5), y = 10 + i % 30, so any re-ordering shows.
POINTS = np.stack([5.0 + np.arange(NUM_LANDMARKS), 10.0 + np.arange(NUM_LANDMARKS) % 30], axis=1)


def write_sample(root, name, split="train", modality="gray", labels="zero", order=None, points=POINTS,
                 box=((50, 40), (4, 2)), rgb=True, image_size=(W, H)):
    """One SF-TL54 image + LabelMe JSON under root/dataset/<modality>/<split>/."""
    base = root / "dataset" / modality / split
    (base / "images").mkdir(parents=True, exist_ok=True)
    (base / "json").mkdir(parents=True, exist_ok=True)
    grey = np.full((H, W), 7, np.uint8)
    grey[0, 0] = 200  # marks the left edge, to see mirroring
    cv2.imwrite(str(base / "images" / f"{name}.png"), np.dstack([grey] * 3))  # grey stored as 3 channels
    if rgb:
        rgb_dir = root / "dataset" / "rgb" / split / "images"
        rgb_dir.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(rgb_dir / f"{name}.png"), np.zeros((H, W, 3), np.uint8))
    order = list(range(len(points))) if order is None else order
    label_of = {"zero": str, "one": lambda i: str(i + 1), "name": lambda i: "landmark"}[labels]
    shapes = [{"label": "face", "shape_type": "rectangle", "points": [list(box[0]), list(box[1])]}]
    shapes += [{"label": label_of(i), "shape_type": "point", "points": [points[i].tolist()]} for i in order]
    doc = {"shapes": shapes, "imageWidth": image_size[0], "imageHeight": image_size[1]}
    path = base / "json" / f"{name}.json"
    path.write_text(json.dumps(doc))
    return path


def only(records):
    records = list(records)
    assert len(records) == 1
    return records[0]


@pytest.mark.parametrize("labels", ["zero", "one"])
def test_integer_labels_give_the_landmark_index_even_when_shapes_are_shuffled(tmp_path, labels):
    order = list(np.random.default_rng(0).permutation(NUM_LANDMARKS))
    write_sample(tmp_path, "3_1_a", labels=labels, order=order)
    face = only(load_sftl54(tmp_path)).faces[0]
    np.testing.assert_array_equal(face.landmarks, POINTS.astype(np.float32))
    assert face.landmarks.dtype == np.float32 and face.visible.all()


def test_non_numeric_labels_are_taken_in_order_of_appearance(tmp_path):
    order = list(range(NUM_LANDMARKS))[::-1]
    write_sample(tmp_path, "3_1_a", labels="name", order=order)
    face = only(load_sftl54(tmp_path)).faces[0]
    np.testing.assert_array_equal(face.landmarks, POINTS[order].astype(np.float32))


def test_record_has_box_from_rectangle_corners_subject_split_grey_image_and_rgb_pair(tmp_path):
    write_sample(tmp_path, "17_2_x", split="val")
    record = only(load_sftl54(tmp_path / "dataset"))  # the dataset/ folder itself works too
    np.testing.assert_array_equal(record.faces[0].box, [4, 2, 50, 40])  # corners given bottom-right first
    assert record.subject == "17" and record.split == "val"
    assert record.image.shape == (H, W) and record.image.dtype == np.uint8
    assert record.rgb.shape == (H, W, 3)
    assert record.source == "sftl54:gray/val/images/17_2_x.png"


def test_iron_modality_stays_colour_and_missing_rgb_pair_is_none(tmp_path):
    write_sample(tmp_path, "5_1_a", modality="iron", rgb=False)
    record = only(load_sftl54(tmp_path, modality="iron"))
    assert record.image.shape == (H, W, 3) and record.rgb is None


def test_split_argument_selects_the_folder(tmp_path):
    write_sample(tmp_path, "1_1_a", split="train")
    write_sample(tmp_path, "120_1_a", split="test")
    assert [r.subject for r in load_sftl54(tmp_path, "test")] == ["120"]
    assert len(list(load_sftl54(tmp_path))) == 2


@pytest.mark.parametrize("protocol, expected", [
    ("published", {"105": "val", "115": "test", "125": "test", "7": "train"}),
    ("metadata", {"105": "val", "115": "val", "125": "test", "7": "train"}),
])
def test_protocol_recomputes_splits_from_subject_ids_whatever_the_folder(tmp_path, protocol, expected):
    for subject in expected:
        write_sample(tmp_path, f"{subject}_1_a", split="train")
    got = {r.subject: r.split for r in load_sftl54(tmp_path, protocol=protocol)}
    assert got == expected
    assert {r.subject for r in load_sftl54(tmp_path, "val", protocol=protocol)} == {
        s for s, split in expected.items() if split == "val"}


def test_mirrored_test_adds_a_flipped_copy_of_test_images_only(tmp_path):
    write_sample(tmp_path, "130_1_a", split="test")
    write_sample(tmp_path, "2_1_a", split="train")
    records = list(load_sftl54(tmp_path, mirrored_test=True))
    assert len(records) == 3
    original, mirrored = [r for r in records if r.split == "test"]
    assert mirrored.source == original.source + MIRRORED_SUFFIX
    np.testing.assert_array_equal(mirrored.image, original.image[:, ::-1])
    assert mirrored.image[0, W - 1] == 200
    face, flipped = original.faces[0], mirrored.faces[0]
    # The mirrored image-left outer eye corner (36) is the original image-right one (45).
    assert flipped.landmarks[36, 0] == W - 1 - face.landmarks[45, 0]
    assert flipped.landmarks[36, 1] == face.landmarks[45, 1]
    np.testing.assert_array_equal(flipped.box, [W - 1 - 50, 2, W - 1 - 4, 40])
    assert flipped.attributes["mirrored"] is True


def test_glasses_attribute_comes_from_metadata_csv_for_the_trial(tmp_path):
    write_sample(tmp_path, "36_1_a")
    write_sample(tmp_path, "36_2_a")
    (tmp_path / "metadata.csv").write_text(
        "Sub_ID,Split,Age,Gender,Ethnicity,Acc_Trial_1,Acc_Trial_2\n36,Train,28,Female,Asian,None,Glasses\n")
    glasses = {r.source: r.faces[0].attributes["glasses"] for r in load_sftl54(tmp_path)}
    assert glasses == {"sftl54:gray/train/images/36_1_a.png": False,
                       "sftl54:gray/train/images/36_2_a.png": True}


def test_missing_face_rectangle_gives_the_box_of_the_landmarks(tmp_path):
    path = write_sample(tmp_path, "8_1_a")
    doc = json.loads(path.read_text())
    doc["shapes"] = doc["shapes"][1:]
    path.write_text(json.dumps(doc))
    face = only(load_sftl54(tmp_path)).faces[0]
    np.testing.assert_allclose(face.box, face_box_from_landmarks(POINTS))


def test_two_face_rectangles_are_refused(tmp_path):
    path = write_sample(tmp_path, "8_1_a")
    doc = json.loads(path.read_text())
    doc["shapes"].append(doc["shapes"][0])
    path.write_text(json.dumps(doc))
    with pytest.raises(AnnotationError, match="2 'face' rectangles"):
        list(load_sftl54(tmp_path))


def test_wrong_number_of_points_names_the_file(tmp_path):
    path = write_sample(tmp_path, "4_1_a", points=POINTS[:53])
    with pytest.raises(AnnotationError, match=rf"{path.name}.*53 landmark points, expected 54"):
        list(load_sftl54(tmp_path))


def test_broken_json_names_the_file(tmp_path):
    path = write_sample(tmp_path, "4_1_a")
    path.write_text("{not json")
    with pytest.raises(AnnotationError, match=path.name):
        list(load_sftl54(tmp_path))


def test_annotation_for_another_image_size_is_refused(tmp_path):
    write_sample(tmp_path, "4_1_a", image_size=(464, 348))
    with pytest.raises(AnnotationError, match="464x348"):
        list(load_sftl54(tmp_path))


def test_missing_image_and_bad_file_name_are_reported(tmp_path):
    path = write_sample(tmp_path, "4_1_a")
    (path.parent.parent / "images" / "4_1_a.png").unlink()
    with pytest.raises(AnnotationError, match="no image 4_1_a"):
        list(load_sftl54(tmp_path))
    write_sample(tmp_path, "4_1_a")
    path.rename(path.with_name("subject4.json"))
    with pytest.raises(AnnotationError, match="subject id"):
        list(load_sftl54(tmp_path))


def test_unknown_options_and_empty_root_are_refused(tmp_path):
    with pytest.raises(ValueError, match="modality"):
        list(load_sftl54(tmp_path, modality="thermal"))
    with pytest.raises(ValueError, match="protocol"):
        list(load_sftl54(tmp_path, protocol="mine"))
    with pytest.raises(FileNotFoundError, match="no SF-TL54 JSON"):
        list(load_sftl54(tmp_path))
