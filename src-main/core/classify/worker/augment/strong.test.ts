import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../engine/random.js';
import { applyStrong, strongAugment } from './strong.js';
import { drawStrongParams, STRONG_OP_RANGES, STRONG_OPS, type CutoutBox, type StrongOp, type StrongParams } from './strong-params.js';
import { at, clipTensor, frameOf, randomClips, stillClips, useWasm, valuesOf, type Dims } from './test-clips.fixture.js';

beforeAll(useWasm);

const NO_CUTOUT: CutoutBox = { top: 0, bottom: 0, left: 0, right: 0 };
const NO_WEAK = { flip: false, shiftY: 0, shiftX: 0 };

/** Clip 0 gets `ops`, clip 1 nothing: the op must change clip 0 only. */
function onlyFirst(ops: StrongOp[], extra: Partial<StrongParams> = {}): StrongParams[] {
  return [
    { ops, cutout: NO_CUTOUT, weak: NO_WEAK, ...extra },
    { ops: [], cutout: NO_CUTOUT, weak: NO_WEAK },
  ];
}

const d: Dims = { clips: 2, frames: 3, height: 15, width: 15 };
const frameSize = d.height * d.width * 3;
const clipSize = d.frames * frameSize;

function run(input: Float32Array, params: StrongParams[]): { first: Float32Array; second: Float32Array } {
  const x = clipTensor(d, input);
  const out = valuesOf(() => applyStrong(x, params));
  x.dispose();
  return { first: out.slice(0, clipSize), second: out.slice(clipSize) };
}

function channel(values: Float32Array, c: number): number[] {
  return Array.from(values).filter((_, i) => i % 3 === c);
}

