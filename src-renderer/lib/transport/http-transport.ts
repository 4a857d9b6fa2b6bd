import type {
  EventMap,
  EventName,
  MediaKind,
  MethodName,
  ParamsOf,
  ResultOf,
} from '../../../src-main/shared/contract.js';
import { EventSocket } from './event-socket.js';
import { postForResult } from './post-for-result.js';
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

  // A browser never learns where a dropped file lies: it is uploaded instead (WebFiles.uploadVideo).
  localPathOf(): string | null {
    return null;
  }

  get connection(): ConnectionState {
    return this.socket.state;
  }

  invoke<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    return postForResult<ResultOf<M>>(
      `api/${method}`,
      { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(params ?? {}) },
      method,
    );
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
