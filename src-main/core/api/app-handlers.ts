import { ApiError } from '../../shared/errors.js';
import type { HandlerGroup } from './handler-types.js';
import type { CoreContext } from '../core-context.js';
import { appVersion } from '../app-version.js';
import { readLicenceNotices } from '../licences/licence-notices.js';

export function appHandlers(ctx: CoreContext): HandlerGroup<'app:info' | 'app:notices' | 'dialog:open'> {
  return {
    'app:info': () => ({
      name: 'VSSL Studio',
      version: appVersion(),
      mode: ctx.options.mode,
      platform: process.platform,
      project: ctx.currentSession()?.project.info() ?? null,
      capabilities: { nativeDialogs: ctx.options.mode === 'electron' },
      tools: { ffmpeg: ctx.tools.ffmpeg, ffprobe: ctx.tools.ffprobe },
    }),
    'app:notices': () => readLicenceNotices(),
    // The Electron shell replaces this handler with one that shows a native dialog.
    'dialog:open': () => {
      throw new ApiError(
        'UNSUPPORTED',
        'Native file dialogs exist only in the desktop app; type or browse to a path instead.',
      );
    },
  };
}
