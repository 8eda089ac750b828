/**
 * The first run on a machine that never saw the project: the browser trusts nothing of ours. Each person opens the
 * URL the dev server prints, meets the browser's one certificate warning, passes it as a person does, and from then
 * on everything (sign-up, GraphQL, the real-time socket) works on that one origin. No certificate shortcut anywhere:
 * no ignored HTTPS errors, no public-key allow-list, no command-line switch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatUser, type Person } from './chat-user';
import { startStack, type Stack } from './stack';

const PASSWORD = 'Correct-Horse-9';
const ann: Person = { email: 'ann.first@example.com', displayName: 'Ann First', password: PASSWORD };
const bob: Person = { email: 'bob.first@example.com', displayName: 'Bob First', password: PASSWORD };

let stack: Stack;
const users: ChatUser[] = [];

beforeAll(async () => {
  stack = await startStack({ trust: 'none' });
});

afterAll(async () => {
  for (const user of users) await user.close();
  await stack?.close();
});

describe('first run, no certificate trusted', () => {
  it('two people pass one warning each, sign up, and chat live on the one origin the dev server prints', async () => {
    const origin = new URL(stack.appUrl).origin;
    const code = (email: string) => stack.env.sandbox.userPool.lastCodeFor(email);

    const annWindow = await ChatUser.open(stack.browser, stack.appUrl, ann, undefined, { certificateWarning: true });
    users.push(annWindow);
    const requested: string[] = [];
    annWindow.page.on('request', (request) => requested.push(request.url()));
    const sockets: string[] = [];
    annWindow.page.on('websocket', (socket) => sockets.push(socket.url()));
    await annWindow.signUp(code);

    const bobWindow = await ChatUser.open(stack.browser, stack.appUrl, bob, undefined, { certificateWarning: true });
    users.push(bobWindow);
    await bobWindow.signUp(code);

    await annWindow.startConversationWith('Bob First');
    await annWindow.send('Hello from the first run');
    await annWindow.message('Hello from the first run', { status: 'confirmed', own: true }).waitFor();
    const fromAnn = bobWindow.conversation('Ann First');
    await fromAnn.waitFor();
    await fromAnn.click();
    await bobWindow.message('Hello from the first run', { status: 'confirmed', own: false }).waitFor();
    await bobWindow.send('Got it, live');
    await annWindow.message('Got it, live', { status: 'confirmed', own: false }).waitFor();
    await annWindow.screenshot('first-run-chat');

    // The browser met one host: the page, GraphQL, Cognito and the real-time socket all on the app's origin.
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'))).toEqual([]);
    expect(requested.some((url) => url === `${origin}/graphql`)).toBe(true);
    expect(requested.some((url) => url === `${origin}/cognito`)).toBe(true);
    expect(sockets.some((url) => url.startsWith(`${origin.replace('https://', 'wss://')}/graphql/realtime`))).toBe(true);
    // Nothing is left of the warning: no reconnect banner, no error in either window.
    await expect(annWindow.page.getByRole('alert').count()).resolves.toBe(0);
    expect([...annWindow.consoleErrors, ...annWindow.pageErrors, ...bobWindow.consoleErrors, ...bobWindow.pageErrors]).toEqual([]);
  });
});
