/**
 * Threads live between browser windows on the offline sandbox: Ann replies in a thread on Bob's message; Bob's window
 * shows "1 reply" on the root without a reload, opens the thread panel and sees the reply; Bob's reply appears live in
 * Ann's open panel, and her root shows "2 replies". Closing the panel returns the focus to the button that opened it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ChatUser } from '../chat-user';
import { chatPeople, signedUp, windowsOfScenario } from '../chat-people';
import type { Stack } from '../stack';

const people = chatPeople('threads');

export function threadScenarios(current: () => Stack): void {
  describe('threads in two windows', () => {
    const keep = windowsOfScenario();
    let ann: ChatUser;
    let bob: ChatUser;

    beforeAll(async () => {
      [ann, bob] = await signedUp(current(), keep, people.ann, people.bob);
    });

    it("Ann replies in a thread on Bob's message; Bob sees '1 reply' live, opens the panel and sees it; Bob's reply reaches Ann's open panel live", async () => {
      await bob.startConversationWith(people.ann);
      await ann.topConversation('Bob Baker', 'No messages yet').waitFor();
      await bob.send('Who is in for lunch?');
      await bob.message('Who is in for lunch?', { status: 'confirmed', own: true }).waitFor();

      await ann.conversation('Bob Baker').click();
      const annRoot = ann.message('Who is in for lunch?', { status: 'confirmed', own: false });
      await annRoot.waitFor();
      await annRoot.hover();
      await annRoot.getByRole('button', { name: 'Reply in thread' }).click();
      const annPanel = ann.page.getByRole('complementary', { name: 'Thread' });
      await annPanel.waitFor();
      await expect(annPanel.getByRole('article', { name: 'Thread root' }).innerText()).resolves.toContain('Who is in for lunch?');
      await annPanel.getByRole('textbox', { name: 'Reply' }).fill('Me! 12:30?');
      await annPanel.getByRole('button', { name: 'Send reply' }).click();
      const annReplies = annPanel.getByRole('log', { name: 'Replies' });
      await annReplies.locator('[data-status="confirmed"]', { hasText: 'Me! 12:30?' }).waitFor();
      // The reply is not a message of the main timeline.
      await expect(ann.page.getByRole('log', { name: 'Messages' }).getByText('Me! 12:30?').count()).resolves.toBe(0);

      // Bob's window, live: the root's thread button with the count and the last reply's time.
      const bobThread = bob.message('Who is in for lunch?', { status: 'confirmed', own: true }).getByRole('button', { name: /^1 reply · last reply / });
      await bobThread.waitFor();
      await bob.screenshot('thread-bob-sees-one-reply');
      await bobThread.click();
      const bobPanel = bob.page.getByRole('complementary', { name: 'Thread' });
      await bobPanel.getByRole('log', { name: 'Replies' }).getByText('Me! 12:30?').waitFor();

      // Bob replies: it appears live in Ann's open panel, and both roots say 2 replies.
      await bobPanel.getByRole('textbox', { name: 'Reply' }).fill('12:30 works');
      await bobPanel.getByRole('textbox', { name: 'Reply' }).press('Enter');
      await annReplies.getByText('12:30 works').waitFor();
      await annRoot.getByRole('button', { name: /^2 replies · last reply / }).waitFor();
      await bob.message('Who is in for lunch?', { status: 'confirmed', own: true }).getByRole('button', { name: /^2 replies/ }).waitFor();
      await ann.screenshot('thread-ann-panel-live');

      // Closing returns the focus to the root's thread button that opened it.
      await bobPanel.getByRole('button', { name: 'Close thread' }).click();
      await bobPanel.waitFor({ state: 'detached' });
      await bob.page.waitForFunction("document.activeElement?.classList.contains('message__thread') === true");
    });
  });
}
