/**
 * Everything a model command needs, assembled from the options: the MCP servers (config file or the bundled
 * four), the toolset the model sees (allow/deny lists, code mode), the approval policy, the Bedrock client and,
 * with --session, the saved conversation.
 */
import {
  bedrockSampling,
  Conversation,
  type ApprovalDecision,
  type ApprovalRequest,
  type LoopEvent,
  type Toolset,
} from '../../bridge/index.js';
import { needsApprovalFor } from '../../bridge/entries/config.js';
import { configuredServers } from '../config/index.js';
import { openSessionStore, type SessionStore } from '../sessions/index.js';
import { connectServers, type ServerInfo } from './connect-servers.js';
import { createModelClient } from './model-client.js';
import type { ModelOptions } from '../cli/options.js';

export interface RuntimeOptions {
  /** Asks the user (chat); without it, tools that need approval run only with --yes. */
  approve?: (request: ApprovalRequest) => Promise<ApprovalDecision>;
  /** Without --config, only these bundled servers (default: all four); the web chat's assistant needs orders only. */
  bundled?: readonly string[];
}

export interface Runtime {
  toolset: Toolset;
  servers(): ServerInfo[];
  /** A conversation wired to the model and tools; resumed from the session store with --session. */
  conversation(onEvent?: (event: LoopEvent) => void): Promise<Conversation>;
  save(conversation: Conversation): Promise<void>;
  close(): Promise<void>;
}

async function denyWithoutYes(request: ApprovalRequest): Promise<ApprovalDecision> {
  return {
    approved: false,
    reason: `${request.descriptor.server}/${request.descriptor.tool} needs approval and this run is not interactive (rerun with --yes to allow it)`,
  };
}

export async function openRuntime(options: ModelOptions, runtimeOptions: RuntimeOptions): Promise<Runtime> {
  const env = process.env;
  const bundled = options.config === undefined ? runtimeOptions.bundled : undefined;
  const configs = (await configuredServers(options.config)).filter((s) => !bundled || bundled.includes(s.name));
  // The servers are spawned first and the AWS SDK loads while they start: on a cold CLI run the two overlap
  // instead of adding up (loading the SDK first delayed the spawn by ~30 ms).
  const client = createModelClient(options, env);
  const connecting = connectServers(configs, {
    onWarning: (message) => process.stderr.write(`! ${message}\n`),
    sampling: bedrockSampling(client, options.model),
  });
  client.preload();
  const connected = await connecting;
  let store: SessionStore | undefined;
  try {
    const codeServers = configs
      .filter((s) => s.codeMode)
      .map((s) => s.name)
      .join(',');
    const spec = [options.codeMode, codeServers].filter(Boolean).join(',');
    // Code mode (Pyodide, ajv) loads only when asked for.
    const codeMode = spec ? await import('./code-mode.js') : undefined;
    const code = codeMode?.codeModeToolset(connected.toolset, codeMode.codeModeSelector(spec), {
      needsApproval: needsApprovalFor(configs),
      allowUnisolated: options.allowUnisolatedSandbox,
      onWarning: (m) => process.stderr.write(`! ${m}\n`),
    });
    const toolset = code?.toolset ?? connected.toolset;
    if (options.session)
      store = await openSessionStore(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {});
    const approve = options.yes ? undefined : (runtimeOptions.approve ?? denyWithoutYes);
    const inferenceConfig = {
      ...(options.maxTokens !== undefined && { maxTokens: options.maxTokens }),
      ...(options.temperature !== undefined && { temperature: options.temperature }),
    };
    return {
      toolset,
      servers: connected.servers,
      conversation: async (onEvent) => {
        const saved = options.session && store ? await store.load(options.session) : undefined;
        if (saved && saved.modelId !== options.model) {
          process.stderr.write(
            `! session "${saved.name}" was saved with ${saved.modelId}; continuing it with ${options.model}\n`,
          );
        }
        return new Conversation(
          {
            client,
            modelId: options.model,
            toolset,
            stream: options.stream,
            ...(options.system !== undefined && { system: options.system }),
            ...(Object.keys(inferenceConfig).length > 0 && { inferenceConfig }),
            limits: {
              ...(options.maxTurns !== undefined && { maxTurns: options.maxTurns }),
              ...(options.toolTimeoutMs !== undefined && { toolTimeoutMs: options.toolTimeoutMs }),
            },
            ...(approve && { approve }),
            needsApproval: needsApprovalFor(configs),
            ...(onEvent && { onEvent }),
          },
          saved ? { messages: saved.messages, usage: saved.usage } : {},
        );
      },
      save: async (conversation) => {
        if (!store || !options.session) return;
        await store.save({
          name: options.session,
          modelId: options.model,
          messages: conversation.messages,
          usage: conversation.usage,
        });
      },
      close: async () => {
        await Promise.allSettled([code?.close(), connected.close(), store?.close()]);
      },
    };
  } catch (error) {
    await Promise.allSettled([connected.close(), store?.close()]);
    throw error;
  }
}
