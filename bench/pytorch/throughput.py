"""Training throughput of the reference network on this CPU. Prints JSON lines.

  /usr/bin/python3 bench/pytorch/throughput.py [--threads 2] [--frames 8] [--size 64] [--steps 20]
      [--device cpu|cuda]

Modes: "model-step" = forward + backward + SGD on a batch of 64 clips (no augmentation);
"fixmatch-step" = a whole FixMatch step, B=8 labelled + μB=56 unlabelled clips with weak and
strong augmentation (forward over 8 + 56 + 56 views); clips/s counts distinct clips (64 per step).
Inputs are random pixels: the cost does not depend on the content. With --device cuda the network
runs on the GPU; the FixMatch step still augments on the CPU (as a data loader would) and copies the views.
"""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(__file__))
from r2plus1d import R2Plus1D  # noqa: E402
from training import make_optimizer, train_step  # noqa: E402


def measure(step, steps, warmup):
    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return (time.perf_counter() - start) / steps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--frames", type=int, default=8)
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--modes", default="model-step,fixmatch-step")
    ap.add_argument("--device", default="cpu")
    args = ap.parse_args()
    device = torch.device(args.device)
    sync = (lambda: torch.cuda.synchronize()) if device.type == "cuda" else (lambda: None)
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    model = R2Plus1D().to(device)
    opt = make_optimizer(model)
    shape = (args.frames, args.size, args.size, 3)
    for mode in args.modes.split(","):
        if mode == "model-step":
            x, y = torch.rand(64, *shape, device=device), torch.randint(0, 10, (64,), device=device)

            def step():
                model.train()
                loss = torch.nn.functional.cross_entropy(model(x), y)
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                sync()
            clips = 64
        elif mode == "fixmatch-step":
            xl, yl, xu = torch.rand(8, *shape), torch.randint(0, 10, (8,)), torch.rand(56, *shape)

            def step():
                train_step(model, opt, "fixmatch", xl, yl, xu, g, False, device=device)
                sync()
            clips = 64
        else:
            raise SystemExit(f"unknown mode {mode}")
        seconds = measure(step, args.steps, args.warmup)
        print(json.dumps({
            "bench": "pytorch-throughput", "mode": mode, "device": args.device, "threads": args.threads, "frames": args.frames,
            "size": args.size, "clipsPerStep": clips, "msPerStep": round(seconds * 1000, 1),
            "clipsPerSec": round(clips / seconds, 1), "loadavg": [round(v, 2) for v in os.getloadavg()],
            "torch": torch.__version__, "params": sum(p.numel() for p in model.parameters()),
        }), flush=True)


if __name__ == "__main__":
    main()
