/** `promptMessages`: an MCP prompt as Converse messages, as /prompt sends it. */
import { describe, expect, it } from 'vitest';
import { promptMessages } from '../../bridge/index.js';

const PNG = Buffer.from('89504e470d0a1a0a', 'hex').toString('base64');

describe('promptMessages', () => {
  it('merges consecutive messages of one role and keeps the turns in order', () => {
    const messages = promptMessages({
      messages: [
        { role: 'user', content: { type: 'text', text: 'Here is the plan:' } },
        { role: 'user', content: { type: 'resource', resource: { uri: 'file:///plan.md', text: '# Plan' } } },
        { role: 'assistant', content: { type: 'text', text: 'Got it.' } },
        { role: 'user', content: { type: 'text', text: 'Now review it.' } },
      ],
    });
    expect(messages).toEqual([
      { role: 'user', content: [{ text: 'Here is the plan:' }, { text: 'file:///plan.md:\n# Plan' }] },
      { role: 'assistant', content: [{ text: 'Got it.' }] },
      { role: 'user', content: [{ text: 'Now review it.' }] },
    ]);
  });

  it('keeps an image for a model that reads images and names it for one that does not', () => {
    const prompt = {
      messages: [{ role: 'user' as const, content: { type: 'image' as const, data: PNG, mimeType: 'image/png' } }],
    };
    const [seeing] = promptMessages(prompt, { vision: true, documents: true });
    expect(seeing?.content[0]).toMatchObject({ image: { format: 'png' } });
    expect(promptMessages(prompt, { vision: false, documents: true })[0]?.content).toEqual([
      { text: '[image (image/png) in the prompt, but this model does not read images]' },
    ]);
  });
});
