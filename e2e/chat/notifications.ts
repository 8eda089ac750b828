/**
 * Browser notifications, live between windows on the offline sandbox: Ann's message raises one notification for Bob
 * (who has another conversation open) with her name and text, the tab title counts it, a muted conversation raises
 * none, clicking the notification opens the conversation and clears the count, and nobody is notified of their own
 * messages, even on their other device.
 *
 * The app is not changed for the test: the browser context is granted the permission (as a person clicking "Allow"
 * would) and an init script wraps window.Notification so that each notification the app constructs — the real one,
 * still constructed — is recorded for the test to read.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChatUser, UI_TIMEOUT_MS } from '../chat-user';
import { chatPeople, signedUp, signedUpWith, windowsOfScenario } from '../chat-people';
import type { Stack } from '../stack';

const APP_TITLE = 'Realtime Chat';
const people = chatPeople('notifications');

/** Runs in the page before the app: records every Notification constructed (after the real constructor ran). */
const RECORD_NOTIFICATIONS = `
(() => {
  const Real = window.Notification;
  if (!Real) return;
  const log = [];
  window.__notifications = log;
  class RecordedNotification extends Real {
    constructor(title, options) {
      super(title, options);
      log.push({ title, body: (options && options.body) || '', notification: this });
    }
  }
  Object.defineProperty(window, 'Notification', { value: RecordedNotification, configurable: true, writable: true });
})();
`;

interface Recorded {
  title: string;
  body: string;
}

/** Grants the notification permission for the app's origin and records notifications from the next page load on. */
async function recordNotifications(appUrl: string, context: BrowserContext, page: Page, grant: boolean): Promise<void> {
  if (grant) await context.grantPermissions(['notifications'], { origin: new URL(appUrl).origin });
  await context.addInitScript({ content: RECORD_NOTIFICATIONS });
  await page.reload();
}

function notificationsOf(user: ChatUser): Promise<Recorded[]> {
  return user.page.evaluate('window.__notifications.map(({ title, body }) => ({ title, body }))') as Promise<Recorded[]>;
}

async function waitForNotifications(user: ChatUser, count: number): Promise<Recorded[]> {
  await user.page.waitForFunction(`window.__notifications.length >= ${count}`, undefined, { timeout: UI_TIMEOUT_MS });
  return notificationsOf(user);
}

function waitForTitle(user: ChatUser, title: string): Promise<unknown> {
  return user.page.waitForFunction(`document.title === ${JSON.stringify(title)}`, undefined, { timeout: UI_TIMEOUT_MS });
}

