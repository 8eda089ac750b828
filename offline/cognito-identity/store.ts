/**
 * The identity pool's state on disk (`<data>/cognito-identity/identities.json`, replaced atomically on every change):
 * the identities it issued — each signed-in user keeps one identity id for good, as Cognito keys an identity by its
 * logins — and the temporary credentials handed out and not yet expired, so a client keeps signing with them across a
 * sandbox restart, as it would against AWS.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../sandbox/atomic-file.js';

export interface StoredIdentity {
  /** `<provider name>/<sub>` of each login linked to it; empty for a guest identity. */
  logins: string[];
  createdAt: number;
}

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch ms. */
  expiresAt: number;
  identityId: string;
  authenticated: boolean;
}

interface StoredState {
  version: 1;
  identityPoolId: string;
  identities: Record<string, StoredIdentity>;
  credentials: IssuedCredentials[];
}

const FILE = 'identities.json';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export class IdentityStore {
  private state: StoredState;
  private readonly file: string;

  constructor(folder: string, identityPoolId: string) {
    this.file = join(folder, FILE);
    const loaded = existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as StoredState) : undefined;
    // Identities belong to one pool: another pool id (another backend in the same data directory) starts afresh.
    this.state = loaded?.version === 1 && loaded.identityPoolId === identityPoolId ? loaded : { version: 1, identityPoolId, identities: {}, credentials: [] };
  }

  get identityPoolId(): string {
    return this.state.identityPoolId;
  }

  identity(identityId: string): StoredIdentity | undefined {
    return this.state.identities[identityId];
  }

  /** The identity linked to this login, created (and saved) when there is none. */
  identityForLogin(login: string, now: number): string {
    const found = Object.entries(this.state.identities).find(([, identity]) => identity.logins.includes(login));
    if (found) return found[0];
    return this.create([login], now);
  }

  newGuestIdentity(now: number): string {
    return this.create([], now);
  }

  /** Credentials that have not expired at `now`. */
  liveCredentials(now: number): IssuedCredentials[] {
    return this.state.credentials.filter((credentials) => credentials.expiresAt > now);
  }

  /** New temporary credentials for an identity; expired ones are forgotten. Answers the new ones and the expired. */
  issue(identityId: string, authenticated: boolean, now: number, lifetimeMs: number): { issued: IssuedCredentials; expired: IssuedCredentials[] } {
    const issued: IssuedCredentials = {
      // Temporary credentials' key ids start with ASIA; 20 upper-case alphanumerics in all.
      accessKeyId: `ASIA${[...randomBytes(16)].map((byte) => UPPER_ALNUM[byte % UPPER_ALNUM.length]).join('')}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(96).toString('base64'),
      expiresAt: now + lifetimeMs,
      identityId,
      authenticated,
    };
    const expired = this.state.credentials.filter((credentials) => credentials.expiresAt <= now);
    this.state.credentials = [...this.liveCredentials(now), issued];
    this.save();
    return { issued, expired };
  }

  private create(logins: string[], now: number): string {
    const region = this.state.identityPoolId.split(':')[0] ?? 'us-east-1';
    const identityId = `${region}:${randomUUID()}`;
    this.state.identities[identityId] = { logins, createdAt: now };
    this.save();
    return identityId;
  }

  private save(): void {
    writeFileAtomic(this.file, `${JSON.stringify(this.state, null, 1)}\n`);
  }
}
