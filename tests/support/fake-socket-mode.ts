import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface SocketModeAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export interface FakeSocketMode {
  /** The wss-style URL `apps.connections.open` should hand out. */
  readonly url: string;
  /** Resolves once the app has connected and been greeted. */
  connected(): Promise<void>;
  /** Delivers one envelope as Slack would and resolves with the app's acknowledgement. */
  deliver(type: 'slash_commands' | 'interactive' | 'events_api', payload: unknown): Promise<SocketModeAck>;
  close(): Promise<void>;
}

/** Slack's side of a Socket Mode connection: says hello, pushes envelopes, collects acks. */
export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  let socket: WebSocket | undefined;
  let onConnected: (() => void) | undefined;
  const connected = new Promise<void>((resolve) => {
    onConnected = resolve;
  });
  const pending = new Map<string, (ack: SocketModeAck) => void>();

  server.on('connection', (client) => {
    socket = client;
    client.on('message', (data) => {
      const ack = JSON.parse(String(data)) as SocketModeAck;
      pending.get(ack.envelope_id)?.(ack);
      pending.delete(ack.envelope_id);
    });
    client.send(
      JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0FAKEAPP' } }),
    );
    onConnected?.();
  });

  return {
    url: `ws://127.0.0.1:${port}/link`,
    connected: () => connected,
    deliver(type, payload) {
      if (!socket) return Promise.reject(new Error('the app has not connected'));
      const envelopeId = randomUUID();
      const acked = new Promise<SocketModeAck>((resolve) => pending.set(envelopeId, resolve));
      socket.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          accepts_response_payload: type !== 'events_api',
        }),
      );
      return acked;
    },
    async close() {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
