import type {
  DownloadDto,
  DownloadExportParams,
  DownloadExportResult,
  DownloadableExport,
  UploadResult,
} from '../../../src-main/shared/web-files.js';
import { ApiError } from '../../../src-main/shared/errors.js';
import { postForResult, resultOfAnswer, unreachable } from './post-for-result.js';

/**
 * Web mode's file transfers: the browser cannot reach the server's paths, so exports come back as
 * downloads and label files go up as uploads. URLs are relative to the page, which keeps them
 * under a reverse proxy's path prefix.
 */
export class WebFiles {
  /** Runs an export on the server into a fresh download; its files are then fetched by URL. */
  async exportToDownload<M extends DownloadableExport>(
    method: M,
    params: DownloadExportParams<M>,
    name: string,
  ): Promise<DownloadExportResult<M>> {
    return postForResult<DownloadExportResult<M>>(`export/${encodeURIComponent(method)}`, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, params }),
    }, `the export of ${name}`);
  }

  /** Uploads a file the person picked into the open project; the answer names it on the server. */
  async upload(file: File): Promise<UploadResult> {
    return postForResult<UploadResult>(`upload/${encodeURIComponent(file.name)}`, {
      headers: { 'Content-Type': 'application/octet-stream' },
      body: file,
    }, `the upload of ${file.name}`);
  }

  /**
   * Uploads a video dropped on the Library into the project's `uploaded-videos/` (`relativePath` keeps the
   * dropped folder's structure). XMLHttpRequest, not fetch: only it reports upload progress.
   */
  uploadVideo(file: File, relativePath: string, onProgress: (sentBytes: number) => void, signal: AbortSignal): Promise<UploadResult> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      const address = `upload-video/${relativePath.split('/').map(encodeURIComponent).join('/')}`;
      xhr.open('POST', address);
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.upload.onprogress = (event) => onProgress(event.loaded);
      xhr.onerror = () => reject(unreachable('the upload stopped'));
      xhr.onabort = () => reject(new ApiError('CANCELLED', 'Cancelled.'));
      xhr.onload = () => {
        try {
          resolve(resultOfAnswer<UploadResult>(xhr.status, xhr.responseText, `the upload of ${relativePath}`));
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      };
      signal.addEventListener('abort', () => xhr.abort(), { once: true });
      xhr.send(file);
    });
  }

  /** Makes the browser save one file of a download (the server sends it as an attachment). */
  save(download: DownloadDto, index = 0): void {
    const file = download.files[index];
    if (!file) return;
    const link = document.createElement('a');
    link.href = file.url;
    link.download = file.name.split('/').pop() ?? file.name;
    link.rel = 'noopener';
    document.body.append(link);
    link.click();
    link.remove();
  }
}
