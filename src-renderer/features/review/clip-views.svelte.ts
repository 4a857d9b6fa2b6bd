import { decodeBase64Bytes, type ClipViewsDto } from '../../../src-main/shared/clip-views.js';
import { api } from '../../lib/api.js';

export type ClipViewsStatus = 'idle' | 'loading' | 'ready' | 'failed';

/** The views of the clip on screen, asked for once per clip; an answer for a clip left meanwhile is dropped. */
export class ClipViewsLoader {
  clipId = $state<number | null>(null);
  status = $state<ClipViewsStatus>('idle');
  dto = $state.raw<ClipViewsDto | null>(null);
  /** Each view's bytes, decoded once, in the order of `dto.views`. */
  pixels = $state.raw<Uint8Array[]>([]);
  error = $state('');

  private generation = 0;

  async load(clipId: number): Promise<void> {
    if (clipId === this.clipId && this.status !== 'failed') return;
    const generation = ++this.generation;
    this.clipId = clipId;
    this.status = 'loading';
    this.error = '';
    try {
      const dto = await api.invoke('clips:views', { id: clipId });
      if (generation !== this.generation) return;
      this.pixels = dto.views.map((view) => decodeBase64Bytes(view.pixels));
      this.dto = dto;
      this.status = 'ready';
    } catch (error) {
      if (generation !== this.generation) return;
      this.dto = null;
      this.pixels = [];
      this.error = error instanceof Error ? error.message : String(error);
      this.status = 'failed';
    }
  }
}
