/**
 * The CPU a process spends to wake up for one small message and answer it, with no work in between: two Node
 * processes bounce a 100-byte frame over TCP loopback, one at a time, as a cross-node op's hops do (client → node A
 * → node B → Redis → node A → client). It is the floor under bench:cluster's CPU per op: a cross-node op wakes node A
 * twice, node B twice and Redis once (`syscalls.ts` counts them) where one node wakes once.
 * With a gap between round trips (`[gap ms]`, as bench:cluster's ops come one at a time) the echo process goes idle
 * before each frame: its figure is then the cost of a wake-up from idle, which on a VM is several times a busy one.
 * Usage: `node --import tsx bench/cluster/tools/wakeup.ts [round trips] [gap ms]` (idle machine).
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { cpus } from 'node:os';

const FRAME = Buffer.alloc(100, 7);

if (process.argv[2] === 'echo') {
  // The echo side: answers each frame as it comes.
  const server = createServer((s: Socket) => {
    s.setNoDelay(true);
    s.on('data', (d) => s.write(d));
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
  });
  process.on('message', () => process.exit(0));
} else {
  const trips = Number(process.argv[2] ?? 5000);
  const gapMs = Number(process.argv[3] ?? 0);
  const child = fork(new URL(import.meta.url).pathname, ['echo'], { execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  const socket = createConnection({ port, host: '127.0.0.1' });
  socket.setNoDelay(true);
  await new Promise((r) => socket.once('connect', r));
  /** CPU time (µs) of a process so far, from /proc (user + system, clock ticks of 10 ms turned into µs). */
  const cpuOf = (pid: number): number => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  };
  const bounce = (n: number) =>
    new Promise<void>((resolve) => {
      let left = n;
      const onData = () => {
        if (--left === 0) {
          socket.off('data', onData);
          resolve();
        } else if (gapMs > 0) setTimeout(() => socket.write(FRAME), gapMs);
        else socket.write(FRAME);
      };
      socket.on('data', onData);
      socket.write(FRAME);
    });
  await bounce(gapMs > 0 ? 50 : 500); // warm-up (JIT, TCP)
  const ours0 = process.cpuUsage();
  const echo0 = cpuOf(child.pid ?? 0);
  const t0 = performance.now();
  await bounce(trips);
  const ms = performance.now() - t0;
  const ours = process.cpuUsage(ours0);
  const echo = cpuOf(child.pid ?? 0) - echo0;
  const sender = (ours.user + ours.system) / trips;
  const echoing = echo / trips;
  console.log(
    `${cpus()[0]?.model ?? '?'} × ${cpus().length}, Node ${process.version}; ${trips} round trips of ${FRAME.length} bytes over TCP loopback, ${gapMs} ms apart`,
  );
  console.log(`round trip ${((ms * 1000) / trips - gapMs * 1000).toFixed(1)} µs wall (gap excluded)`);
  console.log(
    `CPU per wake-up (read one frame, write one): echo ${echoing.toFixed(1)} µs (/proc, 10 ms ticks); sender ${sender.toFixed(1)} µs (with its timer's wake-up when there is a gap)`,
  );
  console.log(`RESULT wakeup_us=${((sender + echoing) / 2).toFixed(1)} sender_us=${sender.toFixed(1)} echo_us=${echoing.toFixed(1)}`);
  socket.destroy();
  child.send('stop');
}
