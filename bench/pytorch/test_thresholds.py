"""Checks that the PyTorch port's pseudo-label state computes what the app's does (the same cases as
src-main/core/classify/worker/methods/*.test.ts).  /usr/bin/python3 -m unittest discover -s bench/pytorch"""
import math
import os
import sys
import unittest

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from thresholds import (DistributionAlignment, FlexMatchThresholds, FreeMatchThresholds,  # noqa: E402
                        PseudoLabelState, align, fairness_loss, pseudo_labels)


def rows(*r):
    return torch.tensor(r, dtype=torch.float32)


class FlexMatchTest(unittest.TestCase):
    def test_thresholds_start_at_zero_and_follow_the_convex_mapping(self):
        flex = FlexMatchThresholds(unlabelled=4, classes=2, tau=0.95, warmup=False)
        np.testing.assert_array_equal(flex.class_thresholds(), [0, 0])
        flex.update([0, 1, 2], rows([0.96, 0.04], [0.97, 0.03], [0.02, 0.98]))
        beta = np.array([1, 0.5])  # σ = [2, 1], max σ = 2
        np.testing.assert_allclose(flex.class_thresholds(), 0.95 * beta / (2 - beta))

    def test_warmup_counts_unused_clips_as_a_class(self):
        flex = FlexMatchThresholds(unlabelled=10, classes=2, tau=0.95, warmup=True)
        flex.update([0, 1], rows([0.99, 0.01], [0.2, 0.8]))  # only clip 0 passes τ: σ = [1, 0], unused 9
        np.testing.assert_allclose(flex.class_thresholds(), [0.95 * (1 / 9) / (2 - 1 / 9), 0])

    def test_a_clip_keeps_its_last_confident_class(self):
        flex = FlexMatchThresholds(unlabelled=2, classes=2, tau=0.95, warmup=False)
        flex.update([0], rows([0.96, 0.04]))
        flex.update([0], rows([0.6, 0.4]))  # not confident: û_0 stays 0
        self.assertEqual(list(flex.predicted), [0, -1])
        flex.update([0], rows([0.01, 0.99]))
        self.assertEqual(list(flex.predicted), [1, -1])

    def test_a_top_probability_of_exactly_tau_passes(self):
        flex = FlexMatchThresholds(unlabelled=1, classes=2, tau=0.95, warmup=False)
        flex.update([0], rows([0.95, 0.05]))
        self.assertEqual(list(flex.predicted), [0])


class FreeMatchTest(unittest.TestCase):
    def test_thresholds_start_at_one_over_c_and_move_with_momentum(self):
        free = FreeMatchThresholds(classes=2, momentum=0.9)
        np.testing.assert_allclose(free.class_thresholds(), [0.5, 0.5])
        free.update(None, rows([0.9, 0.1], [0.7, 0.3]))
        confidence = 0.9 * 0.5 + 0.1 * 0.8
        class_mean = 0.9 * 0.5 + 0.1 * np.array([0.8, 0.2])
        np.testing.assert_allclose(free.class_thresholds(), confidence * class_mean / class_mean.max(), rtol=1e-6)
        np.testing.assert_allclose(free.label_histogram, 0.9 * 0.5 + 0.1 * np.array([1, 0]))

    def test_fairness_term_is_minus_log_c_for_a_uniform_spread(self):
        logits = torch.log(rows([0.7, 0.3], [0.3, 0.7]))  # p̄ = [0.5, 0.5], h̄ = [0.5, 0.5]
        loss = fairness_loss(logits, torch.ones(2), np.array([0.5, 0.5]), np.array([0.5, 0.5]))
        self.assertAlmostEqual(float(loss), math.log(0.5), places=5)

    def test_fairness_term_is_zero_when_nothing_passed(self):
        logits = rows([1.0, 0.0]).requires_grad_()
        loss = fairness_loss(logits, torch.zeros(1), np.array([0.5, 0.5]), np.array([0.5, 0.5]))
        self.assertEqual(float(loss), 0.0)