describe('applyStrong, one op at a time (clip 1 draws nothing and must come out unchanged)', () => {
  const input = randomClips(d, 11);
  const secondIn = Array.from(input.slice(clipSize));
  const firstIn = input.slice(0, clipSize);

  it('identity copies the batch into a new tensor', () => {
    const x = clipTensor(d, input);
    const out = applyStrong(x, onlyFirst([{ name: 'identity', value: 0 }]));
    expect(out).not.toBe(x);
    expect(Array.from(out.dataSync())).toEqual(Array.from(input));
    tf.dispose([x, out]);
  });

  it('brightness scales, colour 0 makes grey, contrast 0 makes the clip mean luma', () => {
    const bright = run(input, onlyFirst([{ name: 'brightness', value: 0.5 }]));
    bright.first.forEach((v, i) => expect(v).toBeCloseTo((firstIn[i] as number) * 0.5, 5));
    expect(Array.from(bright.second)).toEqual(secondIn);

    const grey = run(input, onlyFirst([{ name: 'colour', value: 0 }]));
    for (let i = 0; i < clipSize; i += 3) {
      const luma = 0.299 * (firstIn[i] as number) + 0.587 * (firstIn[i + 1] as number) + 0.114 * (firstIn[i + 2] as number);
      for (let c = 0; c < 3; c++) expect(grey.first[i + c]).toBeCloseTo(luma, 5);
    }
    expect(Array.from(grey.second)).toEqual(secondIn);

    const flat = run(input, onlyFirst([{ name: 'contrast', value: 0 }]));
    const meanLuma = [0, 1, 2].reduce((sum, c) => sum + [0.299, 0.587, 0.114][c]! * (channel(firstIn, c).reduce((a, b) => a + b, 0) / (clipSize / 3)), 0);
    flat.first.forEach((v) => expect(v).toBeCloseTo(meanLuma, 4));
    expect(Array.from(flat.second)).toEqual(secondIn);
  });

  it('brightness, colour and contrast drawn together give the same as one after another', () => {
    const ops: StrongOp[] = [
      { name: 'contrast', value: 0.3 },
      { name: 'colour', value: 0.6 },
    ];
    const together = run(input, onlyFirst(ops)).first;
    const colourFirst = run(input, onlyFirst([ops[1]!])).first;
    const reference = run(new Float32Array([...colourFirst, ...secondIn]), onlyFirst([ops[0]!])).first;
    together.forEach((v, i) => expect(v).toBeCloseTo(reference[i] as number, 5));
  });

  it('autocontrast stretches each channel of the clip to span 0..1', () => {
    const narrow = input.map((v) => 0.3 + v * 0.4);
    const out = run(narrow, onlyFirst([{ name: 'autocontrast', value: 0 }]));
    for (let c = 0; c < 3; c++) {
      expect(Math.min(...channel(out.first, c))).toBeCloseTo(0, 5);
      expect(Math.max(...channel(out.first, c))).toBeCloseTo(1, 5);
    }
    expect(Array.from(out.second)).toEqual(Array.from(narrow.slice(clipSize)));
  });

  it('equalize spreads a narrow histogram over 0..1 and keeps the order of values', () => {
    const narrow = input.map((v) => 0.4 + v * 0.2);
    const out = run(narrow, onlyFirst([{ name: 'equalize', value: 0 }]));
    const before = channel(narrow.slice(0, clipSize), 1);
    const after = channel(out.first, 1);
    expect(Math.min(...after)).toBeCloseTo(0, 5);
    expect(Math.max(...after)).toBeCloseTo(1, 5);
    const order = before.map((_, i) => i).sort((a, b) => before[a]! - before[b]!);
    for (let k = 1; k < order.length; k++) expect(after[order[k]!]!).toBeGreaterThanOrEqual(after[order[k - 1]!]! - 1e-6);
    expect(Array.from(out.second)).toEqual(Array.from(narrow.slice(clipSize)));
  });

  it('posterize keeps the top bits, solarize inverts values at or above the threshold', () => {
    const poster = run(input, onlyFirst([{ name: 'posterize', value: 4 }]));
    poster.first.forEach((v, i) => {
      expect(Math.round(v * 255) % 16).toBe(0);
      expect(Math.round(v * 255)).toBe(Math.floor(Math.round((firstIn[i] as number) * 255) / 16) * 16);
    });
    expect(Array.from(poster.second)).toEqual(secondIn);

    const solar = run(input, onlyFirst([{ name: 'solarize', value: 0.5 }]));
    solar.first.forEach((v, i) => {
      const was = firstIn[i] as number;
      expect(v).toBeCloseTo(was >= 0.5 ? 1 - was : was, 6);
    });
    expect(Array.from(solar.second)).toEqual(secondIn);
  });

  it('sharpness blurs detail but leaves a flat clip flat, border included', () => {
    const flatInput = new Float32Array(input.length).fill(0.6);
    run(flatInput, onlyFirst([{ name: 'sharpness', value: 0.05 }])).first.forEach((v) => expect(v).toBeCloseTo(0.6, 5));
    const blurred = run(input, onlyFirst([{ name: 'sharpness', value: 0.05 }]));
    const roughness = (v: Float32Array) => v.reduce((sum, value, i) => (i >= 3 ? sum + Math.abs(value - (v[i - 3] as number)) : sum), 0);
    expect(roughness(blurred.first)).toBeLessThan(roughness(firstIn) * 0.7);
    expect(Array.from(blurred.second)).toEqual(secondIn);
  });

  it('rotate keeps the centre pixel and fills the uncovered corners grey, alike on every frame', () => {
    const out = run(input, onlyFirst([{ name: 'rotate', value: 30 }]));
    for (let t = 0; t < d.frames; t++) {
      for (let c = 0; c < 3; c++) {
        expect(out.first[at(d, 0, t, 7, 7, c)]).toBeCloseTo(firstIn[at(d, 0, t, 7, 7, c)] as number, 5);
        expect(out.first[at(d, 0, t, 0, 0, c)]).toBeCloseTo(0.5, 6);
        expect(out.first[at(d, 0, t, 14, 14, c)]).toBeCloseTo(0.5, 6);
      }
    }
    expect(Array.from(out.second)).toEqual(secondIn);
  });

  it('translate shifts by the fraction of the side with a grey border; the weak part mirrors', () => {
    const out = run(input, onlyFirst([{ name: 'translateX', value: 2 / 15 }]));
    const mirrored = run(input, onlyFirst([], { weak: { flip: true, shiftY: 0, shiftX: 0 } }));
    for (let t = 0; t < d.frames; t++) {
      for (let y = 0; y < d.height; y++) {
        for (let x = 0; x < d.width; x++) {
          for (let c = 0; c < 3; c++) {
            const expected = x < 2 ? 0.5 : (firstIn[at(d, 0, t, y, x - 2, c)] as number);
            expect(out.first[at(d, 0, t, y, x, c)]).toBeCloseTo(expected, 5);
            expect(mirrored.first[at(d, 0, t, y, x, c)]).toBeCloseTo(firstIn[at(d, 0, t, y, d.width - 1 - x, c)] as number, 5);
          }
        }
      }
    }
  });

  it('cutout fills the same box grey on every frame and leaves the rest', () => {
    const box = { top: 2, bottom: 9, left: 4, right: 8 };
    const out = run(input, onlyFirst([], { cutout: box }));
    for (let t = 0; t < d.frames; t++) {
      for (let y = 0; y < d.height; y++) {
        for (let x = 0; x < d.width; x++) {
          const inside = y >= box.top && y < box.bottom && x >= box.left && x < box.right;
          for (let c = 0; c < 3; c++) {
            expect(out.first[at(d, 0, t, y, x, c)]).toBe(inside ? 0.5 : firstIn[at(d, 0, t, y, x, c)]);
          }
        }
      }
    }
    expect(Array.from(out.second)).toEqual(secondIn);
  });
});

