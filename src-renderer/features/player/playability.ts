import type { VideoDto } from '../../../src-main/shared/dto.js';

export type Playability = { playable: true } | { playable: false; reason: string; tone: 'wait' | 'problem' };

/** Whether the player can show a video, and if not, what to tell the person instead of a broken player. */
export function playability(video: VideoDto): Playability {
  switch (video.status) {
    case 'failed':
      return { playable: false, tone: 'problem', reason: `This video could not be imported: ${video.error ?? 'no reason was recorded'}.` };
    case 'missing':
      return { playable: false, tone: 'problem', reason: `The file is no longer at ${video.path}.` };
    case 'processing':
      return {
        playable: false,
        tone: 'wait',
        reason: `The app cannot play ${video.codec ?? 'this codec'} directly, so it is making a playable copy in the background. Frame numbers and times stay those of the original.`,
      };
    case 'ready':
      if (video.playable || video.proxy === 'ready') return { playable: true };
      return {
        playable: false,
        tone: 'problem',
        reason:
          video.proxy === 'failed'
            ? `The app cannot play ${video.codec ?? 'this codec'} and making a playable copy failed.`
            : `The app cannot play ${video.codec ?? 'this codec'} directly and has no playable copy yet.`,
      };
  }
}
