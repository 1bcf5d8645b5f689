/// <reference lib="dom" />
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioDefinition } from '../../src/emulator/index.js';
import { DIALOGUES } from '../support/anycompany-dialogues.js';
import {
  accessibilityViolations,
  browserMissing,
  idle,
  lastReply,
  launchChromium,
  leaksOf,
  recordLeaks,
  recordShown,
  say,
  shownOf,
  violationsOf,
  watchedContext,
  type Watch,
} from './browser.js';
import { accountsFile, startWebStack, type WebStack } from './web-stack.js';

if (browserMissing) console.log(`web chat browser tests: skipped because ${browserMissing}`);

/**
 * The README's screenshots, taken by this run: written into docs/images with UPDATE_SCREENSHOTS=1, otherwise into a
 * temporary folder, so an ordinary test run leaves the checkout as it was.
 */
const SCREENSHOTS = process.env['UPDATE_SCREENSHOTS']
  ? join(process.cwd(), 'docs', 'images')
  : mkdtempSync(join(tmpdir(), 'web-screenshots-'));
/** What a customer must never see: tool names, tool-use ids, tags, and the fixtures' reasoning. */
const HIDDEN_FROM_CUSTOMERS = new RegExp(
  /get_order_by_id|get_user|get_customer_orders|cancel_order|tooluse_|<\/?thinking|<\/?reply|reasoning|/.source +
    /I should ask|I will (?:check|look up|list)|get_user needs|cancel_order only|I already found/.source,
);
const MARKDOWN_PROBE: ScenarioDefinition = {
  name: 'markdown probe (test)',
  match: '^show me the formatting test$',
  steps: [
    {
      text:
        '**Bold** and a [good link](https://example.com/help).\n\n<img src=x ' +
        'onerror="window.__xss=1">\n\n<script>window.__xss=2</script>\n\n[bad ' +
        'link](javascript:window.__xss=3) ![tracker](https://tracker.example/pixel.png)',
    },
  ],
};

