import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { boxAt, decodeFrameBoxes, emptyFrameBoxes, setBoxAt } from '../../../../shared/anomaly-boxes.js';
import { decodeFloat32 } from '../../../../shared/anomaly.js';
import { openDatabase } from '../../../db/open-database.js';
import { VideoRepository } from '../../../media/video-repository.js';
import { nowIso } from '../../../clock.js';
import { AnomalyScoreRepository, type NewAnomalyScores } from './anomaly-score-repository.js';
import { scoresToDto } from './anomaly-scores-dto.js';

/** The schema before boxes were kept (migration 7): an old project's file. */
const BEFORE_BOXES = 7;

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-anomaly-scores-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A video and a finished anomaly run, as the app leaves them. */
function addRunAndVideo(db: Database): { runId: number; videoId: number } {
  const video = new VideoRepository(db).upsert({
    path: '/v/street.mp4', name: 'street.mp4', hash: 'h', size: 1000, mtime_ms: 0, status: 'ready', error: null,
    duration_sec: 0.16, frame_count: 4, avg_frame_rate: '25/1', real_frame_rate: '25/1', fps: 25, start_time: 0,
    width: 1280, height: 720, codec: 'h264', pixel_format: 'yuv420p', container: 'mp4', rotation: 0, has_audio: 0,
    playable: 1, proxy_state: 'none', proxy_path: null, poster_path: null, probe_json: null,
  });
  const run = db
    .prepare(`INSERT INTO anomaly_runs (name, settings_json, normal_json, status, epochs_done, has_model, created_at)
              VALUES ('run', '{}', '[]', 'succeeded', 1, 1, ?)`)
    .run(nowIso());
  return { runId: Number(run.lastInsertRowid), videoId: video.id };
}

function curves(runId: number, videoId: number, frames: Int16Array | null): NewAnomalyScores {
  const curve = Float32Array.from([0.1, 0.9, 0.5, 0.2]);
  return {
    runId, videoId, frameCount: 4, fps: 25, scores: curve, raw: curve,
    perTask: { 'middle-frame-mae': curve, 'p-backward': curve, 'p-irregular': curve },
    boxes: frames === null ? null : { width: 1280, height: 720, frames }, options: { strideSeconds: 0.6, sigmaSeconds: 0.8, stride: 6, sigma: 20 }, sampling: null, regionsScored: 3, windows: { motion: 1, grid: 0 }, seconds: 0.1,
  };
}

describe('AnomalyScoreRepository boxes', () => {
  it('stores each frame’s box and gives it back, in the store and through the API’s base64', () => {
    const db = openDatabase(path.join(tmp, 'p.vssl'), { create: true });
    const { runId, videoId } = addRunAndVideo(db);
    const boxes = emptyFrameBoxes(4);
    setBoxAt(boxes, 0, { x: 0, y: 0, w: 128, h: 128 });
    setBoxAt(boxes, 1, { x: 1152, y: 592, w: 128, h: 128 });
    setBoxAt(boxes, 3, { x: 640, y: 300, w: 200, h: 200 });
    const repository = new AnomalyScoreRepository(db);
    repository.save(curves(runId, videoId, boxes));

    const stored = repository.get(runId, videoId);
    expect(stored?.boxes).toEqual({ width: 1280, height: 720, frames: boxes });
    const dto = scoresToDto(stored!);
    expect(dto.boxes).toMatchObject({ width: 1280, height: 720 });
    const sent = decodeFrameBoxes(dto.boxes!.frames);
    expect([0, 1, 2, 3].map((f) => boxAt(sent, f))).toEqual([
      { x: 0, y: 0, w: 128, h: 128 },
      { x: 1152, y: 592, w: 128, h: 128 },
      null,
      { x: 640, y: 300, w: 200, h: 200 },
    ]);
    expect([...decodeFloat32(dto.scores)]).toEqual([...Float32Array.from([0.1, 0.9, 0.5, 0.2])]);

    expect(() => repository.save(curves(runId, videoId, emptyFrameBoxes(3)))).toThrow('boxes has 12 values for 4 frames (4 each)');
    db.close();
  });

  it('loads a curve scored before boxes were kept, with null boxes, and scoring again adds them', () => {
    const file = path.join(tmp, 'old.vssl');
    const old = openDatabase(file, { create: true, targetVersion: BEFORE_BOXES });
    const { runId, videoId } = addRunAndVideo(old);
    const curve = Buffer.from(Float32Array.from([0.1, 0.9, 0.5, 0.2]).buffer);
    // The row as the app wrote it then: no boxes column.
    old
      .prepare(
        `INSERT INTO anomaly_scores (run_id, video_id, frame_count, fps, scores, raw, tasks_json, per_task, options_json,
           regions_scored, motion_windows, grid_windows, min_score, max_score, seconds, scored_at)
         VALUES (?, ?, 4, 25, ?, ?, ?, ?, '{"stride":6,"sigma":20}', 3, 1, 0, 0.1, 0.9, 0.1, ?)`,
      )
      .run(runId, videoId, curve, curve, JSON.stringify(['middle-frame-mae', 'p-backward', 'p-irregular']), Buffer.concat([curve, curve, curve]), nowIso());
    old.close();

    const db = openDatabase(file);
    const repository = new AnomalyScoreRepository(db);
    const stored = repository.get(runId, videoId);
    expect(stored).toMatchObject({ frameCount: 4, boxes: null, regionsScored: 3 });
    expect([...stored!.scores]).toEqual([...Float32Array.from([0.1, 0.9, 0.5, 0.2])]);
    expect(scoresToDto(stored!).boxes).toBeNull();

    const boxes = emptyFrameBoxes(4);
    setBoxAt(boxes, 2, { x: 10, y: 20, w: 64, h: 64 });
    repository.save(curves(runId, videoId, boxes));
    expect(boxAt(repository.get(runId, videoId)!.boxes!.frames, 2)).toEqual({ x: 10, y: 20, w: 64, h: 64 });
    db.close();
  });
});
