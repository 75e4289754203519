"""torch DDP set-up from the environment ``torchrun`` provides (RANK, WORLD_SIZE, LOCAL_RANK).

Without those variables training is a single process. CPU uses the gloo backend, CUDA uses NCCL;
multi-node needs only torchrun's --nnodes/--rdzv arguments, nothing here changes. Each process of
a node needs a GPU of its own (NCCL refuses two ranks on one device): more processes than GPUs is
refused with a message saying how to start instead of failing later on a missing device ordinal.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import torch
import torch.distributed as dist


@dataclass(frozen=True)
class DistContext:
    rank: int = 0
    world_size: int = 1
    local_rank: int = 0
    device: torch.device = torch.device("cpu")

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def enabled(self) -> bool:
        return self.world_size > 1

    def barrier(self) -> None:
        if self.enabled:
            dist.barrier()


def init_distributed() -> DistContext:
    """Join the process group torchrun describes (idempotent); single process otherwise."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        device = torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")
        return DistContext(device=device)
    rank, local = int(os.environ["RANK"]), int(os.environ.get("LOCAL_RANK", "0"))
    device = process_device(local, int(os.environ.get("LOCAL_WORLD_SIZE", world)))
    use_cuda = device.type == "cuda"
    if not dist.is_initialized():
        dist.init_process_group(backend="nccl" if use_cuda else "gloo")
    if use_cuda:
        torch.cuda.set_device(device)
    return DistContext(rank=rank, world_size=world, local_rank=local, device=device)


def process_device(local_rank: int, local_world_size: int) -> torch.device:
    """This process's GPU (one per process of the node), or the CPU on a machine without CUDA."""
    gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
    if gpus == 0:
        return torch.device("cpu")
    if gpus < local_world_size:
        raise RuntimeError(
            f"{local_world_size} training processes on this node but {gpus} GPU(s): start at most "
            f"{gpus} per node (torchrun --nproc-per-node {gpus}), or hide the GPUs "
            "(CUDA_VISIBLE_DEVICES=) to train on the CPU")
    return torch.device("cuda", local_rank)


def shutdown(ctx: DistContext) -> None:
    if ctx.enabled and dist.is_initialized():
        dist.destroy_process_group()
