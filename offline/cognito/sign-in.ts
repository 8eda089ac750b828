/**
 * Memory-only sign-in state the authentication operations share: the temporary lockout after repeated
 * failures, the challenges in flight (PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED) and the decoy salt of
 * unknown users. None of it survives a restart (README.md, divergence 9).
 */
import { createHmac } from 'node:crypto';
import type { PendingChallenge, PoolContext } from './context.js';
import { passwordAttemptsExceeded, sessionExpired } from '../errors.js';

/** Cognito's default AuthSessionValidity: 3 minutes. */
const CHALLENGE_TTL_MS = 3 * 60_000;
const MAX_PENDING_CHALLENGES = 10_000;
/** Cognito locks sign-in temporarily after 5 consecutive failures, doubling from 1 s up to about 15 min. */
const LOCKOUT_THRESHOLD = 5;
const MAX_LOCKOUT_MS = 15 * 60_000;

/** Cognito's temporary lockout after repeated failed sign-ins ("Password attempts exceeded"). */
export function assertNotLockedOut(pool: PoolContext, username: string): void {
  const state = pool.failures.get(username.toLowerCase());
  if (state !== undefined && pool.now() < state.lockedUntil) {
    throw passwordAttemptsExceeded();
  }
}

export function recordFailedSignIn(pool: PoolContext, username: string): void {
  const key = username.toLowerCase();
  const state = pool.failures.get(key) ?? { count: 0, lockedUntil: 0 };
  state.count += 1;
  if (state.count >= LOCKOUT_THRESHOLD) {
    state.lockedUntil = pool.now() + Math.min(1000 * 2 ** (state.count - LOCKOUT_THRESHOLD), MAX_LOCKOUT_MS);
  }
  pool.failures.set(key, state);
}

export function clearFailedSignIns(pool: PoolContext, username: string): void {
  pool.failures.delete(username.toLowerCase());
}

export function addPending(pool: PoolContext, key: string, challenge: PendingChallenge): void {
  const now = pool.now();
  for (const [k, v] of pool.pending) {
    if (v.expiresAt <= now) pool.pending.delete(k);
  }
  while (pool.pending.size >= MAX_PENDING_CHALLENGES) {
    const oldest = pool.pending.keys().next().value;
    if (oldest === undefined) break;
    pool.pending.delete(oldest);
  }
  pool.pending.set(key, challenge);
}

/** Takes (one-shot) a pending challenge; `Invalid session for the user, session is expired.` if gone. */
export function takePending<K extends PendingChallenge['kind']>(
  pool: PoolContext,
  key: string | undefined,
  kind: K,
  clientId: string,
): Extract<PendingChallenge, { kind: K }> {
  const challenge = key === undefined ? undefined : pool.pending.get(key);
  if (key !== undefined) pool.pending.delete(key);
  if (challenge === undefined || challenge.kind !== kind || challenge.clientId !== clientId || challenge.expiresAt <= pool.now()) {
    throw sessionExpired();
  }
  return challenge as Extract<PendingChallenge, { kind: K }>;
}

export function challengeExpiry(pool: PoolContext): number {
  return pool.now() + CHALLENGE_TTL_MS;
}

/** Decoy salt for an unknown username, stable per name so repeated probes look alike (the decoy never authenticates). */
export function decoySalt(pool: PoolContext, name: string): string {
  return createHmac('sha256', pool.decoySecret).update(name.toLowerCase(), 'utf8').digest().subarray(0, 16).toString('hex');
}
