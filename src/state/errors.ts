import { chatErrorCode } from '../../amplify/shared/errors';
import { unreachableText } from './api-target';

/**
 * Human-readable text for what Amplify's data client throws or returns: an Error, a GraphQL result
 * with `errors`, an array of GraphQL errors, or anything else.
 */
export function errorText(error: unknown): string {
  const message = rawMessage(error);
  if (!message) return 'Something went wrong.';
  if (/network ?error|failed to fetch|load failed|networkerror/i.test(message)) {
    return unreachableText();
  }
  const code = chatErrorCode(message);
  if (code) {
    const text = message.slice(code.length + 1).trim();
    return capitalize(text || code);
  }
  return message;
}

function rawMessage(error: unknown): string {
  if (typeof error === 'string') return error;
  if (Array.isArray(error)) return error.map(rawMessage).filter(Boolean).join('; ');
  if (error && typeof error === 'object') {
    const withErrors = error as { errors?: unknown; message?: unknown };
    if (Array.isArray(withErrors.errors) && withErrors.errors.length > 0) return rawMessage(withErrors.errors);
    if (typeof withErrors.message === 'string') return withErrors.message;
  }
  return '';
}

function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

/** Throws the GraphQL errors of a data-client answer (they are returned, not thrown). */
export function throwIfErrors(result: { errors?: readonly { message: string }[] | null }): void {
  if (result.errors && result.errors.length > 0) throw new GraphQLErrors(result.errors);
}

export class GraphQLErrors extends Error {
  readonly errors: readonly { message: string }[];
  constructor(errors: readonly { message: string }[]) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'GraphQLErrors';
    this.errors = errors;
  }
}

/** Retry delay after `attempt` consecutive failures (0-based): 1 s, 2 s, 4 s … capped at 30 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempt), 30_000);
}
