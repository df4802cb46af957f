import { Redis } from 'ioredis';
import { parseStoredEvent } from '../../src/RedisLiveStore.js';

/** The seqs and event types of a live's log as Redis holds it (the authoritative history). */
export async function loggedEvents(url: string, liveKey: string, prefix = 'onseat:'): Promise<{ seq: number; type: string; payload: unknown }[]> {
  const r = new Redis(url);
  try {
    const list = await r.lrange(`${prefix}events:${liveKey}`, 0, -1);
    return list.map((s) => {
      const e = parseStoredEvent(s);
      const f = JSON.parse(e.frame) as { type: string; payload: unknown };
      return { seq: e.seq, type: f.type, payload: f.payload };
    });
  } finally {
    r.disconnect();
  }
}

/** Which node holds a live's lease (null: nobody). */
export async function leaseOwner(url: string, liveKey: string, prefix = 'onseat:'): Promise<string | null> {
  const r = new Redis(url);
  try {
    const v = await r.get(`${prefix}lease:${liveKey}`);
    return v === null ? null : v.slice(0, v.lastIndexOf('/'));
  } finally {
    r.disconnect();
  }
}
