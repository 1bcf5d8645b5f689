import { describe, expect, it } from 'vitest';
import { fromWireJson, toWireJson } from '../../src/http/wire-json.js';

describe('wire JSON', () => {
  it('turns base64 binary fields into bytes and back, and leaves text without them as parsed', () => {
    const wire = JSON.stringify({
      messages: [{ role: 'user', content: [{ image: { format: 'png', source: { bytes: 'iVBORw0K' } } }] }],
      note: { bytes: 7 },
    });
    const parsed = fromWireJson<{ messages: { content: { image: { source: { bytes: Uint8Array } } }[] }[] }>(wire);
    const bytes = parsed.messages[0]?.content[0]?.image.source.bytes;
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(bytes as Uint8Array).toString('base64')).toBe('iVBORw0K');
    expect(JSON.parse(toWireJson(parsed))).toEqual(JSON.parse(wire));
    expect(fromWireJson('{"text":"no binary here","n":[1,2]}')).toEqual({ text: 'no binary here', n: [1, 2] });
  });
});
