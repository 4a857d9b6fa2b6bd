import type { CoreContext, ProjectSession } from '../core-context.js';

/** Runs when a project opens: background media work that an earlier session left undone. */
export function startMediaSession(_ctx: CoreContext, _session: ProjectSession): void {
  // Filled in by the import pipeline (missing-file check, proxies left pending).
}