describe('drawStrongParams', () => {
  it('draws two distinct ops per clip within their ranges, every op of the pool, cutout up to half the side', () => {
    const params = drawStrongParams(new Rng(21), 500, 64, 48, { flip: true });
    const seen = new Set<string>();
    for (const p of params) {
      expect(p.ops).toHaveLength(2);
      expect(p.ops[0]!.name).not.toBe(p.ops[1]!.name);
      for (const op of p.ops) {
        seen.add(op.name);
        const [min, max] = STRONG_OP_RANGES[op.name];
        expect(op.value).toBeGreaterThanOrEqual(min);
        expect(op.value).toBeLessThanOrEqual(max);
        if (op.name === 'posterize') expect(Number.isInteger(op.value)).toBe(true);
      }
      expect(p.cutout.bottom - p.cutout.top).toBeLessThanOrEqual(24);
      expect(p.cutout.right - p.cutout.left).toBeLessThanOrEqual(24);
      expect(p.cutout.top).toBeGreaterThanOrEqual(0);
      expect(p.cutout.right).toBeLessThanOrEqual(48);
    }
    expect([...seen].sort()).toEqual([...STRONG_OPS].sort());
    expect(params.some((p) => p.weak.flip)).toBe(true);
    expect(drawStrongParams(new Rng(21), 500, 64, 48, { flip: false }).some((p) => p.weak.flip)).toBe(false);
  });
});

describe('strongAugment', () => {
  const many: Dims = { clips: 24, frames: 3, height: 16, width: 16 };

  it('transforms every frame of a clip alike: clips of one still picture stay still', () => {
    const x = clipTensor(many, stillClips(many, 31));
    const out = valuesOf(() => strongAugment(x, new Rng(32), { flip: true }));
    for (let n = 0; n < many.clips; n++) {
      const first = Array.from(frameOf(many, out, n, 0));
      for (let t = 1; t < many.frames; t++) expect(Array.from(frameOf(many, out, n, t))).toEqual(first);
    }
    x.dispose();
  });

  it('keeps values in 0..1 and the shape, is the same for a seed, different for another, and leaks nothing', () => {
    const x = clipTensor(many, randomClips(many, 33));
    const before = tf.memory().numTensors;
    const out = strongAugment(x, new Rng(34), { flip: true });
    expect(out.shape).toEqual(x.shape);
    expect(out.dtype).toBe('float32');
    const a = out.dataSync() as Float32Array;
    out.dispose();
    const b = valuesOf(() => strongAugment(x, new Rng(34), { flip: true }));
    const c = valuesOf(() => strongAugment(x, new Rng(35), { flip: true }));
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.getBackend()).toBe('wasm');
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThanOrEqual(1);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(Array.from(a)).not.toEqual(Array.from(x.dataSync()));
    x.dispose();
  });
});
