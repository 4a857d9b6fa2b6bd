import { api } from '../lib/api.js';
import type { ConnectionState } from '../lib/transport/renderer-transport.js';

/** Whether live updates are flowing (web mode's WebSocket can drop). */
class ConnectionStatus {
  state = $state<ConnectionState>(api.connection);

  connect(): () => void {
    return api.onConnectionChange((state) => {
      this.state = state;
    });
  }
}

export const connection = new ConnectionStatus();
