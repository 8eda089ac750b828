import { describe, expect, it } from 'vitest';
import { ChatError, chatErrorCode } from './errors';

describe('chat errors', () => {
  it('carry their code at the start of the message, where AppSync keeps it', () => {
    const error = new ChatError('Conflict', 'clientMessageId reused');
    expect(error.message).toBe('Conflict: clientMessageId reused');
    expect(chatErrorCode(error.message)).toBe('Conflict');
  });

  it('recognize no code in other messages', () => {
    expect(chatErrorCode('Network error: timeout')).toBeUndefined();
    expect(chatErrorCode('')).toBeUndefined();
    expect(chatErrorCode(undefined)).toBeUndefined();
  });
});
