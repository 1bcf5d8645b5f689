/** The chat's elicitation form with scripted answers: links that are not http(s) are never offered, Ctrl-C cancels. */
import { describe, expect, it } from 'vitest';
import { chatElicitation } from '../../src/cli/chat/elicitation-form.js';
import { styleFor } from '../../src/cli/style.js';

function scripted(answers: (string | undefined)[]) {
  const printed: string[] = [];
  const opened: string[] = [];
  const handler = chatElicitation({
    ask: async (question) => {
      printed.push(question);
      return answers.shift();
    },
    print: (line) => printed.push(line),
    style: styleFor(false),
    openUrl: async (url) => {
      opened.push(url);
      return false;
    },
  });
  return { handler, printed, opened };
}

/** A required name and an optional age. */
const FORM = {
  message: 'Who are you?',
  requestedSchema: {
    type: 'object' as const,
    properties: { name: { type: 'string' }, age: { type: 'integer' } },
    required: ['name'],
  },
};

describe('chat elicitation form', () => {
  it('declines a link that is not http(s) without offering to open it', async () => {
    const { handler, printed, opened } = scripted(['y']);
    const result = await handler({ mode: 'url', message: 'Run this', url: 'javascript:alert(1)' }, 'shady');
    expect(result).toEqual({ action: 'decline' });
    expect(printed).toContain('    ✗ "javascript:alert(1)" is not an http(s) link: declined');
    expect(printed.some((line) => line.includes('open it in your browser'))).toBe(false);
    expect(opened).toEqual([]);
  });

  it('says so when no browser starts, and still accepts', async () => {
    const { handler, printed, opened } = scripted(['y']);
    const result = await handler({ mode: 'url', message: 'Sign in', url: 'https://example.com/a' }, 'svc');
    expect(result).toEqual({ action: 'accept' });
    expect(opened).toEqual(['https://example.com/a']);
    expect(printed).toContain('    could not start a browser: open the link above yourself');
  });

  it('cancels when the input ends (Ctrl-C) in the middle of a form', async () => {
    const { handler } = scripted(['', 'Ada', undefined]);
    expect(await handler(FORM, 'svc')).toEqual({ action: 'cancel' });
  });

  it('leaves an optional field without a default out of the answers', async () => {
    const { handler } = scripted(['y', 'Ada', '', 'y']);
    expect(await handler(FORM, 'svc')).toEqual({ action: 'accept', content: { name: 'Ada' } });
  });
});
