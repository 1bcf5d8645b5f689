/**
 * The web chat's conversations: saved sessions of the CLI's session store (so `chat --session ID` continues one
 * and the page shows what the CLI saved), each owned by one user, each with at most one run at a time. Runs go
 * on without the page: a reload or a second tab reconnects to the same run.
 */
import { randomBytes } from 'node:crypto';
import {
  Conversation,
  type Message,
  type PriceTable,
  type ToolDescriptor,
  type ToolLoopOptions,
  type TurnUsage,
} from '../../bridge/index.js';
import type { SessionStore } from '../sessions/index.js';
import { SessionName } from '../sessions/session.js';
import type { ConversationSummary, ConversationView, Role, StreamEvent } from './api-types.js';
import { historyItems, titleOf } from './history-view.js';
import { LiveRun } from './live-run.js';
import { usageView } from './usage-view.js';
import { WebError } from './web-error.js';

/** Which sessions a user may see, and the id of a new one. */
export interface Ownership {
  owns(user: string, id: string): boolean;
  newId(user: string): string;
}

const randomId = (): string => randomBytes(9).toString('base64url').replace(/[-_]/g, 'x');

/** Loopback's single local user is the machine's user: every saved session is theirs. */
export const LOCAL_OWNERSHIP: Ownership = { owns: () => true, newId: () => `web-${randomId()}` };

/** Accounts own the sessions named `<user>.<id>` (user names have no dots). */
export const ACCOUNT_OWNERSHIP: Ownership = {
  owns: (user, id) => id.startsWith(`${user}.`),
  newId: (user) => `${user}.${randomId()}`,
};

/** An open event stream of one page. */
export interface Watcher {
  role: Role;
  send(event: StreamEvent): void;
}

export interface ConversationServiceOptions {
  store: SessionStore;
  /** The loop options every conversation starts from (model, tools, system prompt, limits, approval policy). */
  template: ToolLoopOptions;
  ownership: Ownership;
  /** The system prompt uses the `<reply>` convention. */
  tagged: boolean;
  /** The neutral line customers see while tools run. */
  activity: string;
  describe: (name: string) => ToolDescriptor | undefined;
  /** Prices for the operator's cost estimate (the built-in table, or it merged with `--prices`). */
  prices: PriceTable;
}

interface Active {
  run: LiveRun;
  conversation: Conversation;
  done: Promise<void>;
}

const EMPTY_USAGE: TurnUsage = {
  inputTokens: 0,
  outputTokens: 0,
  totalTokens: 0,
  cacheReadInputTokens: 0,
  cacheWriteInputTokens: 0,
  latencyMs: 0,
};
const ANSWERED = new Set(['end_turn', 'stop_sequence']);

export class ConversationService {
  private readonly active = new Map<string, Active>();
  private readonly watchers = new Map<string, Set<Watcher>>();
  private readonly durations = new Map<string, number>();
  private readonly titles = new Map<string, { updatedAt: string; title: string }>();

  constructor(private readonly options: ConversationServiceOptions) {}

  async list(user: string): Promise<ConversationSummary[]> {
    const summaries = (await this.options.store.list()).filter((s) => this.options.ownership.owns(user, s.name));
    const listed = await Promise.all(
      summaries.map(async (s) => ({
        id: s.name,
        title: await this.title(s.name, s.updatedAt),
        updatedAt: s.updatedAt,
        running: this.active.has(s.name),
      })),
    );
    // A conversation started a moment ago is saved after its first turn; it is listed from the start.
    for (const [id, active] of this.active) {
      if (!listed.some((c) => c.id === id) && this.options.ownership.owns(user, id)) {
        listed.unshift({
          id,
          title: titleOf(active.conversation.messages),
          updatedAt: new Date().toISOString(),
          running: true,
        });
      }
    }
    return listed;
  }

  /** The conversation as this audience sees it; WEB_NOT_FOUND for another user's conversation or none. */
  async view(user: string, role: Role, id: string): Promise<ConversationView> {
    this.check(user, id);
    const active = this.active.get(id);
    if (active) return this.liveView(id, role, active);
    const saved = await this.options.store.load(id);
    if (!saved) throw notFound();
    return {
      id,
      title: titleOf(saved.messages),
      items: historyItems(saved.messages, this.viewOptions(role)),
      state: { running: false },
      ...(role === 'operator' && {
        usage: usageView(saved.usage, saved.modelId, this.options.prices),
        modelId: saved.modelId,
      }),
    };
  }

  /** Sends the page a snapshot, then every change; the returned function closes the stream. */
  async watch(user: string, id: string, watcher: Watcher): Promise<() => void> {
    const conversation = await this.view(user, watcher.role, id);
    watcher.send({ type: 'snapshot', conversation });
    const watchers = this.watchers.get(id) ?? new Set<Watcher>();
    this.watchers.set(id, watchers);
    watchers.add(watcher);
    return () => {
      watchers.delete(watcher);
      if (watchers.size === 0 && this.watchers.get(id) === watchers) this.watchers.delete(id);
    };
  }

