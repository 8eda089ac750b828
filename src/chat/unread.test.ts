import { describe, expect, it } from 'vitest';
import { countUnread, hasUnreadActivity } from './unread';

const ME = 'sub-me';
const ANN = 'sub-ann';
const at = (minute: number) => `2024-05-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

const messages = [
  { sender: ANN, createdAt: at(1) },
  { sender: ME, createdAt: at(2) },
  { sender: ANN, createdAt: at(3) },
  { sender: `${ME}::${ME}`, createdAt: at(4) },
  { sender: ANN, createdAt: at(5) },
];

describe('countUnread', () => {
  it('counts every message from others when nothing was read yet', () => {
    expect(countUnread(messages, ME, null)).toBe(3);
  });

  it('counts only messages strictly newer than the marker', () => {
    expect(countUnread(messages, ME, at(3))).toBe(1);
    expect(countUnread(messages, ME, at(5))).toBe(0);
  });

  it('never counts my own messages, in either owner-entry form', () => {
    const mine = [
      { sender: ME, createdAt: at(9) },
      { sender: `${ME}::${ME}`, createdAt: at(9) },
    ];
    expect(countUnread(mine, ME, null)).toBe(0);
    expect(countUnread(mine, `${ME}::${ME}`, at(0))).toBe(0);
  });

  it('compares instants, not text', () => {
    expect(countUnread([{ sender: ANN, createdAt: '2024-05-01T12:00:00+02:00' }], ME, '2024-05-01T10:00:00Z')).toBe(0);
    expect(countUnread([{ sender: ANN, createdAt: '2024-05-01T10:00:00.001Z' }], ME, '2024-05-01T10:00:00Z')).toBe(1);
  });
});

describe('hasUnreadActivity', () => {
  it('is true when the last activity is after the marker or there is no marker', () => {
    expect(hasUnreadActivity(at(5), at(4))).toBe(true);
    expect(hasUnreadActivity(at(5), null)).toBe(true);
    expect(hasUnreadActivity(at(5), at(5))).toBe(false);
    expect(hasUnreadActivity(null, null)).toBe(false);
    expect(hasUnreadActivity(undefined, at(1))).toBe(false);
  });
});
