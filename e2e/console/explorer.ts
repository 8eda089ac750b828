/**
 * The console's GraphQL explorer, end to end: two people chat in the app; in the explorer, a tab opened as Bob (the
 * Auth page's "Use as" address) runs the subscription the app itself listens on (onMyConversations), and a message Ann
 * sends in the chat appears in the explorer's result pane; a tab as IAM reads the conversation, and as a user who is
 * not in it, AppSync refuses it.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ChatUser, type Person } from '../chat-user';
import { PASSWORD, signedUp, windowsOfScenario } from '../chat-people';
import { openConsole } from '../console-page';
import { scanModel } from '../../tests/offline/helpers';
import type { Stack } from '../stack';

const ann: Person = { email: 'ann.explorer@example.com', displayName: 'Ann Explorer', password: PASSWORD };
const bob: Person = { email: 'bob.explorer@example.com', displayName: 'Bob Explorer', password: PASSWORD };
const cal: Person = { email: 'cal.outsider@example.com', displayName: 'Cal Outsider', password: PASSWORD };

/** The subscription the chat app listens on for every conversation event (src/hooks/amplify-helpers.ts). */
const APP_SUBSCRIPTION = `subscription BobsFeed {
  onMyConversations { conversationId type content sender userId }
}`;

/**
 * Replaces the operation in the active tab's editor, as typed text; what the editor closed by itself (a brace typed
 * on the first line) ends up after the cursor and is removed. Done when GraphiQL has read it: the tab is named after
 * the operation.
 */
async function writeOperation(page: Page, text: string, operationName: string): Promise<void> {
  const editor = page.getByRole('region', { name: 'Operation Editor' });
  await editor.locator('.monaco-editor').first().click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  await page.keyboard.press('ControlOrMeta+Shift+End');
  await page.keyboard.press('Delete');
  await tab(page, operationName).waitFor();
}

/** GraphiQL's tab named `title`. */
function tab(page: Page, title: string) {
  return page.getByRole('tablist', { name: 'Select active operation' }).getByRole('button', { name: title, exact: true });
}

async function chooseCaller(page: Page, label: string): Promise<void> {
  await page.getByLabel('Caller for this tab').selectOption({ label });
}

export function explorerScenarios(stack: () => Stack): void {
  describe('console: explorer', () => {
    const keep = windowsOfScenario();

    it('opens a subscription as one user and sees a message sent by another; IAM reads, an outsider is refused', async () => {
      const { env } = stack();
      const [annChat, bobChat] = (await signedUp(stack(), keep, ann, bob, cal)) as [ChatUser, ChatUser, ChatUser];
      await annChat.startConversationWith('Bob Explorer');
      await bobChat.topConversation('Ann Explorer', 'No messages yet').waitFor();

      const console = keep(await openConsole(stack()));
            const { page } = console;
      await console.open('GraphQL');
      await page.getByLabel('Caller for this tab').waitFor();

      // "Use as" Bob: his own tab, authorized as him.
      const bobUsername = env.sandbox.userPool.getUser(bob.email)!.username;
      await page.goto(new URL(`#/explorer/user/${encodeURIComponent(bobUsername)}`, page.url()).href);
      const caller = page.getByLabel('Caller for this tab');
      await expect.poll(() => caller.locator('option:checked').textContent()).toBe(`User ${bob.email}`);
      expect(new URL(page.url()).hash).toBe('#/explorer');

      await writeOperation(page, APP_SUBSCRIPTION, 'BobsFeed');
      await page.getByRole('button', { name: /^Execute query/ }).click();
      const lastRun = page.getByRole('status', { name: 'Last run' });
      await lastRun.filter({ hasText: `Listening as User ${bob.email} (AppSync acknowledged the subscription)` }).waitFor();

      await annChat.send('Hello Bob, from the chat app');
      const result = page.getByRole('region', { name: 'Result Window' });
      await result.filter({ hasText: 'Hello Bob, from the chat app' }).waitFor();
      await result.filter({ hasText: 'MESSAGE_SENT' }).waitFor();
      // Ann's typing reaches Bob on the same subscription: the status line counts every event.
      await lastRun.filter({ hasText: /· [1-9]\d* events?$/ }).waitFor();
      await page.getByRole('button', { name: /^Stop query/ }).click();
      await lastRun.filter({ hasText: `Stopped as User ${bob.email}` }).waitFor();

      // A new tab, as IAM: the console's own principal reads the conversation.
      const [conversation] = (await scanModel(env, 'Conversation')).filter((item) => (item['participants'] as string[]).some((p) => p.includes(env.sandbox.userPool.getUser(bob.email)!.attributes['sub']!)));
      const id = String(conversation!['id']);
      await page.getByRole('button', { name: 'New tab' }).click();
      await chooseCaller(page, 'IAM (the console)');
      await expect.poll(() => caller.locator('option:checked').textContent()).toBe('IAM (the console)');
      await writeOperation(page, `query Conversation {\n  getConversation(id: "${id}") { id participants lastMessagePreview }\n}`, 'Conversation');
      await page.getByRole('button', { name: /^Execute query/ }).click();
      await lastRun.filter({ hasText: 'HTTP 200 from AppSync as IAM (the console)' }).waitFor();
      await result.filter({ hasText: 'Hello Bob, from the chat app' }).waitFor();

      // The same query as Cal, who is not in the conversation: AppSync refuses it.
      await page.getByRole('button', { name: "Reload the pool's users" }).click();
      await chooseCaller(page, `User ${cal.email}`);
      await expect.poll(() => caller.locator('option:checked').textContent()).toBe(`User ${cal.email}`);
      await page.getByRole('button', { name: /^Execute query/ }).click();
      await lastRun.filter({ hasText: `HTTP 200 from AppSync as User ${cal.email}` }).waitFor();
      await result.filter({ hasText: '"getConversation": null' }).waitFor();
      await result.filter({ hasText: 'Unauthorized' }).waitFor();

      // Back to Bob's tab: it kept its caller and its result.
      await tab(page, 'BobsFeed').click();
      await expect.poll(() => caller.locator('option:checked').textContent()).toBe(`User ${bob.email}`);
      await result.filter({ hasText: 'Hello Bob, from the chat app' }).waitFor();

      expect(console.errors).toEqual([]);
      await console.screenshot('console-explorer');
    });
  });
}
