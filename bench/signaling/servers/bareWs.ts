/**
 * Comparison server (a): a bare `ws` server. Audience sockets just connect; when the host socket
 * (`?role=host`) sends any message, the server sends the same pre-built frame bytes (the seat.listChanged
 * frame captured from onseat) to every audience socket, as a text frame.
 */
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { serveIpc } from '../lib/ipc.js';
import { serverProbes } from './common.js';

let frame: Buffer = Buffer.from('{}');
const audience = new Set<WebSocket>();

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, clientTracking: false, backlog: 4096 });
const listening = new Promise<number>((resolve) => wss.on('listening', () => resolve((wss.address() as AddressInfo).port)));

wss.on('connection', (ws, req) => {
  const isHost = (req.url ?? '').includes('role=host');
  if (isHost) {
    ws.on('message', () => {
      for (const s of audience) s.send(frame, { binary: false });
    });
  } else {
    audience.add(ws);
    ws.on('close', () => audience.delete(ws));
  }
  ws.on('error', () => undefined);
});

serveIpc({
  async start() {
    return { port: await listening };
  },
  setFrame(args: { frame: string }) {
    frame = Buffer.from(args.frame);
    return { bytes: frame.length };
  },
  count() {
    return { audience: audience.size };
  },
  ...serverProbes,
});
