import { describe, expect, it } from 'vitest';
import { AppSyncError, CONDITIONAL_CHECK_FAILED, type Graphql } from '../shared/appsync';
import { appSyncMessageStore } from './appsync-store';

/**
 * The AppSync adapter against a recording GraphQL transport (AppSync itself cannot run here; the
 * offline sandbox exercises the real path). What matters: the documents and variables it sends,
 * and how AppSync's error types map to outcomes.
 */
function transport(reply: (query: string, variables: Record<string, unknown>) => unknown) {
  const calls: { query: string; variables: Record<string, unknown> }[] = [];
  const graphql: Graphql = async <T>(query: string, variables: Record<string, unknown>) => {
    calls.push({ query, variables });
    return reply(query, variables) as T;
  };
  return { graphql, calls };
}

const conditionFailed = () => {
  throw new AppSyncError('CreateMessage', [{ errorType: CONDITIONAL_CHECK_FAILED, message: 'The conditional request failed' }]);
};

const message = {
  id: 'm-1',
  conversationId: 'c-1',
  content: 'hi',
  messageType: 'TEXT' as const,
  sender: 's-1',
  participants: ['s-1::s-1'],
  clientMessageId: null,
  createdAt: '2026-01-01T00:00:00.000Z',
};

describe('appSyncMessageStore', () => {
  it('creates messages selecting participants, so participant-filtered subscriptions fire', async () => {
    const { graphql, calls } = transport(() => ({ createMessage: message }));
    await expect(appSyncMessageStore(graphql).createMessageIfAbsent(message)).resolves.toBe(true);
    expect(calls[0]!.query).toMatch(/createMessage\(input: \$input\) \{[^}]*\bparticipants\b/);
    expect(calls[0]!.variables).toEqual({ input: message });
  });

  it('reports an existing id (conditional check failed) as "not created" and rethrows anything else', async () => {
    await expect(appSyncMessageStore(transport(conditionFailed).graphql).createMessageIfAbsent(message)).resolves.toBe(false);
    const unauthorized = transport(() => {
      throw new AppSyncError('CreateMessage', [{ errorType: 'Unauthorized', message: 'Not Authorized' }]);
    });
    await expect(appSyncMessageStore(unauthorized.graphql).createMessageIfAbsent(message)).rejects.toThrow(/Unauthorized/);
  });

  it('updates and deletes messages selecting participants', async () => {
    const { graphql, calls } = transport((q) => (q.includes('updateMessage') ? { updateMessage: message } : { deleteMessage: message }));
    const store = appSyncMessageStore(graphql);
    await store.updateMessageContent('m-1', 'edited', '2026-01-01T00:01:00.000Z');
    await store.deleteMessage('m-1');
    expect(calls[0]!.variables).toEqual({ input: { id: 'm-1', content: 'edited', editedAt: '2026-01-01T00:01:00.000Z' } });
    expect(calls[1]!.variables).toEqual({ input: { id: 'm-1' } });
    for (const call of calls) expect(call.query).toMatch(/\bparticipants\b/);
  });

  it('moves lastMessageAt forward only (conditional update) and ignores a lost race', async () => {
    const { graphql, calls } = transport(conditionFailed);
    await expect(appSyncMessageStore(graphql).touchConversation('c-1', '2026-01-01T00:00:00.000Z', 'hi')).resolves.toBeUndefined();
    expect(calls[0]!.variables).toEqual({
      input: { id: 'c-1', lastMessageAt: '2026-01-01T00:00:00.000Z', lastMessagePreview: 'hi' },
      condition: {
        or: [{ lastMessageAt: { attributeExists: false } }, { lastMessageAt: { lt: '2026-01-01T00:00:00.000Z' } }],
      },
    });
    expect(calls[0]!.query).toMatch(/updateConversation\(input: \$input, condition: \$condition\) \{[^}]*\bparticipants\b/);
  });
});
