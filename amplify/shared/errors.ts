/**
 * Errors the chat Lambdas raise on purpose. AppSync reports a Lambda error with
 * `errorType: "Lambda:Unhandled"` and the error's message, so the stable code travels at the start
 * of the message: `"<code>: <text>"`. Clients use `chatErrorCode()` to tell, for example, a
 * validation error (do not retry) from a transient failure (retry).
 */

export const CHAT_ERROR_CODES = ['Unauthorized', 'ValidationError', 'NotFound', 'Conflict', 'RateLimited'] as const;
export type ChatErrorCode = (typeof CHAT_ERROR_CODES)[number];

export class ChatError extends Error {
  readonly code: ChatErrorCode;

  constructor(code: ChatErrorCode, text: string) {
    super(`${code}: ${text}`);
    this.code = code;
    this.name = code;
  }
}

/** The chat error code at the start of an error message, if any. */
export function chatErrorCode(message: string | null | undefined): ChatErrorCode | undefined {
  if (!message) return undefined;
  const code = message.slice(0, message.indexOf(':'));
  return (CHAT_ERROR_CODES as readonly string[]).includes(code) ? (code as ChatErrorCode) : undefined;
}
