"""Reader for the real LWIR face images in the shared data (real_thermal_faces/, see its INDEX.md).

No landmarks exist there: only face boxes for 292 Tufts frames (YOLO) and 498 Terravic frames
(PASCAL VOC). The images serve realism checks of the synthetic generator, label-free domain
adaptation and detector recall on real sensors. They stay in the shared folder: licences are
absent or research-only, so nothing here copies them anywhere.

Images come as stored: uint8 grey, RGB palette frames (handheld, iron samples), float32 degrees C
for testo (radiometric=True). IRIS crops are near-grey BMPs and are converted to grey. Facts that
have no place in a Face of an unboxed image (Lepton mask / no mask, Tufts pose of unboxed frames)
remain readable from ``LabelledImage.source``, the path inside the shared folder.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np

from thermal_fld_ros.data.loaders._common import AnnotationError, list_images, read_image, read_yolo_faces
from thermal_fld_ros.data.records import Face, LabelledImage
from thermal_fld_ros.resources import shared_data_dir

REAL_DIR = "real_thermal_faces"
#: Source name -> folder under real_thermal_faces/.
SOURCE_DIRS = {
    "tufts": "tufts_td_ir",
    "terravic": "terravic",
    "puj_und": "puj_und_segmented",
    "testo": "testo872_radiometric",
    "lepton": "lepton80x60_mask",
    "iris": "iris_crops_som",
    "handheld": "handheld_palette_frames",
    "misc": "misc_mit_samples",
}

#: Tufts TD_IR_A: 9 camera positions on a semicircle, profile to profile (A_0..A_8); A_4 is frontal.
TUFTS_FRONTAL_POSE = 4
TUFTS_DEGREES_PER_POSE = 22.5
#: Tufts TD_IR_E expressions; E_5 is always sunglasses.
TUFTS_EXPRESSIONS = {1: "neutral", 2: "smile", 3: "eyes_closed", 4: "shocked", 5: "sunglasses"}
TUFTS_SUNGLASSES = 5
#: Boxed frames held out from detector training, so its real-frame figures are measured on people
#: it never saw: Tufts subjects from this number on (16-22) and the Terravic sequence face02.
BOX_HOLDOUT_FIRST_TUFTS_SUBJECT = 16
BOX_HOLDOUT_TERRAVIC_SEQUENCES = ("face02",)
_TUFTS_NAME = re.compile(r"^(\d+)_TD_IR_([AE])_(\d+)$")
_PUJ_NAME = re.compile(r"^(S\d+)_")
_UND_NAME = re.compile(r"^(\d{5})d")


def real_root() -> Path:
    """real_thermal_faces/ in the shared data, or FileNotFoundError naming where it was sought."""
    data = shared_data_dir()
    if data is None:
        raise FileNotFoundError(f"shared data with {REAL_DIR}/ not found (set THERMAL_FLD_SHARED or "
                                "place it in ../shared/data next to the repository)")
    return data / REAL_DIR


def _record(path: Path, root: Path, source: str, faces: list[Face] | None = None,
            subject: str | None = None, image: np.ndarray | None = None) -> LabelledImage:
    return LabelledImage(image=read_image(path) if image is None else image, faces=faces or [],
                         subject=subject, source=f"real/{source}:{path.relative_to(root)}")


def tufts_attributes(stem: str) -> dict[str, object]:
    """Subject, pose (A_k, with its nominal |yaw|) or expression (E_k) of a Tufts file name."""
    match = _TUFTS_NAME.match(stem)
    if match is None:
        raise ValueError(f"{stem!r} is not a Tufts name <subject>_TD_IR_<A|E>_<k>")
    subject, kind, index = match.group(1), match.group(2), int(match.group(3))
    if kind == "A":
        # Nominal spacing of the 9 positions over 180 degrees; the sign of yaw is not documented.
        return {"subject": subject, "pose_index": index, "sunglasses": False,
                "abs_yaw": abs(index - TUFTS_FRONTAL_POSE) * TUFTS_DEGREES_PER_POSE}
    return {"subject": subject, "expression": TUFTS_EXPRESSIONS.get(index, str(index)),
            "abs_yaw": 0.0, "sunglasses": index == TUFTS_SUNGLASSES}


def _tufts(root: Path, boxed_only: bool) -> Iterator[LabelledImage]:
    folder = root / SOURCE_DIRS["tufts"]
    for path in list_images(folder / "images"):
        label = folder / "labels_yolo" / f"{path.stem}.txt"
        if boxed_only and not label.is_file():
            continue
        attributes = tufts_attributes(path.stem)
        image = read_image(path)
        faces = (read_yolo_faces(label, image.shape[1], image.shape[0], point_fields=0)
                 if label.is_file() else [])
        for face in faces:
            face.attributes.update(attributes)
        yield _record(path, root, "tufts", faces, str(attributes["subject"]), image)


def read_voc_boxes(path: Path) -> list[np.ndarray]:
    """Pixel boxes (x1, y1, x2, y2) of every object in a PASCAL VOC XML file."""
    try:
        objects = ET.parse(path).getroot().findall("object")
        boxes = [np.array([float(obj.find(f"bndbox/{tag}").text) for tag in ("xmin", "ymin", "xmax", "ymax")],
                          dtype=np.float32) for obj in objects]
    except (ET.ParseError, AttributeError, TypeError, ValueError) as exc:
        raise AnnotationError(path, f"not PASCAL VOC with <object><bndbox> xmin..ymax ({exc})") from None
    return boxes


def _terravic(root: Path, boxed_only: bool) -> Iterator[LabelledImage]:
    folder = root / SOURCE_DIRS["terravic"]
    for path in list_images(folder / "images"):
        xml = folder / "boxes_voc" / f"{path.stem}.xml"
        if boxed_only and not xml.is_file():
            continue
        sequence = path.stem.split("_")[0]
        boxes = read_voc_boxes(xml) if xml.is_file() else []
        faces = [Face(box=box, attributes={"sequence": sequence}) for box in boxes]
        yield _record(path, root, "terravic", faces)


def _puj_und(root: Path) -> Iterator[LabelledImage]:
    folder = root / SOURCE_DIRS["puj_und"]
    for database in sorted(p for p in folder.iterdir() if p.is_dir()):
        for path in list_images(database):
            match = (_UND_NAME if database.name == "UND" else _PUJ_NAME).match(path.name)
            subject = f"{database.name}_{match.group(1)}" if match else None
            yield _record(path, root, "puj_und", subject=subject)


def _testo(root: Path) -> Iterator[LabelledImage]:
    for path in sorted((root / SOURCE_DIRS["testo"] / "temperature_C").glob("*.npy")):
        celsius = np.load(path).astype(np.float32)
        yield LabelledImage(image=celsius, faces=[], radiometric=True,
                            source=f"real/testo:{path.relative_to(root)}")


def _folders(name: str) -> Callable[[Path], Iterator[LabelledImage]]:
    """Reader of a source whose images lie in its folder and/or its subfolders, as stored."""
    def read(root: Path) -> Iterator[LabelledImage]:
        folder = root / SOURCE_DIRS[name]
        for sub in [folder] + sorted(p for p in folder.iterdir() if p.is_dir()):
            for path in list_images(sub):
                yield _record(path, root, name)
    return read


def _iris(root: Path) -> Iterator[LabelledImage]:
    for path in list_images(root / SOURCE_DIRS["iris"]):
        image = read_image(path)
        grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
        yield _record(path, root, "iris", image=grey)


def box_holdout(record: LabelledImage) -> bool:
    """True for a boxed Tufts/Terravic frame of the detector's held-out people (see the constants)."""
    if record.source.startswith("real/tufts:"):
        return record.subject is not None and int(record.subject) >= BOX_HOLDOUT_FIRST_TUFTS_SUBJECT
    return any(face.attributes.get("sequence") in BOX_HOLDOUT_TERRAVIC_SEQUENCES for face in record.faces)


