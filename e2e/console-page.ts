/**
 * The sandbox console in the browser: a Chromium context of its own opened through the URL the sandbox prints (the
 * secret becomes a cookie), with what the page logged as errors and any Content-Security-Policy violation collected,
 * so that a scenario can assert there were none.
 */
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { UI_TIMEOUT_MS } from './chat-user';
import { ARTIFACTS, type Stack } from './stack';

export interface ConsoleWindow {
  page: Page;
  context: BrowserContext;
  /** Errors the page logged (CSP violations are logged as errors too) and uncaught exceptions. */
  errors: string[];
  /** Opens one of the console's pages by its link in the header (Data, Auth, GraphQL, Live, State). */
  open(label: 'Data' | 'Auth' | 'GraphQL' | 'Live' | 'State'): Promise<void>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openConsole(stack: Stack, viewport = { width: 1400, height: 900 }): Promise<ConsoleWindow> {
  const api = stack.env.sandbox.console;
  if (!api) throw new Error('the sandbox serves no console');
  const built = await api.pages();
  if (built.state !== 'ready') throw new Error(`the console's pages were not built: ${JSON.stringify(built)}`);
  const context = await stack.browser.newContext({ viewport });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(api.url);
  if (new URL(page.url()).search !== '') throw new Error(`the secret stayed in the address bar: ${page.url()}`);
  await page.getByRole('navigation', { name: 'Console pages' }).waitFor();
  return {
    page,
    context,
    errors,
    async open(label) {
      await page.getByRole('navigation', { name: 'Console pages' }).getByRole('link', { name: label, exact: true }).click();
    },
    async screenshot(name) {
      const path = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    close: () => context.close(),
  };
}
