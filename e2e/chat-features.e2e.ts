/**
 * The chat features in Chromium, each scenario a real thing end to end, on one sandbox + app + browser (starting them
 * is the expensive part): conversations in two windows, notifications, reactions, read receipts, search. The
 * scenarios live in ./chat/, one module per feature; each signs up its own Ann, Bob and Cat (`chatPeople('<feature>')`
 * in ./chat-people.ts: the usual names, e-mail addresses of its own), so none sees another's conversations, unread
 * counts or notifications, and they can run in any order.
 *
 * Adding a feature (e.g. ./chat/members.ts): export `function membersScenarios(current: () => Stack): void` that
 * registers its `describe` (with `const keep = windowsOfScenario()` and its people signed up in a `beforeAll` through
 * `signedUp(current(), keep, ...)`), then add its import below and one `membersScenarios(current);` line at the end.
 */
import { afterAll, beforeAll } from 'vitest';
import { startStack, type Stack } from './stack';
import { conversationScenarios } from './chat/conversations';
import { notificationScenarios } from './chat/notifications';
import { reactionScenarios } from './chat/reactions';
import { readReceiptScenarios } from './chat/read-receipts';
import { searchScenarios } from './chat/search';
import { membersScenarios } from './chat/members';
import { threadScenarios } from './chat/threads';
import { attachmentScenarios } from './chat/attachments';

let stack: Stack | undefined;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

const current = (): Stack => {
  if (!stack) throw new Error('the stack did not start');
  return stack;
};

conversationScenarios(current);
notificationScenarios(current);
reactionScenarios(current);
readReceiptScenarios(current);
searchScenarios(current);
membersScenarios(current);
threadScenarios(current);
attachmentScenarios(current);
