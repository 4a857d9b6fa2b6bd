import type {
  DownloadDto,
  DownloadExportParams,
  DownloadExportResult,
  DownloadableExport,
  UploadResult,
} from '../../../src-main/shared/web-files.js';
import { ApiError, errorFromEnvelope, isErrorEnvelope, unwrapEnvelope } from '../../../src-main/shared/errors.js';

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
    return this.post<DownloadExportResult<M>>(`export/${encodeURIComponent(method)}`, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, params }),
    });
  }

  /** Uploads a file the person picked into the open project; the answer names it on the server. */
  async upload(file: File): Promise<UploadResult> {
    return this.post<UploadResult>(`upload/${encodeURIComponent(file.name)}`, {
      headers: { 'Content-Type': 'application/octet-stream' },
      body: file,
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

  private async post<R>(url: string, init: { headers: Record<string, string>; body: BodyInit }): Promise<R> {
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', credentials: 'same-origin', ...init });
    } catch (err) {
      throw new ApiError(
        'IO_ERROR',
        `Cannot reach the VSSL server (${err instanceof Error ? err.message : String(err)}). Is \`vssl serve\` still running?`,
      );
    }
    const text = await response.text();
    let body: unknown = undefined;
    try {
      body = JSON.parse(text);
    } catch {
      // Not an envelope: explained below from the status.
    }
    if (isErrorEnvelope(body)) throw errorFromEnvelope(body);
    if (body === undefined) {
      throw new ApiError('INTERNAL', `The server answered with HTTP ${response.status}: ${text.slice(0, 200)}`);
    }
    return unwrapEnvelope<R>(body);
  }
}