  /** Adds the user's message and starts the loop; `id` undefined starts a new conversation. */
  async send(user: string, id: string | undefined, text: string): Promise<string> {
    const name = id ?? this.options.ownership.newId(user);
    this.check(user, name);
    if (this.active.has(name)) throw new WebError('WEB_BUSY', 409, 'This conversation is still answering.');
    const saved = id === undefined ? undefined : await this.options.store.load(name);
    if (id !== undefined && !saved) throw notFound();
    // Checked again: another request may have started a run while the session loaded.
    if (this.active.has(name)) throw new WebError('WEB_BUSY', 409, 'This conversation is still answering.');
    const messages: Message[] = saved?.messages ?? [];
    const run = new LiveRun(
      {
        customer: historyItems(messages, this.viewOptions('customer')),
        operator: historyItems(messages, this.viewOptions('operator')),
      },
      saved?.usage ?? EMPTY_USAGE,
      (event, role) => this.broadcast(name, event, role),
      {
        tagged: this.options.tagged,
        describe: this.options.describe,
        activity: this.options.activity,
        durations: this.durations,
        usageView: (usage) => usageView(usage, this.options.template.modelId, this.options.prices),
      },
    );
    const { template } = this.options;
    const conversation = new Conversation(
      { ...template, ...(template.approve && { approve: (request) => run.requestApproval(request) }) },
      saved ? { messages: saved.messages, usage: saved.usage } : {},
    );
    const active: Active = { run, conversation, done: Promise.resolve() };
    this.active.set(name, active);
    for (const watcher of this.watchers.get(name) ?? [])
      watcher.send({ type: 'snapshot', conversation: this.liveView(name, watcher.role, active) });
    run.add({ kind: 'user', text });
    active.done = this.play(name, active, text);
    return name;
  }

  /** The stop button. */
  stop(user: string, id: string): void {
    this.check(user, id);
    this.active.get(id)?.run.stop();
  }

  /** An approve/deny button; WEB_NOT_FOUND when that call does not wait (any more). */
  decide(user: string, id: string, toolUseId: string, approved: boolean): void {
    this.check(user, id);
    const reason = approved ? undefined : 'the user declined';
    if (!this.active.get(id)?.run.decide(toolUseId, approved, reason))
      throw new WebError('WEB_NOT_FOUND', 404, 'No call with this id is waiting for a decision.');
  }

  /** Stops every run and waits until each is saved. */
  async close(): Promise<void> {
    const runs = [...this.active.values()];
    for (const { run } of runs) run.stop();
    await Promise.allSettled(runs.map((r) => r.done));
  }

  private async play(id: string, active: Active, text: string): Promise<void> {
    const { run, conversation } = active;
    let saving = Promise.resolve();
    const save = (): Promise<void> => {
      saving = saving
        .then(() =>
          this.options.store.save({
            name: id,
            modelId: this.options.template.modelId,
            messages: conversation.messages,
            usage: conversation.usage,
          }),
        )
        .catch((error: unknown) => {
          run.add(
            { kind: 'notice', text: `Could not save the conversation: ${(error as Error).message}`, tone: 'error' },
            ['operator'],
          );
        });
      return saving;
    };
    try {
      const result = await conversation.send(text, {
        signal: run.controller.signal,
        onEvent: (event) => {
          run.onEvent(event);
          // Saved after each model turn and after each completed batch of tool calls (before the next model
          // call): a crash loses at most the model turn in progress, never a tool call that ran (docs/security.md).
          if (event.type === 'turn-end' || (event.type === 'turn-start' && event.turn > 1)) void save();
        },
      });
      if (result.stopReason === 'aborted') run.add({ kind: 'notice', text: 'Stopped.', tone: 'info' });
      else if (!ANSWERED.has(result.stopReason)) {
        run.add({ kind: 'notice', text: `The answer stopped early (${result.stopReason}).`, tone: 'error' }, [
          'operator',
        ]);
        run.add({ kind: 'notice', text: "Sorry, I couldn't finish that answer. Please try again.", tone: 'error' }, [
          'customer',
        ]);
      }
    } catch (error) {
      const e = error as { message?: string; code?: string };
      run.add({ kind: 'notice', text: `${e.message ?? String(error)}${e.code ? ` [${e.code}]` : ''}`, tone: 'error' }, [
        'operator',
      ]);
      run.add({ kind: 'notice', text: 'Sorry, something went wrong. Please try again in a moment.', tone: 'error' }, [
        'customer',
      ]);
    } finally {
      await save();
      this.active.delete(id);
      this.titles.delete(id);
      run.finish();
    }
  }

  private liveView(id: string, role: Role, active: Active): ConversationView {
    return {
      id,
      title: titleOf(active.conversation.messages),
      ...active.run.view(role),
      ...(role === 'operator' && { modelId: this.options.template.modelId }),
    };
  }

  private broadcast(id: string, event: StreamEvent, role: Role | undefined): void {
    for (const watcher of this.watchers.get(id) ?? [])
      if (role === undefined || watcher.role === role) watcher.send(event);
  }

  private async title(id: string, updatedAt: string): Promise<string> {
    const cached = this.titles.get(id);
    if (cached?.updatedAt === updatedAt) return cached.title;
    const saved = await this.options.store.load(id).catch(() => undefined);
    const title = saved ? titleOf(saved.messages) : id;
    this.titles.set(id, { updatedAt, title });
    return title;
  }

  private viewOptions(role: Role) {
    return { role, tagged: this.options.tagged, describe: this.options.describe, durations: this.durations };
  }

  private check(user: string, id: string): void {
    if (!SessionName.safeParse(id).success || !this.options.ownership.owns(user, id)) throw notFound();
  }
}

/** The same answer for another user's conversation and for none, so ids cannot be probed. */
function notFound(): WebError {
  return new WebError('WEB_NOT_FOUND', 404, 'There is no such conversation.');
}
