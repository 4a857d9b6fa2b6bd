import type { VideoStatus } from '../../shared/dto.js';
import type { VideoRow } from './video-repository.js';

/** The status a video has while its file is where the row says: what its proxy state implies. */
export function statusWhenPresent(row: Pick<VideoRow, 'proxy_state'>): VideoStatus {
  switch (row.proxy_state) {
    case 'pending':
      return 'processing';
    case 'failed':
      return 'failed';
    default:
      return 'ready';
  }
}
