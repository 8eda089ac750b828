/**
 * One emulated Cognito user pool: its state (configuration from the synthesized backend's
 * `UserPoolDescription`, the user store, the signing key, the memory-only sign-in state; the `PoolContext` of
 * context.ts) and its lifecycle (create, issuer URL, close).
 *
 * `pool.call(operation, input)` runs a Cognito Identity Provider operation in-process (what the HTTP handler
 * does for each request) through the dispatcher (api.ts); the admin helpers (`lastCodeFor`, `getUser`) are
 * deliberately *not* reachable over HTTP so a web page cannot read confirmation codes.
 */
import { createHmac } from 'node:crypto';
import type { UserPoolDescription } from '../loader/index.js';
import { dispatch } from './api.js';
import { attributeSchema, type AttributeSchema } from './attributes.js';
import type { AppClient, CallContext, FailedSignIns, Logger, PendingChallenge, PoolContext } from './context.js';
import { loadOrCreateSigningKey, type SigningKey } from './keys.js';
import { signInResult, verifyToken } from './sessions.js';
import { userDisabled, userDoesNotExist, userNotConfirmed, userPoolClientNotFound } from '../errors.js';
import { UserStore, type StoredUser } from './store.js';
import { DEFAULT_TOKEN_VALIDITY, type TokenValidity } from './tokens.js';
import { SUPPORTED_TRIGGERS, type InvokeTrigger } from './triggers.js';
import { resolveUser } from './users.js';
import { identityFromClaims, type UserPoolClaims, type VerifyOptions } from './verify.js';

export type { AppClient, CallContext, Logger, PendingChallenge } from './context.js';

export interface UserPoolOptions {
  description: UserPoolDescription;
  /** Default: the pool id's prefix (`us-east-1_abc` → `us-east-1`). */
  region?: string;
  /** Directory for `cognito-<poolId>.json` and the signing key; omit for an in-memory pool. */
  dataDir?: string;
  /** Base URL the pool is served at; `iss` = `<base>/<poolId>`. `startCognitoServer` sets it if unset. */
  issuerBaseUrl?: string;
  /** Clock (epoch ms); inject for expiry tests. */
  now?: () => number;
  logger?: Logger;
  /** Runs Lambda triggers; required when the description configures one. */
  invokeTrigger?: InvokeTrigger;
  /** The app client's PreventUserExistenceErrors (Amplify's default: enabled). */
  preventUserExistenceErrors?: boolean;
  tokenValidity?: Partial<TokenValidity>;
}

const DEFAULT_FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const LEGACY_FLOWS: Record<string, string> = {
  USER_PASSWORD_AUTH: 'ALLOW_USER_PASSWORD_AUTH',
  ADMIN_NO_SRP_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  CUSTOM_AUTH_FLOW_ONLY: 'ALLOW_CUSTOM_AUTH',
};

const consoleLogger: Logger = {
  info: (message) => console.log(`[cognito] ${message}`),
  warn: (message) => console.warn(`[cognito] ${message}`),
};

export class UserPool implements PoolContext {
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
  readonly pending = new Map<string, PendingChallenge>();
  readonly lastCodes = new Map<string, string>();
  readonly failures = new Map<string, FailedSignIns>();
  readonly invokeTrigger: InvokeTrigger | undefined;
  private readonly clock: () => number;
  private baseUrl: string | undefined;
  /**
   * Secret for the decoy SRP challenges of unknown users, derived from the signing key so that a decoy's
   * SALT stays the same across restarts, as a real user's does.
   */
  readonly decoySecret: Buffer;

  private constructor(options: UserPoolOptions, store: UserStore, key: SigningKey) {
    const d = options.description;
    this.description = d;
    this.id = d.id;
    const [prefix, name] = d.id.split('_');
    if (!prefix || !name) throw new Error(`User pool id ${d.id} is not <region>_<name>`);
    this.region = options.region ?? prefix;
    this.srpPoolName = name;
    this.schema = attributeSchema(d);
    this.store = store;
    this.key = key;
    this.decoySecret = createHmac('sha256', key.privateKey.export({ type: 'pkcs8', format: 'der' })).update('srp-decoy').digest();
    this.logger = options.logger ?? consoleLogger;
    this.preventUserExistenceErrors = options.preventUserExistenceErrors ?? true;
    this.tokenValidity = { ...DEFAULT_TOKEN_VALIDITY, ...options.tokenValidity };
    this.clock = options.now ?? Date.now;
    this.invokeTrigger = options.invokeTrigger;
    this.baseUrl = options.issuerBaseUrl?.replace(/\/+$/, '');
    this.emailIsUsername = d.usernameAttributes.includes('email');
    const clients = new Map<string, AppClient>();
    for (const c of d.clients) {
      const flows = new Set(c.explicitAuthFlows.length > 0 ? c.explicitAuthFlows.map((f) => LEGACY_FLOWS[f] ?? f) : DEFAULT_FLOWS);
      if (c.explicitAuthFlows.some((f) => f in LEGACY_FLOWS)) {
        flows.add('ALLOW_USER_SRP_AUTH');
        flows.add('ALLOW_REFRESH_TOKEN_AUTH');
      }
      clients.set(c.id, { id: c.id, name: c.name, flows });
    }
    this.clients = clients;
  }

