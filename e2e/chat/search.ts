/**
 * Message search in the browser on the offline sandbox: Ann and Bob chat several messages; Bob searches a word from an
 * older message and finds it (conversation, sender, the word highlighted); clicking the hit opens the conversation with
 * that message shown and marked. Cat, who is not in the conversation, finds nothing in her window, and the API gives
 * her nothing when she names the conversation.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { graphql, signInUser } from '../../tests/security/support';
import { ChatUser } from '../chat-user';
import { chatPeople, signedUp, windowsOfScenario } from '../chat-people';
import type { Stack } from '../stack';

const people = chatPeople('search');

export function searchScenarios(current: () => Stack): void {
  describe('message search', () => {
    const keep = windowsOfScenario();
    let stack: Stack;
    let ann: ChatUser;
    let bob: ChatUser;
    let cat: ChatUser;

    beforeAll(async () => {
      stack = current();
      [ann, bob, cat] = await signedUp(stack, keep, people.ann, people.bob, people.cat);
    });

    it('Bob finds a word from an older message of his chat with Ann and opens it; Cat finds nothing', async () => {
      await ann.startConversationWith(people.bob);
      await ann.send('The budget spreadsheet is in the shared folder');
      await ann.message('The budget spreadsheet is in the shared folder', { status: 'confirmed', own: true }).waitFor();
      for (const text of ['Did you see it?', 'Lunch at noon?', 'See you there']) {
        await ann.send(text);
        await ann.message(text, { status: 'confirmed', own: true }).waitFor();
      }
      await bob.topConversation('Ann Archer', 'See you there').waitFor();
      const conversationId = decodeURIComponent(new URL(ann.page.url()).hash.replace('#/c/', ''));
      expect(conversationId).not.toBe('');

      await bob.page.getByRole('searchbox', { name: 'Search messages' }).fill('Spreadsheet');
      await bob.page.getByRole('searchbox', { name: 'Search messages' }).press('Enter');
      const results = bob.page.getByRole('region', { name: 'Search results' });
      const hit = results.getByRole('button', { name: /Ann Archer.*The budget spreadsheet is in the shared folder/ });
      await hit.waitFor();
      expect(await results.getByRole('button').filter({ hasText: 'spreadsheet' }).count()).toBe(1);
      expect(await hit.locator('mark').allTextContents()).toEqual(['spreadsheet']);

      await hit.click();
      const shown = bob.message('The budget spreadsheet is in the shared folder', { status: 'confirmed', own: false });
      await shown.waitFor();
      await expect.poll(() => shown.getAttribute('data-search-hit')).toBe('true');
      expect(decodeURIComponent(new URL(bob.page.url()).hash.replace('#/c/', ''))).toBe(conversationId);
      await bob.screenshot('search-hit-opened');

      await cat.page.getByRole('searchbox', { name: 'Search messages' }).fill('spreadsheet');
      await cat.page.getByRole('searchbox', { name: 'Search messages' }).press('Enter');
      await cat.page.getByRole('region', { name: 'Search results' }).getByText('No messages found.').waitFor();
      const { accessToken } = await signInUser(stack.env, people.cat.email);
      const answer = await graphql(stack.env, accessToken, 'query S($q: String!, $c: [ID!]) { searchMessages(query: $q, conversationIds: $c) { items { messageId snippet } nextToken } }', {
        q: 'spreadsheet',
        c: [conversationId],
      });
      expect(answer.json.errors).toBeUndefined();
      expect(answer.json.data?.['searchMessages']).toEqual({ items: [], nextToken: null });
    });
  });
}
