/**
 * State in the console: two people chat; the console exports the sandbox to a folder, resets it (the pool and every
 * table are empty; a signed-in window can no longer use its session) and imports the folder; the same person signs
 * in again and finds the same conversation and message. Runs last: it empties the shared sandbox on the way.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChatUser, type Person } from '../chat-user';
import { PASSWORD, signedUp, windowsOfScenario } from '../chat-people';
import { openConsole, type ConsoleWindow } from '../console-page';
import type { Stack } from '../stack';

const dora: Person = { email: 'dora.state@example.com', displayName: 'Dora State', password: PASSWORD };
const eli: Person = { email: 'eli.state@example.com', displayName: 'Eli State', password: PASSWORD };

export function stateScenarios(stack: () => Stack): void {
  describe('console: state', () => {
    const keep = windowsOfScenario();
    const folder = join(mkdtempSync(join(tmpdir(), 'console-state-e2e-')), 'exported');
    afterAll(() => rmSync(join(folder, '..'), { recursive: true, force: true }));

    it('exports the sandbox to a folder, resets it, imports the folder, and the same conversation comes back', async () => {
      const { env, browser, appUrl } = stack();
      const [first] = (await signedUp(stack(), keep, dora, eli)) as [ChatUser, ChatUser];
      await first.startConversationWith('Eli');
      await first.send('Kept across export and import');
      await first.message('Kept across export and import', { status: 'confirmed', own: true }).waitFor();
      const sub = env.sandbox.userPool.getUser(dora.email)!.attributes['sub'];

      const console: ConsoleWindow = keep(await openConsole(stack()));
            await console.open('State');
      const page = console.page;
      const status = page.getByRole('status');

      await page.getByLabel('Folder on this machine').fill(folder);
      await page.getByRole('button', { name: 'Export to folder' }).click();
      await status.filter({ hasText: `to ${folder}` }).waitFor();
      expect(await status.textContent()).toMatch(/^Exported \d+ items in \d+ tables and \d+ users to /);

      await page.getByRole('button', { name: 'Reset sandbox…' }).click();
      await page.getByRole('group', { name: 'Confirm the reset' }).getByRole('button', { name: 'Delete everything' }).click();
      await status.filter({ hasText: /^Reset: deleted / }).waitFor();
      // Empty for real: no user in the pool, no item in any table.
      expect(env.sandbox.userPool.getUser(dora.email)).toBeUndefined();
      const holds = page.getByRole('table', { name: 'What the sandbox holds' });
      await holds.getByRole('row', { name: /Users of the pool 0/ }).waitFor();

      await page.getByLabel('Folder to import').fill(folder);
      await page.getByRole('button', { name: 'Import from folder' }).click();
      await status.filter({ hasText: `from ${folder}` }).waitFor();
      expect(env.sandbox.userPool.getUser(dora.email)?.attributes['sub']).toBe(sub);
      await console.screenshot('console-state');

      // A new window: Dora signs in with her password (the import kept it) and finds the conversation and message.
      const again = keep(await ChatUser.open(browser, appUrl, dora));
            await again.signIn();
      await again.conversation('Eli State').click();
      await again.message('Kept across export and import', { own: true }).waitFor();
      expect(console.errors).toEqual([]);
      expect(again.pageErrors).toEqual([]);
    });
  });
}
