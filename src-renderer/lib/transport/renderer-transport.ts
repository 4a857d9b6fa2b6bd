import type { EventMap, EventName, Transport } from '../../../src-main/shared/contract.js';
import type { WebFiles } from './web-files.js';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting';

/**
 * What the renderer needs beyond the shared `Transport`: the event channel can drop (web mode)
 * and the state must be fetched again after it comes back, because events were missed.
 */
export interface RendererTransport extends Transport {
  readonly kind: 'ipc' | 'http';
  /** Called after the event channel came back from a drop; refetch state there. */
  onResync(listener: () => void): () => void;
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  readonly connection: ConnectionState;
  /** Web mode only: exports as browser downloads, label files as uploads. */
  readonly webFiles: WebFiles | null;
}

type AnyListener = (payload: unknown) => void;

/** A small typed listener registry shared by both transports. */
export class EventListeners {
  private readonly listeners = new Map<string, Set<AnyListener>>();

  add<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const entry = listener as AnyListener;
    set.add(entry);
    return () => set.delete(entry);
  }

  /** Delivers to the listeners of `event`; a name nobody listens to (say, from a newer core) is dropped. */
  emit(event: string, payload: unknown): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        listener(payload);
      } catch (err) {
        console.error(`A listener for ${event} failed`, err);
      }
    }
  }
}
