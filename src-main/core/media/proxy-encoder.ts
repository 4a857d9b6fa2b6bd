import type { MediaTools } from './media-tools.js';
import { runTool } from './run-tool.js';

export interface ProxyEncoder {
  /** File extension of proxies made with this encoder. */
  ext: '.mp4' | '.webm';
  args: readonly string[];
}

/** H.264 + AAC in mp4, moov first so playback starts before the whole file is read. */
const H264_MP4: ProxyEncoder = {
  ext: '.mp4',
  args: ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart'],
};

/** For ffmpeg builds without libx264 (e.g. LGPL-only builds): VP8 + Vorbis in webm. */
const VP8_WEBM: ProxyEncoder = {
  ext: '.webm',
  args: ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-crf', '10', '-b:v', '4M',
    '-pix_fmt', 'yuv420p', '-c:a', 'libvorbis'],
};

const cache = new Map<string, Promise<ProxyEncoder>>();

/** Picks the proxy encoder this ffmpeg supports; asked once per ffmpeg binary. */
export function proxyEncoderFor(tools: MediaTools): Promise<ProxyEncoder> {
  let found = cache.get(tools.ffmpeg);
  if (!found) {
    found = runTool(tools.ffmpeg, ['-hide_banner', '-encoders'], { timeoutMs: 30_000 }).then((result) =>
      /^\s*V\S*\s+libx264\s/m.test(result.stdout) ? H264_MP4 : VP8_WEBM,
    );
    // A failed lookup (tool missing) must not be remembered: the next call may find it.
    found.catch(() => cache.delete(tools.ffmpeg));
    cache.set(tools.ffmpeg, found);
  }
  return found;
}
