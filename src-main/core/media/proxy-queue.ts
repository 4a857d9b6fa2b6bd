import fs from 'node:fs/promises';
import type { ImportFailure, ProxySummary } from '../../shared/dto.js';
import type { CoreContext, ProjectSession } from '../core-context.js';
import type { JobContext } from '../jobs/job-manager.js';
import { isFinished } from '../jobs/job-repository.js';
import { hashFileStem } from './content-hash.js';
import { MediaFailure, reasonOrRethrow } from './media-failure.js';
import { interpretProbe, parseProbeJson, probeVideo, type VideoProbe } from './probe.js';
import { makeProxy } from './proxy.js';
import { removeCacheFileIfUnused } from './unused-cache.js';
import type { VideoChanges } from './video-changes.js';
import type { VideoRow } from './video-repository.js';

export const PROXY_JOB_TITLE = 'Making playable copies';

/**
 * Makes proxies in the background, as ONE 'proxy' job at a time that drains every video whose
 * proxy is pending. The queue is the database itself (proxy_state = 'pending'), so work left by
 * a cancel, a closed project or a crash is picked up by the next kick.
 */
export class ProxyQueue {
  /** True from kick until the draining loop has seen an empty queue. */
  private draining = false;
  private jobId: number | null = null;

  constructor(
    private readonly ctx: CoreContext,
    private readonly session: ProjectSession,
    private readonly changes: VideoChanges,
  ) {}

  /** Makes sure pending proxies are being made; cheap to call after every imported file. */
  kick(): void {
    if (this.ctx.currentSession() !== this.session) return;
    if (this.draining && this.jobId !== null && !isFinished(this.session.jobs.get(this.jobId).state)) return;
    if (this.session.videos.pendingProxyIds().length === 0) return;
    this.draining = true;
    this.jobId = this.session.jobs.start('proxy', PROXY_JOB_TITLE, (job) => this.drain(job)).id;
  }

  private async drain(job: JobContext): Promise<ProxySummary> {
    const attempted = new Set<number>();
    const failed: ImportFailure[] = [];
    let made = 0;
    try {
      while (!job.signal.aborted) {
        const pending = this.session.videos.pendingProxyIds().filter((id) => !attempted.has(id));
        const id = pending[0];
        if (id === undefined) {
          // Synchronously with the empty check: a kick after this point starts a new job.
          this.draining = false;
          break;
        }
        const done = attempted.size;
        const total = done + pending.length;
        attempted.add(id);
        const row = this.session.videos.get(id);
        if (!row) continue;
        job.progress(done / total, `Making playable copy ${done + 1} of ${total}: ${row.name}`);
        const outcome = await this.proxyFor(row, job, (fraction) => job.progress((done + fraction) / total));
        if (outcome === 'made') made++;
        else if (outcome !== 'skipped') failed.push({ path: row.path, reason: outcome.reason });
        this.changes.add(id);
      }
    } finally {
      this.draining = false;
      this.changes.flush();
    }
    return { kind: 'proxy', made, failed };
  }

  private async proxyFor(
    row: VideoRow,
    job: JobContext,
    onProgress: (fraction: number) => void,
  ): Promise<'made' | 'skipped' | { reason: string }> {
    const videos = this.session.videos;
    if (!(await fs.access(row.path).then(() => true, () => false))) {
      videos.setStatusIfAt(row.id, row.path, 'missing');
      return 'skipped';
    }
    try {
      if (!row.hash) throw new MediaFailure('the video has no content hash');
      const probe = await this.probeOf(row, job.signal);
      const rel = await makeProxy(this.ctx.tools, this.session.project, row.path, probe, hashFileStem(row.hash), {
        signal: job.signal,
        onProgress,
      });
      const current = videos.get(row.id);
      if (!current || current.proxy_state !== 'pending') {
        // Removed (or re-imported) while its proxy was being made.
        await removeCacheFileIfUnused(this.session, rel);
        return 'skipped';
      }
      videos.update(row.id, { proxy_state: 'ready', proxy_path: rel, status: 'ready', error: null });
      return 'made';
    } catch (err) {
      const reason = reasonOrRethrow(err);
      videos.update(row.id, { proxy_state: 'failed', status: 'failed', error: reason });
      return { reason };
    }
  }

  private async probeOf(row: VideoRow, signal: AbortSignal): Promise<VideoProbe> {
    if (row.probe_json) return interpretProbe(parseProbeJson(row.probe_json));
    return (await probeVideo(this.ctx.tools, row.path, row.size ?? 0, signal)).probe;
  }
}
