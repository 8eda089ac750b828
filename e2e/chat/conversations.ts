/**
 * Two people chat in two browser windows, live, on the offline sandbox; a third never sees their conversation.
 * Everything goes through the UI (roles, labels, text), as a person would use it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ChatUser } from '../chat-user';
import { chatPeople, signedUp, windowsOfScenario } from '../chat-people';
import type { Stack } from '../stack';

const people = chatPeople('conversations');

export function conversationScenarios(current: () => Stack): void {
  describe('a 1:1 conversation in two windows', () => {
    const keep = windowsOfScenario();
    let stack: Stack;
    let ann: ChatUser;
    let bob: ChatUser;
    let cat: ChatUser;

    beforeAll(async () => {
      stack = current();
      [ann, bob, cat] = await signedUp(stack, keep, people.ann, people.bob, people.cat);
    });

    it('Ann starts it from the directory, and messages, typing and presence reach Bob without a reload', async () => {
      await ann.startConversationWith(people.bob);
      // Bob: the conversation appears in his list live (he never reloads), titled with Ann's name, before any message.
      await bob.topConversation('Ann Archer', 'No messages yet').waitFor();

      await ann.send('Hi Bob! The plan is at https://example.com/plan.');
      await ann.message('Hi Bob!', { status: 'confirmed', own: true }).waitFor();

      // Its preview follows the message live; it is not open, so it is unread.
      const fromAnn = bob.conversation('Ann Archer');
      await bob.topConversation('Ann Archer', 'Hi Bob! The plan is at').waitFor();
      await fromAnn.filter({ hasText: '1 unread' }).waitFor();
      await expect(fromAnn.getAttribute('aria-current')).resolves.not.toBe('true');
      await fromAnn.click();
      await bob.message('Hi Bob!', { status: 'confirmed', own: false }).waitFor();
      const link = bob.page.getByRole('log', { name: 'Messages' }).getByRole('link', { name: 'https://example.com/plan' });
      await expect(link.getAttribute('href')).resolves.toBe('https://example.com/plan');
      await expect(link.getAttribute('rel')).resolves.toMatch(/noopener/);

      // Typing reaches Ann, then Bob's reply.
      await bob.composer().pressSequentially('Sounds');
      await ann.page.getByRole('status').filter({ hasText: 'Bob Baker is typing' }).first().waitFor();
      await bob.composer().fill('Sounds good, see you there <b>not bold</b>');
      await bob.composer().press('Enter');
      await ann.message('Sounds good', { status: 'confirmed', own: false }).waitFor();
      // Text, never HTML.
      await expect(ann.message('Sounds good').innerText()).resolves.toContain('<b>not bold</b>');
      await expect(ann.page.getByRole('log', { name: 'Messages' }).locator('b').count()).resolves.toBe(0);

      // Presence: both are signed in and visible, so each sees the other online.
      await ann.page.getByRole('main').getByLabel('Online').first().waitFor();

      await ann.screenshot('conversation-ann');
      await bob.screenshot('conversation-bob');
    });

    it('keeps the history across a reload, in order', async () => {
      await ann.page.reload();
      await ann.signedIn().waitFor();
      await ann.conversation('Bob Baker').click();
      await ann.message('Sounds good').waitFor();
      const texts = await ann.page.getByRole('log', { name: 'Messages' }).locator('article').allInnerTexts();
      const first = texts.findIndex((text) => text.includes('Hi Bob!'));
      const second = texts.findIndex((text) => text.includes('Sounds good'));
      expect(first).toBeGreaterThanOrEqual(0);
      expect(second).toBeGreaterThan(first);
    });

    it('edits and deletes an own message, and the other window follows live', async () => {
      await ann.send('Meet at 5pm');
      const mine = ann.message('Meet at 5pm', { status: 'confirmed', own: true });
      await mine.waitFor();
      await bob.message('Meet at 5pm').waitFor();

      await mine.getByRole('button', { name: 'Edit message' }).click();
      const editor = ann.page.getByLabel('Edit your message');
      await editor.fill('Meet at 6pm');
      await editor.press('Enter');
      const edited = bob.message('Meet at 6pm');
      await edited.waitFor();
      await edited.getByText('edited').waitFor();
      await expect(bob.message('Meet at 5pm').count()).resolves.toBe(0);

      await ann.message('Meet at 6pm').getByRole('button', { name: 'Delete message' }).click();
      await ann.page.getByRole('dialog', { name: 'Delete message' }).getByRole('button', { name: 'Delete', exact: true }).click();
      await bob.message('Meet at 6pm').waitFor({ state: 'detached' });
      // Ann's own window drops it once the removal is confirmed, which may come after Bob's event.
      await ann.message('Meet at 6pm').waitFor({ state: 'detached' });
      await expect(ann.message('Meet at 6pm').count()).resolves.toBe(0);
    });

    it('retries a message that failed while offline exactly once, and catches up on what was missed', async () => {
      await ann.context.setOffline(true);
      await ann.page.getByRole('alert').filter({ hasText: /You are offline|Reconnecting/ }).waitFor();
      await ann.send('Sent while offline');
      const failed = ann.message('Sent while offline', { status: 'failed', own: true });
      await failed.waitFor();
      // Bob writes while Ann is away; Ann must get it after reconnecting without a reload.
      await bob.send('Did you get this while away?');
      await bob.message('Did you get this while away?', { status: 'confirmed' }).waitFor();

      await ann.context.setOffline(false);
      await ann.message('Did you get this while away?').waitFor();
      await failed.getByRole('button', { name: 'Retry' }).click();
      await ann.message('Sent while offline', { status: 'confirmed', own: true }).waitFor();
      await bob.message('Sent while offline', { status: 'confirmed', own: false }).waitFor();
      // A later message is the cut-off: everything before it has arrived, once.
      await ann.send('After the retry');
      await bob.message('After the retry').waitFor();
      await expect(bob.message('Sent while offline').count()).resolves.toBe(1);
      await expect(ann.message('Sent while offline').count()).resolves.toBe(1);
      await expect(ann.message('Did you get this while away?').count()).resolves.toBe(1);
    });

    it('never shows their conversation to a third person', async () => {
      await cat.page.reload();
      await cat.signedIn().waitFor();
      const list = cat.page.getByRole('navigation', { name: 'Conversations' });
      await list.waitFor();
      await list.getByText(/no conversations/i).waitFor();
      await expect(list.getByRole('button', { name: /Ann Archer|Bob Baker/ }).count()).resolves.toBe(0);
      await expect(cat.page.getByText('Hi Bob!').count()).resolves.toBe(0);
      await cat.screenshot('third-person');
    });

    it('shows a new group in every member’s list live, and moves each conversation to the top with its preview as messages arrive', async () => {
      await bob.startConversation([people.ann, people.cat], 'Weekend plans');
      // Newest activity first: the group is on top for its creator, and arrives there for Ann and Cat without a reload.
      for (const user of [bob, ann, cat]) await user.topConversation('Weekend plans', 'No messages yet').waitFor();

      // Ann writes in the 1:1 (open in her window): it moves above the group in both lists, with the new preview.
      await ann.send('Back to our plan');
      await ann.message('Back to our plan', { status: 'confirmed', own: true }).waitFor();
      await bob.topConversation('Ann Archer', 'Back to our plan').waitFor();
      await ann.topConversation('Bob Baker', 'Back to our plan').waitFor();

      // Cat writes in the group: it is back on top in every member's list.
      await cat.conversation('Weekend plans').click();
      await cat.send('Saturday works for me');
      for (const user of [ann, bob, cat]) await user.topConversation('Weekend plans', 'Saturday works for me').waitFor();
      await expect(bob.conversation('Ann Archer').innerText()).resolves.toContain('Back to our plan');
      await expect(cat.conversationList().getByRole('listitem').count()).resolves.toBe(1);
      await bob.screenshot('conversation-list-live');
    });

    it('works at phone width', async () => {
      const phone = await ChatUser.open(stack.browser, stack.appUrl, people.bob, { width: 390, height: 844 });
      try {
        await phone.signIn();
        await phone.conversation('Ann Archer').click();
        await phone.message('Hi Bob!').waitFor();
        await phone.page.getByRole('button', { name: 'Back' }).waitFor();
        await phone.screenshot('phone-conversation');
      } finally {
        await phone.close();
      }
    });

    it('raised no uncaught errors in any window', () => {
      for (const user of [ann, bob, cat]) expect(user.pageErrors, user.person.email).toEqual([]);
    });
  });
}
