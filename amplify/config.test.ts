import { describe, expect, it } from 'vitest';
import { ConfigError, effectiveFieldLogLevel, loadChatAppConfig } from './config';

describe('loadChatAppConfig', () => {
  it('documents its defaults: dev, realtime-chat, passwords of at least 8 characters with upper case, lower case and numbers, 30-day logs, no alarm e-mail', () => {
    const config = loadChatAppConfig({});
    expect(config).toEqual({
      environment: 'dev',
      prefix: 'realtime-chat',
      owner: 'DevOps Team',
      project: 'RealTimeChat',
      alarmEmail: undefined,
      fieldLogLevel: undefined,
      logRetentionDays: 30,
      passwordPolicy: {
        minimumLength: 8,
        requireUppercase: true,
        requireLowercase: true,
        requireNumbers: true,
        requireSymbols: false,
      },
      latencyP99ThresholdMs: 1000,
      sendRateLimit: { messages: 30, windowSeconds: 10 },
    });
  });

  it('keeps prod logs 90 days unless told otherwise', () => {
    expect(loadChatAppConfig({ CHAT_APP_ENVIRONMENT: 'prod' }).logRetentionDays).toBe(90);
    expect(loadChatAppConfig({ CHAT_APP_ENVIRONMENT: 'prod', CHAT_APP_LOG_RETENTION_DAYS: '14' }).logRetentionDays).toBe(14);
  });

  it('reads every variable', () => {
    const config = loadChatAppConfig({
      CHAT_APP_ENVIRONMENT: 'Staging',
      CHAT_APP_PREFIX: 'acme',
      CHAT_APP_OWNER: 'Chat Team',
      CHAT_APP_ALARM_EMAIL: 'ops@example.com',
      CHAT_APP_LOG_LEVEL: 'info',
      CHAT_APP_PASSWORD_MIN_LENGTH: '14',
      CHAT_APP_PASSWORD_REQUIRE_SYMBOLS: 'yes',
      CHAT_APP_PASSWORD_REQUIRE_UPPERCASE: 'false',
    });
    expect(config.environment).toBe('staging');
    expect(config.prefix).toBe('acme');
    expect(config.owner).toBe('Chat Team');
    expect(config.alarmEmail).toBe('ops@example.com');
    expect(config.fieldLogLevel).toBe('INFO');
    expect(config.passwordPolicy).toMatchObject({ minimumLength: 14, requireSymbols: true, requireUppercase: false });
  });

  it('reads the send rate limit, where 0 messages turns it off', () => {
    expect(loadChatAppConfig({ CHAT_APP_SEND_RATE_LIMIT: '5', CHAT_APP_SEND_RATE_WINDOW_SECONDS: '60' }).sendRateLimit).toEqual({
      messages: 5,
      windowSeconds: 60,
    });
    expect(loadChatAppConfig({ CHAT_APP_SEND_RATE_LIMIT: '0' }).sendRateLimit.messages).toBe(0);
  });

  it.each([
    [{ CHAT_APP_ENVIRONMENT: 'qa' }, /CHAT_APP_ENVIRONMENT=qa is not one of dev, staging, prod/],
    [{ CHAT_APP_PREFIX: 'Acme Corp' }, /CHAT_APP_PREFIX=Acme Corp must start with a lower-case letter/],
    [{ CHAT_APP_ALARM_EMAIL: 'ops' }, /CHAT_APP_ALARM_EMAIL=ops is not an e-mail address/],
    [{ CHAT_APP_PASSWORD_MIN_LENGTH: '5' }, /must be between 6 and 99/],
    [{ CHAT_APP_PASSWORD_MIN_LENGTH: 'eight' }, /is not a whole number/],
    [{ CHAT_APP_PASSWORD_REQUIRE_SYMBOLS: 'maybe' }, /is not a boolean/],
    [{ CHAT_APP_LOG_RETENTION_DAYS: '10' }, /is not a CloudWatch Logs retention/],
    [{ CHAT_APP_LOG_LEVEL: 'verbose' }, /is not one of NONE, ERROR, INFO, DEBUG, ALL/],
    [{ CHAT_APP_SEND_RATE_LIMIT: '-1' }, /CHAT_APP_SEND_RATE_LIMIT=-1 is not a whole number/],
    [{ CHAT_APP_SEND_RATE_WINDOW_SECONDS: '0' }, /CHAT_APP_SEND_RATE_WINDOW_SECONDS=0 must be between 1 and 3600/],
  ])('rejects %o with a message naming the variable', (env, message) => {
    expect(() => loadChatAppConfig(env)).toThrow(ConfigError);
    expect(() => loadChatAppConfig(env)).toThrow(message);
  });
});

describe('effectiveFieldLogLevel', () => {
  it('logs everything in sandboxes and errors in branches unless configured', () => {
    const config = loadChatAppConfig({});
    expect(effectiveFieldLogLevel(config, 'sandbox')).toBe('ALL');
    expect(effectiveFieldLogLevel(config, 'branch')).toBe('ERROR');
    expect(effectiveFieldLogLevel(loadChatAppConfig({ CHAT_APP_LOG_LEVEL: 'debug' }), 'sandbox')).toBe('DEBUG');
  });
});
