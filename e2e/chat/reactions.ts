/**
 * Reactions live between browser windows on the offline sandbox: Ann reacts to Bob's message from the keyboard and
 * Bob's window shows it (count and Ann's name) without a reload; Bob adds the same emoji (2); Ann takes hers back (1);
 * a reload reads it back with the page. Cat, who is not in the conversation, sees nothing and is refused by the API.
 * Offline, a toggle is rolled back with its reason.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { graphql, signInUser } from '../../tests/security/support';
import { notAuthorizedToAccess } from '../../offline/errors';
import { ChatUser } from '../chat-user';
import { chatPeople, signedUp, windowsOfScenario } from '../chat-people';
import type { Stack } from '../stack';

const people = chatPeople('reactions');

/** A reaction chip of a message, by its accessible name (which says the emoji, count, who, and what a click does). */
const chip = (user: ChatUser, text: string, name: string) => user.message(text).getByRole('button', { name, exact: true });

export function reactionScenarios(current: () => Stack): void {
  describe('reactions in two windows', () => {
    const keep = windowsOfScenario();
    let stack: Stack;
    let ann: ChatUser;
    let bob: ChatUser;
    let cat: ChatUser;
    let conversationId = '';
    let messageId = '';

    beforeAll(async () => {
      stack = current();
      [ann, bob, cat] = await signedUp(stack, keep, people.ann, people.bob, people.cat);
    });

    it("Ann reacts to Bob's message; Bob sees it live with the count and Ann's name, adds the same emoji, and follows Ann taking hers back", async () => {
      await bob.startConversationWith(people.ann);
      await ann.topConversation('Bob Baker', 'No messages yet').waitFor();
      await bob.send('Lunch at noon?');
      const bobsMessage = bob.message('Lunch at noon?', { status: 'confirmed', own: true });
      await bobsMessage.waitFor();
      conversationId = decodeURIComponent(new URL(bob.page.url()).hash.replace('#/c/', ''));
      messageId = (await bobsMessage.getAttribute('data-message-id')) ?? '';
      expect(conversationId).not.toBe('');
      expect(messageId).not.toBe('');

      await ann.conversation('Bob Baker').click();
      const annSees = ann.message('Lunch at noon?', { status: 'confirmed', own: false });
      await annSees.waitFor();

      // The picker, from the keyboard: the button opens a menu whose first item has focus; Enter picks it.
      const add = annSees.getByRole('button', { name: 'Add reaction' });
      await add.focus();
      await ann.page.keyboard.press('Enter');
      const picker = ann.page.getByRole('menu', { name: 'Pick a reaction' });
      await picker.waitFor();
      await expect(picker.getByRole('menuitemcheckbox').count()).resolves.toBe(8);
      await ann.screenshot('reaction-picker');
      await ann.page.waitForFunction("document.activeElement?.getAttribute('aria-label') === 'React with 👍'");
      await ann.page.keyboard.press('Enter');
      await picker.waitFor({ state: 'detached' });
      const annMine = chip(ann, 'Lunch at noon?', '👍 1 reaction: you. Remove your reaction');
      await annMine.waitFor();
      await expect(annMine.getAttribute('aria-pressed')).resolves.toBe('true');

      // Bob's window, live: the chip with its count, Ann's name in its accessible name and tooltip, not pressed.
      const bobSees = chip(bob, 'Lunch at noon?', '👍 1 reaction: Ann Archer. Add your reaction');
      await bobSees.waitFor();
      await expect(bobSees.innerText()).resolves.toMatch(/👍\s*1/);
      await expect(bobSees.getAttribute('title')).resolves.toBe('Ann Archer');
      await expect(bobSees.getAttribute('aria-pressed')).resolves.toBe('false');
      await bob.screenshot('reaction-bob-sees-ann');

      // Bob adds the same emoji: 2 in both windows.
      await bobSees.click();
      await chip(bob, 'Lunch at noon?', '👍 2 reactions: Ann Archer and you. Remove your reaction').waitFor();
      const annSeesTwo = chip(ann, 'Lunch at noon?', '👍 2 reactions: you and Bob Baker. Remove your reaction');
      await annSeesTwo.waitFor();
      await expect(annSeesTwo.innerText()).resolves.toMatch(/👍\s*2/);
      await ann.screenshot('reaction-two');

      // Ann takes hers back: 1 (Bob's) in both windows.
      await annSeesTwo.click();
      await chip(ann, 'Lunch at noon?', '👍 1 reaction: Bob Baker. Add your reaction').waitFor();
      const bobAlone = chip(bob, 'Lunch at noon?', '👍 1 reaction: you. Remove your reaction');
      await bobAlone.waitFor();
      await expect(bobAlone.getAttribute('title')).resolves.toBe('you');
    });

    it('reads the reactions back with the messages after a reload', async () => {
      await ann.page.reload();
      await ann.signedIn().waitFor();
      await ann.message('Lunch at noon?', { status: 'confirmed' }).waitFor();
      await chip(ann, 'Lunch at noon?', '👍 1 reaction: Bob Baker. Add your reaction').waitFor();
    });

    it('shows Cat nothing, and the API refuses her toggle and gives her no reaction', async () => {
      await cat.page.reload();
      await cat.signedIn().waitFor();
      const list = cat.conversationList();
      await list.getByText(/no conversations/i).waitFor();
      await expect(cat.page.getByText('Lunch at noon?').count()).resolves.toBe(0);
      await expect(cat.page.getByRole('button', { name: /reaction/ }).count()).resolves.toBe(0);

      const { accessToken } = await signInUser(stack.env, people.cat.email);
      const toggle = await graphql(stack.env, accessToken, 'mutation T($c: ID!, $m: ID!) { toggleReaction(conversationId: $c, messageId: $m, emoji: "👍") { count users } }', {
        c: conversationId,
        m: messageId,
      });
      expect(toggle.json.data?.['toggleReaction'] ?? null).toBeNull();
      expect(toggle.json.errors?.[0]?.message).toBe(`Unauthorized: not a participant of conversation ${conversationId}`);
      // Reading the conversation's reactions is refused outright: the query checks membership before it reads.
      const read = await graphql(stack.env, accessToken, 'query R($c: ID!) { listConversationReactions(conversationId: $c) { items { emoji userId } nextToken } }', { c: conversationId });
      expect(read.json.data?.['listConversationReactions'] ?? null).toBeNull();
      expect(read.json.errors?.[0]).toMatchObject(notAuthorizedToAccess('listConversationReactions', 'Query'));
      expect(read.text).not.toContain('👍');
      // And Bob's window still shows only his own reaction.
      await chip(bob, 'Lunch at noon?', '👍 1 reaction: you. Remove your reaction').waitFor();
      for (const user of [ann, bob, cat]) expect(user.pageErrors, user.person.email).toEqual([]);
    });

    it('offline: a toggle that cannot be saved is rolled back with its reason', async () => {
      await ann.context.setOffline(true);
      await ann.page.getByRole('alert').filter({ hasText: /You are offline|Reconnecting/ }).waitFor();
      // Ann's 🎉 shows at once, cannot be saved, and is taken back with the reason.
      const annSees = ann.message('Lunch at noon?', { status: 'confirmed' });
      await annSees.getByRole('button', { name: 'Add reaction' }).click();
      await ann.page.getByRole('menu', { name: 'Pick a reaction' }).getByRole('menuitemcheckbox', { name: 'React with 🎉' }).click();
      await annSees.getByRole('alert').filter({ hasText: 'Reaction not saved' }).waitFor();
      await expect(annSees.getByRole('button', { name: /^🎉/ }).count()).resolves.toBe(0);
      await ann.context.setOffline(false);
      await ann.page.getByRole('alert').filter({ hasText: /You are offline|Reconnecting/ }).waitFor({ state: 'detached' });
      // Online again, the same pick is saved and reaches Bob.
      await annSees.getByRole('button', { name: 'Add reaction' }).click();
      await ann.page.getByRole('menu', { name: 'Pick a reaction' }).getByRole('menuitemcheckbox', { name: 'React with 🎉' }).click();
      await chip(ann, 'Lunch at noon?', '🎉 1 reaction: you. Remove your reaction').waitFor();
      await chip(bob, 'Lunch at noon?', '🎉 1 reaction: Ann Archer. Add your reaction').waitFor();
      await expect(annSees.getByRole('alert').filter({ hasText: 'Reaction not saved' }).count()).resolves.toBe(0);
    });
  });
}
