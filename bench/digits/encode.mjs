// Pipes raw rgb24 frames into ffmpeg and writes an H.264 mp4 (yuv420p, plays everywhere).
import { spawn } from 'node:child_process';

/** Square frames take `side`; others `width` and `height`. */
export function encodeVideo(ffmpeg, file, frameIterator, { side, width = side, height = side, fps }) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      ffmpeg,
      ['-hide_banner', '-loglevel', 'error', '-y',
        '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-r', String(fps), '-i', 'pipe:0',
        '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', file],
      { stdio: ['pipe', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`bench: ffmpeg failed on ${file} (exit ${code}): ${stderr.trim()}`)),
    );
    child.stdin.on('error', () => {}); // ffmpeg exiting early is reported by 'exit' with its stderr.
    (async () => {
      for (const frame of frameIterator) {
        if (!child.stdin.write(frame)) await new Promise((r) => child.stdin.once('drain', r));
      }
      child.stdin.end();
    })().catch(reject);
  });
}
