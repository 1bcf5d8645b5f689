import { describe, expect, it } from 'vitest';
import { estimateCost, priceFor } from '../../bridge/index.js';
import { TerminalRenderer } from '../../src/cli/render.js';
import { styleFor } from '../../src/cli/style.js';

function target(isTTY = false, columns = 40) {
  const out = { text: '', isTTY, columns, write: (t: string) => (out.text += t) };
  return out;
}
const record = (id: string, text: string) => ({
  toolUseId: id,
  name: 'get_order',
  server: 'orders',
  tool: 'get_order',
  input: {},
  status: 'success' as const,
  durationMs: 3,
  result: { toolUseId: id, content: [{ text }], status: 'success' as const },
});

describe('TerminalRenderer', () => {
  it('shows tool results with -v as the text they are, not re-escaped JSON', () => {
    const out = target();
    const renderer = new TerminalRenderer(out, out, true, styleFor(false));
    renderer.onEvent({ type: 'tool-call-end', record: record('a', '{"status":"Shipped"}') });
    expect(out.text).toContain('✓ get_order (3 ms): {"status":"Shipped"}');
    expect(out.text).not.toContain('\\"');
  });

  it('keeps the spinner to one row: each running tool once with a count, cut to the terminal width', () => {
    const out = target(true, 40);
    const renderer = new TerminalRenderer(out, out, false, styleFor(false));
    for (let i = 0; i < 8; i++)
      renderer.onEvent({
        type: 'tool-call-start',
        toolUseId: `t${i}`,
        name: 'cancel_order',
        server: 'orders',
        tool: 'cancel_order',
        input: {},
      });
    const spinner = out.text.slice(out.text.lastIndexOf('\n') + 1);
    expect(spinner).toContain('orders › cancel_order ×8');
    expect(spinner.length).toBeLessThanOrEqual(39);
    renderer.endText();
  });

  it('shows a call the user denied as denied', async () => {
    const out = target();
    const renderer = new TerminalRenderer(out, out, false, styleFor(false));
    const approve = renderer.approvals(async () => ({ approved: false, reason: 'the user declined' }));
    const descriptor = {
      name: 'cancel_order',
      server: 'orders',
      tool: 'cancel_order',
      description: '',
      inputSchema: {},
    };
    await approve({ toolUseId: 'd', name: 'cancel_order', descriptor, input: { order_id: '1' } });
    renderer.onEvent({
      type: 'tool-call-start',
      toolUseId: 'd',
      name: 'cancel_order',
      server: 'orders',
      tool: 'cancel_order',
      input: { order_id: '1' },
    });
    renderer.onEvent({ type: 'tool-call-end', record: { ...record('d', 'denied'), status: 'denied' } });
    expect(out.text).toBe('  ⊘ orders › cancel_order {"order_id":"1"} denied: the user declined\n');
  });
});

describe('price table', () => {
  it('prices inference profiles as their model, cached tokens at cache prices, unknown models not at all', () => {
    expect(priceFor('global.anthropic.claude-sonnet-4-5-20250929-v1:0')?.key).toBe('anthropic.claude-sonnet-4-5');
    expect(priceFor('us.anthropic.claude-opus-4-5-20251101-v1:0')?.key).toBe('anthropic.claude-opus-4-5');
    const cost = estimateCost('us.anthropic.claude-sonnet-4-5-20250929-v1:0', {
      inputTokens: 1_000_000,
      outputTokens: 1_000_000,
      cacheReadInputTokens: 1_000_000,
      cacheWriteInputTokens: 1_000_000,
    });
    expect(cost).toMatchObject({ input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75, priceDate: '2025-10-01' });
    expect(cost?.total).toBeCloseTo(22.05, 10);
    expect(
      estimateCost('acme.unknown-model', {
        inputTokens: 1,
        outputTokens: 1,
        cacheReadInputTokens: 0,
        cacheWriteInputTokens: 0,
      }),
    ).toBeUndefined();
  });
});
