"""Test accuracy of supervised-only vs FixMatch with a few labels per class on the digit-motion
benchmark, the reference for bench/ssl-digits.mjs. Prints JSON lines (one per evaluation).

  /usr/bin/python3 bench/pytorch/train.py --data DIR --method supervised|fixmatch|flexmatch|freematch
      [--labels-per-class 2] [--epochs 20] [--eval-every 5] [--threads 2] [--seed 0] [--flip]
      [--distribution-alignment] [--no-flex-warmup] [--init app|torch] [--ra-ops 2] [--bn-momentum 0.1] [--dropout 0.3] [--fairness-weight 0.01] [--freematch-momentum 0.999]

Labelled clips: the first k clips of each class in train.csv's order (ssl-digits.mjs labels the
same ones); every other pool clip is unlabelled. An epoch is one pass over the unlabelled clips
(ceil(U / μB) steps); supervised-only gets the same number of steps, so budgets match.
Evaluation uses the EMA weights on the whole test set.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from digits_data import load_split  # noqa: E402
from r2plus1d import R2Plus1D  # noqa: E402
from thresholds import PseudoLabelState  # noqa: E402
from training import Ema, accuracy, cosine_lr, make_optimizer, to_float, train_step  # noqa: E402


def first_per_class(y, k, classes):
    picked = []
    for c in range(classes):
        picked += list(np.flatnonzero(y == c)[:k])
    return np.array(sorted(picked))


def thresholds_of(state):
    """The lowest and highest class threshold now (FlexMatch, FreeMatch), as the app's epoch metrics report them."""
    if state is None or state.thresholds is None:
        return {}
    t = state.thresholds.class_thresholds()
    return {"minThreshold": round(float(t.min()), 4), "maxThreshold": round(float(t.max()), 4)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--method", choices=["supervised", "fixmatch", "flexmatch", "freematch"], required=True)
    ap.add_argument("--labels-per-class", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--eval-every", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--frames", type=int, default=8)
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--mu", type=int, default=7)
    ap.add_argument("--lr", type=float, default=0.03)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--tau", type=float, default=0.95)
    ap.add_argument("--distribution-alignment", action="store_true", help="align the weak probabilities to the labelled prior")
    ap.add_argument("--no-flex-warmup", action="store_true", help="FlexMatch without its warm-up (unused clips not a class)")
    ap.add_argument("--fairness-weight", type=float, default=0.01, help="FreeMatch's w_f")
    ap.add_argument("--freematch-momentum", type=float, default=0.999, help="FreeMatch's λ")
    # The reference implementations' choices where the app's differ (docs/benchmarks.md, issue 24's audit).
    ap.add_argument("--ra-ops", type=int, default=2, help="RandAugment ops per clip (TorchSSL/USB: 3)")
    ap.add_argument("--bn-momentum", type=float, default=0.1, help="batch-norm momentum, PyTorch's convention (TorchSSL: 0.001)")
    ap.add_argument("--dropout", type=float, default=0.3, help="dropout before the classifier (TorchSSL's WRN: 0)")
    ap.add_argument("--init", choices=["app", "torch"], default="app", help="the app's initialisation, or PyTorch's defaults with conv biases")
    ap.add_argument("--flip", action="store_true", help="horizontal flips (off: the classes are mirror-sensitive)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    g = torch.Generator().manual_seed(args.seed)

    x_pool, y_pool, classes = load_split(args.data, "train", args.frames, args.size)
    x_test, y_test, _ = load_split(args.data, "test", args.frames, args.size, classes)
    labelled = first_per_class(y_pool, args.labels_per_class, len(classes))
    unlabelled = np.setdiff1d(np.arange(len(y_pool)), labelled)
    mu_b = args.mu * args.batch
    steps_per_epoch = math.ceil(max(len(unlabelled) / mu_b, len(labelled) / args.batch))
    total = steps_per_epoch * args.epochs

    model = R2Plus1D(classes=len(classes), init=args.init, dropout=args.dropout, bn_momentum=args.bn_momentum)
    opt = make_optimizer(model, lr=args.lr)
    ema = Ema(model)
    # FlexMatch's û_n is indexed by the clip's place among the unlabelled ones (the app's unlabelled index).
    place = {int(clip): i for i, clip in enumerate(unlabelled)}
    state = None
    if args.method != "supervised":
        state = PseudoLabelState(args.method, len(classes), len(unlabelled), y_pool[labelled], tau=args.tau,
                                 flex_warmup=not args.no_flex_warmup, freematch_momentum=args.freematch_momentum,
                                 fairness_weight=args.fairness_weight, distribution_alignment=args.distribution_alignment)
    common = {"bench": "pytorch-ssl-digits", "method": args.method, "labelsPerClass": args.labels_per_class,
              "labelled": len(labelled), "unlabelled": len(unlabelled), "test": len(y_test),
              "frames": args.frames, "size": args.size, "threads": args.threads, "seed": args.seed,
              "stepsPerEpoch": steps_per_epoch,
              "distributionAlignment": args.distribution_alignment, "init": args.init,
              "raOps": args.ra_ops, "bnMomentum": args.bn_momentum, "dropout": args.dropout}
    start = time.perf_counter()
    step = 0
    order = rng.permutation(unlabelled)
    cursor = 0
    for epoch in range(1, args.epochs + 1):
        losses, masks = [], []
        indices = None
        for _ in range(steps_per_epoch):
            for group in opt.param_groups:
                group["lr"] = cosine_lr(args.lr, step, total)
            li = rng.choice(labelled, size=args.batch, replace=len(labelled) < args.batch)
            xl, yl = to_float(x_pool[li]), torch.from_numpy(y_pool[li])
            xu = None
            if args.method != "supervised":
                if cursor + mu_b > len(order):
                    order, cursor = rng.permutation(unlabelled), 0
                clips = order[cursor:cursor + mu_b]
                xu = to_float(x_pool[clips])
                indices = [place[int(c)] for c in clips]
                cursor += mu_b
            loss, mask = train_step(model, opt, args.method, xl, yl, xu, g, args.flip, tau=args.tau, state=state, indices=indices, ra_ops=args.ra_ops)
            ema.update(model)
            losses.append(loss)
            masks.append(mask)
            step += 1
        if epoch % args.eval_every == 0 or epoch == args.epochs:
            wall = time.perf_counter() - start
            print(json.dumps({**common, "epoch": epoch, "steps": step, "wallSec": round(wall, 1),
                              "testAccuracy": round(accuracy(ema.model, x_test, y_test), 4),
                              "loss": round(float(np.mean(losses)), 4), "maskRate": round(float(np.mean(masks)), 3),
                              **thresholds_of(state)}),
                  flush=True)


if __name__ == "__main__":
    main()
