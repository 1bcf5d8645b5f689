/**
 * Coral's shape constraints from the Smithy model, reported all at once as Coral does: `Value … at '<path>' failed
 * to satisfy constraint: Member must …`, 1-based `.member.` paths, the value omitted inside `messages`
 * (docs/bedrock-evidence.md, "Two message styles").
 */
import { arr, isObj, type WireRequest } from './wire-request.js';

const NAME = /^[a-zA-Z0-9_-]+$/;

/** Every shape violation of the request, in Coral's wording. */
export function shapeViolations(body: WireRequest): string[] {
  const errors: string[] = [];
  const violate = (path: string, rule: string, value?: string): void => {
    errors.push(
      `Value ${value === undefined ? '' : `${value} `}at '${path}' failed to satisfy constraint: Member must ${rule}`,
    );
  };
  if (!Array.isArray(body.messages)) violate('messages', 'not be null', 'null');
  arr(body.messages).forEach((m, i) => {
    const path = `messages.${i + 1}.member`;
    if (!isObj(m)) return;
    if (m['role'] !== 'user' && m['role'] !== 'assistant') {
      violate(`${path}.role`, 'satisfy enum value set: [user, assistant]', `'${String(m['role'])}'`);
    }
    arr(m['content']).forEach((block, j) => {
      const at = `${path}.content.${j + 1}.member`;
      const toolUse = isObj(block) ? block['toolUse'] : undefined;
      if (isObj(toolUse) && typeof toolUse['name'] === 'string') {
        const name = toolUse['name'];
        if (name.length > 64) violate(`${at}.toolUse.name`, 'have length less than or equal to 64');
        if (!NAME.test(name)) violate(`${at}.toolUse.name`, 'satisfy regular expression pattern: [a-zA-Z0-9_-]+');
      }
      const document = isObj(block) ? block['document'] : undefined;
      if (isObj(document) && typeof document['name'] === 'string' && document['name'].length > 200) {
        violate(`${at}.document.name`, 'have length less than or equal to 200');
      }
    });
  });
  arr(body.system).forEach((s, i) => {
    if (isObj(s) && typeof s['text'] === 'string' && s['text'].length === 0) {
      violate(`system.${i + 1}.member.text`, 'have length greater than or equal to 1', "''");
    }
  });
  if (isObj(body.toolConfig)) {
    const tools = body.toolConfig['tools'];
    if (Array.isArray(tools) && tools.length === 0)
      violate('toolConfig.tools', 'have length greater than or equal to 1', "'[]'");
    arr(tools).forEach((t, i) => {
      const spec = isObj(t) ? t['toolSpec'] : undefined;
      if (!isObj(spec)) return;
      const at = `toolConfig.tools.${i + 1}.member.toolSpec`;
      const name = typeof spec['name'] === 'string' ? spec['name'] : '';
      if (!NAME.test(name)) violate(`${at}.name`, 'satisfy regular expression pattern: [a-zA-Z0-9_-]+', `'${name}'`);
      if (name.length < 1) violate(`${at}.name`, 'have length greater than or equal to 1', `'${name}'`);
      if (name.length > 64) violate(`${at}.name`, 'have length less than or equal to 64', `'${name}'`);
      if (spec['description'] === '') violate(`${at}.description`, 'have length greater than or equal to 1', "''");
    });
  }
  if (isObj(body.inferenceConfig)) {
    const { temperature, maxTokens } = body.inferenceConfig;
    if (typeof temperature === 'number' && (temperature < 0 || temperature > 1)) {
      violate(
        'inferenceConfig.temperature',
        `have value ${temperature < 0 ? 'greater than or equal to 0' : 'less than or equal to 1'}`,
        `'${temperature}'`,
      );
    }
    if (typeof maxTokens === 'number' && maxTokens < 1)
      violate('inferenceConfig.maxTokens', 'have value greater than or equal to 1', `'${maxTokens}'`);
  }
  return errors;
}
