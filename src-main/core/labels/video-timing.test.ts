import { describe, expect, it } from 'vitest';
import type { VideoRow } from '../media/video-repository.js';
import { timingOfVideo } from './video-timing.js';

const row: VideoRow = {
  id: 1, path: '/v.mp4', name: 'v.mp4', hash: 'h', size: 1, mtime_ms: 0, status: 'ready', error: null, duration_sec: 4,
  frame_count: 100, avg_frame_rate: '30/1', real_frame_rate: '50/1', fps: 25, start_time: 10, width: 64, height: 48,
  codec: 'h264', pixel_format: 'yuv420p', container: 'mp4', rotation: 0, has_audio: 0, playable: 1, proxy_state: 'none',
  proxy_path: null, poster_path: null, probe_json: null, imported_at: '2025-01-01T00:00:00Z', updated_at: '2025-01-01T00:00:00Z',
};

describe('the timing the core cuts a video with', () => {
  it('reads the stored probe, the frame rate falling back to the average, then the base rate', () => {
    expect(timingOfVideo(row)).toEqual({ fps: 25, frameCount: 100, startTime: 10 });
    expect(timingOfVideo({ ...row, fps: null }).fps).toBe(30);
    expect(timingOfVideo({ ...row, fps: null, avg_frame_rate: null }).fps).toBe(50);
    expect(timingOfVideo({ ...row, start_time: null }).startTime).toBe(0);
  });

  it('refuses a failed import, and a video without a frame rate or frames, saying which', () => {
    expect(() => timingOfVideo({ ...row, status: 'failed', error: 'truncated' })).toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: 'v.mp4 could not be imported (truncated).' }),
    );
    const noRate = { ...row, fps: null, avg_frame_rate: null, real_frame_rate: null };
    expect(() => timingOfVideo(noRate)).toThrow(/no known frame rate or frame count/);
    expect(() => timingOfVideo({ ...row, frame_count: 0 })).toThrow(/no known frame rate or frame count/);
  });
});
