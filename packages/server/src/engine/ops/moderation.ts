import { Role, type ParsedRequestPayload } from '@onseat/protocol';
import { fail } from '../EngineError.js';
import type { OpContext } from './context.js';
import { requireHost } from './seats.js';

/** Ban a member from chatting or lift the ban (owner and admins; only the owner may ban an admin; nobody the owner). */
export function disableSendMessage(ctx: OpContext, p: ParsedRequestPayload<'audience.disableSendMessage'>) {
  requireHost(ctx);
  const { live } = ctx;
  const target = live.roleOf(p.userId);
  if (target === Role.Owner) fail('NEED_OWNER_PERMISSION', 'The owner cannot be banned from chatting');
  if (target === Role.Administrator && live.roleOf(ctx.userId) !== Role.Owner) {
    fail('NEED_OWNER_PERMISSION', 'Only the owner may ban an administrator from chatting');
  }
  const banned = live.record.messageBanned ?? [];
  const has = banned.includes(p.userId);
  if (p.isDisable && !has && !live.members.has(p.userId)) fail('USER_NOT_IN_LIVE', `User ${p.userId} is not in the live`);
  if (has === p.isDisable) return {};
  live.record.messageBanned = p.isDisable ? [...banned, p.userId] : banned.filter((id) => id !== p.userId);
  live.emit('audience.messageDisabledChanged', { user: live.userInfo(p.userId), isDisable: p.isDisable }, 'all');
  return {};
}

export function messageBannedList(ctx: OpContext) {
  const { live } = ctx;
  return { users: (live.record.messageBanned ?? []).map((id) => ({ ...live.userInfo(id) })) };
}
