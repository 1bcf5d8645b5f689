/**
 * Everything a model command needs, assembled from the options: the MCP servers (the named config, a discovered
 * one, or the bundled demo servers), the toolset the model sees (allow/deny lists, code mode), the approval
 * policy, the Bedrock client and, with --session, the saved conversation.
 */
import {
  bedrockSampling,
  Conversation,
  type ApprovalDecision,
  type ElicitationHandler,
  type ApprovalRequest,
  type HubEvent,
  type LoopEvent,
  type SamplingHandler,
  type ServerConfig,
  type Toolset,
  ToolSearchToolset,
} from '../../bridge/index.js';
import { needsApprovalFor } from '../../bridge/entries/config.js';
import type { CodeModeSavings } from '../sandbox/index.js';
import type { ModelOptions } from '../cli/options.js';
import { type ConfigSource, resolveConfig } from '../config/index.js';
import { dataDir } from '../data-dir.js';
import { packageRoot } from '../package-root.js';
import { openSessionStore, type SessionStore } from '../sessions/index.js';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError } from '../cli/cli-error.js';
import { connectServers, type ConnectedServers, type ServerInfo } from './connect-servers.js';
import { unattendedElicitation } from './elicitation.js';
import { checkProfile, createModelClient } from './model-client.js';
import { ServerLogs } from './server-logs.js';
import { type SignInMode, withOAuth } from '../oauth/server-auth.js';

/** How a command wants to be told about servers and to ask for approval. */
export interface RuntimeOptions {
  /** Asks the user (chat); without it, tools that need approval run only with --yes. */
  approve?: (request: ApprovalRequest) => Promise<ApprovalDecision>;
  /** Without a config, only these bundled servers (default: all four); the web chat's assistant needs orders only. */
  bundled?: readonly string[];
  /** Where warnings and, with -v, server stderr lines go (default: stderr). Chat keeps them off its prompt. */
  notice?: (line: string) => void;
  /**
   * Asks the user what a server wants to know (chat); without it a server that asks is declined, or with --yes
   * answered with the form's defaults (src/runtime/elicitation.ts).
   */
  elicitation?: ElicitationHandler;
  /** What a server that needs an OAuth sign-in gets (default `refuse`: it fails, naming `auth login`). */
  signIn?: SignInMode;
}

/** The root the CLI offers servers that ask (`roots/list`): the working directory. */
export function workingDirectoryRoot(cwd = process.cwd()): { uri: string; name: string } {
  return { uri: pathToFileURL(cwd).href, name: basename(cwd) || cwd };
}

/** The servers of a command, where their config came from, and their log files. */
export interface ToolsRuntime {
  source: ConfigSource;
  configured: readonly ServerConfig[];
  connected: ConnectedServers;
  logs: ServerLogs;
  servers(): ServerInfo[];
  /** Servers that failed after they had started (a crash during a call), in order. */
  failuresSinceStart(): { server: string; error: string }[];
  close(): Promise<void>;
}

/** A model command's runtime. */
export interface Runtime extends ToolsRuntime {
  toolset: Toolset;
  /** What each `execute_code` call kept out of the conversation, by toolUseId (docs/code-mode.md). */
  codeModeSavings: ReadonlyMap<string, CodeModeSavings>;
  /** A conversation wired to the model and tools; resumed from the session store with --session. */
  conversation(onEvent?: (event: LoopEvent) => void): Promise<Conversation>;
  /** Saves the conversation (with --session). Also done after every completed batch of tool calls. */
  save(conversation: Conversation): Promise<void>;
}

/** The approval answer of a non-interactive run without --yes. */
export async function denyWithoutYes(request: ApprovalRequest): Promise<ApprovalDecision> {
  return {
    approved: false,
    reason:
      `${request.descriptor.server}/${request.descriptor.tool} needs approval and ` +
      'this run is not interactive (rerun with --yes to allow it)',
  };
}

/** The stderr lines shown under a failed server: the last five it wrote, and where the full log is. */
export function failureDetails(server: ServerInfo, logs: ServerLogs): string[] {
  const lines = server.stderr.filter((l) => l.trim() !== '').slice(-5);
  return [...lines.map((l) => `    ${l}`), `    log: ${logs.pathOf(server.name)}`];
}

