import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { alignProbabilities, ALIGNMENT_MOMENTUM, DistributionAlignment } from './distribution-alignment.js';
import { alignedProbabilities, pseudoLabelTensors } from './in-graph-pseudo-labels.js';

const EPS = 1e-6;

describe('DistributionAlignment', () => {
  it('takes the labelled clips’ class prior and changes nothing before its first step', () => {
    const alignment = DistributionAlignment.fromLabels([0, 0, 1], 2);
    expect(alignment.prior).toEqual([2 / 3, 1 / 3]);
    expect(alignment.ratios()).toEqual([1, 1]);
    expect(() => DistributionAlignment.fromLabels([], 2)).toThrow(/needs labelled clips/);
  });

  it('sets the running mean to the first batch mean, then moves it by 0.999, ratios (prior + ε) / (mean + ε) (hand-computed)', () => {
    const alignment = DistributionAlignment.fromLabels([0, 0, 1], 2);
    alignment.update(Float32Array.from([0.8, 0.2, 0.4, 0.6]));
    // Batch mean [0.6, 0.4].
    const [r0, r1] = alignment.ratios();
    expect(r0).toBeCloseTo((2 / 3 + EPS) / (0.6 + EPS), 6);
    expect(r1).toBeCloseTo((1 / 3 + EPS) / (0.4 + EPS), 6);
    alignment.update(Float32Array.from([0, 1]));
    const mean0 = ALIGNMENT_MOMENTUM * 0.6;
    const mean1 = ALIGNMENT_MOMENTUM * 0.4 + (1 - ALIGNMENT_MOMENTUM);
    expect(alignment.toJSON().runningMean?.[0]).toBeCloseTo(mean0, 6);
    expect(alignment.toJSON().runningMean?.[1]).toBeCloseTo(mean1, 6);
    const restored = DistributionAlignment.fromJSON(JSON.parse(JSON.stringify(alignment.toJSON())) as ReturnType<DistributionAlignment['toJSON']>);
    expect(restored.ratios()).toEqual(alignment.ratios());
  });

  it('scales each row by the ratios and renormalises it, on the host and in the graph alike', () => {
    const ratios = [10 / 9, 5 / 6];
    const host = alignProbabilities(Float32Array.from([0.5, 0.5, 0.9, 0.1]), ratios);
    // [0.5·10/9, 0.5·5/6] / (35/36) = [4/7, 3/7]; [0.9·10/9, 0.1·5/6] = [1, 1/12] / (13/12) = [12/13, 1/13].
    const expected = [4 / 7, 3 / 7, 12 / 13, 1 / 13];
    Array.from(host).forEach((v, i) => expect(v).toBeCloseTo(expected[i] ?? NaN, 6));
    const before = tf.memory().numTensors;
    const probs = tf.tensor2d([0.5, 0.5, 0.9, 0.1], [2, 2]);
    const aligned = alignedProbabilities(probs, ratios);
    Array.from(aligned.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i] ?? NaN, 6));
    tf.dispose([probs, aligned]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('pseudo-labels and masks the aligned probabilities: a rare class’s prediction can turn into the common one', () => {
    const before = tf.memory().numTensors;
    const probs = tf.tensor2d([0.45, 0.55, 0.1, 0.9], [2, 2]);
    const plain = pseudoLabelTensors({ kind: 'fixed', threshold: 0.6 }, probs);
    expect(Array.from(plain.labels.dataSync())).toEqual([1, 1]);
    expect(Array.from(plain.mask.dataSync())).toEqual([0, 1]);
    // Ratios [2, 1]: row 0 → [0.9, 0.55] / 1.45 = [0.62, 0.38] (class 0, passes 0.6); row 1 → [0.2, 0.9] / 1.1 = [0.18, 0.82].
    const aligned = pseudoLabelTensors({ kind: 'fixed', threshold: 0.6, alignment: [2, 1] }, probs);
    expect(Array.from(aligned.labels.dataSync())).toEqual([0, 1]);
    expect(Array.from(aligned.mask.dataSync())).toEqual([1, 1]);
    tf.dispose([probs, plain.labels, plain.mask, aligned.labels, aligned.mask]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
