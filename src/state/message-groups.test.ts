import { describe, expect, it } from 'vitest';
import { continuesGroup } from './message-groups';

const m = (sender: string, createdAt: string, messageType = 'TEXT') => ({ sender, createdAt, messageType });

describe('continuesGroup', () => {
  it('groups the same sender within five minutes', () => {
    expect(continuesGroup(m('ann', '2024-05-01T10:00:00Z'), m('ann', '2024-05-01T10:05:00Z'))).toBe(true);
    expect(continuesGroup(m('ann', '2024-05-01T10:00:00Z'), m('ann::ann', '2024-05-01T10:01:00Z'))).toBe(true);
  });

  it('starts a new group for another sender, a longer pause, a system message or no predecessor', () => {
    expect(continuesGroup(m('ann', '2024-05-01T10:00:00Z'), m('bob', '2024-05-01T10:01:00Z'))).toBe(false);
    expect(continuesGroup(m('ann', '2024-05-01T10:00:00Z'), m('ann', '2024-05-01T10:05:01Z'))).toBe(false);
    expect(continuesGroup(m('ann', '2024-05-01T10:00:00Z', 'SYSTEM'), m('ann', '2024-05-01T10:01:00Z'))).toBe(false);
    expect(continuesGroup(undefined, m('ann', '2024-05-01T10:01:00Z'))).toBe(false);
    expect(continuesGroup(m('ann', '2024-05-01T10:02:00Z'), m('ann', '2024-05-01T10:01:00Z'))).toBe(false);
  });
});
