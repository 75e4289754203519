"""Feature adapters for distillation and the DIKD injections.

Choice: 1x1 conv + BatchNorm. When channel counts match (DIKD: the RGB teacher and the KTL
thermal model share the architecture) the adapter is residual, ``x + BN(conv(x))`` with the BN
gain starting at zero, so an injection starts as an exact feature swap and the adapter learns only
the residual modality mismatch. With different channel counts (MCL: student -> KTL model, CKD)
it is a FitNets-style learned projection ``BN(conv(x))``. Adapters are training-only (not exported).
"""

from __future__ import annotations

import torch
from torch import nn


class Adapter(nn.Module):
    """1x1 conv + BN from ``cin`` to ``cout`` channels; residual identity-at-init when equal."""

    def __init__(self, cin: int, cout: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 1, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.residual = cin == cout
        if self.residual:
            nn.init.zeros_(self.bn.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.bn(self.conv(x))
        return x + y if self.residual else y
