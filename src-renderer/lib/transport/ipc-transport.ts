import type {
  EventMap,
  EventName,
  MediaKind,
  MethodName,
  ParamsOf,
  PreloadBridge,
  ResultOf,
} from '../../../src-main/shared/contract.js';
import { unwrapEnvelope } from '../../../src-main/shared/errors.js';
import type { ConnectionState, RendererTransport } from './renderer-transport.js';

/** Desktop: the preload's `window.vssl` bridge; it answers with envelopes, rebuilt here as errors. */
export class IpcTransport implements RendererTransport {
  readonly kind = 'ipc' as const;
  readonly connection: ConnectionState = 'open';
  /** The desktop reads and writes local paths: no downloads or uploads. */
  readonly webFiles = null;

  constructor(private readonly bridge: PreloadBridge) {}

  async invoke<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    return unwrapEnvelope<ResultOf<M>>(await this.bridge.invoke(method, params ?? {}));
  }

  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    return this.bridge.on(event, (payload) => listener(payload as EventMap[E]));
  }

  // IPC cannot drop events the way a socket can: nothing to resync.
  onResync(): () => void {
    return () => {};
  }

  onConnectionChange(): () => void {
    return () => {};
  }

  mediaUrl(videoId: number, kind: MediaKind): string {
    const scheme = this.bridge.mediaScheme.replace(/:(\/\/)?$/, '');
    return `${scheme}://media/${videoId}/${kind}`;
  }
}
