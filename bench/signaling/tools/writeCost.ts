/**
 * Server CPU per socket-message of one broadcast frame, by write method (diagnostics for the fan-out path):
 * - `ws.send`: what a plain `ws` server does (a header Buffer and two option objects per socket, cork + 2 writes);
 * - `prebuilt`: `transport/wireFrame.ts` — header + payload built once, one `socket.write` per socket;
 * - `sliced N ms`: the prebuilt frame written N ms per event-loop turn, yielding with setImmediate in between (as the
 *   server's delivery rounds do), to see what slicing costs.
 * Usage: node --import tsx bench/signaling/tools/writeCost.ts [sockets=5000] [rounds=40] [bytes=1000]
 * The client sockets live in a child process (this file with `client`), pinned to the other CPU when taskset exists.
 */
import { fork, spawnSync } from 'node:child_process';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { broadcastFrame, writeBroadcast } from '../../../packages/server/src/transport/wireFrame.js';

const [mode, ...rest] = process.argv.slice(2);

if (mode === 'client') {
  const [url = '', n = '0'] = rest;
  let open = 0;
  let got = 0;
  const want = Number(n);
  for (let i = 0; i < want; i++) {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on('open', () => {
      if (++open === want) process.send?.({ open });
    });
    ws.on('message', () => {
      if (++got % want === 0) process.send?.({ got });
    });
    ws.on('error', () => undefined);
  }
} else {
  const sockets = Number(mode ?? 5000);
  const rounds = Number(rest[0] ?? 40);
  const bytes = Number(rest[1] ?? 1000);
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, clientTracking: false, backlog: 4096 });
  const peers: WebSocket[] = [];
  wss.on('connection', (ws) => {
    ws.on('error', () => undefined);
    peers.push(ws);
  });
  await new Promise<void>((r) => wss.on('listening', () => r()));
  const port = (wss.address() as AddressInfo).port;
  spawnSync('taskset', ['-pc', '0', String(process.pid)], { stdio: 'ignore' });
  const child = fork(new URL(import.meta.url).pathname, ['client', `ws://127.0.0.1:${port}`, String(sockets)], {
    execArgv: ['--import', 'tsx'],
  });
  if (child.pid) spawnSync('taskset', ['-a', '-pc', '1', String(child.pid)], { stdio: 'ignore' });
  let received = 0;
  let onGot: (() => void) | undefined;
  await new Promise<void>((resolve) =>
    child.on('message', (m: { open?: number; got?: number }) => {
      if (m.open) resolve();
      if (m.got) {
        received = m.got;
        onGot?.();
      }
    }),
  );
  while (peers.length < sockets) await new Promise((r) => setTimeout(r, 50));
  const json = Buffer.from(JSON.stringify({ kind: 'evt', type: 'x', liveId: 'l', seq: 0, payload: { s: 'x'.repeat(Math.max(0, bytes - 60)) } }));
  const text = { binary: false } as const;
  /** The prebuilt frame written in slices of `ms` per event-loop turn (as the server's delivery rounds do). */
  const sliced = (ms: number) => () =>
    new Promise<void>((resolve) => {
      const frame = broadcastFrame(json);
      let i = 0;
      const slice = () => {
        const end = performance.now() + ms;
        while (i < peers.length && performance.now() < end) {
          for (let k = 0; k < 32 && i < peers.length; k++) writeBroadcast(peers[i++] as WebSocket, frame);
        }
        if (i < peers.length) setImmediate(slice);
        else resolve();
      };
      slice();
    });
  const methods: Record<string, () => void | Promise<void>> = {
    'ws.send': () => {
      for (const ws of peers) ws.send(json, text);
    },
    prebuilt: () => {
      const frame = broadcastFrame(json);
      for (const ws of peers) writeBroadcast(ws, frame);
    },
    'sliced 2 ms': sliced(2),
    'sliced 10 ms': sliced(10),
  };
  // Methods alternate round by round, so load changes and JIT warm-up hit them alike.
  const totals = Object.fromEntries(Object.keys(methods).map((k) => [k, { cpu: 0, wall: 0, last: 0 }]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, write] of Object.entries(methods)) {
      const target = received + sockets;
      const all = new Promise<void>((resolve) => (onGot = () => received >= target && resolve()));
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await write();
      // The writes' completions run on the next ticks: count them too.
      await new Promise((resolve) => setImmediate(resolve));
      const c1 = process.cpuUsage(c0);
      const t = totals[name] as { cpu: number; wall: number; last: number };
      t.wall += performance.now() - t0;
      t.cpu += c1.user + c1.system;
      await all;
      t.last += performance.now() - t0;
    }
  }
  const results = Object.entries(totals).map(
    ([name, t]) =>
      `${name.padEnd(12)} ${(t.cpu / (rounds * sockets)).toFixed(2)} µs CPU per socket-message, ${(t.wall / rounds).toFixed(1)} ms writing per round, ${(t.last / rounds).toFixed(1)} ms until the last socket has it`,
  );
  process.stdout.write(`${sockets} sockets, ${rounds} rounds, ${json.length}-byte frame; load average ${os.loadavg()[0]?.toFixed(2)}\n`);
  for (const line of results) process.stdout.write(`${line}\n`);
  child.kill();
  process.exit(0);
}
