"""The app's pseudo-label state in PyTorch, line by line with src-main/core/classify/worker/methods/:
FlexMatch's curriculum thresholds (flexmatch-thresholds.ts), FreeMatch's self-adaptive thresholds
(freematch-thresholds.ts) and fairness term (fairness-loss.ts), distribution alignment
(distribution-alignment.ts), and the order a step uses them in (train-step.ts: the rule before the step,
the thresholds learn from the aligned probabilities after it, the alignment from the raw ones).
Host-side state is float64 like the app's JS numbers; probabilities are float32 like its tensors."""
import numpy as np
import torch

ALIGNMENT_MOMENTUM = 0.999
ALIGNMENT_EPSILON = 1e-6


class FlexMatchThresholds:
    """σ(c) = #{n : û_n = c}; β(c) = σ(c) / max(max_c σ(c), N − Σσ) with warm-up, σ(c) / max_c σ(c) without
    (all 0 while no clip has been predicted); T(c) = τ · β(c) / (2 − β(c))."""

    def __init__(self, unlabelled, classes, tau=0.95, warmup=True):
        self.classes, self.tau, self.warmup = classes, tau, warmup
        self.tau32 = float(np.float32(tau))
        self.predicted = np.full(unlabelled, -1, dtype=np.int64)
        self.thresholds = self._compute()

    def class_counts(self):
        return np.bincount(self.predicted[self.predicted >= 0], minlength=self.classes)

    def learning_effects(self):
        counts = self.class_counts()
        unused = len(self.predicted) - counts.sum()
        denominator = max(counts.max(initial=0), unused) if self.warmup else counts.max(initial=0)
        return counts / denominator if denominator > 0 else np.zeros(self.classes)

    def _compute(self):
        beta = self.learning_effects()
        return self.tau * beta / (2 - beta)

    def class_thresholds(self):
        return self.thresholds.copy()

    def update(self, indices, probs):
        top, best = probs.max(dim=1)
        confident = (top >= self.tau32).numpy()
        self.predicted[np.asarray(indices)[confident]] = best.numpy()[confident]
        self.thresholds = self._compute()


class FreeMatchThresholds:
    """τ ← λτ + (1−λ)·mean max q; p̃ ← λp̃ + (1−λ)·mean q; h̃ ← λh̃ + (1−λ)·argmax share (all start at 1/C);
    T(c) = τ · p̃(c) / max p̃."""

    def __init__(self, classes, momentum=0.999):
        self.momentum = momentum
        self.confidence = 1 / classes
        self.class_mean = np.full(classes, 1 / classes)
        self.label_histogram = np.full(classes, 1 / classes)

    def class_thresholds(self):
        top = self.class_mean.max()
        return self.confidence * self.class_mean / top if top > 0 else np.full(len(self.class_mean), self.confidence)

    def update(self, _indices, probs):
        if probs.shape[0] == 0:
            return
        p = probs.double().numpy()
        m = self.momentum
        self.confidence = m * self.confidence + (1 - m) * p.max(axis=1).mean()
        self.class_mean = m * self.class_mean + (1 - m) * p.mean(axis=0)
        share = np.bincount(p.argmax(axis=1), minlength=len(self.class_mean)) / len(p)
        self.label_histogram = m * self.label_histogram + (1 - m) * share


class DistributionAlignment:
    """q̃ = Normalise(q · (prior + ε) / (p̄ + ε)); p̄ is the first step's batch mean, then an EMA (momentum 0.999)."""

    def __init__(self, prior):
        self.prior = np.asarray(prior, dtype=np.float64)
        self.running_mean = None

    @staticmethod
    def from_labels(class_indices, classes):
        return DistributionAlignment(np.bincount(class_indices, minlength=classes) / len(class_indices))

    def ratios(self):
        if self.running_mean is None:
            return np.ones(len(self.prior))
        return (self.prior + ALIGNMENT_EPSILON) / (self.running_mean + ALIGNMENT_EPSILON)

    def update(self, probs):
        if probs.shape[0] == 0:
            return
        batch_mean = probs.double().mean(dim=0).numpy()
        if self.running_mean is None:
            self.running_mean = batch_mean
        else:
            self.running_mean = ALIGNMENT_MOMENTUM * self.running_mean + (1 - ALIGNMENT_MOMENTUM) * batch_mean


def align(probs, ratios):
    scaled = probs * torch.tensor(ratios, dtype=probs.dtype)
    return scaled / scaled.sum(dim=1, keepdim=True)


def pseudo_labels(probs, thresholds):
    """(labels, mask): the first class with the row's top probability; 1 where it reaches its class's threshold (float32)."""
    top, labels = probs.max(dim=1)
    mask = (top >= torch.tensor(np.asarray(thresholds, dtype=np.float32))[labels]).float()
    return labels, mask


def modulated_reference(class_mean, label_histogram):
    inverse = np.where(label_histogram > 0, 1 / np.where(label_histogram > 0, label_histogram, 1), 0)
    scaled = class_mean * inverse
    return scaled / scaled.sum() if scaled.sum() > 0 else np.zeros_like(scaled)


def fairness_loss(strong_logits, mask, class_mean, label_histogram):
    """Σ_c SumNorm(p̃/h̃)(c) · log(SumNorm(p̄/h̄)(c) + 1e-12) over the masked strong rows; 0 when none passed."""
    passed = mask.sum()
    if float(passed) == 0:
        return strong_logits.sum() * 0
    probs = torch.softmax(strong_logits, dim=1)
    weights = mask[:, None]
    mean_probs = (probs * weights).sum(0) / passed
    with torch.no_grad():
        counts = (torch.nn.functional.one_hot(probs.argmax(1), probs.shape[1]).float() * weights).sum(0) / passed
        scale = torch.where(counts > 0, 1 / counts.clamp_min(1e-12), torch.zeros_like(counts))
    scaled = mean_probs * scale
    modulated = scaled / scaled.sum().clamp_min(1e-12)
    target = torch.tensor(modulated_reference(class_mean, label_histogram), dtype=torch.float32)
    return (target * torch.log(modulated + 1e-12)).sum()


class PseudoLabelState:
    """What a run carries from step to step: the method's thresholds (or a fixed τ) and the optional alignment."""

    def __init__(self, method, classes, unlabelled, labelled_classes, tau=0.95, flex_warmup=True,
                 freematch_momentum=0.999, fairness_weight=0.01, distribution_alignment=False):
        self.method, self.tau, self.fairness_weight = method, tau, fairness_weight
        self.thresholds = (FlexMatchThresholds(unlabelled, classes, tau, flex_warmup) if method == "flexmatch"
                           else FreeMatchThresholds(classes, freematch_momentum) if method == "freematch" else None)
        self.classes = classes
        self.alignment = DistributionAlignment.from_labels(labelled_classes, classes) if distribution_alignment else None

    def rule(self):
        """(thresholds per class, alignment ratios or None, fairness reference or None) as they stand before the step."""
        thresholds = self.thresholds.class_thresholds() if self.thresholds is not None else np.full(self.classes, self.tau)
        ratios = self.alignment.ratios() if self.alignment is not None else None
        fairness = None
        if isinstance(self.thresholds, FreeMatchThresholds) and self.fairness_weight > 0:
            fairness = (self.thresholds.class_mean.copy(), self.thresholds.label_histogram.copy())
        return thresholds, ratios, fairness

    def update(self, indices, weak_probs):
        if self.thresholds is not None:
            aligned = weak_probs if self.alignment is None else align(weak_probs, self.alignment.ratios())
            self.thresholds.update(indices, aligned)
        if self.alignment is not None:
            self.alignment.update(weak_probs)
