/**
 * The console's Live page, end to end: "Run now" on the sweeper's schedule, and its invocation appears with the line
 * its function logs; a person signs up in the chat app and sends a message, and their requests appear with the
 * operation and who made them, one of which opens its resolver trace.
 */
import { describe, expect, it } from 'vitest';
import { ChatUser, type Person } from '../chat-user';
import { PASSWORD, signedUp, windowsOfScenario } from '../chat-people';
import { openConsole } from '../console-page';
import type { Stack } from '../stack';

const lia: Person = { email: 'lia.live@example.com', displayName: 'Lia Live', password: PASSWORD };
const max: Person = { email: 'max.live@example.com', displayName: 'Max Live', password: PASSWORD };

/** The scheduled function (amplify/functions/presence-sweeper) and the line it logs on every run. */
const SWEEPER = 'presence-sweeper';
const SWEEP_LINE = '"message":"presence sweep"';

export function liveScenarios(stack: () => Stack): void {
  describe('console: live', () => {
    const keep = windowsOfScenario();

    it('runs the sweeper now and shows its log line; shows a chat user\'s requests with their caller and a resolver trace', async () => {
      const console = keep(await openConsole(stack()));
            const { page } = console;
      await console.open('Live');
      const activity = page.getByRole('list', { name: 'Live activity' });
      await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();

      // Run now: the run's outcome in the schedule's row, its invocation in the stream with the line it logged.
      const schedule = page.getByRole('table', { name: 'Schedules' }).getByRole('row').filter({ hasText: SWEEPER });
      await schedule.getByRole('button', { name: 'Run now' }).click();
      await schedule.getByText('ok', { exact: true }).waitFor();
      const invocation = activity.getByRole('listitem').filter({ hasText: SWEEPER }).filter({ hasText: 'schedule' }).filter({ has: page.getByLabel(`Console output of ${SWEEPER}`) }).first();
      await expect.poll(() => invocation.getByLabel(`Console output of ${SWEEPER}`).textContent()).toContain(SWEEP_LINE);
      await activity.getByRole('listitem').filter({ hasText: 'Schedule' }).filter({ hasText: `${SWEEPER} (run now)` }).first().waitFor();

      // A person uses the chat app while the Live page is open.
      const [, liaChat] = (await signedUp(stack(), keep, max, lia)) as [ChatUser, ChatUser];
      await liaChat.startConversationWith('Max Live');
      await liaChat.send('Hello Max, seen live');

      // Her requests: the operation and who made it (her e-mail, from her ID token).
      await page.getByLabel('Search').fill('sendMessage');
      const request = activity.getByRole('listitem').filter({ hasText: 'Request' }).filter({ hasText: 'mutation' }).filter({ hasText: 'sendMessage' }).filter({ hasText: `user pool ${lia.email}` }).first();
      await request.waitFor();
      await request.getByRole('button', { expanded: false }).click();
      await request.getByRole('button', { name: 'Show resolver trace' }).click();
      const trace = request.getByRole('region', { name: 'Resolver trace' });
      await trace.filter({ hasText: 'Mutation.sendMessage' }).waitFor();
      await trace.filter({ hasText: 'AWS_LAMBDA' }).waitFor();

      // For the picture: every kind but the raw log, the trace still open.
      await page.getByLabel('Search').fill('');
      await page.getByRole('checkbox', { name: 'Log' }).uncheck();
      await invocation.waitFor();
      await trace.waitFor();

      expect(console.errors).toEqual([]);
      await console.screenshot('console-live');
    });
  });
}
