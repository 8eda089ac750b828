import { describe, expect, it } from 'vitest';
import { AppSyncError, CONDITIONAL_CHECK_FAILED, type Graphql } from '../shared/appsync';
import { appSyncPresenceStore } from './appsync-store';
import type { PresenceRecord } from './logic';

const record: PresenceRecord = { id: 'u-1', owner: 'u-1::u-1', status: 'ONLINE', lastSeen: '2026-01-01T00:00:00.000Z' };
const conditionFailed = (op: string) =>
  new AppSyncError(op, [{ errorType: CONDITIONAL_CHECK_FAILED, message: 'The conditional request failed' }]);

function scripted(replies: ((query: string, variables: Record<string, unknown>) => unknown)[]) {
  const calls: { query: string; variables: Record<string, unknown> }[] = [];
  const graphql: Graphql = async <T>(query: string, variables: Record<string, unknown>) => {
    calls.push({ query, variables });
    const reply = replies.shift();
    if (!reply) throw new Error('unexpected call');
    return reply(query, variables) as T;
  };
  return { graphql, calls };
}

describe('appSyncPresenceStore', () => {
  it('updates an existing record and creates a missing one, selecting owner for subscription filters', async () => {
    const existing = scripted([() => ({ updateUserPresence: record })]);
    await appSyncPresenceStore(existing.graphql).put(record);
    expect(existing.calls.map((c) => /(\w+UserPresence)\(/.exec(c.query)![1])).toEqual(['updateUserPresence']);

    const missing = scripted([
      () => {
        throw conditionFailed('UpdatePresence');
      },
      () => ({ createUserPresence: record }),
    ]);
    await appSyncPresenceStore(missing.graphql).put(record);
    expect(missing.calls.map((c) => /(\w+UserPresence)\(/.exec(c.query)![1])).toEqual(['updateUserPresence', 'createUserPresence']);
    for (const call of missing.calls) expect(call.query).toMatch(/\bowner\b/);
  });

  it('pages through the status index until nextToken runs out', async () => {
    const page = (items: PresenceRecord[], nextToken: string | null) => () => ({ listPresenceByStatus: { items, nextToken } });
    const { graphql, calls } = scripted([page([record], 't1'), page([], 't2'), page([{ ...record, id: 'u-2' }], null)]);
    const found = await appSyncPresenceStore(graphql).listByStatusSeenBefore('ONLINE', '2026-01-01T00:01:00.000Z');
    expect(found.map((r) => r.id)).toEqual(['u-1', 'u-2']);
    expect(calls.map((c) => c.variables['nextToken'])).toEqual([null, 't1', 't2']);
  });

  it('marks offline only if lastSeen and status are unchanged', async () => {
    const { graphql, calls } = scripted([
      () => {
        throw conditionFailed('UpdatePresence');
      },
    ]);
    await expect(appSyncPresenceStore(graphql).markOffline(record)).resolves.toBe(false);
    expect(calls[0]!.variables).toEqual({
      input: { id: 'u-1', status: 'OFFLINE' },
      condition: { lastSeen: { eq: record.lastSeen }, status: { eq: 'ONLINE' } },
    });
  });
});
