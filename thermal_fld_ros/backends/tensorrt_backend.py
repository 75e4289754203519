"""TensorRT 10 backend: engine built from the ONNX file on the target, cached, run on a CUDA stream.

- Precision FP16 (default) or INT8 with an entropy calibration cache made from training data
  (``backends.calibration``), one optimisation profile for batch 1..max_batch.
- Engines are cached by ``EngineCache`` under TensorRT version, GPU name, compute capability,
  ONNX hash, precision and max batch; a timing cache per TensorRT+GPU speeds up rebuilds.
- I/O goes through device buffers allocated once for max_batch, copied asynchronously on one stream.
TensorRT and cuda-python are imported only here and only when this backend is used.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

from thermal_fld_ros.backends.base import Backend
from thermal_fld_ros.backends.engine_cache import EngineCache, EngineKey, file_sha256

LOG = logging.getLogger(__name__)
PRECISIONS = ("fp16", "int8", "fp32")
DEFAULT_MAX_BATCH = 8
WORKSPACE_BYTES = 1 << 30
#: Where engines go unless told otherwise (a robot's home survives reinstalls of the package).
DEFAULT_CACHE_DIR = Path.home() / ".cache" / "thermal_fld_ros" / "engines"


def cuda_runtime() -> Any:
    """cuda-python's runtime module (``cuda.bindings.runtime``; older releases: ``cuda.cudart``)."""
    try:
        from cuda.bindings import runtime
    except ImportError:
        from cuda import cudart as runtime
    return runtime


def _check(result: tuple) -> Any:
    """Unwrap a cuda-python ``(error, *values)`` tuple, raising on any error."""
    runtime = cuda_runtime()
    err, *values = result
    if err != runtime.cudaError_t.cudaSuccess:
        raise RuntimeError(f"CUDA error {err}")
    return values[0] if len(values) == 1 else (values or None)


def available() -> bool:
    """True when TensorRT and cuda-python import and a CUDA device is present."""
    try:
        import tensorrt  # noqa: F401

        return int(_check(cuda_runtime().cudaGetDeviceCount())) > 0
    except Exception:  # ImportError, missing driver, no device: all mean "not available"
        return False


def gpu_identity(device: int = 0) -> tuple[str, str]:
    """(GPU name, compute capability "major.minor") of ``device``."""
    props = _check(cuda_runtime().cudaGetDeviceProperties(device))
    name = props.name.decode(errors="replace").rstrip("\x00") if isinstance(props.name, bytes) \
        else str(props.name)
    return name, f"{props.major}.{props.minor}"


def engine_key(onnx_path: str | Path, precision: str, max_batch: int,
               identity: Callable[[], tuple[str, str]] = gpu_identity,
               tensorrt_version: str | None = None) -> EngineKey:
    if precision not in PRECISIONS:
        raise ValueError(f"unknown precision {precision!r}; known: {PRECISIONS}")
    if tensorrt_version is None:
        import tensorrt as trt

        tensorrt_version = trt.__version__
    gpu_name, capability = identity()
    return EngineKey(tensorrt_version=tensorrt_version, gpu_name=gpu_name,
                     compute_capability=capability, onnx_sha256=file_sha256(onnx_path),
                     precision=precision, max_batch=max_batch)


def make_calibrator(batches: Iterator[np.ndarray], cache_path: Path, batch_size: int) -> Any:
    """An IInt8EntropyCalibrator2 over float32 batches [batch_size, ...]; reuses ``cache_path``."""
    import tensorrt as trt

    runtime = cuda_runtime()

    class EntropyCalibrator(trt.IInt8EntropyCalibrator2):
        def __init__(self) -> None:
            super().__init__()
            self.device_ptr: int | None = None

        def get_batch_size(self) -> int:
            return batch_size

        def get_batch(self, names: list[str]) -> list[int] | None:
            batch = next(batches, None)
            if batch is None:
                return None
            batch = np.ascontiguousarray(batch, dtype=np.float32)
            if self.device_ptr is None:
                self.device_ptr = int(_check(runtime.cudaMalloc(batch.nbytes)))
            _check(runtime.cudaMemcpy(self.device_ptr, batch.ctypes.data, batch.nbytes,
                                      runtime.cudaMemcpyKind.cudaMemcpyHostToDevice))
            return [self.device_ptr]

        def read_calibration_cache(self) -> bytes | None:
            return cache_path.read_bytes() if cache_path.is_file() else None

        def write_calibration_cache(self, cache: Any) -> None:
            cache_path.parent.mkdir(parents=True, exist_ok=True)
            cache_path.write_bytes(bytes(cache))

    return EntropyCalibrator()


