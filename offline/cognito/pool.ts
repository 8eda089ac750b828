/**
 * One emulated Cognito user pool: configuration from the synthesized backend (`UserPoolDescription`), the
 * user store, the signing key, pending auth challenges, and the helpers the API operations share.
 *
 * `pool.call(operation, input)` runs a Cognito Identity Provider operation in-process (what the HTTP handler
 * does for each request); the admin helpers (`lastCodeFor`, `getUser`) are deliberately *not* reachable over
 * HTTP so a web page cannot read confirmation codes.
 */
import { createHmac, randomInt, randomUUID } from 'node:crypto';
import type { UserPoolDescription } from '../loader/types.js';
import { operations, ADMIN_OPERATIONS } from './api.js';
import { attributeSchema, maskEmail, type AttributeSchema } from './attributes.js';
import { CognitoError, TokenVerificationError } from './errors.js';
import { asInput } from './input.js';
import { loadOrCreateSigningKey, type SigningKey } from './keys.js';
import { UserStore, type CodeRecord, type SessionRecord, type StoredUser } from './store.js';
import { DEFAULT_TOKEN_VALIDITY, hashRefreshToken, mintTokens, newRefreshToken, type TokenValidity } from './tokens.js';
import { awsSdkVersionFrom, postConfirmationEvent, runTrigger, SUPPORTED_TRIGGERS, type InvokeTrigger } from './triggers.js';
import { identityFromClaims, verifyWithContext, type UserPoolClaims, type VerifyOptions } from './verify.js';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  /** A code or temporary password that Cognito would e-mail (the sandbox CLI highlights it); default: `info`. */
  code?(message: string): void;
}

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

/** Cognito's default AuthSessionValidity: 3 minutes. */
const CHALLENGE_TTL_MS = 3 * 60_000;
const MAX_PENDING_CHALLENGES = 10_000;
const SIGN_UP_CODE_TTL_MS = 24 * 3600_000;
const RESET_CODE_TTL_MS = 3600_000;
/** Cognito locks sign-in temporarily after 5 consecutive failures, doubling from 1 s up to about 15 min. */
const LOCKOUT_THRESHOLD = 5;
const MAX_LOCKOUT_MS = 15 * 60_000;
/** Wrong codes tolerated per issued code before it is burnt. */
const MAX_CODE_ATTEMPTS = 5;

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

