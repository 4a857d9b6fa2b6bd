import type { VideoTiming } from '../../../src-main/shared/frame-time.js';
import { clampFrame, frameAtPlayerTime, frameOfPresentedTime, seekTimeOfFrame } from './video-timing.js';

export const SPEEDS = [0.25, 0.5, 1, 1.5, 2, 4] as const;

export interface FrameRange {
  /** First frame. */
  start: number;
  /** One past the last frame. */
  end: number;
}

/**
 * Drives the Label view's <video>: the frame on screen (0-based, from requestVideoFrameCallback
 * while playing and from our own mid-frame seeks while paused), play/pause, frame steps,
 * speed and looping a range of frames.
 */
export class PlayerControl {
  /** The frame on screen. */
  frame = $state(0);
  playing = $state(false);
  rate = $state(1);
  loop = $state<FrameRange | null>(null);
  ready = $state(false);
  error = $state<string | null>(null);

  private element: HTMLVideoElement | null = null;
  private timing: VideoTiming | null = null;
  /** The frame a seek we asked for will show; steps build on it before `seeked` arrives. */
  private seekTarget: number | null = null;

  /** Takes over a <video>; returns the function that lets go of it. */
  attach(element: HTMLVideoElement, timing: VideoTiming): () => void {
    this.element = element;
    this.timing = timing;
    this.frame = 0;
    this.seekTarget = null;
    this.playing = false;
    this.ready = element.readyState >= 1;
    this.error = null;
    element.playbackRate = this.rate;
    let callbackId = 0;
    const onFrame = (_now: number, metadata: VideoFrameCallbackMetadata) => {
      this.presented(metadata.mediaTime);
      callbackId = element.requestVideoFrameCallback(onFrame);
    };
    callbackId = element.requestVideoFrameCallback(onFrame);
    const listeners: [keyof HTMLMediaElementEventMap, () => void][] = [
      ['loadedmetadata', () => this.metadataLoaded()],
      // A stream that starts late can be put back on its first timestamp once data arrives: settle again.
      ['loadeddata', () => this.dataLoaded()],
      ['play', () => (this.playing = true)],
      ['pause', () => this.paused()],
      ['seeked', () => this.seeked()],
      ['ratechange', () => (this.rate = element.playbackRate)],
    ];
    for (const [event, listener] of listeners) element.addEventListener(event, listener);
    if (this.ready) this.metadataLoaded();
    return () => {
      element.cancelVideoFrameCallback(callbackId);
      for (const [event, listener] of listeners) element.removeEventListener(event, listener);
      if (this.element === element) {
        this.element = null;
        this.timing = null;
        this.playing = false;
        this.loop = null;
      }
    };
  }

  /** The time the player shows `frame` at (mid-frame, presentation time); for tests and benches too. */
  seekTimeOf(frame: number): number | null {
    return this.timing ? seekTimeOfFrame(this.timing, frame) : null;
  }

  play(): void {
    const element = this.element;
    if (!element) return;
    if (this.timing && this.frame >= this.timing.frameCount - 1) this.seek(this.loop?.start ?? 0);
    element.play().catch((err: unknown) => {
      // A pause() during the start rejects the promise: that is no failure.
      if (err instanceof DOMException && err.name === 'AbortError') return;
      this.error = `The player could not start: ${err instanceof Error ? err.message : String(err)}`;
    });
  }

  pause(): void {
    this.element?.pause();
  }

  toggle(): void {
    if (!this.element) return;
    if (this.element.paused) this.play();
    else this.pause();
  }

  /** Shows `frame` (clamped to the video); playing continues from there. */
  seek(frame: number): void {
    const element = this.element;
    const timing = this.timing;
    if (!element || !timing) return;
    const target = clampFrame(timing, frame);
    this.seekTarget = target;
    this.frame = target;
    element.currentTime = seekTimeOfFrame(timing, target);
  }

  /** Pauses and moves exactly `delta` frames. */
  step(delta: number): void {
    if (!this.element) return;
    const base = this.seekTarget ?? this.frame;
    if (!this.element.paused) this.pause();
    this.seek(base + delta);
  }

  slower(): void {
    this.setRate(SPEEDS[Math.max(0, this.speedIndex() - 1)] ?? 1);
  }

  faster(): void {
    this.setRate(SPEEDS[Math.min(SPEEDS.length - 1, this.speedIndex() + 1)] ?? 1);
  }

  setRate(rate: number): void {
    this.rate = rate;
    if (this.element) this.element.playbackRate = rate;
  }

  setLoop(range: FrameRange | null): void {
    this.loop = range;
    if (range && (this.frame < range.start || this.frame >= range.end)) this.seek(range.start);
  }

  private speedIndex(): number {
    const index = SPEEDS.findIndex((speed) => speed >= this.rate - 1e-9);
    return index < 0 ? SPEEDS.length - 1 : index;
  }

  private presented(mediaTime: number): void {
    const timing = this.timing;
    if (!timing) return;
    // While a seek of ours is on its way, frames still coming from before it are not news.
    if (this.seekTarget !== null) return;
    const frame = frameOfPresentedTime(timing, mediaTime);
    this.frame = frame;
    const loop = this.loop;
    if (loop && this.playing && (frame >= loop.end || frame < loop.start)) this.seek(loop.start);
  }

  private seeked(): void {
    const element = this.element;
    const timing = this.timing;
    if (!element || !timing) return;
    this.seekTarget = null;
    this.frame = frameAtPlayerTime(timing, element.currentTime);
  }

  private paused(): void {
    this.playing = false;
    const element = this.element;
    const timing = this.timing;
    if (!element || !timing || this.seekTarget !== null) return;
    // Settle on a frame: from here on the frame shown, `frame` and currentTime agree exactly.
    this.seek(frameAtPlayerTime(timing, element.currentTime));
  }

  private dataLoaded(): void {
    const element = this.element;
    if (element && element.paused && !element.seeking && this.seekTarget === null) this.seek(this.frame);
  }

  private metadataLoaded(): void {
    this.ready = true;
    this.seek(this.seekTarget ?? this.frame);
  }
}
