import { loadChatAppConfig, logRetentionName } from './config';

/** The configuration of this synthesis, read once from the CHAT_APP_* environment variables. */
export const settings = loadChatAppConfig();

/** Logging options shared by every function of this backend. */
export const functionLogging = {
  format: 'json',
  level: 'info',
  retention: logRetentionName(settings.logRetentionDays),
} as const;

/** Environment variables every function receives. */
export const functionEnvironment: Record<string, string> = {
  CHAT_APP_ENVIRONMENT: settings.environment,
  CHAT_APP_PREFIX: settings.prefix,
};