_BOXED: dict[str, Callable[[Path, bool], Iterator[LabelledImage]]] = {"tufts": _tufts, "terravic": _terravic}
#: Sources with face boxes (for some or all frames); the others are image-only.
BOXED_SOURCES = tuple(_BOXED)
_UNBOXED: dict[str, Callable[[Path], Iterator[LabelledImage]]] = {
    "puj_und": _puj_und,
    "testo": _testo,
    "lepton": _folders("lepton"),
    "iris": _iris,
    "handheld": _folders("handheld"),
    "misc": _folders("misc"),
}


def iter_real(source: str | None = None, boxed_only: bool = False,
              root: str | Path | None = None) -> Iterator[LabelledImage]:
    """Real thermal face images of one ``source`` (None: all, in SOURCE_DIRS order).

    ``boxed_only`` keeps the frames with a face box (Tufts subjects 1-22, all of Terravic).
    ``root`` overrides real_thermal_faces/ (default: from resources.shared_data_dir()).
    """
    if source is not None and source not in SOURCE_DIRS:
        raise ValueError(f"unknown real source {source!r}; expected one of {sorted(SOURCE_DIRS)}")
    base = Path(root) if root is not None else real_root()
    for name in [source] if source else list(SOURCE_DIRS):
        if name in _BOXED:
            yield from _BOXED[name](base, boxed_only)
        elif not boxed_only:
            yield from _UNBOXED[name](base)
