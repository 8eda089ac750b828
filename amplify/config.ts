/**
 * Deployment configuration read from the environment at synth time (the CHAT_APP_* variables).
 * Every variable is optional; the defaults are documented in the README and docs/deploy notes.
 */

export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export type ChatAppEnvironment = (typeof ENVIRONMENTS)[number];

export const FIELD_LOG_LEVELS = ['NONE', 'ERROR', 'INFO', 'DEBUG', 'ALL'] as const;
export type FieldLogLevel = (typeof FIELD_LOG_LEVELS)[number];

export interface PasswordPolicyConfig {
  minimumLength: number;
  requireUppercase: boolean;
  requireLowercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
}

export interface ChatAppConfig {
  environment: ChatAppEnvironment;
  /** Prefix for resource names and the `Project`-scoped tags. */
  prefix: string;
  /** Value of the `Owner` tag. */
  owner: string;
  /** Value of the `Project` tag. */
  project: string;
  /** E-mail address subscribed to the alarm topic; no topic is created when unset. */
  alarmEmail: string | undefined;
  /** AppSync field log level; undefined = ALL for sandboxes, ERROR for branch deployments. */
  fieldLogLevel: FieldLogLevel | undefined;
  /** Retention of every log group this backend creates, in days. */
  logRetentionDays: LogRetentionDays;
  passwordPolicy: PasswordPolicyConfig;
  /** p99 latency above which the AppSync latency alarm fires, in milliseconds. */
  latencyP99ThresholdMs: number;
  /** Per-user limit on sendMessage, enforced by the message-processor Lambda. */
  sendRateLimit: SendRateLimitConfig;
}

export interface SendRateLimitConfig {
  /** Messages one user may send per window; 0 turns the limit off. */
  messages: number;
  /** Length of the (fixed) window, in seconds. */
  windowSeconds: number;
}

/** CloudWatch Logs accepts only these retention periods; values are Amplify's names for them. */
export const LOG_RETENTION_NAMES = {
  1: '1 day', 3: '3 days', 5: '5 days', 7: '1 week', 14: '2 weeks', 30: '1 month', 60: '2 months',
  90: '3 months', 120: '4 months', 150: '5 months', 180: '6 months', 365: '1 year', 400: '13 months',
  545: '18 months', 731: '2 years', 1096: '3 years', 1827: '5 years', 2192: '6 years', 2557: '7 years',
  2922: '8 years', 3288: '9 years', 3653: '10 years',
} as const;
export type LogRetentionDays = keyof typeof LOG_RETENTION_NAMES;
export type LogRetentionName = (typeof LOG_RETENTION_NAMES)[LogRetentionDays];

export function logRetentionName(days: LogRetentionDays): LogRetentionName {
  return LOG_RETENTION_NAMES[days];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

function text(env: Env, key: string, fallback: string): string {
  const value = env[key]?.trim();
  return value ? value : fallback;
}

function oneOf<T extends string>(env: Env, key: string, allowed: readonly T[], fallback: T | undefined): T | undefined {
  const raw = env[key]?.trim();
  if (!raw) return fallback;
  const match = allowed.find((candidate) => candidate.toLowerCase() === raw.toLowerCase());
  if (!match) throw new ConfigError(`${key}=${raw} is not one of ${allowed.join(', ')}`);
  return match;
}

function integer(env: Env, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${key}=${raw} is not a whole number`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${key}=${raw} must be between ${min} and ${max}`);
  return value;
}

function flag(env: Env, key: string, fallback: boolean): boolean {
  const raw = env[key]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(`${key}=${env[key]} is not a boolean (true/false)`);
}

function isLogRetentionDays(days: number): days is LogRetentionDays {
  return Object.prototype.hasOwnProperty.call(LOG_RETENTION_NAMES, days);
}

const PREFIX_PATTERN = /^[a-z][a-z0-9-]{0,30}$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function loadChatAppConfig(env: Env = process.env): ChatAppConfig {
  const environment = oneOf(env, 'CHAT_APP_ENVIRONMENT', ENVIRONMENTS, 'dev') ?? 'dev';
  const prefix = text(env, 'CHAT_APP_PREFIX', 'realtime-chat');
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new ConfigError(
      `CHAT_APP_PREFIX=${prefix} must start with a lower-case letter and contain only a-z, 0-9 and '-' (at most 31 characters)`,
    );
  }
  const alarmEmail = env['CHAT_APP_ALARM_EMAIL']?.trim() || undefined;
  if (alarmEmail && !EMAIL_PATTERN.test(alarmEmail)) {
    throw new ConfigError(`CHAT_APP_ALARM_EMAIL=${alarmEmail} is not an e-mail address`);
  }
  const logRetentionDays = integer(env, 'CHAT_APP_LOG_RETENTION_DAYS', environment === 'prod' ? 90 : 30, 1, 3653);
  if (!isLogRetentionDays(logRetentionDays)) {
    throw new ConfigError(
      `CHAT_APP_LOG_RETENTION_DAYS=${logRetentionDays} is not a CloudWatch Logs retention (${Object.keys(LOG_RETENTION_NAMES).join(', ')})`,
    );
  }
  return {
    environment,
    prefix,
    owner: text(env, 'CHAT_APP_OWNER', 'DevOps Team'),
    project: text(env, 'CHAT_APP_PROJECT', 'RealTimeChat'),
    alarmEmail,
    fieldLogLevel: oneOf(env, 'CHAT_APP_LOG_LEVEL', FIELD_LOG_LEVELS, undefined),
    logRetentionDays,
    passwordPolicy: {
      minimumLength: integer(env, 'CHAT_APP_PASSWORD_MIN_LENGTH', 8, 6, 99),
      requireUppercase: flag(env, 'CHAT_APP_PASSWORD_REQUIRE_UPPERCASE', true),
      requireLowercase: flag(env, 'CHAT_APP_PASSWORD_REQUIRE_LOWERCASE', true),
      requireNumbers: flag(env, 'CHAT_APP_PASSWORD_REQUIRE_NUMBERS', true),
      requireSymbols: flag(env, 'CHAT_APP_PASSWORD_REQUIRE_SYMBOLS', false),
    },
    latencyP99ThresholdMs: integer(env, 'CHAT_APP_LATENCY_P99_MS', 1000, 10, 60000),
    sendRateLimit: {
      messages: integer(env, 'CHAT_APP_SEND_RATE_LIMIT', 30, 0, 100_000),
      windowSeconds: integer(env, 'CHAT_APP_SEND_RATE_WINDOW_SECONDS', 10, 1, 3600),
    },
  };
}

/**
 * The field log level actually applied: explicit configuration wins; otherwise everything is logged
 * in per-developer sandboxes and only errors in branch deployments.
 */
export function effectiveFieldLogLevel(config: ChatAppConfig, backendType: string | undefined): FieldLogLevel {
  if (config.fieldLogLevel) return config.fieldLogLevel;
  return backendType === 'sandbox' ? 'ALL' : 'ERROR';
}