class DistributionAlignmentTest(unittest.TestCase):
    def test_ratios_are_one_before_the_first_step_then_prior_over_running_mean(self):
        da = DistributionAlignment.from_labels(np.array([0, 1]), 2)
        np.testing.assert_array_equal(da.ratios(), [1, 1])
        da.update(rows([0.9, 0.1], [0.7, 0.3]))  # the first batch mean is taken as it is
        np.testing.assert_allclose(da.ratios(), (0.5 + 1e-6) / (np.array([0.8, 0.2]) + 1e-6), rtol=1e-6)
        da.update(rows([0.5, 0.5]))
        np.testing.assert_allclose(da.running_mean, 0.999 * np.array([0.8, 0.2]) + 0.001 * 0.5, rtol=1e-6)

    def test_aligned_rows_sum_to_one(self):
        out = align(rows([0.8, 0.2]), np.array([0.5, 2.0]))
        np.testing.assert_allclose(out.numpy(), [[0.5, 0.5]], rtol=1e-6)


class StepOrderTest(unittest.TestCase):
    def test_the_thresholds_learn_from_aligned_probabilities_and_the_alignment_from_raw_ones(self):
        state = PseudoLabelState("flexmatch", 2, 2, np.array([0, 1]), tau=0.95, flex_warmup=False, distribution_alignment=True)
        state.update([0, 1], rows([0.9, 0.1], [0.7, 0.3]))  # ratios 1 before the first step: nothing reaches τ
        self.assertEqual(list(state.thresholds.predicted), [-1, -1])
        np.testing.assert_allclose(state.alignment.running_mean, [0.8, 0.2], rtol=1e-6)
        thresholds, ratios, fairness = state.rule()
        self.assertIsNone(fairness)
        labels, mask = pseudo_labels(align(rows([0.99, 0.01]), ratios), thresholds)
        self.assertEqual(int(labels[0]), 0)
        self.assertEqual(float(mask[0]), 1.0)  # every threshold is still 0


class PortMatchesAppTest(unittest.TestCase):
    def test_ema_averages_parameters_and_copies_batch_norm_statistics(self):
        from r2plus1d import R2Plus1D
        from training import Ema
        model = R2Plus1D(classes=3)
        ema = Ema(model)
        with torch.no_grad():
            for p in model.parameters():
                p.add_(1.0)
            model.blocks[0].spatial_bn.running_mean.fill_(0.25)
        ema.update(model)  # t = 0: decay min(0.999, 1/10) = 0.1
        self.assertTrue(torch.equal(ema.model.blocks[0].spatial_bn.running_mean, torch.full((16,), 0.25)))
        live, averaged = model.head.bias, ema.model.head.bias
        np.testing.assert_allclose(averaged.detach().numpy(), (live - 0.1).detach().numpy(), rtol=1e-5, atol=1e-6)

    def test_app_initialisation_has_no_conv_bias_and_he_normal_kernels(self):
        from r2plus1d import R2Plus1D
        torch.manual_seed(0)
        model = R2Plus1D(classes=10, init="app")
        conv = model.blocks[2].spatial
        self.assertIsNone(conv.bias)
        std = math.sqrt(2 / (conv.weight.shape[1] * 9))
        self.assertLessEqual(float(conv.weight.abs().max()), 2 * std + 1e-6)
        self.assertAlmostEqual(float(conv.weight.std()), std * 0.88, delta=std * 0.05)  # σ of a normal cut at 2σ

    def test_enhancement_factors_only_degrade(self):
        from augment import _op
        x = torch.full((1, 1, 4, 4, 3), 0.5)
        for m in (0.0, 1.0):
            out = _op("brightness", x, torch.tensor([m]), torch.tensor([1.0]))
            self.assertLessEqual(float(out.max()), 0.5 * 0.95 + 1e-6)

    def test_strong_draws_distinct_ops_and_keeps_the_clip_shape(self):
        from augment import strong
        x = torch.rand(3, 2, 8, 8, 3)
        g = torch.Generator().manual_seed(0)
        for ops in (1, 2, 3):
            self.assertEqual(strong(x, g, False, ops).shape, x.shape)
        with self.assertRaises(ValueError):
            strong(x, g, False, 0)


if __name__ == "__main__":
    unittest.main()