describe.skipIf(browserMissing !== undefined)('web chat in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(() => browser?.close());

  async function signedIn(stack: WebStack, viewport?: { width: number; height: number }) {
    const watch = await watchedContext(browser, stack.url, viewport ? { viewport } : {});
    const page = await watch.context.newPage();
    await page.goto(await stack.takeLink());
    await page.getByRole('heading', { name: 'AnyCompany support', exact: true }).waitFor();
    return { watch, page };
  }

  async function clean(watch: Watch, page: Page): Promise<void> {
    expect(watch.foreign).toEqual([]);
    expect(await violationsOf(page)).toEqual([]);
  }

  describe('customer view (the local user on loopback)', () => {
    let stack: WebStack;
    beforeAll(async () => {
      stack = await startWebStack({ scenarios: [MARKDOWN_PROBE] });
    });
    afterAll(() => stack?.close());

    it("plays the sample's five dialogues in its words, each turn reaching the right answer", async () => {
      const { watch, page } = await signedIn(stack);
      await recordLeaks(page, HIDDEN_FROM_CUSTOMERS);
      await page.reload();
      for (const dialogue of DIALOGUES) {
        await page.getByRole('link', { name: 'New conversation' }).click();
        await page.getByRole('heading', { name: 'Welcome to AnyCompany support' }).waitFor();
        for (const turn of dialogue.turns) {
          if (turn.approval) {
            // The customer confirms the destructive step in words, never by tool name.
            const box = page.getByRole('textbox', { name: 'Message' });
            await box.fill(turn.say);
            await box.press('Enter');
            const confirm = page.locator('.confirm');
            await confirm.waitFor();
            expect(await confirm.innerText()).toContain('Please confirm: Cancel an order: 37129');
            await page.getByRole('button', { name: 'Confirm: Cancel an order: 37129' }).click();
            await page.locator('.confirm-state', { hasText: 'Confirmed.' }).waitFor();
            await idle(page);
          } else {
            await say(page, turn.say);
          }
          expect({ say: turn.say, reply: await lastReply(page) }).toEqual({ say: turn.say, reply: turn.reply });
        }
        if (dialogue.name.startsWith('account lookup')) {
          await page.screenshot({ path: join(SCREENSHOTS, 'web-customer.png') });
        }
      }
      // Every conversation is listed, and none of them ever showed a tool name, a tag or reasoning.
      expect(await page.locator('.conversation-list li').count()).toBe(DIALOGUES.length);
      expect(await page.locator('.tool-card').count()).toBe(0);
      expect(await leaksOf(page)).toEqual([]);
      await clean(watch, page);
      await watch.context.close();
    });

    it('shows "looking up your order…" while tools run, and only the reply after', async () => {
      const { watch, page } = await signedIn(stack);
      await recordLeaks(page, HIDDEN_FROM_CUSTOMERS);
      await recordShown(page, '.activity');
      await page.reload();
      await say(page, 'I need help with an order');
      await say(page, 'My order is 32057');
      expect(await shownOf(page)).toEqual(['Looking up your order…']);
      expect(await page.locator('.activity').count()).toBe(0);
      expect(await page.locator('.message.assistant').count()).toBe(2);
      expect(await leaksOf(page)).toEqual([]);
      await clean(watch, page);
      await watch.context.close();
    });

    it('renders markdown but no HTML from the model: no script, no image, no javascript: link', async () => {
      const { watch, page } = await signedIn(stack);
      await say(page, 'show me the formatting test');
      const reply = page.locator('.message.assistant .markdown').last();
      expect(await reply.locator('strong').innerText()).toBe('Bold');
      expect(await reply.locator('a', { hasText: 'good link' }).getAttribute('href')).toBe('https://example.com/help');
      expect(await reply.locator('a', { hasText: 'good link' }).getAttribute('rel')).toBe('noopener noreferrer');
      expect(await reply.locator('img, script').count()).toBe(0);
      expect(await reply.locator('a', { hasText: 'bad link' }).getAttribute('href')).toBeNull();
      expect(await reply.innerText()).toContain('<img src=x onerror="window.__xss=1">');
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      // The tracker image became a link: nothing was fetched from beyond the server.
      await clean(watch, page);
      await watch.context.close();
    });

    it('works from the keyboard alone, with labelled controls and AA contrast (axe-core)', async () => {
      const { watch, page } = await signedIn(stack);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to the message box');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('message');
      await page.keyboard.type('I need help with an order');
      await page.keyboard.press('Enter');
      await page.locator('.message.user').waitFor();
      await idle(page);
      expect(await lastReply(page)).toBe('I can help with that. What is your order number?');
      expect(await accessibilityViolations(page)).toEqual([]);
      await clean(watch, page);
      await watch.context.close();
    });

    it('fits a phone: no sideways scrolling, the conversation list behind a button', async () => {
      const { watch, page } = await signedIn(stack, { width: 390, height: 844 });
      await say(page, 'I need help with an order');
      await say(page, 'My order is 14826');
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      expect(await page.locator('#conversations').isVisible()).toBe(false);
      await page.screenshot({ path: join(SCREENSHOTS, 'web-phone.png') });
      await page.getByRole('button', { name: 'Conversations' }).click();
      expect(await page.locator('#conversations').isVisible()).toBe(true);
      expect(await accessibilityViolations(page)).toEqual([]);
      await clean(watch, page);
      await watch.context.close();
    });

    it('recovers the conversation after a reload while the reply streams, and shows it once', async () => {
      const slow = await startWebStack({ eventDelayMs: 60 });
      try {
        const { watch, page } = await signedIn(slow);
        await say(page, 'I need help with an order');
        const box = page.getByRole('textbox', { name: 'Message' });
        await box.fill('My order is 32057');
        await box.press('Enter');
        await page.locator('.message.user').nth(1).waitFor();
        await page.reload();
        await page.locator('.message.user').nth(1).waitFor();
        await idle(page);
        expect(await lastReply(page)).toBe(
          'Order 32057 for Terry Whitlock (012347): 1 × Backpack at $59.99, status Shipped.',
        );
        expect(await page.locator('.message.user p').allInnerTexts()).toEqual([
          'I need help with an order',
          'My order is 32057',
        ]);
        expect(await page.locator('.message.assistant').count()).toBe(2);
        await clean(watch, page);
        await watch.context.close();
      } finally {
        await slow.close();
      }
    });
  });

  describe('operator view (--operator)', () => {
    let stack: WebStack;
    beforeAll(async () => {
      stack = await startWebStack({ args: ['--operator'] });
    });
    afterAll(() => stack?.close());

    it('shows tool cards and usage, and cancels 37129 only when the operator approves', async () => {
      const { watch, page } = await signedIn(stack);
      await say(page, 'I need help with an order');
      await say(page, 'My order is 37129');
      const box = page.getByRole('textbox', { name: 'Message' });
      await box.fill('Please cancel my order');
      await box.press('Enter');
      const approve = page.getByRole('button', { name: /^Approve: orders › cancel_order/ });
      await approve.waitFor();
      const cards = await page.locator('.tool-card .tool-name').allInnerTexts();
      expect(cards).toEqual([
        'orders › get_order_by_id',
        'orders › get_user',
        'orders › get_order_by_id',
        'orders › cancel_order',
      ]);
      expect(await page.locator('.tool-card').last().innerText()).toContain('waiting for approval');
      expect(await page.locator('.reasoning').count()).toBeGreaterThan(0);
      // Tokens and their estimated cost from the dated price table (the sample's model, Claude 3 Sonnet).
      expect(await page.locator('.usage').innerText()).toMatch(/[\d,]+ in · [\d,]+ out.* · ≈ \$\d+\.\d{4,6}/);
      await page.locator('.log').evaluate((log) => {
        log.scrollTop = log.scrollHeight;
      });
      await page.screenshot({ path: join(SCREENSHOTS, 'web-operator.png') });
      await approve.click();
      await idle(page);
      expect(await lastReply(page)).toBe('Order 37129 (2 × Sunglasses) is now Cancelled.');
      expect(await page.locator('.tool-card').last().innerText()).toMatch(/cancel_order\s*done\s*\d+ ms/);
      expect(await accessibilityViolations(page)).toEqual([]);
      await clean(watch, page);
      await watch.context.close();
    });

    it('keeps waiting for the decision across a reload mid-run, then goes on when approved', async () => {
      const { watch, page } = await signedIn(stack);
      await say(page, 'My order is 47652');
      const box = page.getByRole('textbox', { name: 'Message' });
      await box.fill('Please cancel my order');
      await box.press('Enter');
      await page.getByRole('button', { name: /^Approve:/ }).waitFor();
      await page.reload();
      // The run went on without the page: the streamed reasoning, the cards and the waiting approval are back.
      const approve = page.getByRole('button', { name: /^Approve: orders › cancel_order/ });
      await approve.waitFor();
      expect(await page.getByRole('button', { name: 'Stop' }).isVisible()).toBe(true);
      expect(await page.locator('.message.user p').allInnerTexts()).toEqual([
        'My order is 47652',
        'Please cancel my order',
      ]);
      await approve.click();
      await idle(page);
      expect(await lastReply(page)).toBe('Order 47652 (1 × Smartwatch) is now Cancelled.');
      await clean(watch, page);
      await watch.context.close();
    });

    it('stops a run that waits for approval: the call is denied and nothing is cancelled', async () => {
      const { watch, page } = await signedIn(stack);
      const box = page.getByRole('textbox', { name: 'Message' });
      await box.fill('Please cancel order 13579');
      await box.press('Enter');
      await page.getByRole('button', { name: /^Approve:/ }).waitFor();
      await page.getByRole('button', { name: 'Stop' }).click();
      await idle(page);
      expect(await page.locator('.notice').last().innerText()).toBe('Stopped.');
      expect(await page.locator('.tool-card').last().innerText()).toContain('denied');
      await say(page, 'My order is 13579');
      expect(await lastReply(page)).toContain('status Processing');
      await clean(watch, page);
      await watch.context.close();
    });
  });

  describe('accounts', () => {
    let stack: WebStack;
    beforeAll(async () => {
      const accounts = accountsFile([
        { name: 'alice', password: 'alice password 1' },
        { name: 'bob', password: 'bob password 22' },
      ]);
      stack = await startWebStack({ args: ['--accounts', accounts] });
    });
    afterAll(() => stack?.close());

    async function signInAs(name: string, password: string) {
      const watch = await watchedContext(browser, stack.url);
      const page = await watch.context.newPage();
      await page.goto(stack.url);
      await page.getByLabel('User name').fill(name);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('link', { name: 'New conversation' }).waitFor();
      return { watch, page };
    }

    it("signs in with a password and never shows one user's conversation to another", async () => {
      const alice = await signInAs('alice', 'alice password 1');
      await say(alice.page, 'My order is 32057');
      const path = new URL(alice.page.url()).pathname;
      expect(path).toMatch(/^\/c\/alice\./);

      const bob = await signInAs('bob', 'bob password 22');
      expect(await bob.page.locator('.conversation-list li').count()).toBe(0);
      await bob.page.goto(new URL(path, stack.url).href);
      await bob.page.getByRole('alert').waitFor();
      expect(await bob.page.getByRole('alert').innerText()).toContain('cannot be opened');
      expect(await bob.page.locator('body').innerText()).not.toContain('32057');
      const status = await bob.page.evaluate(
        async (p) => (await fetch(`/api/conversations/${p}`)).status,
        path.slice(3),
      );
      expect(status).toBe(404);
      await clean(alice.watch, alice.page);
      await clean(bob.watch, bob.page);
      await alice.watch.context.close();
      await bob.watch.context.close();
    });

    it('refuses a wrong password with a message, and the sign-in form passes axe-core', async () => {
      const watch = await watchedContext(browser, stack.url);
      const page = await watch.context.newPage();
      await page.goto(stack.url);
      await page.getByLabel('User name').fill('alice');
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      expect(await page.getByRole('alert').innerText()).toBe('Wrong user name or password.');
      expect(await accessibilityViolations(page)).toEqual([]);
      await clean(watch, page);
      await watch.context.close();
    });
  });
});
