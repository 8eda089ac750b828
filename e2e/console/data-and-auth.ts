/**
 * Data and Auth in the console, each a real thing end to end:
 * - a message edited in the Data page ("Save to DynamoDB": no subscription fires, so the other person's chat shows it
 *   once it reads again — a reload), and a profile renamed "through AppSync (as IAM)", which the other window sees
 *   live through the app's own subscription;
 * - a user created in the Auth page with a password signs in to the chat app with it.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ChatUser, type Person } from '../chat-user';
import { PASSWORD, signedUp, windowsOfScenario } from '../chat-people';
import { openConsole } from '../console-page';
import type { Stack } from '../stack';

const fay: Person = { email: 'fay.data@example.com', displayName: 'Fay Data', password: PASSWORD };
const gus: Person = { email: 'gus.data@example.com', displayName: 'Gus Data', password: PASSWORD };
const hal: Person = { email: 'hal.console@example.com', displayName: 'hal.console@example.com', password: 'Made-In-Console-7' };

/** Opens a table of the Data page and scans it for items whose `attribute` is `value`. */
async function scanFor(page: Page, table: string, attribute: string, value: string): Promise<void> {
  await page.getByRole('table', { name: 'Tables' }).getByRole('button', { name: table, exact: true }).click();
  const search = page.getByRole('form', { name: 'Search' });
  await search.getByLabel('Scan').check();
  await search.getByLabel('Filter expression').fill('#a = :v');
  await search.getByLabel('Expression attribute names').fill(JSON.stringify({ '#a': attribute }));
  await search.getByLabel('Expression attribute values').fill(JSON.stringify({ ':v': { S: value } }));
  await search.getByRole('button', { name: 'Run scan' }).click();
}

/** Opens the one result row holding `text` in the item editor and returns the editor's item, parsed. */
async function openItem(page: Page, text: string): Promise<Record<string, Record<string, unknown>>> {
  await page.getByRole('table', { name: 'Items' }).getByRole('row').filter({ hasText: text }).getByRole('button', { name: /^Open item/ }).click();
  const editor = page.getByLabel('Item (DynamoDB JSON)');
  return JSON.parse(await editor.inputValue()) as Record<string, Record<string, unknown>>;
}

