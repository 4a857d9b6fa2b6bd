import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../../shared/errors.js';
import { ClipFailure } from '../clips/clip-failure.js';
import type { ClipRef } from '../clips/clip-ref.js';
import { clipByteLength, type ClipSpec } from '../clips/clip-spec.js';
import { removeStaleTempFiles, writeCacheFileAtomically } from '../clips/stale-temp-files.js';
import type { ClipView } from './clip-view.js';

/** What a view cache needs from the clip cache (ClipCache has all of it). */
export interface ClipSource {
  readonly spec: ClipSpec;
  /** Where the clip's rgb bytes live; must end in `.u8`. */
  clipPath(clip: ClipRef): string;
  read(clip: ClipRef): Promise<Uint8Array>;
}

export interface ViewCacheStats {
  /** Views computed from rgb clips (each also written to disk). */
  computed: number;
}

export interface ViewEnsureOptions {
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
}

const VIEW_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function checkView(view: ClipView): void {
  if (!VIEW_ID.test(view.id) || view.id.startsWith('partial')) {
    throw new Error(`view id "${view.id}" must be lower-case letters, digits and dashes (and not start with "partial")`);
  }
}

/**
 * Derived views of cached clips, one file per clip and view beside the rgb clip:
 * `<start>-<end>.u8` → `<start>-<end>.<view id>.u8`, same size (T·S·S·3 bytes). A missing view
 * is computed once from the rgb clip (decoded first if needed) and written atomically
 * (temp + rename), so a killed run never leaves half a view under a final name.
 */
export class ViewCache {
  readonly stats: ViewCacheStats = { computed: 0 };
  private readonly bytes: number;
  private readonly pending = new Map<string, Promise<Uint8Array>>();
  private readonly swept = new Set<string>();

  constructor(private readonly clips: ClipSource) {
    this.bytes = clipByteLength(clips.spec);
  }

  /** Where a clip's view lives (whether or not it is there yet). */
  viewPath(clip: ClipRef, view: ClipView): string {
    checkView(view);
    const rgb = this.clips.clipPath(clip);
    if (!rgb.endsWith('.u8')) throw new Error(`ViewCache: clip paths must end in .u8, got ${rgb}`);
    return `${rgb.slice(0, -'.u8'.length)}.${view.id}.u8`;
  }

  has(clip: ClipRef, view: ClipView): boolean {
    return fs.existsSync(this.viewPath(clip, view));
  }

  /** The clip's view bytes: read from disk, or computed now (once, however many callers ask) and stored. */
  read(clip: ClipRef, view: ClipView): Promise<Uint8Array> {
    const file = this.viewPath(clip, view);
    let pending = this.pending.get(file);
    if (!pending) {
      pending = this.readOrCompute(clip, view, file).finally(() => this.pending.delete(file));
      this.pending.set(file, pending);
    }
    return pending;
  }

  readMany(clips: readonly ClipRef[], view: ClipView): Promise<Uint8Array[]> {
    return Promise.all(clips.map((clip) => this.read(clip, view)));
  }

  /** Computes every missing view, one clip at a time; clips whose rgb cannot be decoded are listed. */
  async ensure(clips: readonly ClipRef[], view: ClipView, options: ViewEnsureOptions = {}): Promise<{ failed: { clip: ClipRef; reason: string }[] }> {
    const failed: { clip: ClipRef; reason: string }[] = [];
    const todo = clips.filter((clip) => !this.has(clip, view));
    const total = clips.length;
    let done = total - todo.length;
    options.onProgress?.(done, total);
    for (const clip of todo) {
      if (options.signal?.aborted) throw new ApiError('CANCELLED', 'Cancelled.');
      try {
        await this.read(clip, view);
      } catch (error) {
        if (!(error instanceof ClipFailure)) throw error;
        failed.push({ clip, reason: error.reason });
      }
      options.onProgress?.(++done, total);
    }
    return { failed };
  }

  private async readOrCompute(clip: ClipRef, view: ClipView, file: string): Promise<Uint8Array> {
    const cached = await fsp.readFile(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw new Error(`${file}: cannot read the cached ${view.id} view: ${error.message}`);
    });
    // A plain Uint8Array either way, whether read from disk or just computed.
    if (cached?.length === this.bytes) return new Uint8Array(cached.buffer, cached.byteOffset, cached.byteLength);
    const rgb = await this.clips.read(clip);
    const bytes = view.compute(rgb, this.clips.spec);
    if (bytes.length !== this.bytes) {
      throw new Error(`view ${view.id} made ${bytes.length} bytes from a clip of ${this.bytes}: views keep the clip's shape`);
    }
    this.stats.computed++;
    await this.write(file, bytes);
    return bytes;
  }

  private async write(file: string, bytes: Uint8Array): Promise<void> {
    const dir = path.dirname(file);
    if (!this.swept.has(dir)) {
      this.swept.add(dir);
      await fsp.mkdir(dir, { recursive: true });
      await removeStaleTempFiles(dir);
    }
    // The clip cache's temp pattern, so either cache sweeps the other's leftovers.
    await writeCacheFileAtomically(file, bytes);
  }
}
