import type {
  EventMap,
  EventName,
  MediaKind,
  MethodName,
  ParamsOf,
  ResultOf,
} from '../../../src-main/shared/contract.js';
import { ApiError, errorFromEnvelope, isErrorEnvelope, unwrapEnvelope } from '../../../src-main/shared/errors.js';
import { EventSocket } from './event-socket.js';
import { WebFiles } from './web-files.js';
import {
  EventListeners,
  type ConnectionState,
  type RendererTransport,
} from './renderer-transport.js';

/**
 * Web mode: `POST api/<method>` with JSON params, events over a WebSocket at `events`, both
 * relative to the page so that a reverse proxy may serve the app under a path prefix. Authentication is a cookie the server set when the page was opened with its token, so
 * same-origin fetch and WebSocket carry it without any code here.
 */
export class HttpTransport implements RendererTransport {
  readonly kind = 'http' as const;
  private readonly listeners = new EventListeners();
  private readonly socket: EventSocket;
  readonly webFiles = new WebFiles();

  constructor(baseUri: string = document.baseURI) {
    const url = new URL('events', baseUri);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = '';
    url.hash = '';
    this.socket = new EventSocket(url.href, (event, payload) => this.listeners.emit(event, payload));
  }

  get connection(): ConnectionState {
    return this.socket.state;
  }

  async invoke<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    let response: Response;
    try {
      response = await fetch(`api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(params ?? {}),
        credentials: 'same-origin',
      });
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
    if (response.status === 401 || response.status === 403) {
      throw new ApiError(
        'IO_ERROR',
        `The server refused this page (HTTP ${response.status}): open the exact URL, with its token, that "vssl serve" printed.`,
      );
    }
    if (body === undefined) {
      throw new ApiError('INTERNAL', `The server answered ${method} with HTTP ${response.status}: ${text.slice(0, 200)}`);
    }
    return unwrapEnvelope<ResultOf<M>>(body);
  }

  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    return this.listeners.add(event, listener);
  }

  onResync(listener: () => void): () => void {
    return this.socket.onResync(listener);
  }

  onConnectionChange(listener: (state: ConnectionState) => void): () => void {
    return this.socket.onStateChange(listener);
  }

  mediaUrl(videoId: number, kind: MediaKind): string {
    return `media/${videoId}/${kind}`;
  }
}