def build_serialized_engine(onnx_path: str | Path, precision: str, max_batch: int,
                            timing_cache_path: Path, calibrator: Any = None) -> bytes:
    """Parse the ONNX file and build a serialized engine (minutes on a Jetson)."""
    import tensorrt as trt

    logger = trt.Logger(trt.Logger.WARNING)
    builder = trt.Builder(logger)
    network = builder.create_network(0)  # TensorRT 10: explicit batch is the only mode
    parser = trt.OnnxParser(network, logger)
    if not parser.parse(Path(onnx_path).read_bytes()):
        errors = "; ".join(str(parser.get_error(i)) for i in range(parser.num_errors))
        raise RuntimeError(f"TensorRT cannot parse {onnx_path}: {errors}")
    config = builder.create_builder_config()
    config.set_memory_pool_limit(trt.MemoryPoolType.WORKSPACE, WORKSPACE_BYTES)
    profile = builder.create_optimization_profile()
    for i in range(network.num_inputs):
        tensor = network.get_input(i)
        item = tuple(tensor.shape)[1:]
        profile.set_shape(tensor.name, (1, *item), (max_batch, *item), (max_batch, *item))
    config.add_optimization_profile(profile)
    if precision in ("fp16", "int8"):
        config.set_flag(trt.BuilderFlag.FP16)  # INT8 layers fall back to FP16, not FP32
    if precision == "int8":
        if calibrator is None:
            raise ValueError("INT8 needs a calibrator (backends.calibration)")
        config.set_flag(trt.BuilderFlag.INT8)
        config.int8_calibrator = calibrator
        config.set_calibration_profile(profile)
    timing = config.create_timing_cache(
        timing_cache_path.read_bytes() if timing_cache_path.is_file() else b"")
    config.set_timing_cache(timing, ignore_mismatch=True)
    serialized = builder.build_serialized_network(network, config)
    if serialized is None:
        raise RuntimeError(f"TensorRT failed to build an engine for {onnx_path}")
    timing_cache_path.parent.mkdir(parents=True, exist_ok=True)
    timing_cache_path.write_bytes(bytes(config.get_timing_cache().serialize()))
    return bytes(serialized)


class TensorRTBackend(Backend):
    """Runs a cached (or freshly built) engine; batches up to ``max_batch``."""

    def __init__(self, model_path: str | Path, precision: str = "fp16",
                 max_batch: int = DEFAULT_MAX_BATCH, cache_dir: str | Path | None = None,
                 calibration: Callable[[], Iterator[np.ndarray]] | None = None) -> None:
        import tensorrt as trt

        self._trt = trt
        self._cuda = cuda_runtime()
        self.model_path = Path(model_path)
        self.precision = precision
        self._max_batch = max_batch
        cache = EngineCache(cache_dir or DEFAULT_CACHE_DIR)
        key = engine_key(self.model_path, precision, max_batch)
        timing_path = cache.timing_cache_path(key)
        self._runtime = trt.Runtime(trt.Logger(trt.Logger.WARNING))

        def build() -> bytes:
            LOG.info("building TensorRT %s engine for %s (this can take minutes)", precision,
                     self.model_path)
            calibrator = None
            if precision == "int8":
                if calibration is None:
                    raise ValueError("INT8 needs calibration batches")
                calib_path = cache.folder / f"{self.model_path.stem}.{key.onnx_sha256[:16]}.calib"
                calibrator = make_calibrator(calibration(), calib_path, max_batch)
            return build_serialized_engine(self.model_path, precision, max_batch, timing_path,
                                           calibrator)

        self.engine, self.rebuilt = cache.load_or_build(
            self.model_path.stem, key, build, self._runtime.deserialize_cuda_engine)
        self.context = self.engine.create_execution_context()
        self.stream = _check(self._cuda.cudaStreamCreate())
        self.name = f"tensorrt-{precision}"
        names = [self.engine.get_tensor_name(i) for i in range(self.engine.num_io_tensors)]
        is_input = {n: self.engine.get_tensor_mode(n) == trt.TensorIOMode.INPUT for n in names}
        self.input_name = next(n for n in names if is_input[n])
        self.output_names = [n for n in names if not is_input[n]]
        self._dtypes = {n: np.dtype(trt.nptype(self.engine.get_tensor_dtype(n))) for n in names}
        self._buffers: dict[str, int] = {}
        self.context.set_input_shape(self.input_name, self._max_shape(self.input_name))
        for n in names:
            shape = self._max_shape(n) if is_input[n] else tuple(self.context.get_tensor_shape(n))
            nbytes = int(np.prod(shape)) * self._dtypes[n].itemsize
            self._buffers[n] = int(_check(self._cuda.cudaMalloc(nbytes)))
            self.context.set_tensor_address(n, self._buffers[n])

    def _max_shape(self, name: str) -> tuple[int, ...]:
        item = tuple(self.engine.get_tensor_shape(name))[1:]
        return (self._max_batch, *item)

    @property
    def max_batch(self) -> int | None:
        return self._max_batch

    def run(self, batch: np.ndarray) -> dict[str, np.ndarray]:
        if not 1 <= len(batch) <= self._max_batch:
            raise ValueError(f"batch of {len(batch)} outside the engine profile 1..{self._max_batch}")
        cuda = self._cuda
        host = np.ascontiguousarray(batch, dtype=self._dtypes[self.input_name])
        self.context.set_input_shape(self.input_name, host.shape)
        _check(cuda.cudaMemcpyAsync(self._buffers[self.input_name], host.ctypes.data, host.nbytes,
                                    cuda.cudaMemcpyKind.cudaMemcpyHostToDevice, self.stream))
        if not self.context.execute_async_v3(int(self.stream)):
            raise RuntimeError("TensorRT execute_async_v3 failed")
        outputs = {}
        for name in self.output_names:
            out = np.empty(tuple(self.context.get_tensor_shape(name)), dtype=self._dtypes[name])
            _check(cuda.cudaMemcpyAsync(out.ctypes.data, self._buffers[name], out.nbytes,
                                        cuda.cudaMemcpyKind.cudaMemcpyDeviceToHost, self.stream))
            outputs[name] = out
        _check(cuda.cudaStreamSynchronize(self.stream))
        return outputs

    def close(self) -> None:
        for ptr in getattr(self, "_buffers", {}).values():
            self._cuda.cudaFree(ptr)
        self._buffers = {}
        if getattr(self, "stream", None) is not None:
            self._cuda.cudaStreamDestroy(self.stream)
            self.stream = None

    def __del__(self) -> None:
        self.close()
