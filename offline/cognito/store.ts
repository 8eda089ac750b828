/**
 * The user records of one emulated user pool, persisted as one JSON file per pool in the caller's data
 * directory (`cognito-<poolId>.json`, replaced atomically after every change) or kept only in memory.
 *
 * What is stored mirrors what Cognito keeps per user: the username (a generated UUID equal to `sub` when the
 * pool signs in with e-mail), attributes, status, enabled flag, SRP salt + verifier (never the password),
 * pending codes, one session record per sign-in (the refresh token's SHA-256, never the token itself) and the
 * time of the last global sign-out.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { acquirePidLock } from '../sandbox/pid-lock.js';
import { writeFileAtomic } from '../sandbox/atomic-file.js';
import type { StoredPassword } from './stored-password.js';

export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED';

export interface CodeRecord {
  code: string;
  /** Epoch ms. */
  expiresAt: number;
  failedAttempts: number;
  /** For attribute verification: the pending new value. */
  value?: string;
}

/** One sign-in: the refresh token and every ID/access token minted from it share `originJti`. */
export interface SessionRecord {
  originJti: string;
  clientId: string;
  /** hex SHA-256 of the opaque refresh token. */
  refreshTokenHash: string;
  /** Epoch seconds of the authentication (the tokens' `auth_time`). */
  authTime: number;
  /** Epoch ms. */
  expiresAt: number;
  revoked: boolean;
}

export interface StoredUser {
  username: string;
  /** Attribute name → string value, incl. `sub`; booleans are "true"/"false" as in Cognito. */
  attributes: Record<string, string>;
  status: UserStatus;
  enabled: boolean;
  /** Epoch ms. */
  createdAt: number;
  updatedAt: number;
  password: StoredPassword;
  /** Epoch ms after which a temporary (AdminCreateUser) password no longer works. */
  temporaryPasswordExpiresAt?: number;
  codes: { signUp?: CodeRecord; forgotPassword?: CodeRecord; email?: CodeRecord };
  sessions: SessionRecord[];
  /** Epoch ms of the last GlobalSignOut / AdminUserGlobalSignOut / AdminDisableUser. */
  tokensRevokedBefore?: number;
  groups: string[];
}

interface PoolFile {
  version: 1;
  userPoolId: string;
  users: StoredUser[];
}

export class UserStore {
  private readonly users = new Map<string, StoredUser>();
  private readonly file: string | undefined;
  private readonly lockFile: string | undefined;
  private releaseLock: (() => void) | undefined;

  private constructor(
    readonly userPoolId: string,
    dataDir: string | undefined,
  ) {
    if (dataDir !== undefined) {
      const dir = resolve(dataDir);
      mkdirSync(dir, { recursive: true });
      this.file = join(dir, `cognito-${userPoolId}.json`);
      this.lockFile = join(dir, `cognito-${userPoolId}.lock`);
    }
  }

  /** Opens the pool kept in `dataDir` (creating it), or an empty in-memory pool without `dataDir`. */
  static open(userPoolId: string, dataDir?: string): UserStore {
    const store = new UserStore(userPoolId, dataDir);
    if (store.file !== undefined) {
      store.lock();
      if (existsSync(store.file)) {
        const parsed = JSON.parse(readFileSync(store.file, 'utf8')) as PoolFile;
        if (parsed.version !== 1 || parsed.userPoolId !== userPoolId) {
          store.close();
          throw new Error(`${store.file} is not a version-1 store of user pool ${userPoolId}`);
        }
        for (const user of parsed.users) store.users.set(user.username.toLowerCase(), user);
      }
    }
    return store;
  }

  get persistent(): boolean {
    return this.file !== undefined;
  }

  /** Users are keyed case-insensitively (Amplify pools are created with case-insensitive usernames). */
  get(username: string): StoredUser | undefined {
    return this.users.get(username.toLowerCase());
  }

  /** The user whose `attribute` equals `value` (case-insensitive for e-mail, as Cognito compares it). */
  findByAttribute(attribute: string, value: string): StoredUser | undefined {
    const wanted = attribute === 'email' ? value.toLowerCase() : value;
    for (const user of this.users.values()) {
      const have = user.attributes[attribute];
      if (have !== undefined && (attribute === 'email' ? have.toLowerCase() : have) === wanted) return user;
    }
    return undefined;
  }

  all(): StoredUser[] {
    return [...this.users.values()];
  }

  put(user: StoredUser): void {
    this.users.set(user.username.toLowerCase(), user);
    this.save();
  }

  delete(username: string): boolean {
    const deleted = this.users.delete(username.toLowerCase());
    if (deleted) this.save();
    return deleted;
  }

  /** Writes the pool file (no-op in memory mode). Call after mutating a user in place. */
  save(now = Date.now()): void {
    if (this.file === undefined) return;
    for (const user of this.users.values()) {
      // Expired sessions can no longer refresh, and their access tokens (≤ 1 day) are long expired.
      user.sessions = user.sessions.filter((s) => s.expiresAt > now);
    }
    const contents: PoolFile = { version: 1, userPoolId: this.userPoolId, users: [...this.users.values()] };
    writeFileAtomic(this.file, `${JSON.stringify(contents, null, 1)}\n`);
  }

  /** Releases the data-directory claim (the data stays on disk). */
  close(): void {
    this.releaseLock?.();
    this.releaseLock = undefined;
  }

  /** One process at a time per pool file: a second writer would silently drop the first one's changes. */
  private lock(): void {
    this.releaseLock = acquirePidLock(
      this.lockFile as string,
      (owner) =>
        `User pool ${this.userPoolId} in ${this.lockFile} is already open (process ${owner}${owner === process.pid ? ', this one' : ''}); close it first.`,
    );
  }
}