/** Resolves the config and starts its servers; the model is not involved (`tools`, and the first half of run/chat). */
export async function openTools(
  options: Pick<ModelOptions, 'config' | 'connectTimeoutMs' | 'verbose'>,
  runtime: Pick<RuntimeOptions, 'notice' | 'bundled' | 'elicitation' | 'signIn'> & { sampling?: SamplingHandler } = {},
): Promise<ToolsRuntime> {
  const env = process.env;
  const notice = runtime.notice ?? ((line: string) => process.stderr.write(`${line}\n`));
  const resolved = await resolveConfig(options.config, {
    cwd: process.cwd(),
    env,
    packageRoot: packageRoot(),
    fromEnvironment: options.config !== undefined && options.config === env['MCP_BEDROCK_CONFIG'],
  });
  const { source } = resolved;
  const bundled = source.kind === 'demo' ? runtime.bundled : undefined;
  const servers = withOAuth(
    resolved.servers.filter((s) => !bundled || bundled.includes(s.name)),
    { mode: runtime.signIn ?? 'refuse', notice, env },
  );
  const logs = new ServerLogs(join(dataDir(env), 'logs'));
  logs.started(servers.map((s) => s.name));
  let connected: ConnectedServers | undefined;
  const failures: { server: string; error: string }[] = [];
  const onEvent = (event: HubEvent): void => {
    logs.onEvent(event);
    if (event.type === 'server-stderr' && options.verbose) notice(`  [${event.server}] ${event.line}`);
    // Failures once the servers are up (a crash mid-chat); failures while starting are reported below, together.
    if (connected && event.type === 'server-status' && event.status === 'failed') {
      failures.push({ server: event.server, error: event.error ?? 'unknown error' });
      notice(`! MCP server "${event.server}" failed: ${event.error ?? 'unknown error'}`);
    }
  };
  connected = await connectServers(servers, {
    connectTimeoutMs: options.connectTimeoutMs,
    onEvent,
    ...(runtime.sampling && { sampling: runtime.sampling }),
    ...(runtime.elicitation && { elicitation: runtime.elicitation }),
    roots: () => [workingDirectoryRoot()],
  });
  const started = connected;
  // Without anyone to sign in, a server that asked for it fails at once (naming auth login): wait for that.
  if ((runtime.signIn ?? 'refuse') === 'refuse')
    await Promise.all(
      started.hub
        .servers()
        .filter((s) => s.status === 'authorizing')
        .map((s) => started.hub.whenSettled(s.name)),
    );
  const tools: ToolsRuntime = {
    source,
    configured: servers,
    connected: started,
    logs,
    servers: started.servers,
    failuresSinceStart: () => [...failures],
    close: () => started.close(),
  };
  for (const server of started.servers().filter((s) => s.status === 'failed')) {
    notice(`! MCP server "${server.name}" failed: ${server.error ?? 'unknown error'}`);
    for (const line of failureDetails(server, logs)) notice(line);
  }
  return tools;
}

/** `--code-mode` names servers or server/tool pairs that exist; a typo would silently do nothing. */
function checkCodeMode(spec: string | undefined, tools: ToolsRuntime): void {
  if (!spec) return;
  const servers = tools.servers();
  for (const entry of spec.split(',').map((s) => s.trim())) {
    if (entry === '' || entry === 'all') continue;
    const [name, tool] = entry.split('/') as [string, string | undefined];
    const server = servers.find((s) => s.name === name);
    const names = servers.map((s) => s.name).join(', ') || 'none';
    if (!server) throw new CliError('CLI_BAD_OPTION', `--code-mode: no MCP server "${name}" (servers: ${names})`);
    if (tool !== undefined && server.status === 'connected') {
      const listed =
        tools.connected.hub
          .servers()
          .find((s) => s.name === name)
          ?.tools.map((t) => t.name) ?? [];
      if (!listed.includes(tool))
        throw new CliError('CLI_BAD_OPTION', `--code-mode: server "${name}" has no tool "${tool}"`);
    }
  }
}

