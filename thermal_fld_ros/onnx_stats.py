"""Parameters and MACs of an ONNX model, for bench rows and model cards.

Same convention as ``networks.flops``: "MFLOPs" are millions of multiply-accumulates of Conv and
Gemm/MatMul nodes for one batch item; elementwise ops are not counted.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


def onnx_stats(path: str | Path, batch: int = 1) -> tuple[int, float]:
    """(parameters, MMACs per item) of the ONNX model at ``path`` (dynamic dims set to ``batch``)."""
    import onnx
    from onnx import numpy_helper, shape_inference

    model = onnx.load(str(path))
    for tensor in model.graph.input:
        for dim in tensor.type.tensor_type.shape.dim:
            if not dim.HasField("dim_value"):
                dim.dim_value = batch
    model = shape_inference.infer_shapes(model)
    weights = {t.name: numpy_helper.to_array(t).shape for t in model.graph.initializer}
    shapes = {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim]
              for v in (*model.graph.value_info, *model.graph.output)}
    macs = 0
    for node in model.graph.node:
        if node.op_type == "Conv" and node.input[1] in weights:
            out = shapes.get(node.output[0])
            macs += int(np.prod(out[1:])) * int(np.prod(weights[node.input[1]][1:])) if out else 0
        elif node.op_type in ("Gemm", "MatMul") and node.input[1] in weights:
            out = shapes.get(node.output[0])
            macs += int(np.prod(out[1:])) * int(weights[node.input[1]][0]) if out else 0
    params = int(sum(np.prod(s) for s in weights.values()))
    return params, macs / 1e6
