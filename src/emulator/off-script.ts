/**
 * The answer to a prompt no scenario plays (docs/emulator.md, "When nothing matches"): unmistakably the emulator
 * speaking, never a model's voice, listing what it can play with the tools offered, under a stop reason of its
 * own (`emulator_off_script`, outside Bedrock's set) and a response header, so `run --json` and tests can tell.
 */
import type { Scenario } from './scenario-format.js';

/** The emulator's own stop reason for an off-script prompt; no Bedrock model returns it. */
export const OFF_SCRIPT_STOP_REASON = 'emulator_off_script';

/** The response header an off-script answer carries (`x-mcp-bedrock-emulator: off-script`). */
export const OFF_SCRIPT_HEADER = 'x-mcp-bedrock-emulator';

const MAX_LISTED = 8;

const quote = (text: string, max = 80): string => `"${text.length > max ? `${text.slice(0, max - 3)}...` : text}"`;

/** What a scenario answers: its example, else its match pattern. */
function hint(scenario: Scenario): string {
  return scenario.example ? `e.g. ${quote(scenario.example)}` : `matches /${scenario.match}/`;
}

/**
 * The off-script text: the user's words, then the scenarios playable with the offered tools (or, with none
 * playable, what they would need).
 */
export function offScriptText(
  words: string,
  playable: readonly Scenario[],
  needingTools: readonly Scenario[],
  offered: readonly string[],
): string {
  const lines = [
    `[mcp-bedrock emulator] No scenario matches ${words === '' ? 'this conversation' : quote(words)}. ` +
      'This is the offline Converse emulator speaking, not a model: it only plays scripted scenarios.',
  ];
  if (playable.length > 0) {
    const names = `${offered.slice(0, 6).join(', ')}${offered.length > 6 ? ', ...' : ''}`;
    lines.push(`With the tools offered${offered.length > 0 ? ` (${names})` : ''} it can play:`);
    for (const scenario of playable.slice(0, MAX_LISTED)) lines.push(`  - ${scenario.name}: ${hint(scenario)}`);
    if (playable.length > MAX_LISTED) lines.push(`  - and ${playable.length - MAX_LISTED} more (emulator --list)`);
  } else {
    lines.push('None of its scenarios can play with the tools offered.');
  }
  if (needingTools.length > 0) {
    const shown = needingTools
      .slice(0, 4)
      .map((s) => `${s.name} (needs ${s.requires.join(', ')})`)
      .join('; ');
    lines.push(`Scenarios that need other tools: ${shown}${needingTools.length > 4 ? '; ...' : ''}.`);
  }
  lines.push('Add your own with --scenarios DIR (docs/emulator.md), or replay recorded sessions with --replay DIR.');
  return lines.join('\n');
}
