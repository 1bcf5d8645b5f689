/// <reference lib="dom" />
/**
 * Headless Chromium for the web chat's end-to-end tests: Debian's `chromium` driven by playwright-core (no browser
 * download). Every page is watched: requests beyond the server are blocked and recorded, and so are CSP violations
 * and any text a customer must never see.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. */
export const browserMissing = existsSync(CHROMIUM)
  ? undefined
  : `${CHROMIUM} is not installed (Debian: apt-get install -y chromium; .ci/run installs it)`;

// The flags that work on a machine without network access: no background requests, no GPU, no first-run UI.
// playwright-core adds --headless, --no-sandbox and a fresh --user-data-dir itself.
const FLAGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

/** What a watched context saw that it should not have. */
export interface Watch {
  /** Requests to anything but the server (blocked). */
  foreign: string[];
  context: BrowserContext;
}

/** A context whose pages may reach `origin` only; everything else is aborted and recorded. */
export async function watchedContext(
  browser: Browser,
  origin: string,
  options: { viewport?: { width: number; height: number } } = {},
): Promise<Watch> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1100, height: 760 } });
  const foreign: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  await context.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return { foreign, context };
}

/** Records, on every change of the page, any text matching `pattern` (hidden text included). */
export async function recordLeaks(page: Page, pattern: RegExp): Promise<void> {
  await page.addInitScript((source) => {
    const w = window as unknown as { __leaks: string[] };
    w.__leaks = [];
    const regex = new RegExp(source, 'i');
    const check = () => {
      const match = regex.exec(document.body?.textContent ?? '');
      if (match && !w.__leaks.includes(match[0])) w.__leaks.push(match[0]);
    };
    new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
  }, pattern.source);
}

/** Records every text shown in elements matching `selector`, however briefly (a MutationObserver sees each change). */
export async function recordShown(page: Page, selector: string): Promise<void> {
  await page.addInitScript((css) => {
    const w = window as unknown as { __shown: string[] };
    w.__shown = [];
    new MutationObserver(() => {
      for (const element of document.querySelectorAll(css)) {
        const text = element.textContent ?? '';
        if (!w.__shown.includes(text)) w.__shown.push(text);
      }
    }).observe(document, { subtree: true, childList: true, characterData: true });
  }, selector);
}

export const shownOf = (page: Page): Promise<string[]> =>
  page.evaluate(() => (window as unknown as { __shown: string[] }).__shown);

export const leaksOf = (page: Page): Promise<string[]> =>
  page.evaluate(() => (window as unknown as { __leaks: string[] }).__leaks);
export const violationsOf = (page: Page): Promise<string[]> =>
  page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);

/** Sends a message with the keyboard and waits until the answer is complete. */
export async function say(page: Page, text: string): Promise<void> {
  const sent = await page.locator('.message.user').count();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
  await page.locator('.message.user').nth(sent).waitFor();
  await idle(page);
}

/** Waits until no answer is running (the Send button is back). */
export async function idle(page: Page): Promise<void> {
  await page.locator('.composer button[type="submit"]').waitFor();
}

/** The text of the last reply shown. */
export const lastReply = (page: Page): Promise<string> =>
  page.locator('.message.assistant .markdown').last().innerText();

/** WCAG 2.x A and AA violations axe-core finds on the page (colour contrast included). */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const require = createRequire(import.meta.url);
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (o: unknown) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}