  /** Opens (or creates) the pool. Throws if the description configures a trigger that cannot be emulated. */
  static async create(options: UserPoolOptions): Promise<UserPool> {
    const unsupported = Object.keys(options.description.triggers).filter((t) => !SUPPORTED_TRIGGERS.has(t));
    if (unsupported.length > 0) {
      throw new Error(`User pool ${options.description.id}: triggers ${unsupported.join(', ')} are not emulated; refusing to run without them`);
    }
    if (Object.keys(options.description.triggers).length > 0 && options.invokeTrigger === undefined) {
      throw new Error(`User pool ${options.description.id} configures triggers (${Object.keys(options.description.triggers).join(', ')}) but no invokeTrigger was given`);
    }
    const key = await loadOrCreateSigningKey(options.dataDir);
    const store = UserStore.open(options.description.id, options.dataDir);
    return new UserPool(options, store, key);
  }

  now(): number {
    return this.clock();
  }

  get issuerBaseUrl(): string | undefined {
    return this.baseUrl;
  }

  setIssuerBaseUrl(url: string): void {
    this.baseUrl = url.replace(/\/+$/, '');
  }

  /** `<base URL>/<poolId>` (Cognito: `https://cognito-idp.<region>.amazonaws.com/<poolId>`). */
  get issuer(): string {
    if (this.baseUrl === undefined) throw new Error('The user pool has no issuer base URL yet (start its server or pass issuerBaseUrl)');
    return `${this.baseUrl}/${this.id}`;
  }

  /** Runs one Cognito operation, e.g. `call('SignUp', {ClientId, Username, Password})`. Throws CognitoError. */
  async call(operation: string, input: unknown, ctx: CallContext = {}): Promise<Record<string, unknown>> {
    return dispatch(this, operation, input, ctx);
  }

  // ---- test/admin helpers (not exposed over HTTP) ----

  /** The last code sent to `email` (sign-up confirmation, password reset or e-mail verification). */
  lastCodeFor(email: string): string | undefined {
    return this.lastCodes.get(email.toLowerCase());
  }

  /** A copy of the stored user, by username, e-mail or sub. */
  getUser(usernameOrEmail: string): StoredUser | undefined {
    const user = resolveUser(this, usernameOrEmail) ?? this.store.findByAttribute('sub', usernameOrEmail);
    return user === undefined ? undefined : structuredClone(user);
  }

  /**
   * Signs `usernameOrEmail` in without a password (the sandbox console's "use as"): a new session of the pool's first
   * app client (or `clientId`), with the tokens a password sign-in would give. Only a confirmed, enabled user, as only
   * such a user could sign in; throws CognitoError otherwise.
   */
  async signInAs(usernameOrEmail: string, clientId = this.description.clients[0]?.id ?? ''): Promise<Record<string, unknown>> {
    const user = resolveUser(this, usernameOrEmail) ?? this.store.findByAttribute('sub', usernameOrEmail);
    if (user === undefined) throw userDoesNotExist();
    if (!user.enabled) throw userDisabled();
    if (user.status !== 'CONFIRMED') throw userNotConfirmed();
    if (!this.clients.has(clientId)) throw userPoolClientNotFound(clientId);
    return signInResult(this, user, clientId);
  }

  /**
   * Verifies an ID or access token of this pool (see verify.ts); throws TokenVerificationError. An arrow
   * property, so it can be handed to the AppSync emulator as is.
   */
  readonly verifyUserPoolToken = (token: string, options: VerifyOptions = {}): Promise<UserPoolClaims> => verifyToken(this, token, options);

  identityFromClaims = identityFromClaims;

  jwks(): { keys: object[] } {
    return { keys: [this.key.publicJwk] };
  }

  openIdConfiguration(): Record<string, unknown> {
    return {
      issuer: this.issuer,
      jwks_uri: `${this.issuer}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['public'],
      response_types_supported: ['code', 'token'],
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    };
  }

  /** Releases the data directory (state is already on disk). */
  close(): void {
    this.store.close();
  }
}

/** Creates (or reopens from `dataDir`) a user pool. */
export function createUserPool(options: UserPoolOptions): Promise<UserPool> {
  return UserPool.create(options);
}
