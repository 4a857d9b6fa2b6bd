import { api } from '../../lib/api.js';
import { navigation } from '../../state/navigation.svelte.js';

/** Opens Review on the run with its queue narrowed to these clips (a confusion-matrix cell), the first on screen. */
export async function openClipsInReview(runId: number, clipIds: readonly number[], first?: number): Promise<void> {
  await api.invoke('review:session:set', {
    runId,
    clipId: first ?? clipIds[0] ?? null,
    filter: { clipIds: [...clipIds], minConfidence: 0, maxConfidence: 1, includeReviewed: true },
  });
  navigation.view = 'review';
}
