import { MAX_VIDEO_UPLOAD_BYTES } from '../../../src-main/shared/web-files.js';
import { isVideoFileName } from '../../../src-main/shared/video-extensions.js';
import { api } from '../../lib/api.js';
import { errorMessage, formatBytes } from '../../lib/format.js';
import type { DroppedFile } from './dropped-files.js';

export type DropPhase = 'idle' | 'uploading' | 'importing' | 'done' | 'failed';

/**
 * Importing what was dropped on the Library. The desktop app knows where each dropped file or folder
 * lies and imports it in place; a browser uploads the videos into the project first, with progress.
 */
export class DropImport {
  phase = $state<DropPhase>('idle');
  sentBytes = $state(0);
  totalBytes = $state(0);
  fileIndex = $state(0);
  fileCount = $state(0);
  /** Dropped files left out, each with the reason. */
  skipped = $state<string[]>([]);
  error = $state<string | null>(null);
  imported = $state(0);
  private controller: AbortController | null = null;

  get busy(): boolean {
    return this.phase === 'uploading' || this.phase === 'importing';
  }

  /** Desktop: the dropped files and folders where they are (folders imported with their sub-folders). */
  async importInPlace(paths: string[]): Promise<void> {
    this.reset();
    this.phase = 'importing';
    try {
      await api.invoke('videos:import', { paths, recursive: true });
      this.imported = paths.length;
      this.phase = 'done';
    } catch (err) {
      this.fail(err);
    }
  }

  /** Browser: uploads the dropped videos into the project, then imports them. */
  async uploadAndImport(files: DroppedFile[]): Promise<void> {
    const webFiles = api.webFiles;
    if (!webFiles) return;
    this.reset();
    const wanted: DroppedFile[] = [];
    for (const dropped of files) {
      if (!isVideoFileName(dropped.relativePath)) this.skipped.push(`${dropped.relativePath}: not a video file`);
      else if (dropped.file.size > MAX_VIDEO_UPLOAD_BYTES) {
        this.skipped.push(`${dropped.relativePath}: ${formatBytes(dropped.file.size)} is over the ${formatBytes(MAX_VIDEO_UPLOAD_BYTES)} a browser may upload; copy it to the server and import it from there`);
      } else wanted.push(dropped);
    }
    if (wanted.length === 0) {
      this.phase = 'failed';
      this.error = 'Nothing to import: drop video files, or folders that hold some.';
      return;
    }
    const controller = new AbortController();
    this.controller = controller;
    this.phase = 'uploading';
    this.fileCount = wanted.length;
    this.totalBytes = wanted.reduce((sum, d) => sum + d.file.size, 0);
    const uploaded: string[] = [];
    let done = 0;
    try {
      for (const [index, dropped] of wanted.entries()) {
        this.fileIndex = index + 1;
        const answer = await webFiles.uploadVideo(dropped.file, dropped.relativePath, (sent) => (this.sentBytes = done + sent), controller.signal);
        done += dropped.file.size;
        uploaded.push(answer.file);
      }
      this.phase = 'importing';
      await api.invoke('videos:import', { paths: uploaded, recursive: false });
      this.imported = uploaded.length;
      this.phase = 'done';
    } catch (err) {
      this.fail(err);
    } finally {
      this.controller = null;
    }
  }

  cancel(): void {
    this.controller?.abort();
  }

  dismiss(): void {
    if (!this.busy) this.reset();
  }

  private fail(err: unknown): void {
    this.phase = 'failed';
    this.error = errorMessage(err);
  }

  private reset(): void {
    this.phase = 'idle';
    this.sentBytes = 0;
    this.totalBytes = 0;
    this.fileIndex = 0;
    this.fileCount = 0;
    this.skipped = [];
    this.error = null;
    this.imported = 0;
  }
}
