import { describe, expect, it } from 'vitest';
import { reasoningOf, visibleReply } from '../../src/web/reply-text.js';

// The recorded answers of the AWS sample's README (docs/web-chat.md, "The reply convention").
const PLAIN =
  "Okay, let's see how I can assist you with your order. <thinking>\nTo look up details about an order, I " +
  "will need the order ID. I should ask the user for that first.\n</thinking>\n\n<reply>\nSure, I'd be happy " +
  'to help you with your order. Can you please provide me with the order ID?\n</reply>';
const BEFORE_TOOL =
  'Okay, got it. <thinking>\nThe user provided the order ID 14826. I can use the "get_order_by_id" tool:';
const AFTER_TOOL =
  "The tool returned the order details - it's for 1 Backpack that has already " +
  'shipped.\n</thinking>\n\n<reply>\nI was able to look up your order #14826. It has been shipped ' +
  'already.\n</reply>';

describe('the customer-facing part of a reply', () => {
  it('shows only the <reply> under the convention, and everything outside <thinking> without it', () => {
    expect(visibleReply(PLAIN, { tagged: true, final: true })).toBe(
      "Sure, I'd be happy to help you with your order. Can you please provide me with the order ID?",
    );
    expect(visibleReply(BEFORE_TOOL, { tagged: true, final: false })).toBe('');
    expect(visibleReply(AFTER_TOOL, { tagged: true, final: true })).toBe(
      'I was able to look up your order #14826. It has been shipped already.',
    );
    expect(visibleReply('Hi <thinking>hidden</thinking>there', { tagged: false, final: true })).toBe('Hi there');
    // Tagged, but the model wrote no tags at all: the whole text, as the sample's client shows it.
    expect(visibleReply('Plain answer.', { tagged: true, final: true })).toBe('Plain answer.');
  });

  it('grows by prefixes while the reply streams, holding back a half-written tag', () => {
    for (const [raw, tagged] of [
      [PLAIN, true],
      [AFTER_TOOL, true],
      ['Hello <thinking>secret</thinking> world, and more.', false],
    ] as const) {
      const final = visibleReply(raw, { tagged, final: true });
      let previous = '';
      for (let end = 1; end <= raw.length; end++) {
        const shown = visibleReply(raw.slice(0, end), { tagged, final: false });
        expect(final.startsWith(shown)).toBe(true);
        expect(shown.startsWith(previous) || previous.startsWith(shown)).toBe(true);
        expect(shown).not.toMatch(/<\/?(?:re|th)/);
        previous = shown;
      }
    }
  });

  it('gives operators the rest: the reasoning and the preamble, without tags', () => {
    expect(reasoningOf(PLAIN, { tagged: true, final: true })).toBe(
      "Okay, let's see how I can assist you with your order. \nTo look up details about an " +
        'order, I will need the order ID. I should ask the user for that first.',
    );
    expect(reasoningOf(BEFORE_TOOL, { tagged: true, final: false })).toBe(
      'Okay, got it. \nThe user provided the order ID 14826. I can use the "get_order_by_id" tool:',
    );
    expect(reasoningOf('Hi <thinking>why</thinking>there', { tagged: false, final: true })).toBe('why');
  });
});
