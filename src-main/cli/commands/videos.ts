import type { VideoDto } from '../../shared/dto.js';
import type { Command } from '../command.js';
import { openProjectToRead, withCore } from '../open-core.js';
import { formatTable, printJson, printLine } from '../output.js';
import { expectPositionals, parseCommandArgs } from '../usage.js';

function duration(seconds: number | null): string {
  if (seconds === null) return '-';
  const whole = Math.floor(seconds);
  const m = Math.floor(whole / 60);
  const s = seconds - m * 60;
  return m > 0 ? `${m}:${s.toFixed(2).padStart(5, '0')}` : `${s.toFixed(2)}s`;
}

function row(video: VideoDto): string[] {
  return [
    String(video.id),
    video.name,
    duration(video.durationSec),
    video.fps === null ? '-' : String(Number(video.fps.toFixed(3))),
    video.width !== null && video.height !== null ? `${video.width}x${video.height}` : '-',
    video.codec ?? '-',
    video.status === 'failed' && video.error ? `failed: ${video.error}` : video.status,
  ];
}

export const videosCommand: Command = {
  name: 'videos',
  summary: "list the project's videos",
  help: `Usage: vssl videos DIR [--json]

Lists the videos of the project in DIR: id, name, duration, fps, resolution, codec, status.
  --json   print the videos as a JSON array`,
  async run(args) {
    const { values, positionals } = parseCommandArgs('videos', args, {});
    if (values.help) {
      printLine(this.help);
      return 0;
    }
    expectPositionals('videos', positionals, 1, 1, 'the project folder DIR');
    const videos = await withCore('cli', async (core) => {
      await openProjectToRead(core, positionals[0]!);
      // Opening starts the missing-file check in the background; the list must wait for it.
      await core.presenceChecked();
      return core.call('videos:list', {});
    });
    if (values.json) {
      printJson(videos);
    } else if (videos.length === 0) {
      printLine('No videos yet: add some with "vssl import DIR PATH...".');
    } else {
      const headers = ['ID', 'NAME', 'DURATION', 'FPS', 'RESOLUTION', 'CODEC', 'STATUS'];
      printLine(formatTable(headers, videos.map(row), new Set([0, 2, 3])));
    }
    return 0;
  },
};
