import type { ParsedRequestPayload } from '@onseat/protocol';
import { fail } from '../EngineError.js';
import type { OpContext } from './context.js';
import { requireHost } from './seats.js';

const MAX_METADATA_KEYS = 10;
const MAX_METADATA_VALUE = 2048;
const MAX_METADATA_TOTAL = 16 * 1024;

export function updateLive(ctx: OpContext, p: ParsedRequestPayload<'live.update'>) {
  requireHost(ctx);
  const r = ctx.live.record;
  let changed = false;
  const set = <K extends keyof typeof r>(k: K, v: (typeof r)[K] | undefined): void => {
    if (v === undefined || JSON.stringify(r[k]) === JSON.stringify(v)) return;
    r[k] = v;
    changed = true;
  };
  set('liveName', p.liveName);
  set('notice', p.notice);
  set('coverUrl', p.coverUrl);
  set('backgroundUrl', p.backgroundUrl);
  set('categoryList', p.categoryList);
  set('activityStatus', p.activityStatus);
  set('isPublicVisible', p.isPublicVisible);
  set('isMessageDisable', p.isMessageDisable);
  set('isGiftEnabled', p.isGiftEnabled);
  set('layoutTemplate', p.layoutTemplate);
  const live = ctx.live.infoWire();
  if (changed) ctx.live.emit('live.infoChanged', { live }, 'all');
  return { live };
}

export function setMetadata(ctx: OpContext, p: ParsedRequestPayload<'live.setMetadata'>) {
  requireHost(ctx);
  const next = { ...ctx.live.record.metadata };
  for (const [k, v] of Object.entries(p.metadata)) {
    if (v.length > MAX_METADATA_VALUE) fail('METADATA_VALUE_SIZE_LIMIT', `Metadata value of "${k}" is longer than ${MAX_METADATA_VALUE}`);
    if (v === '') delete next[k];
    else next[k] = v;
  }
  if (Object.keys(next).length > MAX_METADATA_KEYS) fail('METADATA_KEY_COUNT_LIMIT');
  if (JSON.stringify(next).length > MAX_METADATA_TOTAL) fail('METADATA_VALUE_SIZE_LIMIT');
  ctx.live.record.metadata = next;
  if (Object.keys(p.metadata).length > 0) ctx.live.emit('live.metadataChanged', { metadata: { ...p.metadata } }, 'all');
  return {};
}

export function getMetadata(ctx: OpContext, p: ParsedRequestPayload<'live.getMetadata'>) {
  const all = ctx.live.record.metadata;
  if (!p.keys || p.keys.length === 0) return { metadata: { ...all } };
  const metadata: Record<string, string> = {};
  for (const k of p.keys) if (all[k] !== undefined) metadata[k] = all[k];
  return { metadata };
}
