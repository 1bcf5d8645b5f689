/**
 * How commands without a person at a prompt answer a server that asks for input (MCP elicitation): `run` declines
 * unless --yes (then a form gets its defaults and a link is printed), the gateway and the web chat decline; each
 * says so on stderr. The chat asks the user instead (src/cli/chat/elicitation-form.ts). See README ("When a server
 * asks for input") and docs/remote-servers.md ("Elicitation").
 */
import { defaultAnswers, type ElicitationHandler, type ElicitationRequest, formFields } from '../../bridge/index.js';

const asked = (request: ElicitationRequest, server: string): string =>
  request.mode === 'url'
    ? `MCP server "${server}" asked you to open ${request.url} (${JSON.stringify(request.message)})`
    : `MCP server "${server}" asked for input (${JSON.stringify(request.message)})`;

/** Declines every request, telling `notice` which server asked and `why` nobody was asked. */
export function declineElicitation(why: string, notice: (line: string) => void): ElicitationHandler {
  return async (request, server) => {
    notice(`! ${asked(request, server)}; declined: ${why}`);
    return { action: 'decline' };
  };
}

/**
 * The answer of a run nobody watches: without `yes` a decline; with it, a form is accepted with its defaults
 * (declined when a required field has none) and a link is accepted and printed for the user to open.
 */
export function unattendedElicitation(yes: boolean, notice: (line: string) => void): ElicitationHandler {
  if (!yes)
    return declineElicitation(
      'this run is not interactive (rerun with --yes to accept forms with their defaults, or use mcp-bedrock chat)',
      notice,
    );
  return async (request, server) => {
    if (request.mode === 'url') {
      notice(`! ${asked(request, server)}; accepted (--yes): open it yourself to go on`);
      return { action: 'accept' };
    }
    const content = defaultAnswers(request);
    if (!content) {
      const missing = formFields(request)
        .filter((f) => f.required && f.default === undefined)
        .map((f) => f.name);
      notice(`! ${asked(request, server)}; declined: required ${missing.join(', ')} has no default to answer with`);
      return { action: 'decline' };
    }
    notice(`! ${asked(request, server)}; accepted with the form's defaults (--yes): ${JSON.stringify(content)}`);
    return { action: 'accept', content };
  };
}
