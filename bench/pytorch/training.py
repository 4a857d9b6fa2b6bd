"""The app's training loop in PyTorch (METHODS.md defaults): labelled batch B with weak
augmentation, μB unlabelled clips with weak and strong views (FixMatch), SGD with Nesterov
momentum, cosine lr·cos(7πk/16K), weight decay on kernels only, EMA weights for evaluation."""
import copy
import math

import torch
import torch.nn.functional as F

from augment import strong, weak
from thresholds import align, fairness_loss, pseudo_labels


def make_optimizer(model, lr=0.03, momentum=0.9, weight_decay=5e-4):
    decay = [p for n, p in model.named_parameters() if n.endswith("weight") and p.dim() > 1]
    rest = [p for n, p in model.named_parameters() if not (n.endswith("weight") and p.dim() > 1)]
    return torch.optim.SGD(
        [{"params": decay, "weight_decay": weight_decay}, {"params": rest, "weight_decay": 0}],
        lr=lr, momentum=momentum, nesterov=True,
    )


def cosine_lr(base, step, total):
    return base * math.cos(7 * math.pi * step / (16 * max(1, total)))


class Ema:
    """Parameters averaged with decay min(decay, (1+t)/(10+t)); batch-norm running statistics copied, as the app's
    ema-weights.ts (and TorchSSL's EMA) do."""

    def __init__(self, model, decay=0.999):
        self.model = copy.deepcopy(model).eval()
        self.decay = decay
        self.t = 0

    @torch.no_grad()
    def update(self, model):
        d = min(self.decay, (1 + self.t) / (10 + self.t))
        self.t += 1
        for e, p in zip(self.model.parameters(), model.parameters()):
            e.mul_(d).add_(p, alpha=1 - d)
        for e, b in zip(self.model.buffers(), model.buffers()):
            e.copy_(b)


def to_float(batch_u8):
    return torch.from_numpy(batch_u8).float().div_(255)


def train_step(model, opt, method, xl, yl, xu, g, flip, tau=0.95, lambda_u=1.0, device=None, state=None, indices=None, ra_ops=2):
    """One step; xl/xu float [N, T, S, S, 3] on the CPU, where they are augmented (as a data loader would);
    the network runs on `device` (default: the CPU). `state` (thresholds.PseudoLabelState) gives FlexMatch's and
    FreeMatch's per-class thresholds, distribution alignment and the fairness term, and learns from the step's weak
    probabilities after it (`indices`: each unlabelled row's clip). Returns (loss, mask rate)."""
    model.train()
    move = (lambda t: t.to(device, non_blocking=True)) if device is not None else (lambda t: t)
    yl = move(yl)
    lab = move(weak(xl, g, flip))
    if method == "supervised" or xu is None:
        loss = F.cross_entropy(model(lab), yl)
        mask_rate = 0.0
        probs = None
    else:
        u_weak = move(weak(xu, g, flip))
        u_strong = move(strong(xu, g, flip, ra_ops))
        # One forward over all views (as FixMatch's code does: BN sees the whole batch).
        logits = model(torch.cat([lab, u_weak, u_strong]))
        b, mu_b = lab.shape[0], xu.shape[0]
        logits_l, logits_w, logits_s = logits[:b], logits[b:b + mu_b], logits[b + mu_b:]
        probs = torch.softmax(logits_w.detach(), dim=1)
        thresholds, ratios, fairness = state.rule() if state is not None else ([tau] * probs.shape[1], None, None)
        aligned = probs if ratios is None else align(probs, ratios)
        pseudo, mask = pseudo_labels(aligned.cpu(), thresholds)
        pseudo, mask = move(pseudo), move(mask)
        unsup = (F.cross_entropy(logits_s, pseudo, reduction="none") * mask).sum() / mu_b
        loss = F.cross_entropy(logits_l, yl) + lambda_u * unsup
        if fairness is not None:
            loss = loss + state.fairness_weight * fairness_loss(logits_s.cpu(), mask.cpu(), *fairness).to(loss.device)
        mask_rate = float(mask.mean())
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    if state is not None and probs is not None:
        state.update(indices, probs.cpu())
    return float(loss), mask_rate


@torch.no_grad()
def accuracy(model, x_u8, y, batch=128):
    model.eval()
    correct = 0
    for i in range(0, len(y), batch):
        pred = model(to_float(x_u8[i:i + batch])).argmax(1)
        correct += int((pred == torch.from_numpy(y[i:i + batch])).sum())
    return correct / len(y)
