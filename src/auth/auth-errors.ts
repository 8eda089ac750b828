import { apiTarget } from '../state/api-target';

/**
 * What a failed `aws-amplify/auth` call says to the user: Cognito's own message as it comes ("Incorrect username or
 * password.", "Password did not conform with policy: Password not long enough", "Invalid verification code provided,
 * please try again."…), except when Cognito could not be reached at all: then where to look, with the outputs'
 * `custom.connectionHelp` when there is one (the offline sandbox says what to do about its certificate).
 */
export function authErrorText(error: unknown): string {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message.trim() : '';
  if (name === 'NetworkError' || /network ?error|failed to fetch|load failed/i.test(text)) {
    return `Couldn't reach the sign-in service. ${apiTarget()?.help ?? 'Check your connection and try again.'}`;
  }
  if (text === '') return 'Something went wrong. Try again.';
  return text;
}