export function dataAndAuthScenarios(stack: () => Stack): void {
  describe('console: data and auth', () => {
    const keep = windowsOfScenario();

    it('edits a message in the Data page and the chat shows it; renames a profile through AppSync and the chat sees it live', async () => {
      const [sender, reader] = (await signedUp(stack(), keep, fay, gus)) as [ChatUser, ChatUser];
      await sender.startConversationWith('Gus');
      await sender.send('Meet at the old station at noon');
      await sender.message('Meet at the old station at noon', { status: 'confirmed', own: true }).waitFor();
      await reader.conversation('Fay Data').click();
      await reader.message('Meet at the old station at noon').waitFor();

      const console = keep(await openConsole(stack()));
            const { page } = console;
      await console.open('Data');
      await scanFor(page, 'Message', 'content', 'Meet at the old station at noon');
      const message = await openItem(page, 'Meet at the old station at noon');
      expect(message['content']).toEqual({ S: 'Meet at the old station at noon' });
      // Messages are written only by the message processor: the model has no mutations, so AppSync is not offered.
      await page.getByText('The API has no updateMessage mutation').waitFor();
      await expect(page.getByRole('button', { name: 'Save through AppSync (as IAM)' }).isDisabled()).resolves.toBe(true);
      // A broken edit is refused before anything is sent.
      const editor = page.getByLabel('Item (DynamoDB JSON)');
      await editor.fill('{"content": "not typed"}');
      await page.getByRole('button', { name: 'Save to DynamoDB' }).click();
      await page.getByRole('alert').filter({ hasText: 'content: must be a typed value' }).waitFor();

      await editor.fill(JSON.stringify({ ...message, content: { S: 'Meet at the new station at one' } }, null, 2));
      await page.getByRole('button', { name: 'Save to DynamoDB' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved to DynamoDB: no resolver ran and no subscription fired' }).waitFor();
      expect(JSON.parse(await editor.inputValue())['content']).toEqual({ S: 'Meet at the new station at one' });
      // The results were read again: the scan's filter no longer matches the message.
      await page.getByRole('table', { name: 'Items' }).getByRole('row').filter({ hasText: 'Meet at the old station' }).waitFor({ state: 'detached' });

      // Straight to DynamoDB: no event reached the chat; it shows the edit once it reads the conversation again.
      await reader.page.reload();
      await reader.signedIn().waitFor();
      await reader.conversation('Fay Data').click();
      await reader.message('Meet at the new station at one').waitFor();
      await expect(reader.message('Meet at the old station').count()).resolves.toBe(0);

      // Through AppSync as IAM: the profile's update mutation runs, and Fay's window (which never reloads) sees the new
      // name through its UserProfile subscription.
      await scanFor(page, 'UserProfile', 'displayName', 'Gus Data');
      const profile = await openItem(page, 'Gus Data');
      await page.getByText('Runs updateUserProfile as an IAM caller').waitFor();
      await editor.fill(JSON.stringify({ ...profile, displayName: { S: 'Gus Renamed' } }, null, 2));
      await page.getByRole('button', { name: 'Save through AppSync (as IAM)' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved through AppSync (updateUserProfile, as IAM)' }).waitFor();
      expect(JSON.parse(await editor.inputValue())['displayName']).toEqual({ S: 'Gus Renamed' });
      await sender.conversation('Gus Renamed').waitFor();

      // Every profile, with the renamed one open in the editor, for the docs.
      const search = page.getByRole('form', { name: 'Search' });
      for (const field of ['Filter expression', 'Expression attribute names', 'Expression attribute values']) await search.getByLabel(field).fill('');
      await search.getByRole('button', { name: 'Run scan' }).click();
      await page.getByRole('table', { name: 'Items' }).getByRole('row').filter({ hasText: 'Gus Renamed' }).waitFor();
      await console.screenshot('console-data');
      expect(console.errors).toEqual([]);
      expect(sender.pageErrors).toEqual([]);
      expect(reader.pageErrors).toEqual([]);
    });

    it('creates a user in the Auth page, who signs in to the chat app with that password', async () => {
      const { env, browser, appUrl } = stack();
      const console = keep(await openConsole(stack()));
            const { page } = console;
      await console.open('Auth');
      const create = page.getByRole('form', { name: 'Create user' });
      // The pool's password policy applies, and its refusal is shown as it comes.
      await create.getByLabel('E-mail').fill(hal.email);
      await create.getByLabel('Password (optional)').fill('short');
      await create.getByRole('button', { name: 'Create user' }).click();
      await create.getByRole('alert').filter({ hasText: /InvalidPasswordException|password/i }).waitFor();
      expect(env.sandbox.userPool.getUser(hal.email)).toBeUndefined();
      // The browser logs the refused request (400) itself; nothing else may be logged.
      expect(console.errors).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
      console.errors.length = 0;

      await create.getByLabel('E-mail').fill(hal.email);
      await create.getByLabel('Password (optional)').fill(hal.password);
      await create.getByRole('button', { name: 'Create user' }).click();
      await create.getByRole('status').filter({ hasText: `Created ${hal.email}: CONFIRMED` }).waitFor();
      const row = page.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: hal.email });
      await row.filter({ hasText: 'CONFIRMED' }).waitFor();
      // Its details are open: the sub, and "use as".
      const detail = page.getByRole('region', { name: `User ${hal.email}` });
      await detail.getByText(env.sandbox.userPool.getUser(hal.email)!.attributes['sub']!, { exact: true }).first().waitFor();
      await detail.getByRole('button', { name: 'Get tokens' }).click();
      await expect(detail.getByLabel('ID token', { exact: true }).inputValue()).resolves.toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
      const explorer = detail.getByRole('link', { name: `Open in GraphQL explorer as ${hal.email}` });
      expect(await explorer.getAttribute('href')).toBe(`#/explorer/user/${encodeURIComponent(env.sandbox.userPool.getUser(hal.email)!.username)}`);
      await console.screenshot('console-auth');

      // AdminCreateUser does not run the PostConfirmation trigger (as on AWS): the app signs in all the same.
      const app = keep(await ChatUser.open(browser, appUrl, hal));
            await app.signIn();
      await app.page.getByRole('button', { name: 'New conversation' }).waitFor();

      // The other actions, each answered and shown after a refresh: disable, enable, delete (confirmed).
      const actions = detail.getByRole('group', { name: 'Actions' });
      await actions.getByRole('button', { name: 'Disable' }).click();
      await row.filter({ hasText: 'disabled' }).waitFor();
      expect(env.sandbox.userPool.getUser(hal.email)!.enabled).toBe(false);
      await actions.getByRole('button', { name: 'Enable' }).click();
      await detail.getByRole('status').filter({ hasText: `Enabled ${hal.email}.` }).waitFor();
      await actions.getByRole('button', { name: 'Delete user…' }).click();
      await actions.getByRole('group', { name: 'Confirm delete' }).getByRole('button', { name: `Delete ${hal.email}` }).click();
      await row.waitFor({ state: 'detached' });
      expect(env.sandbox.userPool.getUser(hal.email)).toBeUndefined();
      expect(console.errors).toEqual([]);
      expect(app.pageErrors).toEqual([]);
    });
  });
}