export function notificationScenarios(current: () => Stack): void {
  describe('notifications between three people', () => {
    const keep = windowsOfScenario();
    let ann: ChatUser;
    let annElsewhere: ChatUser;
    let bob: ChatUser;
    let cat: ChatUser;

    beforeAll(async () => {
      const stack = current();
      const granted = (user: ChatUser) => recordNotifications(stack.appUrl, user.context, user.page, true);
      [ann, bob] = await signedUpWith({ prepare: granted }, stack, keep, people.ann, people.bob);
      [cat] = await signedUp(stack, keep, people.cat);
      // Ann's second device: signed in as Ann in another browser profile, no conversation open.
      annElsewhere = keep(await ChatUser.open(stack.browser, stack.appUrl, people.ann));
      await granted(annElsewhere);
      await annElsewhere.signIn();
    });

    it('shows the permission state: on where it is granted, a button where it was never asked, blocked once refused', async () => {
      await bob.page.getByRole('status').filter({ hasText: 'Notifications on' }).waitFor();
      await cat.page.getByRole('button', { name: 'Enable notifications' }).waitFor();
      await cat.screenshot('notifications-not-asked-cat');
      // The click asks the browser; headless Chromium refuses a permission the context was not granted, as a person
      // choosing Block would, and the control then says so (and how to undo it).
      await cat.page.getByRole('button', { name: 'Enable notifications' }).click();
      await cat.page.getByRole('status').filter({ hasText: 'Notifications blocked' }).waitFor();
      await expect(cat.page.getByRole('button', { name: 'Enable notifications' }).count()).resolves.toBe(0);
    });

    it("raises one notification for Ann's message while Bob has another conversation open, and counts it in the title", async () => {
      await bob.startConversationWith(people.cat);
      await cat.topConversation('Bob Baker', 'No messages yet').waitFor();
      await ann.startConversationWith(people.bob);
      await bob.topConversation('Ann Archer', 'No messages yet').waitFor();
      // Bob reads his conversation with Cat.
      await expect(bob.conversation('Cat Cooper').getAttribute('aria-current')).resolves.toBe('true');

      await ann.send('Lunch at noon? The usual place.');
      await ann.message('Lunch at noon?', { status: 'confirmed', own: true }).waitFor();
      await expect(waitForNotifications(bob, 1)).resolves.toEqual([{ title: 'Ann Archer', body: 'Lunch at noon? The usual place.' }]);
      await waitForTitle(bob, `(1) ${APP_TITLE}`);
      await bob.conversation('Ann Archer').filter({ hasText: '1 unread' }).waitFor();
    });

    it('raises none for a muted conversation, whose next message still counts in the title', async () => {
      await bob.conversation('Ann Archer').click();
      await waitForTitle(bob, APP_TITLE);
      const mute = bob.page.getByRole('button', { name: 'Mute notifications' });
      await expect(mute.getAttribute('aria-pressed')).resolves.toBe('false');
      await mute.click();
      await expect(mute.getAttribute('aria-pressed')).resolves.toBe('true');
      await bob.conversation('Ann Archer').getByRole('img', { name: 'Muted' }).waitFor();
      await bob.screenshot('notifications-muted-bob');
      await bob.conversation('Cat Cooper').click();

      await ann.send('Are you there?');
      // The title counts the message: Bob's page has handled its event by then.
      await waitForTitle(bob, `(1) ${APP_TITLE}`);
      await bob.conversation('Ann Archer').filter({ hasText: 'Are you there?' }).waitFor();
      await expect(notificationsOf(bob)).resolves.toHaveLength(1);
    });

    it('opens the conversation when the notification is clicked, which clears the title count', async () => {
      await bob.page.evaluate("window.__notifications[0].notification.dispatchEvent(new Event('click'))");
      await bob.message('Are you there?', { own: false }).waitFor();
      await expect(bob.conversation('Ann Archer').getAttribute('aria-current')).resolves.toBe('true');
      await waitForTitle(bob, APP_TITLE);
      // Unmuted again.
      await bob.page.getByRole('button', { name: 'Mute notifications', pressed: true }).click();
      await bob.conversation('Ann Archer').getByRole('img', { name: 'Muted' }).waitFor({ state: 'detached' });
    });

    it("never notifies Ann of her own messages, on this device or her other one, and notifies Bob's reply there once", async () => {
      await bob.send('Yes, see you at noon');
      await ann.message('Yes, see you at noon', { status: 'confirmed', own: false }).waitFor();
      // Ann's other device has no conversation open: Bob's reply is notified there, her own two messages were not.
      await expect(waitForNotifications(annElsewhere, 1)).resolves.toEqual([{ title: 'Bob Baker', body: 'Yes, see you at noon' }]);
      await waitForTitle(annElsewhere, `(1) ${APP_TITLE}`);
      // Ann (her conversation with Bob open and visible) got none; Bob still only the first.
      await expect(notificationsOf(ann)).resolves.toEqual([]);
      await expect(notificationsOf(bob)).resolves.toHaveLength(1);
    });

    it('has no page errors', () => {
      for (const user of [ann, annElsewhere, bob, cat]) expect(user.pageErrors, user.person.displayName).toEqual([]);
    });
  });
}
