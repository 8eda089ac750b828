import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatUser } from './chat-user';
import { startStack, type Stack } from './stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

describe('the Authenticator against the offline user pool', () => {
  it('signs a new user up, confirms with the code the pool issued, and signs in with SRP', async () => {
    const ann = await ChatUser.open(stack.browser, stack.appUrl, { email: 'ann.e2e@example.com', displayName: 'Ann', password: 'Correct-Horse-9' });
    await ann.signUp((email) => stack.env.sandbox.userPool.lastCodeFor(email));
    await expect(ann.signedIn().isVisible()).resolves.toBe(true);
    await ann.screenshot('signed-in');
    expect(ann.consoleErrors).toEqual([]);
    await ann.close();
  });
});
