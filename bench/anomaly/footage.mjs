// Real pedestrian footage offline: OpenCV's sample vtest.avi (768×576, 10 fps, 795 frames) from
// Debian's opencv-doc package, fetched with apt-get download and unpacked with dpkg -x (no root needed).
// Smoke runs that find no copy use synthetic footage instead (walkers crossing a textured street), which
// exercises the same pipeline and says nothing about detection quality.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const SAMPLE = 'usr/share/doc/opencv-doc/examples/data/vtest.avi';

/** Where the unpacked sample is cached under `cacheDir`, or null when it has not been fetched. */
export function cachedPedestrianFootage(cacheDir) {
  const file = path.join(cacheDir, 'opencv-doc', SAMPLE);
  return fs.existsSync(file) ? file : null;
}

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

/**
 * Every frame of `file` as rgb24 at width × height, in memory (vtest at 384×288 is 264 MB), through the ffmpeg
 * video filter `filter` when given (it must end at width × height), else scaled.
 */
export function decodeFrames(ffmpeg, file, { width, height, filter = `scale=${width}:${height}` }) {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-i', file, '-vf', filter,
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

/**
 * Synthetic street footage, rgb24 frames of width × height: a fixed textured background and a few dark
 * "walkers" (upright boxes) crossing at their own speeds, wrapping at the edges. Deterministic.
 */
export function syntheticFootage({ width, height, frames }) {
  let seed = 12345;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const background = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const level = 90 + Math.round(60 * (y / height)) + Math.round(20 * random());
      const i = (y * width + x) * 3;
      background[i] = level;
      background[i + 1] = level;
      background[i + 2] = Math.min(255, level + 10);
    }
  }
  const walkerH = Math.max(8, Math.round(height / 6));
  const walkerW = Math.max(3, Math.round(walkerH / 3));
  const walkers = Array.from({ length: 5 }, (_, k) => ({
    x: random() * width,
    y: Math.round(height * (0.35 + 0.1 * k)) - walkerH,
    speed: (k % 2 === 0 ? 1 : -1) * (0.6 + random()) * (width / 160),
    shade: 20 + Math.round(40 * random()),
  }));
  const out = [];
  for (let t = 0; t < frames; t++) {
    const frame = Buffer.from(background);
    for (const w of walkers) {
      const left = Math.round((((w.x + w.speed * t) % width) + width) % width);
      for (let y = Math.max(0, w.y); y < Math.min(height, w.y + walkerH); y++) {
        for (let dx = 0; dx < walkerW; dx++) {
          const i = (y * width + ((left + dx) % width)) * 3;
          frame[i] = w.shade;
          frame[i + 1] = w.shade;
          frame[i + 2] = w.shade;
        }
      }
    }
    out.push(frame);
  }
  return out;
}
