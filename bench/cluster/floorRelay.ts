/**
 * A relay process of the hop floor (`floor.ts`): it moves fixed-size messages along the hops of a seat op and does
 * nothing else: no parsing beyond counting bytes, no JSON, no engine. Roles (argv[2]):
 * - `one`: the single node. A frame from the guest socket → an answer to the guest and an event to the host.
 * - `a`: node A. A frame from the guest → the link to B; a message from Redis (its subscription) → the answer to the guest.
 * - `b`: node B, the owner. A frame on the link → a PUBLISH to Redis (the commit); Redis's reply → the event to the host.
 * Sizes are those of bench:cluster's apply (`SIZES`). Tells its parent `{ port }` once it listens.
 */
import { createConnection, createServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

export const SIZES = { request: 110, link: 420, commit: 700, answer: 160, event: 270 };
export const CHANNEL = 'floor:a';

/** Calls `fire` once per `size` bytes read from `socket` (a message may arrive cut in pieces or several at once). */
export function onMessages(socket: Socket, size: number, fire: () => void): void {
  let have = 0;
  socket.on('data', (d: Buffer) => {
    have += d.length;
    while (have >= size) {
      have -= size;
      fire();
    }
  });
}

/** A RESP command as one Buffer. */
export function resp(...args: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a) : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** What a subscriber reads for one PUBLISH of `payload` bytes on CHANNEL. */
export const pushedBytes = (payload: number) => resp('message', CHANNEL, Buffer.alloc(payload)).length;

function listen(onSocket: (s: Socket) => void): void {
  const server = createServer((s) => {
    s.setNoDelay(true);
    s.once('data', (first: Buffer) => {
      // the first byte names the socket: g(uest), h(ost) or l(ink); the rest is a message
      const kind = String.fromCharCode(first[0]!);
      (s as Socket & { kind?: string }).kind = kind;
      onSocket(s);
      if (first.length > 1) s.emit('data', first.subarray(1));
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
  });
}

const kindOf = (s: Socket) => (s as Socket & { kind?: string }).kind;

async function connect(port: number, first?: string): Promise<Socket> {
  const s = createConnection({ port, host: '127.0.0.1' });
  s.setNoDelay(true);
  await new Promise((r) => s.once('connect', r));
  if (first) s.write(first);
  return s;
}

async function main(): Promise<void> {
  const role = process.argv[2];
  const answer = Buffer.alloc(SIZES.answer, 1);
  const event = Buffer.alloc(SIZES.event, 2);
  if (role === 'one') {
    let host: Socket | undefined;
    listen((s) => {
      if (kindOf(s) === 'h') host = s;
      else
        onMessages(s, SIZES.request, () => {
          s.write(answer);
          host?.write(event);
        });
    });
  } else if (role === 'a') {
    const [bPort, redisPort] = process.argv.slice(3).map(Number) as [number, number];
    const link = await connect(bPort, 'l');
    const sub = await connect(redisPort);
    sub.write(resp('SUBSCRIBE', CHANNEL));
    await new Promise((r) => sub.once('data', r)); // the subscription's confirmation
    const linkFrame = Buffer.alloc(SIZES.link, 3);
    let guest: Socket | undefined;
    onMessages(sub, pushedBytes(SIZES.answer), () => guest?.write(answer));
    listen((s) => {
      guest = s;
      onMessages(s, SIZES.request, () => link.write(linkFrame));
    });
  } else if (role === 'b') {
    const redisPort = Number(process.argv[3]);
    const cmd = await connect(redisPort);
    // the commit: a script as the real one is, with a payload of a real one's size, publishing the answer to A
    cmd.write(resp('SCRIPT', 'LOAD', `redis.call('PUBLISH', KEYS[1], string.sub(ARGV[1], 1, ${SIZES.answer})) return 1`));
    const sha = await new Promise<string>((r) => cmd.once('data', (d: Buffer) => r(d.toString().split('\r\n')[1]!)));
    const commit = resp('EVALSHA', sha, '1', CHANNEL, Buffer.alloc(SIZES.commit, 4));
    let host: Socket | undefined;
    onMessages(cmd, ':1\r\n'.length, () => host?.write(event));
    listen((s) => {
      if (kindOf(s) === 'h') host = s;
      else onMessages(s, SIZES.link, () => cmd.write(commit));
    });
  } else throw new Error(`unknown role ${role}`);
  process.on('message', () => process.exit(0));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
