/**
 * What a model family rejects through Converse (docs/bedrock-evidence.md, "Per-model rules"), in the wording users
 * reported: tool use at all or in streams, toolChoice modes, system prompts, mixed text and tool blocks in one turn,
 * images, `toolResult.status`, and Ministral 3's tool-use id rule.
 */
import type { ModelTraits } from './model-traits.js';
import { arr, blockKind, isObj, type WireRequest } from './wire-request.js';

/** The first model-level rejection, or undefined. */
export function modelError(body: WireRequest, traits: ModelTraits, stream: boolean): string | undefined {
  const tc = isObj(body.toolConfig) ? body.toolConfig : undefined;
  if (tc && !traits.tools) return "This model doesn't support tool use.";
  if (tc && stream && !traits.streamingTools) return "This model doesn't support tool use in streaming mode.";
  const choice = tc && isObj(tc['toolChoice']) ? tc['toolChoice'] : undefined;
  if (choice && 'any' in choice && !traits.choiceAny) {
    return (
      "This model doesn't support the toolConfig.toolChoice.any field. " +
      'Remove toolConfig.toolChoice.any and try again.'
    );
  }
  if (choice && 'tool' in choice && !traits.choiceTool) {
    return (
      "This model doesn't support the toolConfig.toolChoice.tool field. " +
      'Remove toolConfig.toolChoice.tool and try again.'
    );
  }
  if (body.system !== undefined && !traits.system)
    return "This model doesn't support system messages. Remove system and try again.";
  const messages = arr(body.messages).filter(isObj);
  for (let i = 0; i < messages.length; i++) {
    const content = arr(messages[i]?.['content']);
    const kinds = content.map(blockKind);
    const tools = kinds.filter((k) => k === 'toolResult' || k === 'toolUse');
    if (traits.separateToolTurns && tools.length > 0 && tools.length < kinds.length) {
      const what = kinds.includes('toolResult') ? 'tool result' : 'tool use';
      return `messages.${i}.content: Conversation blocks and ${what} blocks cannot be provided in the same turn.`;
    }
    for (const block of content) {
      if (blockKind(block) === 'image' && !traits.vision)
        return "This model doesn't support the image field for user messages. Remove image and try again.";
      const use = isObj(block) ? block['toolUse'] : undefined;
      if (isObj(use) && traits.nineCharIds && !/^[a-zA-Z0-9]{9}$/.test(String(use['toolUseId']))) {
        return (
          'The model returned the following errors: Tool call id ' +
          `was ${String(use['toolUseId'])} but must be a-z, A-Z, 0-9, with a length of 9.`
        );
      }
      const result = isObj(block) ? block['toolResult'] : undefined;
      if (!isObj(result)) continue;
      // Writer Palmyra is the one reported rejection; its exact wording is not on record (catalogue).
      if ('status' in result && !traits.toolResultStatus) {
        return "This model doesn't support the toolResult.status field. Remove toolResult.status and try again.";
      }
      if (arr(result['content']).some((c) => blockKind(c) === 'image') && !traits.toolResultImages) {
        return "This model doesn't support the image field in tool results. Remove image and try again.";
      }
    }
  }
  return undefined;
}
