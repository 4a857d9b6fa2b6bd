/**
 * Footage for anomaly tests: a dark street where boxes drive steadily to the right and wrap around off
 * screen, so every normal frame shows the same arrow of time. A clip can carry a reversed stretch:
 * frames [start, end) of the same scene played backwards (the `reverse` filter on that section,
 * concatenated between the untouched parts).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { resolveMediaTools, toolEnv } from '../../media/media-tools.js';

const run = promisify(execFile);

export interface StreetOptions {
  frames: number;
  /** Scene frame the video starts at: clips of one street that do not repeat each other. */
  firstFrame?: number;
  /** Frames [start, end) of the video (not of the scene) played backwards. */
  reversed?: { start: number; end: number };
  width?: number;
  height?: number;
}

/** The boxes: colour, side, lane (y) and speed in pixels per frame, at a 160 × 120 picture. */
const BOXES = [
  { colour: 'white', side: 18, y: 18, speed: 3, phase: 0 },
  { colour: 'orange', side: 14, y: 52, speed: 4, phase: 70 },
  { colour: 'cyan', side: 16, y: 86, speed: 2, phase: 130 },
] as const;

/** The lavfi graph that draws frames n = firstFrame… of the scene as stream [street]. */
function streetGraph(options: StreetOptions): string {
  const width = options.width ?? 160;
  const height = options.height ?? 120;
  const scale = width / 160;
  const first = options.firstFrame ?? 0;
  const parts = [`color=c=0x303030:s=${width}x${height}:r=25[bg0]`];
  BOXES.forEach((box, i) => {
    const side = Math.max(2, Math.round(box.side * scale));
    const span = width + side;
    parts.push(`color=c=${box.colour}:s=${side}x${side}:r=25[box${i}]`);
    // Off screen on the left, across, off screen on the right, and round again.
    const x = `mod((n+${first})*${box.speed * scale}+${box.phase * scale},${span})-${side}`;
    parts.push(`[bg${i}][box${i}]overlay=x='${x}':y=${Math.round(box.y * scale)}:shortest=1[bg${i + 1}]`);
  });
  parts.push(`[bg${BOXES.length}]trim=end_frame=${options.frames},setpts=PTS-STARTPTS[street]`);
  return parts.join(';');
}

/** Writes the clip as lossless-looking H.264 and returns its path. */
export async function makeStreetVideo(file: string, options: StreetOptions): Promise<string> {
  const { ffmpeg } = resolveMediaTools();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let graph = streetGraph(options);
  const reversed = options.reversed;
  if (reversed) {
    const { start, end } = reversed;
    if (!(start > 0 && end > start && end < options.frames)) throw new Error(`reversed stretch [${start}, ${end}) must lie inside 0…${options.frames}`);
    graph += `;[street]split=3[a][b][c]`;
    graph += `;[a]trim=end_frame=${start},setpts=PTS-STARTPTS[head]`;
    graph += `;[b]trim=start_frame=${start}:end_frame=${end},setpts=PTS-STARTPTS,reverse[middle]`;
    graph += `;[c]trim=start_frame=${end},setpts=PTS-STARTPTS[tail]`;
    graph += `;[head][middle][tail]concat=n=3:v=1:a=0[out]`;
  } else {
    graph += ';[street]null[out]';
  }
  await run(
    ffmpeg,
    ['-hide_banner', '-loglevel', 'error', '-y', '-filter_complex', graph, '-map', '[out]',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '4', '-pix_fmt', 'yuv420p', '-r', '25', file],
    { env: toolEnv(ffmpeg), maxBuffer: 16 * 1024 * 1024 },
  );
  return file;
}
