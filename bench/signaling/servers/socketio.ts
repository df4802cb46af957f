/**
 * Comparison server (b): socket.io 4, websocket transport only, no compression. Audience sockets join the
 * room `fan`; when the host socket (`?role=host`) emits `trigger`, the server does one room broadcast
 * `io.to('fan').emit('evt', frameObject)` of the captured seat.listChanged frame.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { serveIpc } from '../lib/ipc.js';
import { serverProbes } from './common.js';

let frameObject: unknown = {};
const http = createServer();
const io = new Server(http, { transports: ['websocket'], perMessageDeflate: false, serveClient: false, cors: { origin: '*' } });

io.on('connection', (socket) => {
  if (socket.handshake.query.role === 'host') {
    socket.on('trigger', () => {
      io.to('fan').emit('evt', frameObject);
    });
  } else {
    void socket.join('fan');
  }
});

const listening = new Promise<number>((resolve) =>
  http.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => resolve((http.address() as AddressInfo).port)),
);

serveIpc({
  async start() {
    return { port: await listening };
  },
  setFrame(args: { frame: string }) {
    frameObject = JSON.parse(args.frame);
    return { bytes: args.frame.length };
  },
  count() {
    return { audience: io.sockets.adapter.rooms.get('fan')?.size ?? 0 };
  },
  ...serverProbes,
});
