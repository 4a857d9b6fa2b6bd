/**
 * BADGE (Ash et al. 2020, "Deep Batch Active Learning by Diverse, Uncertain Gradient Lower Bounds"): each
 * clip's gradient embedding is what the class layer's gradient would be if the predicted class were the
 * truth, g = (p − onehot(ŷ)) ⊗ h with h the penultimate features. Its length grows with the model's
 * uncertainty; k-means++ seeding over the embeddings picks clips that are uncertain *and* unlike each other.
 */
import { Rng } from '../engine/random.js';
import { kMeansPlusPlusSeeds, type SeedingSpace } from './kmeans-seeding.js';

/** One clip as BADGE sees it: its eval-mode probabilities and penultimate features. */
export interface BadgeInput {
  clipId: number;
  probs: readonly number[];
  features: readonly number[];
}

/**
 * How many clips the queue orders by k-means++ seeding; the rest follow by gradient length. Each pick
 * costs a pass over every clip, so this bounds the work; a round labels far fewer than this.
 */
export const BADGE_SEEDED_PICKS = 500;

/** The gradient embeddings, held as their two factors: ⟨g_i, g_j⟩ = ⟨r_i, r_j⟩·⟨h_i, h_j⟩ with r = p − onehot(ŷ). */
export function gradientSpace(items: readonly BadgeInput[]): SeedingSpace & { length2: Float64Array } {
  const residuals = items.map(({ probs }) => {
    let top = 0;
    probs.forEach((p, i) => {
      if (p > (probs[top] ?? -Infinity)) top = i;
    });
    return Float64Array.from(probs, (p, i) => (i === top ? p - 1 : p));
  });
  const features = items.map((item) => Float64Array.from(item.features));
  const dot = (a: Float64Array, b: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
    return s;
  };
  const empty = new Float64Array(0);
  const length2 = Float64Array.from(items, (_, i) => dot(residuals[i] ?? empty, residuals[i] ?? empty) * dot(features[i] ?? empty, features[i] ?? empty));
  return {
    size: items.length,
    length2,
    norm2: (i) => length2[i] ?? 0,
    distance2: (i, j) => {
      const cross = dot(residuals[i] ?? empty, residuals[j] ?? empty) * dot(features[i] ?? empty, features[j] ?? empty);
      return Math.max(0, (length2[i] ?? 0) + (length2[j] ?? 0) - 2 * cross);
    },
  };
}

/**
 * The clips in BADGE's order (clip ids): the first `seeded` by k-means++ seeding over the gradient
 * embeddings (seeded random draws, `seed`), the rest longest gradient first. Ties go to the lower clip id.
 */
export function badgeOrder(items: readonly BadgeInput[], seed: number, seeded = BADGE_SEEDED_PICKS): number[] {
  const sorted = [...items].sort((a, b) => a.clipId - b.clipId);
  const space = gradientSpace(sorted);
  const rng = new Rng(seed);
  const picks = kMeansPlusPlusSeeds(space, seeded, () => rng.next());
  const taken = new Set(picks);
  const rest = sorted.map((_, i) => i).filter((i) => !taken.has(i));
  rest.sort((a, b) => (space.length2[b] ?? 0) - (space.length2[a] ?? 0) || a - b);
  return [...picks, ...rest].map((i) => sorted[i]?.clipId ?? NaN);
}
