/**
 * One person in the browser: a Chromium context (its own storage, like a separate browser profile) on the app,
 * driven through what a user sees — roles, labels and text (the accessible hooks listed in docs/web-app.md).
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { ARTIFACTS } from './stack';

export interface Person {
  email: string;
  displayName: string;
  password: string;
}

/** How long a UI condition may take before the test fails (a failure guard, not synchronisation). */
export const UI_TIMEOUT_MS = 20_000;

export class ChatUser {
  private constructor(
    readonly person: Person,
    readonly context: BrowserContext,
    readonly page: Page,
    readonly consoleErrors: string[],
    readonly pageErrors: string[],
  ) {}

  /**
   * A new window on the app. With `certificateWarning`, the browser does not trust the sandbox's CA: the page must
   * be Chromium's certificate warning, which is passed the way a person does (Advanced → Proceed), once.
   */
  static async open(
    browser: Browser,
    appUrl: string,
    person: Person,
    viewport = { width: 1280, height: 800 },
    options: { certificateWarning?: boolean } = {},
  ): Promise<ChatUser> {
    const context = await browser.newContext({ viewport });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    const pageErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    if (options.certificateWarning) {
      await passCertificateWarning(page, appUrl);
      // What the warning page itself logged is not the app's.
      consoleErrors.length = 0;
    } else {
      await page.goto(appUrl);
    }
    return new ChatUser(person, context, page, consoleErrors, pageErrors);
  }

  /** Sign-up through the app's own form (src/auth/), the code from the local user pool, then signed in. */
  async signUp(confirmationCodeFor: (email: string) => string | undefined): Promise<void> {
    const { page, person } = this;
    await page.getByRole('tab', { name: 'Create Account' }).click();
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Display name').fill(person.displayName);
    await page.getByLabel('Password', { exact: true }).fill(person.password);
    await page.getByLabel('Confirm Password').fill(person.password);
    await page.getByRole('button', { name: 'Create Account' }).click();
    const codeInput = page.getByLabel('Confirmation Code');
    await codeInput.waitFor();
    const code = confirmationCodeFor(person.email);
    if (!code) throw new Error(`no confirmation code was issued for ${person.email}`);
    await codeInput.fill(code);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await this.signedIn().waitFor();
  }

  async signIn(): Promise<void> {
    const { page, person } = this;
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password', { exact: true }).fill(person.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await this.signedIn().waitFor();
  }

  signedIn(): Locator {
    return this.page.getByRole('button', { name: 'Sign out' });
  }

  /** The conversation button in the list whose title starts with `title`. */
  conversation(title: string): Locator {
    return this.conversationList().getByRole('button', { name: new RegExp(`^${escape(title)}`) });
  }

  conversationList(): Locator {
    return this.page.getByRole('navigation', { name: 'Conversations' });
  }

  /**
   * The conversation at the top of the list (the most recent activity) when its title starts with `title` and it
   * shows `preview`: wait for it to see the list reorder and the preview change.
   */
  topConversation(title: string, preview: string): Locator {
    return this.conversationList()
      .getByRole('listitem')
      .first()
      .getByRole('button', { name: new RegExp(`^${escape(title)}`) })
      .filter({ hasText: preview });
  }

  /** Opens "New conversation", picks one person (see `startConversation`), starts (or reopens) the 1:1. */
  async startConversationWith(who: string | Person): Promise<void> {
    await this.startConversation([who]);
  }

  /**
   * Opens "New conversation", picks each person, names it (optional) and starts it. A search string picks the one
   * person whose name matches it; a `Person` is searched by display name and picked by the e-mail shown under the name
   * (as a person tells apart two people of the same name).
   */
  async startConversation(who: readonly (string | Person)[], name?: string): Promise<void> {
    const { page } = this;
    await page.getByRole('button', { name: 'New conversation' }).click();
    const dialog = page.getByRole('dialog', { name: 'New conversation' });
    for (const one of who) {
      if (typeof one === 'string') {
        await dialog.getByLabel('Find people').fill(one);
        await dialog.getByRole('checkbox', { name: new RegExp(escape(one)) }).check();
      } else {
        await dialog.getByLabel('Find people').fill(one.displayName);
        await dialog.getByRole('listitem').filter({ hasText: one.email }).getByRole('checkbox', { name: one.displayName, exact: true }).check();
      }
    }
    if (name !== undefined) await dialog.getByLabel('Conversation name').fill(name);
    await dialog.getByRole('button', { name: 'Start conversation' }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  composer(): Locator {
    return this.page.getByLabel('Message', { exact: true });
  }

  async send(text: string): Promise<void> {
    await this.composer().fill(text);
    await this.composer().press('Enter');
  }

  /** A message in the open conversation containing `text`, optionally in a given delivery state / ownership. */
  message(text: string, state: { status?: 'pending' | 'failed' | 'confirmed'; own?: boolean } = {}): Locator {
    const attributes = [state.status && `[data-status="${state.status}"]`, state.own !== undefined && `[data-own="${state.own}"]`].filter(Boolean).join('');
    return this.page.getByRole('log', { name: 'Messages' }).locator(`article${attributes}`, { hasText: text });
  }

  async screenshot(name: string): Promise<string> {
    const path = join(ARTIFACTS, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/** Opens `url` in a browser that does not trust its certificate, and passes the warning as a person does. */
export async function passCertificateWarning(page: Page, url: string): Promise<void> {
  const refused = await page.goto(url).then(
    () => undefined,
    (error: Error) => error,
  );
  if (!refused || !/ERR_CERT_AUTHORITY_INVALID/.test(refused.message)) {
    throw new Error(`expected Chromium's certificate warning on ${url}, got ${refused ? refused.message.split('\n')[0] : 'the page itself'}`);
  }
  await page.getByText('Your connection is not private').waitFor();
  await page.getByRole('button', { name: 'Advanced' }).click();
  await page.getByRole('link', { name: /^Proceed to / }).click();
  await page.waitForURL(url);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
