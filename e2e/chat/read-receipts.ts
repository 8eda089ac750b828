/**
 * Read receipts live between browser windows on the offline sandbox: Ann writes to Bob and her message shows no
 * "Seen"; Bob opens the conversation and Ann's window shows "Seen" without a reload; Bob's second device (another
 * signed-in window of Bob's) counts the conversation unread until Bob reads it on the first, then 0 — the read point is
 * the server's, not one browser's. In a group of three, "Seen by 1" then "Seen by 2", with who in the accessible name.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ChatUser } from '../chat-user';
import { chatPeople, signedUp, windowsOfScenario } from '../chat-people';
import type { Stack } from '../stack';

const people = chatPeople('read-receipts');

/** The "Seen" line under a message, by what it says to a screen reader (who has seen it). */
const seenLine = (user: ChatUser, text: string) => user.message(text, { own: true }).locator('.message__seen');

export function readReceiptScenarios(current: () => Stack): void {
  describe('read receipts in several windows', () => {
    const keep = windowsOfScenario();
    let ann: ChatUser;
    let bob: ChatUser;
    let bobPhone: ChatUser;
    let cat: ChatUser;

    beforeAll(async () => {
      const stack = current();
      [ann, bob, cat] = await signedUp(stack, keep, people.ann, people.bob, people.cat);
      // Bob's second device: its own browser context (its own storage), signed in as Bob.
      bobPhone = keep(await ChatUser.open(stack.browser, stack.appUrl, people.bob));
      await bobPhone.signIn();
    });

    it("Ann's message shows Seen once Bob opens it; Bob's other device then counts it read", async () => {
      await ann.startConversationWith(people.bob);
      await ann.send('Are you there?');
      const annsMessage = ann.message('Are you there?', { status: 'confirmed', own: true });
      await annsMessage.waitFor();

      // Both of Bob's devices count it unread (neither has the conversation open).
      for (const device of [bob, bobPhone]) await device.conversation('Ann Archer').filter({ hasText: '1 unread' }).waitFor();
      await bobPhone.page.waitForFunction("document.title.startsWith('(1)')");
      // Nobody has read it yet: no "Seen" under it.
      await expect(seenLine(ann, 'Are you there?').count()).resolves.toBe(0);

      await bob.conversation('Ann Archer').click();
      await bob.message('Are you there?', { status: 'confirmed', own: false }).waitFor();

      // Ann's window, live: "Seen", whose accessible text says by whom.
      const seen = seenLine(ann, 'Are you there?');
      await seen.filter({ hasText: 'Seen by Bob Baker' }).waitFor();
      await expect(seen.locator('[aria-hidden="true"]').innerText()).resolves.toBe('Seen');
      await expect(seen.getAttribute('title')).resolves.toBe('Seen by Bob Baker');
      await ann.screenshot('read-receipt-seen');

      // Bob's second device: the conversation is read (the server's read point moved), without opening it there.
      await bobPhone.conversation('Ann Archer').filter({ hasNotText: 'unread' }).waitFor();
      await bobPhone.page.waitForFunction("document.title === 'Realtime Chat'");
      await expect(bobPhone.conversation('Ann Archer').filter({ hasText: 'unread' }).count()).resolves.toBe(0);

      // Ann writes again: not seen until Bob's open window reads it, then seen again.
      await ann.send('Lunch?');
      await ann.message('Lunch?', { status: 'confirmed', own: true }).waitFor();
      await bob.message('Lunch?', { status: 'confirmed', own: false }).waitFor();
      await seenLine(ann, 'Lunch?').filter({ hasText: 'Seen by Bob Baker' }).waitFor();
      // "Seen" is under Ann's newest message only.
      await expect(seenLine(ann, 'Are you there?').count()).resolves.toBe(0);
    });

    it('reads the Seen line back after a reload (the read point is stored on the server)', async () => {
      await ann.page.reload();
      await ann.signedIn().waitFor();
      await ann.conversation('Bob Baker').click();
      await seenLine(ann, 'Lunch?').filter({ hasText: 'Seen by Bob Baker' }).waitFor();
    });

    it('in a group of three: Seen by 1, then Seen by 2, naming who', async () => {
      await ann.startConversation([people.bob, people.cat], 'Trio');
      await ann.send('Group hello');
      await ann.message('Group hello', { status: 'confirmed', own: true }).waitFor();
      await expect(seenLine(ann, 'Group hello').count()).resolves.toBe(0);

      await bob.conversation('Trio').click();
      await bob.message('Group hello', { status: 'confirmed' }).waitFor();
      const seen = seenLine(ann, 'Group hello');
      await seen.filter({ hasText: 'Seen by Bob Baker' }).waitFor();
      await expect(seen.locator('[aria-hidden="true"]').innerText()).resolves.toBe('Seen by 1');

      await cat.conversation('Trio').click();
      await cat.message('Group hello', { status: 'confirmed' }).waitFor();
      await seen.filter({ hasText: /Seen by (Bob Baker and Cat Cooper|Cat Cooper and Bob Baker)/ }).waitFor();
      await expect(seen.locator('[aria-hidden="true"]').innerText()).resolves.toBe('Seen by 2');
      await ann.screenshot('read-receipt-seen-by-2');
      for (const user of [ann, bob, bobPhone, cat]) expect(user.pageErrors, user.person.email).toEqual([]);
    });
  });
}