export class UserPool {
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
  private readonly clock: () => number;
  private readonly invokeTrigger: InvokeTrigger | undefined;
  private baseUrl: string | undefined;
  private readonly lastCodes = new Map<string, string>();
  private readonly failures = new Map<string, { count: number; lockedUntil: number }>();
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
    const handler = Object.prototype.hasOwnProperty.call(operations, operation) ? operations[operation] : undefined;
    if (handler === undefined) throw new CognitoError('UnknownOperationException', `Unknown operation ${operation}`);
    if (ADMIN_OPERATIONS.has(operation) && ctx.signed === false) {
      // Admin APIs are IAM-authorized (SigV4); an unsigned request never reaches Cognito.
      throw new CognitoError('MissingAuthenticationTokenException', 'Missing Authentication Token');
    }
    return handler(this, asInput(input), ctx);
  }

  // ---- test/admin helpers (not exposed over HTTP) ----

  /** The last code sent to `email` (sign-up confirmation, password reset or e-mail verification). */
  lastCodeFor(email: string): string | undefined {
    return this.lastCodes.get(email.toLowerCase());
  }

  /** A copy of the stored user, by username, e-mail or sub. */
  getUser(usernameOrEmail: string): StoredUser | undefined {
    const user = this.resolveUser(usernameOrEmail) ?? this.store.findByAttribute('sub', usernameOrEmail);
    return user === undefined ? undefined : structuredClone(user);
  }

  /**
   * Verifies an ID or access token of this pool (see verify.ts); throws TokenVerificationError. An arrow
   * property, so it can be handed to the AppSync emulator as is.
   */
  readonly verifyUserPoolToken = (token: string, options: VerifyOptions = {}): Promise<UserPoolClaims> =>
    verifyWithContext(
      {
        key: this.key,
        issuer: this.issuer,
        clientIds: [...this.clients.keys()],
        now: this.now(),
        findUser: (username) => this.store.get(username),
        isKnownRefreshToken: (candidate) => this.findSession(candidate) !== undefined,
      },
      token,
      options,
    );

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

  // ---- shared by the operations ----

  client(clientId: string): AppClient {
    const client = this.clients.get(clientId);
    if (client === undefined) throw new CognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
    return client;
  }

  assertPoolId(userPoolId: string): void {
    if (userPoolId !== this.id) throw new CognitoError('ResourceNotFoundException', `User pool ${userPoolId} does not exist.`);
  }

  /** A user by username, or (e-mail sign-in) by e-mail — Cognito accepts either where a Username is asked for. */
  resolveUser(name: string): StoredUser | undefined {
    const direct = this.store.get(name);
    if (direct !== undefined) return direct;
    return this.emailIsUsername ? this.store.findByAttribute('email', name) : undefined;
  }

  /** For admin APIs: the user or `UserNotFoundException` "User does not exist.". */
  requireUser(name: string): StoredUser {
    const user = this.resolveUser(name);
    if (user === undefined) throw new CognitoError('UserNotFoundException', 'User does not exist.');
    return user;
  }

  touch(user: StoredUser): void {
    user.updatedAt = this.now();
    this.store.put(user);
  }

  /** Issues a fresh 6-digit code, logs it (the offline stand-in for Cognito's e-mail) and returns the record. */
  issueCode(user: StoredUser, purpose: 'signUp' | 'forgotPassword' | 'email', destination: string, value?: string): CodeRecord {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const ttl = purpose === 'forgotPassword' ? RESET_CODE_TTL_MS : SIGN_UP_CODE_TTL_MS;
    const record: CodeRecord = { code, expiresAt: this.now() + ttl, failedAttempts: 0, ...(value === undefined ? {} : { value }) };
    user.codes[purpose] = record;
    this.lastCodes.set(destination.toLowerCase(), code);
    const what = { signUp: 'confirmation code', forgotPassword: 'password reset code', email: 'verification code' }[purpose];
    this.logCode(`${what} for ${destination}: ${code}`);
    return record;
  }

  /** Logs what Cognito would e-mail to the user (a code, a temporary password): the offline stand-in for the e-mail. */
  logCode(message: string): void {
    if (this.logger.code) this.logger.code(message);
    else this.logger.info(message);
  }

  /** Checks a code: CodeMismatch / ExpiredCode / LimitExceeded as Cognito reports them. Consumes it on success. */
  checkCode(user: StoredUser, purpose: 'signUp' | 'forgotPassword' | 'email', code: string): CodeRecord {
    const record = user.codes[purpose];
    if (record === undefined) throw new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
    if (record.failedAttempts >= MAX_CODE_ATTEMPTS) {
      throw new CognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.');
    }
    if (this.now() >= record.expiresAt) throw new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');
    if (code !== record.code) {
      record.failedAttempts += 1;
      this.store.save(this.now());
      throw new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
    }
    delete user.codes[purpose];
    return record;
  }

  codeDelivery(email: string): { Destination: string; DeliveryMedium: 'EMAIL'; AttributeName: 'email' } {
    return { Destination: maskEmail(email), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
  }

  /** Cognito's temporary lockout after repeated failed sign-ins ("Password attempts exceeded"). */
  assertNotLockedOut(username: string): void {
    const state = this.failures.get(username.toLowerCase());
    if (state !== undefined && this.now() < state.lockedUntil) {
      throw new CognitoError('NotAuthorizedException', 'Password attempts exceeded');
    }
  }

  recordFailedSignIn(username: string): void {
    const key = username.toLowerCase();
    const state = this.failures.get(key) ?? { count: 0, lockedUntil: 0 };
    state.count += 1;
    if (state.count >= LOCKOUT_THRESHOLD) {
      state.lockedUntil = this.now() + Math.min(1000 * 2 ** (state.count - LOCKOUT_THRESHOLD), MAX_LOCKOUT_MS);
    }
    this.failures.set(key, state);
  }

  clearFailedSignIns(username: string): void {
    this.failures.delete(username.toLowerCase());
  }

  addPending(key: string, challenge: PendingChallenge): void {
    const now = this.now();
    for (const [k, v] of this.pending) {
      if (v.expiresAt <= now) this.pending.delete(k);
    }
    while (this.pending.size >= MAX_PENDING_CHALLENGES) {
      const oldest = this.pending.keys().next().value;
      if (oldest === undefined) break;
      this.pending.delete(oldest);
    }
    this.pending.set(key, challenge);
  }

  /** Takes (one-shot) a pending challenge; `Invalid session for the user, session is expired.` if gone. */
  takePending<K extends PendingChallenge['kind']>(
    key: string | undefined,
    kind: K,
    clientId: string,
  ): Extract<PendingChallenge, { kind: K }> {
    const challenge = key === undefined ? undefined : this.pending.get(key);
    if (key !== undefined) this.pending.delete(key);
    if (challenge === undefined || challenge.kind !== kind || challenge.clientId !== clientId || challenge.expiresAt <= this.now()) {
      throw new CognitoError('NotAuthorizedException', 'Invalid session for the user, session is expired.');
    }
    return challenge as Extract<PendingChallenge, { kind: K }>;
  }

  challengeExpiry(): number {
    return this.now() + CHALLENGE_TTL_MS;
  }

  /** Starts a session (a sign-in) and returns the AuthenticationResult with a new refresh token. */
  async signInResult(user: StoredUser, clientId: string): Promise<Record<string, unknown>> {
    this.clearFailedSignIns(user.username);
    const refreshToken = newRefreshToken();
    const now = this.now();
    const session: SessionRecord = {
      originJti: randomUUID(),
      clientId,
      refreshTokenHash: hashRefreshToken(refreshToken),
      authTime: Math.floor(now / 1000),
      expiresAt: now + this.tokenValidity.refreshSeconds * 1000,
      revoked: false,
    };
    user.sessions.push(session);
    this.store.save(now);
    const tokens = await mintTokens({ key: this.key, issuer: this.issuer, now, user, clientId, session, validity: this.tokenValidity });
    return {
      AuthenticationResult: {
        AccessToken: tokens.AccessToken,
        ExpiresIn: this.tokenValidity.accessSeconds,
        TokenType: 'Bearer',
        RefreshToken: refreshToken,
        IdToken: tokens.IdToken,
      },
      ChallengeParameters: {},
    };
  }

  /** New ID/access tokens for an existing session (refresh); no new refresh token (rotation off). */
  async refreshResult(refreshToken: string, clientId: string): Promise<{ AccessToken: string; IdToken: string; ExpiresIn: number; TokenType: 'Bearer' }> {
    const found = this.findSession(refreshToken);
    if (found === undefined || found.session.clientId !== clientId) {
      throw new CognitoError('NotAuthorizedException', 'Invalid Refresh Token');
    }
    const { user, session } = found;
    if (session.revoked) throw new CognitoError('NotAuthorizedException', 'Refresh Token has been revoked');
    if (this.now() >= session.expiresAt) throw new CognitoError('NotAuthorizedException', 'Refresh Token has expired');
    if (!user.enabled) throw new CognitoError('NotAuthorizedException', 'User is disabled.');
    if (user.status === 'RESET_REQUIRED') throw new CognitoError('PasswordResetRequiredException', 'Password reset required for the user');
    const tokens = await mintTokens({
      key: this.key,
      issuer: this.issuer,
      now: this.now(),
      user,
      clientId,
      session,
      validity: this.tokenValidity,
    });
    return { AccessToken: tokens.AccessToken, IdToken: tokens.IdToken, ExpiresIn: this.tokenValidity.accessSeconds, TokenType: 'Bearer' };
  }

  findSession(refreshToken: string): { user: StoredUser; session: StoredUser['sessions'][number] } | undefined {
    const hash = hashRefreshToken(refreshToken);
    for (const user of this.store.all()) {
      const session = user.sessions.find((s) => s.refreshTokenHash === hash);
      if (session !== undefined) return { user, session };
    }
    return undefined;
  }

  /** GlobalSignOut / AdminUserGlobalSignOut / AdminDisableUser: every session and token of the user ends now. */
  revokeAllSessions(user: StoredUser): void {
    for (const session of user.sessions) session.revoked = true;
    user.tokensRevokedBefore = this.now();
    this.store.save(this.now());
  }

  /**
   * The user behind an access token, for the token-taking APIs (GetUser, ChangePassword, …), with the messages
   * Cognito gives for each failure.
   */
  async userFromAccessToken(accessToken: string): Promise<{ user: StoredUser; claims: UserPoolClaims }> {
    let claims: UserPoolClaims;
    try {
      claims = await this.verifyUserPoolToken(accessToken, { expectedUse: 'access' });
    } catch (error) {
      if (!(error instanceof TokenVerificationError)) throw error;
      switch (error.reason) {
        case 'expired':
          throw new CognitoError('NotAuthorizedException', 'Access Token has expired');
        case 'token_revoked':
          throw new CognitoError('NotAuthorizedException', 'Access Token has been revoked');
        case 'user_disabled':
          throw new CognitoError('NotAuthorizedException', 'User is disabled.');
        case 'user_not_found':
          throw new CognitoError('UserNotFoundException', 'User does not exist.');
        default:
          throw new CognitoError('NotAuthorizedException', 'Invalid Access Token');
      }
    }
    if (typeof claims.scope !== 'string' || !claims.scope.split(' ').includes('aws.cognito.signin.user.admin')) {
      throw new CognitoError('NotAuthorizedException', 'Access Token does not have required scopes');
    }
    const user = this.store.get(claims.username ?? '') as StoredUser;
    return { user, claims };
  }

  /** Fires PostConfirmation if configured. The confirmation is already stored (Cognito keeps it on failure). */
  async postConfirmation(
    user: StoredUser,
    triggerSource: 'PostConfirmation_ConfirmSignUp' | 'PostConfirmation_ConfirmForgotPassword',
    clientId: string,
    clientMetadata: Record<string, string> | undefined,
    ctx: CallContext,
  ): Promise<void> {
    if (this.description.triggers.PostConfirmation === undefined || this.invokeTrigger === undefined) return;
    const event = postConfirmationEvent({
      region: this.region,
      userPoolId: this.id,
      user,
      clientId,
      triggerSource,
      ...(clientMetadata === undefined ? {} : { clientMetadata }),
      awsSdkVersion: awsSdkVersionFrom(ctx.userAgent),
    });
    await runTrigger(this.invokeTrigger, 'PostConfirmation', event);
  }

  userType(user: StoredUser, attributesToGet?: string[]): Record<string, unknown> {
    const attrs = Object.entries(user.attributes)
      .filter(([name]) => attributesToGet === undefined || attributesToGet.includes(name))
      .map(([Name, Value]) => ({ Name, Value }));
    return {
      Username: user.username,
      Attributes: attrs,
      UserCreateDate: user.createdAt / 1000,
      UserLastModifiedDate: user.updatedAt / 1000,
      Enabled: user.enabled,
      UserStatus: user.status,
    };
  }

  /** Decoy salt for an unknown username, stable per name so repeated probes look alike (the decoy never authenticates). */
  decoySalt(name: string): string {
    return createHmac('sha256', this.decoySecret).update(name.toLowerCase(), 'utf8').digest().subarray(0, 16).toString('hex');
  }
}

/** Creates (or reopens from `dataDir`) a user pool. */
export function createUserPool(options: UserPoolOptions): Promise<UserPool> {
  return UserPool.create(options);
}