/** Opens the servers, the model client and (with --session) the session store. */
export async function openRuntime(options: ModelOptions, runtimeOptions: RuntimeOptions): Promise<Runtime> {
  const env = process.env;
  const notice = runtimeOptions.notice ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (options.profile) await checkProfile(options.profile, env);
  // The servers are spawned first and the AWS SDK loads while they start: on a cold CLI run the two overlap
  // instead of adding up (loading the SDK first delayed the spawn by ~30 ms).
  const client = createModelClient(options);
  const opening = openTools(options, {
    notice,
    sampling: bedrockSampling(client, options.model),
    elicitation: runtimeOptions.elicitation ?? unattendedElicitation(options.yes, notice),
    ...(runtimeOptions.bundled && { bundled: runtimeOptions.bundled }),
    ...(runtimeOptions.signIn && { signIn: runtimeOptions.signIn }),
  });
  client.preload();
  const tools = await opening;
  const { connected } = tools;
  const needsApproval = needsApprovalFor(tools.configured);
  let store: SessionStore | undefined;
  try {
    checkCodeMode(options.codeMode, tools);
    const codeServers = tools.configured
      .filter((s) => s.codeMode)
      .map((s) => s.name)
      .join(',');
    const spec = [options.codeMode, codeServers].filter(Boolean).join(',');
    const codeModeSavings = new Map<string, CodeModeSavings>();
    // Code mode (Pyodide, ajv) loads only when asked for.
    const codeMode = spec ? await import('./code-mode.js') : undefined;
    const code = codeMode?.codeModeToolset(connected.toolset, codeMode.codeModeSelector(spec), {
      needsApproval,
      allowUnisolated: options.allowUnisolatedSandbox,
      onWarning: (m: string) => notice(`! ${m}`),
      onSavings: (s: CodeModeSavings) => {
        if (s.toolUseId !== undefined) codeModeSavings.set(s.toolUseId, s);
      },
    });
    const toolset = code?.toolset ?? connected.toolset;
    if (options.session)
      store = await openSessionStore(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {});
    const approve = options.yes ? undefined : (runtimeOptions.approve ?? denyWithoutYes);
    const inferenceConfig = {
      ...(options.maxTokens !== undefined && { maxTokens: options.maxTokens }),
      ...(options.temperature !== undefined && { temperature: options.temperature }),
    };
    // Saves run one after another, so a slow PostgreSQL write is never overtaken by an older one.
    let saving: Promise<void> = Promise.resolve();
    const save = (conversation: Conversation): Promise<void> => {
      const session = options.session;
      if (!store || !session) return Promise.resolve();
      const target = store;
      saving = saving.then(() =>
        target.save({
          name: session,
          modelId: options.model,
          messages: conversation.messages,
          usage: conversation.usage,
        }),
      );
      return saving;
    };
    return {
      ...tools,
      toolset,
      codeModeSavings,
      conversation: async (onEvent) => {
        const saved = options.session && store ? await store.load(options.session) : undefined;
        if (saved && saved.modelId !== options.model) {
          notice(`! session "${saved.name}" was saved with ${saved.modelId}; continuing it with ${options.model}`);
        }
        // A completed tool batch is saved before the next model call: a crash after a cancel_order but before
        // the final answer keeps the call and its result (the next run continues from there).
        const events = (event: LoopEvent): void => {
          if (event.type === 'turn-start' && event.turn > 1)
            save(conversation).catch((e: Error) => notice(`! saving session failed: ${e.message}`));
          onEvent?.(event);
        };
        const conversation: Conversation = new Conversation(
          {
            client,
            modelId: options.model,
            // Per conversation: what tool search activated belongs to this conversation only.
            toolset: options.toolSearch ? new ToolSearchToolset(toolset) : toolset,
            stream: options.stream,
            promptCache: options.cache ? { ...(options.cacheTtl && { ttl: options.cacheTtl }) } : false,
            ...(options.system !== undefined && { system: options.system }),
            ...(Object.keys(inferenceConfig).length > 0 && { inferenceConfig }),
            limits: {
              ...(options.maxTurns !== undefined && { maxTurns: options.maxTurns }),
              ...(options.toolTimeoutMs !== undefined && { toolTimeoutMs: options.toolTimeoutMs }),
            },
            ...(approve && { approve }),
            needsApproval,
            onEvent: events,
          },
          saved ? { messages: saved.messages, usage: saved.usage } : {},
        );
        return conversation;
      },
      save,
      close: async () => {
        await saving.catch(() => {});
        await Promise.allSettled([code?.close(), connected.close(), store?.close()]);
      },
    };
  } catch (error) {
    await Promise.allSettled([connected.close(), store?.close()]);
    throw error;
  }
}
