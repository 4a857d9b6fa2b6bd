import { spawn } from 'node:child_process';
import { ApiError } from '../../shared/errors.js';
import { MediaFailure } from './media-failure.js';
import { toolEnv } from './media-tools.js';

export interface RunToolOptions {
  /** Aborting kills the process at once (SIGKILL) and rejects with a CANCELLED ApiError. */
  signal?: AbortSignal;
  /** The process is killed and the call fails with a MediaFailure after this long. */
  timeoutMs: number;
  /** Called with each chunk of stdout as it arrives (ffmpeg `-progress pipe:1`). */
  onStdout?: (chunk: string) => void;
}

export interface RunToolResult {
  code: number | null;
  /** Set when the tool died of a signal it did not get from us (a crash: SIGSEGV, SIGABRT). */
  crashSignal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** More than any ffprobe JSON for a real file; keeps a misbehaving tool from eating memory. */
const MAX_CAPTURE_BYTES = 16 * 1024 * 1024;

/**
 * Runs ffmpeg/ffprobe as a child process. Never rejects for a non-zero exit (callers read
 * stderr to say what was wrong with the file); rejects only for cancel, timeout or a tool
 * that cannot be started at all.
 */
export function runTool(bin: string, args: readonly string[], options: RunToolOptions): Promise<RunToolResult> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(new ApiError('CANCELLED', 'Cancelled.'));
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true, env: toolEnv(bin) });
    let stdout = '';
    let stderr = '';
    let settled = false;
    let failure: Error | null = null;

    const kill = (why: Error) => {
      if (failure) return;
      failure = why;
      child.kill('SIGKILL');
    };
    const onAbort = () => kill(new ApiError('CANCELLED', 'Cancelled.'));
    const timer = setTimeout(() => {
      const name = bin.split(/[\\/]/).pop() ?? bin;
      kill(new MediaFailure(`${name} did not finish within ${Math.round(options.timeoutMs / 1000)} s`));
    }, options.timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };

    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (stdout.length < MAX_CAPTURE_BYTES) stdout += chunk;
      options.onStdout?.(chunk);
    });
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < MAX_CAPTURE_BYTES) stderr += chunk;
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      finish(() =>
        reject(
          err.code === 'ENOENT'
            ? new ApiError('MEDIA_ERROR', `Cannot run ${bin}: it was not found. Set FFMPEG_PATH / FFPROBE_PATH.`)
            : new ApiError('MEDIA_ERROR', `Cannot run ${bin}: ${err.message}`),
        ),
      );
    });
    child.on('close', (code, crashSignal) => {
      finish(() => (failure ? reject(failure) : resolve({ code, crashSignal, stdout, stderr })));
    });
  });
}

/** The last meaningful line ffmpeg/ffprobe wrote, without the "[demuxer @ 0x…]" or "file: " prefix. */
export function lastErrorLine(stderr: string, file?: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => cleanToolLine(line, file))
    .filter((line) => line.length > 0);
  return lines[lines.length - 1] ?? '';
}

export function cleanToolLine(line: string, file?: string): string {
  let text = line.trim().replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/i, '');
  if (file && text.startsWith(`${file}: `)) text = text.slice(file.length + 2);
  return text.trim();
}
