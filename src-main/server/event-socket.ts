import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import type { Core } from '../core/core.js';

/**
 * GET /events: a WebSocket that receives `{"event": name, "payload": ...}` for every core event.
 * Clients never send anything meaningful; messages from them are ignored.
 */
export class EventSocket {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  private readonly unsubscribe: () => void;

  constructor(core: Core) {
    this.unsubscribe = core.events.onAny((event, payload) => {
      const message = JSON.stringify({ event, payload });
      for (const client of this.wss.clients) {
        if (client.readyState === WebSocket.OPEN) client.send(message);
      }
    });
  }

  /** Completes an upgrade the caller has already authorised. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => ws.terminate());
      this.wss.emit('connection', ws, req);
    });
  }

  close(): void {
    this.unsubscribe();
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }
}

/** Answers a refused upgrade with a plain HTTP status, then drops the socket. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const statusText: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${statusText[status] ?? 'Error'}\r\n` +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
