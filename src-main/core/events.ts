import type { EventMap, EventName } from '../shared/contract.js';

export type EventListener<E extends EventName> = (payload: EventMap[E]) => void;
export type AnyEventListener = <E extends EventName>(event: E, payload: EventMap[E]) => void;

/** A typed broadcast bus: adapters subscribe with `onAny` and forward to their UIs. */
export class EventBus {
  private readonly listeners = new Set<AnyEventListener>();

  emit<E extends EventName>(event: E, payload: EventMap[E]): void {
    for (const listener of this.listeners) {
      try {
        listener(event, payload);
      } catch (err) {
        // A broken subscriber (a closed socket, a destroyed window) must not stop the others.
        console.error(`event listener failed for ${event}:`, err);
      }
    }
  }

  onAny(listener: AnyEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  on<E extends EventName>(event: E, listener: EventListener<E>): () => void {
    const wanted: EventName = event;
    return this.onAny((name, payload) => {
      if (name === wanted) listener(payload as unknown as EventMap[E]);
    });
  }
}
