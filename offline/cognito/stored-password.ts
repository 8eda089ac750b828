/**
 * How a user's password is kept: the SRP salt + verifier (USER_SRP_AUTH, aws-amplify's default flow,
 * needs them — Cognito keeps the same) and a scrypt hash that checks the flows that send the
 * password itself (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, ChangePassword). The plain password
 * is never stored.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { createVerifier, passwordMatches as srpPasswordMatches, type SrpVerifier } from './srp.js';

export interface ScryptHash {
  /** Hex salt. */
  salt: string;
  /** Hex derived key. */
  hash: string;
  /** scrypt cost parameters, kept with the hash so they can be raised later. */
  N: number;
  r: number;
  p: number;
}

export type StoredPassword = SrpVerifier & { scrypt?: ScryptHash };

const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 } as const;

function derive(password: string, salt: string, { N, r, p }: Pick<ScryptHash, 'N' | 'r' | 'p'>): Buffer {
  return scryptSync(password.normalize('NFKC'), Buffer.from(salt, 'hex'), SCRYPT.keyLength, { N, r, p, maxmem: 64 * 1024 * 1024 });
}

/** What to store when a password is set (sign-up, reset, change, admin set). */
export function storePassword(poolName: string, username: string, password: string): StoredPassword {
  const salt = randomBytes(16).toString('hex');
  const params = { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p };
  return {
    ...createVerifier(poolName, username, password),
    scrypt: { salt, hash: derive(password, salt, params).toString('hex'), ...params },
  };
}

/** Whether `password` is the stored one (constant-time); stores written before scrypt fall back to the verifier. */
export function storedPasswordMatches(poolName: string, username: string, password: string, stored: StoredPassword): boolean {
  if (!stored.scrypt) return srpPasswordMatches(poolName, username, password, stored);
  const expected = Buffer.from(stored.scrypt.hash, 'hex');
  const candidate = derive(password, stored.scrypt.salt, stored.scrypt);
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}
