/**
 * Signing in for the demo: a userSig from this server's dev endpoint (`GET /dev/user-sig?userId=`, dev mode only),
 * then `login({sdkAppId, userId, userSig})` from @onseat/vue (the server URL defaults to the page's origin).
 * A real app gets userSig from its own backend, which signs it with the app secret.
 */
import { LoginStatus, useLoginState } from '@onseat/vue';
import { shallowRef } from 'vue';

const STORAGE_KEY = 'onseat-demo-user';

/** Who signed in in this tab (kept in sessionStorage so a reload signs in again). */
export interface SavedUser {
  userId: string;
  userName: string;
}

/** User ids the server accepts: 1-64 of A-Z a-z 0-9 - _. */
export const USER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The user remembered in this tab, if any. */
export function savedUser(): SavedUser | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<SavedUser>;
    return typeof v.userId === 'string' && USER_ID_PATTERN.test(v.userId)
      ? { userId: v.userId, userName: typeof v.userName === 'string' ? v.userName : '' }
      : null;
  } catch {
    return null;
  }
}

/** True while the app signs a remembered user in again after a reload. */
export const restoring = shallowRef(false);

interface DevUserSig {
  sdkAppId: number;
  userId: string;
  userSig: string;
}

async function fetchUserSig(userId: string): Promise<DevUserSig> {
  let res: Response;
  try {
    res = await fetch(`/dev/user-sig?userId=${encodeURIComponent(userId)}`, { cache: 'no-store' });
  } catch {
    throw new Error('The onseat server cannot be reached.');
  }
  const body = (await res.json().catch(() => null)) as (DevUserSig & { error?: { message?: string } }) | null;
  if (res.status === 404) throw new Error('This server does not hand out dev tokens (it runs in production mode).');
  if (!res.ok || !body || typeof body.userSig !== 'string') {
    throw new Error(body?.error?.message ?? `Token request failed (HTTP ${res.status}).`);
  }
  return body;
}

/** Sign in as `userId`, set the display name, and remember the user in this tab. */
export async function signIn(userId: string, userName: string): Promise<void> {
  const { sdkAppId, userSig } = await fetchUserSig(userId);
  const login = useLoginState();
  await login.login({ sdkAppId, userId, userSig });
  const name = userName.trim();
  if (name && name !== login.loginUserInfo.value?.userName) await login.setSelfInfo({ userName: name });
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ userId, userName: name } satisfies SavedUser));
}

/** Sign the remembered user in again (after a reload). Resolves false when there is none or it failed. */
export async function restoreSession(): Promise<boolean> {
  const user = savedUser();
  if (!user || useLoginState().loginStatus.value === LoginStatus.LOGINED) return false;
  restoring.value = true;
  try {
    await signIn(user.userId, user.userName);
    return true;
  } catch {
    return false;
  } finally {
    restoring.value = false;
  }
}

/** Leave any live, close the connection and forget the user. */
export async function signOut(): Promise<void> {
  sessionStorage.removeItem(STORAGE_KEY);
  await useLoginState().logout();
}
