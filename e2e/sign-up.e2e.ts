/**
 * The app's sign-in screens (src/auth/) against the offline user pool, in Chromium: every flow a signed-out person
 * meets. Create an account (the pool's password policy and the repeated password checked before Cognito is asked;
 * Cognito's own refusals shown as it words them), confirm with the e-mailed code, sign in with SRP, sign out, the
 * session restored on reload and gone after signing out; an account left unconfirmed is confirmed from the sign-in
 * form (a new code is sent); a forgotten password is reset with the e-mailed code; a user an administrator created
 * with a temporary password chooses their own. ~20 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatUser, type Person } from './chat-user';
import { startStack, type Stack } from './stack';

const ann: Person = { email: 'ann.e2e@example.com', displayName: 'Ann', password: 'Correct-Horse-9' };
const bea: Person = { email: 'bea.e2e@example.com', displayName: 'Bea', password: 'Correct-Horse-9' };

let stack: Stack;
const users: ChatUser[] = [];

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  for (const user of users) await user.close();
  await stack?.close();
});

const code = (email: string) => stack.env.sandbox.userPool.lastCodeFor(email);

async function open(person: Person): Promise<ChatUser> {
  const user = await ChatUser.open(stack.browser, stack.appUrl, person);
  users.push(user);
  return user;
}

describe('the sign-in screens against the offline user pool', () => {
  it('signs a new user up, confirms with the code the pool issued, and signs in with SRP', async () => {
    const user = await open(ann);
    await user.signUp(code);
    await expect(user.signedIn().isVisible()).resolves.toBe(true);
    await user.screenshot('signed-in');
    expect(user.consoleErrors).toEqual([]);
  });

  it('keeps the session across a reload, and not after signing out', async () => {
    const [user] = users as [ChatUser];
    await user.page.reload();
    await user.signedIn().waitFor();
    await user.signedIn().click();
    await user.page.getByRole('button', { name: 'Sign in' }).waitFor();
    await user.page.reload();
    await user.page.getByRole('tab', { name: 'Sign In', selected: true }).waitFor();
    await expect(user.signedIn().count()).resolves.toBe(0);
    await user.signIn();
    expect(user.pageErrors).toEqual([]);
  });

  it("checks the pool's password policy and the repeated password before asking Cognito, and shows Cognito's refusal", async () => {
    const user = await open(bea);
    const { page } = user;
    await page.getByRole('tab', { name: 'Create Account' }).click();
    await page.getByLabel('Email').fill(bea.email);
    await page.getByLabel('Display name').fill(bea.displayName);
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Confirm Password').fill('shorter');
    await page.getByRole('button', { name: 'Create Account' }).click();
    // Nothing sent: the first field in error has the focus, every broken rule is listed under its field.
    await expect(page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('sign-up-password');
    await page.getByText('Password must have at least 8 characters').waitFor();
    await page.getByText('Password must have upper case letters').waitFor();
    await page.getByText('Password must have numbers').waitFor();
    await page.getByText('Your passwords must match').waitFor();
    expect(stack.env.sandbox.userPool.getUser(bea.email)).toBeUndefined();

    // An e-mail already signed up: Cognito says so, in its words.
    await page.getByLabel('Email').fill(ann.email);
    await page.getByLabel('Password', { exact: true }).fill(bea.password);
    await page.getByLabel('Confirm Password').fill(bea.password);
    await page.getByRole('button', { name: 'Create Account' }).click();
    await page.getByRole('alert').filter({ hasText: 'An account with the given email already exists.' }).waitFor();
  });

  it('confirms an account left unconfirmed from the sign-in form, after a wrong code, with a new code', async () => {
    const [, user] = users as [ChatUser, ChatUser];
    const { page } = user;
    await page.getByLabel('Email').fill(bea.email);
    await page.getByRole('button', { name: 'Create Account' }).click();
    await page.getByLabel('Confirmation Code').waitFor();
    expect(stack.env.sandbox.userPool.getUser(bea.email)?.status).toBe('UNCONFIRMED');
    const first = code(bea.email);
    expect(first).toBeDefined();

    // She leaves, and comes back another day: signing in asks for a code again (a new one is sent).
    await page.reload();
    await page.getByLabel('Email').fill(bea.email);
    await page.getByLabel('Password', { exact: true }).fill(bea.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Confirmation Code').waitFor();
    await expect.poll(() => code(bea.email)).not.toBe(first);
    await page.getByLabel('Confirmation Code').fill('000000' === code(bea.email) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('alert').filter({ hasText: 'Invalid verification code provided, please try again.' }).waitFor();
    await page.getByLabel('Confirmation Code').fill(code(bea.email)!);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await user.signedIn().waitFor();
    expect(stack.env.sandbox.userPool.getUser(bea.email)?.status).toBe('CONFIRMED');
  });

  it('resets a forgotten password with the e-mailed code, and signs in with the new one', async () => {
    const [user] = users as [ChatUser];
    const { page } = user;
    await user.signedIn().click();
    await page.getByRole('button', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { name: 'Reset Password' }).waitFor();
    await page.getByLabel('Email').fill(ann.email);
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.getByLabel('Code', { exact: true }).waitFor();
    await page.getByLabel('Code', { exact: true }).fill(code(ann.email)!);
    await page.getByLabel('New Password').fill('Battery-Staple-7');
    await page.getByLabel('Confirm Password').fill('Battery-Staple-7');
    await page.getByRole('button', { name: 'Submit' }).click();
    await user.signedIn().waitFor();

    // The old password no longer works; the new one does.
    await user.signedIn().click();
    await page.getByLabel('Email').fill(ann.email);
    await page.getByLabel('Password', { exact: true }).fill(ann.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Incorrect username or password.' }).waitFor();
    await page.getByLabel('Password', { exact: true }).fill('Battery-Staple-7');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await user.signedIn().waitFor();
    for (const each of users) expect(each.pageErrors).toEqual([]);
  });

  it('lets a user created with a temporary password choose their own at the first sign-in', async () => {
    const pool = stack.env.sandbox.userPool;
    const cy: Person = { email: 'cy.e2e@example.com', displayName: 'Cy', password: 'Temporary-Pass-1' };
    await pool.call('AdminCreateUser', {
      UserPoolId: pool.id,
      Username: cy.email,
      TemporaryPassword: cy.password,
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: cy.email }, { Name: 'email_verified', Value: 'true' }, { Name: 'preferred_username', Value: cy.displayName }],
    });
    const user = await open(cy);
    const { page } = user;
    await page.getByLabel('Email').fill(cy.email);
    await page.getByLabel('Password', { exact: true }).fill(cy.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Change Password' }).waitFor();
    await page.getByLabel('New Password').fill('Chosen-By-Cy-3');
    await page.getByLabel('Confirm Password').fill('Chosen-By-Cy-3');
    await page.getByRole('button', { name: 'Change Password' }).click();
    await user.signedIn().waitFor();
    expect(pool.getUser(cy.email)?.status).toBe('CONFIRMED');
    expect(user.pageErrors).toEqual([]);
  });
});
