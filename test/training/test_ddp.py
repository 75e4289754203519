"""DDP: two CPU processes on gloo train a few steps and end with identical weights; each process
of a node gets a GPU of its own, or all train on the CPU."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest
import torch
import torch.multiprocessing as mp

from thermal_fld_ros.training.config import config_from_dict
from thermal_fld_ros.training.distributed import process_device


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _worker(rank: int, world: int, port: int, run_dir: str, out_dir: str) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from fakes import fake_images

    from thermal_fld_ros.training.data import faces_from_images
    from thermal_fld_ros.training.distributed import init_distributed, shutdown
    from thermal_fld_ros.training.trainer import TrainData, Trainer

    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), RANK=str(rank),
                      WORLD_SIZE=str(world), LOCAL_RANK=str(rank))
    torch.set_num_threads(1)
    ctx = init_distributed()
    faces = faces_from_images(fake_images(20, seed=3))
    cfg = config_from_dict({"stage": "compress", "name": "ddp", "run_dir": run_dir, "threads": 1,
                            "model": {"arch": "student"}, "data": {"batch_size": 4},
                            "optim": {"epochs": 1, "warmup_steps": 1}})
    trainer = Trainer(cfg, TrainData(faces[:16], faces[16:], []), ctx=ctx, progress_bar=False)
    result = trainer.fit()
    torch.save({"state": trainer.model.state_dict(), "steps": result.steps}, f"{out_dir}/rank{rank}.pt")
    shutdown(ctx)


def test_two_gloo_processes_stay_in_sync(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")  # CPU ranks also on a GPU machine
    run_dir = tmp_path / "run"
    mp.spawn(_worker, args=(2, _free_port(), str(run_dir), str(tmp_path)), nprocs=2, join=True)
    r0 = torch.load(tmp_path / "rank0.pt", weights_only=True)
    r1 = torch.load(tmp_path / "rank1.pt", weights_only=True)
    assert r0["steps"] == r1["steps"] == 2  # 16 faces / 2 ranks / batch 4
    for key, value in r0["state"].items():
        if "running" in key or "num_batches" in key:
            continue  # BN statistics are per rank (rank 0's are saved)
        assert torch.allclose(value, r1["state"][key], atol=1e-6), key
    assert (run_dir / "model.pt").exists() and (run_dir / "train.csv").exists()


def _gpus(monkeypatch, count: int) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: count > 0)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: count)


def test_each_process_of_a_node_gets_its_own_gpu(monkeypatch) -> None:
    _gpus(monkeypatch, 2)
    assert process_device(1, 2) == torch.device("cuda", 1)


def test_more_processes_than_gpus_is_refused_with_the_way_out(monkeypatch) -> None:
    _gpus(monkeypatch, 1)
    with pytest.raises(RuntimeError, match="nproc-per-node 1"):
        process_device(1, 2)


def test_without_cuda_every_process_trains_on_the_cpu(monkeypatch) -> None:
    _gpus(monkeypatch, 0)
    assert process_device(1, 2) == torch.device("cpu")
