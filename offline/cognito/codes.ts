/**
 * One-time codes (sign-up confirmation, password reset, e-mail verification): issued, logged in place of the
 * e-mail Cognito would send, and checked with the errors Cognito gives.
 */
import { randomInt } from 'node:crypto';
import { maskEmail } from './attributes.js';
import type { PoolContext } from './context.js';
import { codeAttemptLimitExceeded, codeExpired, codeMismatch } from '../errors.js';
import type { CodeRecord, StoredUser } from './store.js';

const SIGN_UP_CODE_TTL_MS = 24 * 3600_000;
const RESET_CODE_TTL_MS = 3600_000;
/** Wrong codes tolerated per issued code before it is burnt. */
const MAX_CODE_ATTEMPTS = 5;

export type CodePurpose = 'signUp' | 'forgotPassword' | 'email';

/** Issues a fresh 6-digit code, logs it (the offline stand-in for Cognito's e-mail) and returns the record. */
export function issueCode(pool: PoolContext, user: StoredUser, purpose: CodePurpose, destination: string, value?: string): CodeRecord {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const ttl = purpose === 'forgotPassword' ? RESET_CODE_TTL_MS : SIGN_UP_CODE_TTL_MS;
  const record: CodeRecord = { code, expiresAt: pool.now() + ttl, failedAttempts: 0, ...(value === undefined ? {} : { value }) };
  user.codes[purpose] = record;
  pool.lastCodes.set(destination.toLowerCase(), code);
  const what = { signUp: 'confirmation code', forgotPassword: 'password reset code', email: 'verification code' }[purpose];
  logCode(pool, `${what} for ${destination}: ${code}`);
  return record;
}

/** Logs what Cognito would e-mail to the user (a code, a temporary password): the offline stand-in for the e-mail. */
export function logCode(pool: PoolContext, message: string): void {
  if (pool.logger.code) pool.logger.code(message);
  else pool.logger.info(message);
}

/** Checks a code: CodeMismatch / ExpiredCode / LimitExceeded as Cognito reports them. Consumes it on success. */
export function checkCode(pool: PoolContext, user: StoredUser, purpose: CodePurpose, code: string): CodeRecord {
  const record = user.codes[purpose];
  if (record === undefined) throw codeMismatch();
  if (record.failedAttempts >= MAX_CODE_ATTEMPTS) {
    throw codeAttemptLimitExceeded();
  }
  if (pool.now() >= record.expiresAt) throw codeExpired();
  if (code !== record.code) {
    record.failedAttempts += 1;
    pool.store.save(pool.now());
    throw codeMismatch();
  }
  delete user.codes[purpose];
  return record;
}

/** The `CodeDeliveryDetails` of a code sent by e-mail (address masked as Cognito does). */
export function codeDelivery(email: string): { Destination: string; DeliveryMedium: 'EMAIL'; AttributeName: 'email' } {
  return { Destination: maskEmail(email), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
}
