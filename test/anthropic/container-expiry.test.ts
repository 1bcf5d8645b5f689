/**
 * A suspended program's container expires when the client does not answer in time (`--container-idle`): the
 * program is stopped and a late answer is refused naming the container, with the built CLI and the official SDK.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { answerToolCalls, EXPENSE_QUESTION, expenseTools } from '../../bench/expense-client-tools.js';
import { bareEnv, runCli, serveCli, type Served } from '../support/cli-process.js';

let home: string;
let emulator: Served;
let server: Served;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'anthropic-expiry-'));
  emulator = await serveCli(['emulator', '--port', '0'], bareEnv(home));
  server = await serveCli(
    ['anthropic', '--port', '0', '--upstream', emulator.url, '--container-idle', '1'],
    bareEnv(home),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all([server?.stop(), emulator?.stop()]);
  rmSync(home, { recursive: true, force: true });
});

it('refuses an answer after the container expired, naming it', async () => {
  const client = new Anthropic({ baseURL: server.url, apiKey: 'any' });
  const request = {
    model: 'claude-sonnet-4-5-20250929',
    max_tokens: 4096,
    tools: [{ type: 'code_execution_20250825' as const, name: 'code_execution' as const }, ...expenseTools()],
  };
  const messages: Anthropic.Beta.BetaMessageParam[] = [{ role: 'user', content: EXPENSE_QUESTION }];
  const first = await client.beta.messages.create({ ...request, messages });
  expect(first.stop_reason, JSON.stringify(first.content)).toBe('tool_use');
  // Past the one-second idle limit (the container says when it expires).
  await sleep(Math.max(0, Date.parse(first.container?.expires_at ?? '') - Date.now()) + 1000);
  const late = client.beta.messages.create({
    ...request,
    container: first.container?.id ?? null,
    messages: [...messages, ...answerToolCalls(first.content)],
  });
  await expect(late).rejects.toBeInstanceOf(Anthropic.BadRequestError);
  await expect(late).rejects.toMatchObject({
    error: {
      error: {
        message: `container ${first.container?.id}: no program waits in it (it finished or expired, or is not yours)`,
      },
    },
  });
}, 120_000);

it('names the option when --container-idle is not whole seconds', async () => {
  const bad = await runCli(['anthropic', '--port', '0', '--container-idle', '1.5'], bareEnv(home));
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--container-idle expects whole seconds from 1 to 3600');
});
