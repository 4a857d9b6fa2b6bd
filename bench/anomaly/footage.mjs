// Real pedestrian footage offline: OpenCV's sample vtest.avi (768×576, 10 fps, 795 frames) from
// Debian's opencv-doc package, fetched with apt-get download and unpacked with dpkg -x (no root needed).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const SAMPLE = 'usr/share/doc/opencv-doc/examples/data/vtest.avi';

/** The path of vtest.avi: `given` when set, else the copy under `cacheDir`, fetched on first use. */
export function pedestrianFootage(cacheDir, given) {
  if (given) {
    if (!fs.existsSync(given)) throw new Error(`bench: ${given} does not exist`);
    return given;
  }
  const unpacked = path.join(cacheDir, 'opencv-doc');
  const file = path.join(unpacked, SAMPLE);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(cacheDir, { recursive: true });
  console.error('bench: fetching Debian\'s opencv-doc for its sample footage (apt-get download, ~96 MB)…');
  execFileSync('apt-get', ['download', 'opencv-doc'], { cwd: cacheDir, stdio: ['ignore', 'ignore', 'inherit'] });
  const deb = fs.readdirSync(cacheDir).find((name) => /^opencv-doc_.*\.deb$/.test(name));
  if (!deb) throw new Error('bench: apt-get download opencv-doc left no .deb behind');
  execFileSync('dpkg', ['-x', path.join(cacheDir, deb), unpacked]);
  fs.rmSync(path.join(cacheDir, deb));
  if (!fs.existsSync(file)) throw new Error(`bench: opencv-doc has no ${SAMPLE}`);
  return file;
}

/** Every frame of `file` as rgb24 at width × height, in memory (vtest at 384×288 is 264 MB). */
export function decodeFrames(ffmpeg, file, { width, height }) {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-i', file, '-vf', `scale=${width}:${height}`,
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const frameBytes = width * height * 3;
    const chunks = [];
    let stderr = '';
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`bench: ffmpeg could not decode ${file}: ${stderr.trim()}`));
      const all = Buffer.concat(chunks);
      const frames = [];
      for (let offset = 0; offset + frameBytes <= all.length; offset += frameBytes) frames.push(all.subarray(offset, offset + frameBytes));
      resolve(frames);
    });
  });
}
