import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export interface MediaTools {
  ffmpeg: string;
  ffprobe: string;
}

const require = createRequire(import.meta.url);

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, process.platform === 'win32' ? `${name}.exe` : name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}

function bundled(pkg: '@ffmpeg-installer/ffmpeg' | '@ffprobe-installer/ffprobe'): string | null {
  try {
    const mod = require(pkg) as { path?: string };
    // Inside a packaged app the binaries are unpacked next to the asar, not inside it.
    return mod.path ? mod.path.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`) : null;
  } catch {
    return null;
  }
}

/**
 * Finds ffmpeg and ffprobe: an explicit FFMPEG_PATH / FFPROBE_PATH first, then the system's
 * (usually newer, with the person's codecs), then the binaries shipped in the npm packages.
 */
export function resolveMediaTools(overrides: Partial<MediaTools> = {}): MediaTools {
  const ffmpeg =
    overrides.ffmpeg ?? process.env.FFMPEG_PATH ?? onPath('ffmpeg') ?? bundled('@ffmpeg-installer/ffmpeg');
  const ffprobe =
    overrides.ffprobe ?? process.env.FFPROBE_PATH ?? onPath('ffprobe') ?? bundled('@ffprobe-installer/ffprobe');
  return { ffmpeg: ffmpeg ?? 'ffmpeg', ffprobe: ffprobe ?? 'ffprobe' };
}

/**
 * Environment for running a tool. The static ffmpeg/ffprobe builds shipped in the npm packages
 * link glibc statically, and iconv_open there loads the host's gconv modules, built for another
 * glibc: ffprobe then dies with SIGSEGV on every MPEG-TS file (the demuxer converts DVB service
 * names). Pointing GCONV_PATH nowhere makes iconv fall back to its built-in charsets instead.
 */
export function toolEnv(bin: string): NodeJS.ProcessEnv {
  if (!/[\\/]@ff(mpeg|probe)-installer[\\/]/.test(bin)) return process.env;
  return { ...process.env, GCONV_PATH: path.join(path.dirname(bin), 'no-gconv-modules') };
}
