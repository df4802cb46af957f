/**
 * Where everything lives in Redis. Every key starts with the prefix (default `onseat:`), so several deployments (or
 * tests) can share one Redis. Keys of one live: `live:{key}` (record JSON), `members:{key}` (hash userId → member
 * JSON), `events:{key}` (list of logged events, the resume window), `lease:{key}` (`nodeId/epoch`, with a TTL),
 * `epoch:{key}` (the fencing counter). `listed:{sdkAppId}` (sorted set of the app's public lives: score
 * -createTime, member liveId; `live.list` on any node reads it). Shared: `lives` (set of live keys), `ended` (hash key → reason) with
 * `endedOrder` (sorted set, oldest first), `node:{id}` (a node's heartbeat, with a TTL: where its direct link listens, `host port`, or '1'),
 * `link-secret` (what nodes prove they know when they open a direct link), `reply:{nodeId/requestId}` (a forwarded
 * command's answer, kept by its commit for a few seconds, with a TTL). Channels: `ch:live:{key}`
 * (the deliveries of one live), `ch:node:{id}` (commands forwarded to a node, their replies, frames for one socket,
 * and deliveries for users whose sockets are on that node).
 */
export class Keys {
  constructor(readonly prefix: string) {}
  live = (key: string): string => `${this.prefix}live:${key}`;
  members = (key: string): string => `${this.prefix}members:${key}`;
  events = (key: string): string => `${this.prefix}events:${key}`;
  lease = (key: string): string => `${this.prefix}lease:${key}`;
  epoch = (key: string): string => `${this.prefix}epoch:${key}`;
  node = (id: string): string => `${this.prefix}node:${id}`;
  get linkSecret(): string {
    return `${this.prefix}link-secret`;
  }
  /** The public lives of one app, newest first (sorted set: score -createTime, member liveId). */
  listed = (sdkAppId: number): string => `${this.prefix}listed:${sdkAppId}`;
  get lives(): string {
    return `${this.prefix}lives`;
  }
  /** A forwarded command's answer, kept with its commit for a while (`nodeId/requestId`; see `CommitMessage.remember`). */
  reply = (id: string): string => `${this.prefix}reply:${id}`;
  liveChannel = (key: string): string => `${this.prefix}ch:live:${key}`;
  nodeChannel = (id: string): string => `${this.prefix}ch:node:${id}`;
}

export const DEFAULT_PREFIX = 'onseat:';
