/**
 * Event thumbnails without a thumbnail endpoint: a second, hidden <video> of the same file seeks
 * to each event's peak in turn and paints that frame into the event's small canvas. Painting a
 * video into a canvas works for every media URL (only reading pixels back would need CORS).
 */
const SEEK_TIMEOUT_MS = 8_000;

export class FrameGrabber {
  private readonly video: HTMLVideoElement;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(src: string) {
    this.video = document.createElement('video');
    this.video.muted = true;
    this.video.preload = 'auto';
    this.video.src = src;
  }

  /** Paints the frame shown at player time `time` into `canvas`, after the ones asked for before; false if skipped. */
  paint(canvas: HTMLCanvasElement, time: number, wanted: () => boolean): Promise<boolean> {
    const job = this.queue.then(() => (this.closed || !wanted() ? false : this.grab(canvas, time)));
    this.queue = job.catch(() => undefined);
    return job;
  }

  close(): void {
    this.closed = true;
    this.video.removeAttribute('src');
    this.video.load();
  }

  private async grab(canvas: HTMLCanvasElement, time: number): Promise<boolean> {
    const video = this.video;
    if (video.readyState < 1) await this.once(['loadedmetadata']);
    video.currentTime = time;
    await this.once(['seeked']);
    if (this.closed) return false;
    const ctx = canvas.getContext('2d');
    if (!ctx || video.videoWidth === 0) return false;
    // Letterboxed: the whole frame, its aspect kept.
    const scale = Math.min(canvas.width / video.videoWidth, canvas.height / video.videoHeight);
    const w = video.videoWidth * scale;
    const h = video.videoHeight * scale;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(video, (canvas.width - w) / 2, (canvas.height - h) / 2, w, h);
    return true;
  }

  private once(events: string[]): Promise<void> {
    const video = this.video;
    return new Promise((resolve, reject) => {
      const done = (failure: Error | null) => {
        clearTimeout(timer);
        for (const event of events) video.removeEventListener(event, ok);
        video.removeEventListener('error', failed);
        if (failure) reject(failure);
        else resolve();
      };
      const ok = () => done(null);
      const failed = () => done(new Error('the video could not be read for a thumbnail'));
      const timer = setTimeout(() => done(new Error('the video took too long to seek for a thumbnail')), SEEK_TIMEOUT_MS);
      for (const event of events) video.addEventListener(event, ok, { once: true });
      video.addEventListener('error', failed, { once: true });
    });
  }
}
