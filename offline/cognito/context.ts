/**
 * What the Cognito operations (`ops-*.ts`) and their shared helpers (`users.ts`, `codes.ts`, `sign-in.ts`,
 * `sessions.ts`) need from a user pool: its configuration, the user store, the signing key, the clock, the
 * trigger runner and the memory-only sign-in state. `UserPool` (pool.ts) implements it; the operations import
 * this module, never pool.ts, so the pool and the dispatcher (api.ts) depend on the operations and not the
 * other way round.
 */
import type { UserPoolDescription } from '../loader/index.js';
import type { AttributeSchema } from './attributes.js';
import type { SigningKey } from './keys.js';
import type { UserStore } from './store.js';
import type { TokenValidity } from './tokens.js';
import type { InvokeTrigger } from './triggers.js';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  /** A code or temporary password that Cognito would e-mail (the sandbox CLI highlights it); default: `info`. */
  code?(message: string): void;
}

/** Who is calling (filled by the HTTP handler). */
export interface CallContext {
  userAgent?: string;
  sourceIp?: string;
  /** Whether the request carries AWS credentials (SigV4); admin operations require it over HTTP. */
  signed?: boolean;
}

export interface AppClient {
  id: string;
  name: string;
  flows: ReadonlySet<string>;
}

/** A PASSWORD_VERIFIER challenge in flight (keyed by its SECRET_BLOCK) or a NEW_PASSWORD_REQUIRED session. */
export type PendingChallenge =
  | {
      kind: 'PASSWORD_VERIFIER';
      /** undefined for the decoy challenge of an unknown user. */
      username: string | undefined;
      claimedUsername: string;
      clientId: string;
      A: bigint;
      b: string;
      B: string;
      salt: string;
      verifier: string;
      expiresAt: number;
    }
  | { kind: 'NEW_PASSWORD_REQUIRED'; username: string; clientId: string; expiresAt: number };

/** Consecutive failed sign-ins of one username and the end of its current lockout (epoch ms). */
export interface FailedSignIns {
  count: number;
  lockedUntil: number;
}

/** The state of one emulated user pool, as the operations see it. */
export interface PoolContext {
  readonly id: string;
  readonly region: string;
  /** The pool id after '_' — the SRP "pool name". */
  readonly srpPoolName: string;
  readonly description: UserPoolDescription;
  readonly schema: AttributeSchema;
  readonly store: UserStore;
  readonly key: SigningKey;
  readonly logger: Logger;
  readonly preventUserExistenceErrors: boolean;
  readonly tokenValidity: TokenValidity;
  readonly clients: ReadonlyMap<string, AppClient>;
  /** true when users sign in with their e-mail and get a generated UUID username. */
  readonly emailIsUsername: boolean;
  /** Secret for the decoy SRP challenges of unknown users (stable across restarts). */
  readonly decoySecret: Buffer;
  /** Runs Lambda triggers; undefined when the pool configures none. */
  readonly invokeTrigger: InvokeTrigger | undefined;
  /** `<base URL>/<poolId>`, the tokens' `iss`; throws while the pool has no base URL. */
  readonly issuer: string;
  /** The clock (epoch ms). */
  now(): number;
  /** Memory-only: challenges in flight, by SECRET_BLOCK or session. */
  readonly pending: Map<string, PendingChallenge>;
  /** Memory-only: the last code sent to each (lower-cased) address, for tests. */
  readonly lastCodes: Map<string, string>;
  /** Memory-only: failed sign-ins per (lower-cased) username. */
  readonly failures: Map<string, FailedSignIns>;
}
