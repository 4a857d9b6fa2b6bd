import type { ConnectionState } from './renderer-transport.js';

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 8_000;

/**
 * A WebSocket that keeps itself connected: reconnects with exponential backoff and tells
 * `onResync` listeners when it is back, because events sent while it was down are lost.
 */
export class EventSocket {
  state: ConnectionState = 'connecting';
  private socket: WebSocket | null = null;
  private retryMs = FIRST_RETRY_MS;
  private everOpened = false;
  private readonly resyncListeners = new Set<() => void>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();

  constructor(
    private readonly url: string,
    private readonly deliver: (event: string, payload: unknown) => void,
  ) {
    this.connect();
  }

  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  onStateChange(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private connect(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.retryMs = FIRST_RETRY_MS;
      const reconnected = this.everOpened;
      this.everOpened = true;
      this.setState('open');
      if (reconnected) for (const listener of this.resyncListeners) listener();
    });
    socket.addEventListener('message', (message) => this.receive(message.data));
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.setState('reconnecting');
      const delay = this.retryMs;
      this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
      setTimeout(() => this.connect(), delay);
    });
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      console.warn('Ignoring an event message that is not JSON');
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const { event, payload } = message as { event?: unknown; payload?: unknown };
    if (typeof event !== 'string') {
      console.warn('Ignoring an event message without an event name');
      return;
    }
    this.deliver(event, payload);
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}
