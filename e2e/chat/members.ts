/**
 * Group members live between browser windows on the offline sandbox: Ann (the owner) adds Cat to her group with Bob
 * from the members panel, and Cat's window shows the group at once, with the history and the system message "Ann
 * Archer added you"; Ann removes Bob, and Bob's open view closes, the group leaves his list, a screen reader hears why,
 * and the group's URL no longer opens it — while Cat's timeline says "Ann Archer removed Bob Baker".
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatUser } from '../chat-user';
import { chatPeople, signedUp, windowsOfScenario } from '../chat-people';
import type { Stack } from '../stack';

const people = chatPeople('members');

/** A system message (a membership change) in the timeline, by its text. */
const systemLine = (user: ChatUser, text: string) => user.page.locator('.system-message').filter({ hasText: text });

export function membersScenarios(current: () => Stack): void {
  describe('group members in three windows', () => {
    const keep = windowsOfScenario();
    let ann: ChatUser;
    let bob: ChatUser;
    let cat: ChatUser;
    let url = '';

    beforeAll(async () => {
      [ann, bob, cat] = await signedUp(current(), keep, people.ann, people.bob, people.cat);
    });

    it('Ann adds Cat: Cat sees the group live, with its history and the system message', async () => {
      await ann.startConversation([people.bob], 'Team');
      await ann.send('Welcome to the team');
      await ann.message('Welcome to the team', { status: 'confirmed', own: true }).waitFor();
      url = ann.page.url();
      await bob.topConversation('Team', 'Welcome to the team').waitFor();
      await bob.conversation('Team').click();
      await bob.message('Welcome to the team', { status: 'confirmed', own: false }).waitFor();
      await expect(cat.conversation('Team').count()).resolves.toBe(0);

      // The members panel, from the header: the two of them, Ann the owner.
      await ann.page.getByRole('button', { name: 'Members (2)' }).click();
      const panel = ann.page.getByRole('dialog', { name: 'Members' });
      await panel.waitFor();
      const members = panel.getByRole('list', { name: 'Members of this conversation (2)' });
      await expect(members.getByRole('listitem').filter({ hasText: 'Ann Archer (you)' }).innerText()).resolves.toContain('Owner');
      await ann.screenshot('members-panel');

      // Add people: Cat, picked by her e-mail under the name.
      await panel.getByLabel('Find people to add').fill(people.cat.displayName);
      await panel.getByRole('listitem').filter({ hasText: people.cat.email }).getByRole('checkbox', { name: people.cat.displayName, exact: true }).check();
      await panel.getByRole('button', { name: 'Add', exact: true }).click();
      await panel.getByRole('list', { name: 'Members of this conversation (3)' }).waitFor();
      await panel.getByText(`Added ${people.cat.displayName}.`).waitFor();

      // Cat's window, live: the group in her list; opened, its history and the system message.
      await cat.conversation('Team').click();
      await systemLine(cat, 'Ann Archer added you').waitFor();
      await cat.message('Welcome to the team', { status: 'confirmed', own: false }).waitFor();
      await systemLine(bob, 'Ann Archer added Cat Cooper').waitFor();
      await cat.screenshot('members-cat-added');
    });

    it('Ann removes Bob: his open view closes, the group leaves his list, and its URL no longer opens it', async () => {
      const panel = ann.page.getByRole('dialog', { name: 'Members' });
      await panel.getByRole('button', { name: 'Remove Bob Baker from the conversation' }).click();
      await panel.getByRole('list', { name: 'Members of this conversation (2)' }).waitFor();
      await panel.getByRole('button', { name: 'Done' }).click();

      // Bob's window, live: the view closes, the group is gone, and the announcement says why.
      await bob.conversation('Team').waitFor({ state: 'detached' });
      await bob.page.getByRole('heading', { name: 'Select a conversation' }).waitFor();
      await bob.page.getByText('Ann Archer removed you from Team.').waitFor({ state: 'attached' });
      await bob.screenshot('members-bob-removed');

      // Cat and Ann see the record of it; Cat's messages still reach Ann, never Bob.
      await systemLine(cat, 'Ann Archer removed Bob Baker').waitFor();
      await systemLine(ann, 'You removed Bob Baker').waitFor();
      await cat.send('Hi Ann, thanks for adding me');
      await ann.message('Hi Ann, thanks for adding me', { status: 'confirmed', own: false }).waitFor();

      // The group's URL in Bob's window: not found (his list and the API no longer have it).
      await bob.page.goto(url);
      await bob.page.getByRole('heading', { name: 'Conversation not found' }).waitFor();
      await expect(bob.page.getByText('Hi Ann, thanks for adding me').count()).resolves.toBe(0);
      await expect(bob.page.getByText('Welcome to the team').count()).resolves.toBe(0);
    });
  });
}
