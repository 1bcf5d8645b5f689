/**
 * One running turn of a conversation, as both audiences see it while it happens: the loop's events become view
 * items (streamed reply, tool cards, approvals, a neutral activity line for customers), kept in memory so a page
 * that reloads or reconnects mid-stream gets the whole state again, then every change as it comes.
 */
import type { ApprovalDecision, ApprovalRequest, LoopEvent, TurnUsage } from '../../bridge/index.js';
import type { Role, RunState, StreamEvent, ToolItem, UsageView, ViewItem } from './api-types.js';
import { assistantItem, resultText, type ViewOptions } from './history-view.js';

/** Sends an event to the pages of one audience, or of both when `role` is absent. */
export type Broadcast = (event: StreamEvent, role?: Role) => void;

interface RoleView {
  items: ViewItem[];
  /** Index of each tool call's card (operators) or confirmation (customers), by toolUseId. */
  byToolUse: Map<string, number>;
  /** Index of the current model turn's text, once it has something to show. */
  turnText?: number;
}

const ROLES: readonly Role[] = ['customer', 'operator'];

/** `cancel_order` → "Cancel order", for people who never see tool names. */
function actionName(request: ApprovalRequest): string {
  const title = request.descriptor.title ?? request.descriptor.annotations?.title;
  if (title) return title;
  const words = request.descriptor.tool.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function valuesOf(input: unknown): string {
  if (input === null || typeof input !== 'object') return input === undefined ? '' : String(input);
  return Object.values(input as Record<string, unknown>)
    .map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
    .join(', ');
}

export class LiveRun {
  /** Aborts the loop (the stop button). */
  readonly controller = new AbortController();
  private readonly views: Record<Role, RoleView>;
  private readonly pending = new Map<string, (decision: ApprovalDecision) => void>();
  private raw = '';
  private toolsRunning = 0;
  private state: RunState = { running: true };
  private readonly usage: TurnUsage;

  constructor(
    base: Record<Role, ViewItem[]>,
    baseUsage: TurnUsage,
    private readonly broadcast: Broadcast,
    private readonly options: Omit<ViewOptions, 'role'> & {
      /** The neutral line customers see while tools run. */
      activity: string;
      /** Where tool durations are remembered for later views. */
      durations: Map<string, number>;
      /** The usage line operators see, priced. */
      usageView: (usage: TurnUsage) => UsageView;
    },
  ) {
    this.views = {
      customer: { items: [...base.customer], byToolUse: new Map() },
      operator: { items: [...base.operator], byToolUse: new Map() },
    };
    this.usage = { ...baseUsage };
  }

  /** The whole state for one audience (a snapshot for a page that just connected). */
  view(role: Role): { items: ViewItem[]; state: RunState; usage?: UsageView } {
    return {
      items: this.views[role].items,
      state: this.state,
      ...(role === 'operator' && { usage: this.options.usageView(this.usage) }),
    };
  }

  get running(): boolean {
    return this.state.running;
  }

  /** Adds an item (the user's message, a notice) for one audience or both. */
  add(item: ViewItem, roles: readonly Role[] = ROLES): void {
    for (const role of roles) this.upsert(role, this.views[role].items.length, item);
  }

  readonly onEvent = (event: LoopEvent): void => {
    switch (event.type) {
      case 'turn-start':
        this.raw = '';
        for (const role of ROLES) this.views[role].turnText = undefined;
        if (this.toolsRunning === 0) this.setActivity(undefined);
        break;
      case 'text-delta':
        this.raw += event.text;
        this.showText(false);
        break;
      case 'turn-end':
        this.showText(event.turn.stopReason !== 'tool_use');
        this.addUsage(event.turn.usage);
        break;
      case 'tool-call-start': {
        this.toolsRunning++;
        this.setActivity(this.options.activity);
        const card = this.card('operator', event.toolUseId);
        const item: ToolItem = {
          ...(card?.kind === 'tool' && card),
          kind: 'tool',
          toolUseId: event.toolUseId,
          name: event.name,
          ...(event.server !== undefined && { server: event.server }),
          ...(event.tool !== undefined && { tool: event.tool }),
          input: event.input,
          status: 'running',
        };
        this.upsertTool('operator', event.toolUseId, item);
        break;
      }
      case 'tool-call-end': {
        const { record } = event;
        this.toolsRunning = Math.max(0, this.toolsRunning - 1);
        this.options.durations.set(record.toolUseId, record.durationMs);
        const card = this.card('operator', record.toolUseId);
        if (card?.kind === 'tool') {
          this.upsertTool('operator', record.toolUseId, {
            ...card,
            status: record.status,
            result: resultText(record.result),
            durationMs: record.durationMs,
          });
        }
        break;
      }
      case 'warning':
        this.add({ kind: 'notice', text: event.message, tone: 'info' }, ['operator']);
        break;
      case 'retry':
        this.add(
          {
            kind: 'notice',
            text:
              'Retrying ' +
              `after ${event.error.context.serviceError ?? event.error.code} ` +
              `(attempt ${event.attempt + 1}).`,
            tone: 'info',
          },
          ['operator'],
        );
        break;
      default:
        break;
    }
  };

  /** The loop's approval callback: the card (operators) or a confirmation (customers) waits for the page. */
  requestApproval(request: ApprovalRequest): Promise<ApprovalDecision> {
    this.upsertTool('operator', request.toolUseId, {
      kind: 'tool',
      toolUseId: request.toolUseId,
      name: request.name,
      server: request.descriptor.server,
      tool: request.descriptor.tool,
      input: request.input,
      status: 'awaiting-approval',
    });
    this.upsertTool('customer', request.toolUseId, {
      kind: 'confirm',
      toolUseId: request.toolUseId,
      action: `${actionName(request)}: ${valuesOf(request.input)}`,
      state: 'pending',
    });
    this.setActivity(undefined);
    return new Promise((resolve) => this.pending.set(request.toolUseId, resolve));
  }

  /** The page's answer to an approval; false when nothing with this id waits. */
  decide(toolUseId: string, approved: boolean, reason?: string): boolean {
    const resolve = this.pending.get(toolUseId);
    if (!resolve) return false;
    this.pending.delete(toolUseId);
    const confirm = this.card('customer', toolUseId);
    if (confirm?.kind === 'confirm')
      this.upsertTool('customer', toolUseId, { ...confirm, state: approved ? 'approved' : 'declined' });
    resolve(approved ? true : { approved: false, ...(reason && { reason }) });
    return true;
  }

  /** The stop button: every waiting approval is declined and the loop aborted. */
  stop(): void {
    for (const id of [...this.pending.keys()]) this.decide(id, false, 'the user stopped the conversation');
    this.controller.abort(new Error('stopped by the user'));
  }

  /** The run is over (answered, stopped or failed); pages are told, and `view` stays valid until dropped. */
  finish(): void {
    this.state = { running: false };
    this.broadcast({ type: 'state', state: this.state });
  }

  private showText(final: boolean): void {
    for (const role of ROLES) {
      const item = assistantItem(this.raw, final, { ...this.options, role });
      const view = this.views[role];
      if (!item) continue;
      view.turnText ??= view.items.length;
      this.upsert(role, view.turnText, item);
    }
  }

  private addUsage(turn: TurnUsage): void {
    for (const key of Object.keys(this.usage) as (keyof TurnUsage)[]) this.usage[key] += turn[key];
    this.broadcast({ type: 'usage', usage: this.options.usageView(this.usage) }, 'operator');
  }

  private setActivity(activity: string | undefined): void {
    if (this.state.activity === activity) return;
    this.state = activity === undefined ? { running: true } : { running: true, activity };
    this.broadcast({ type: 'state', state: this.state });
  }

  private card(role: Role, toolUseId: string): ViewItem | undefined {
    const index = this.views[role].byToolUse.get(toolUseId);
    return index === undefined ? undefined : this.views[role].items[index];
  }

  private upsertTool(role: Role, toolUseId: string, item: ViewItem): void {
    const view = this.views[role];
    const index = view.byToolUse.get(toolUseId) ?? view.items.length;
    view.byToolUse.set(toolUseId, index);
    this.upsert(role, index, item);
  }

  private upsert(role: Role, index: number, item: ViewItem): void {
    const items = this.views[role].items;
    // A delta that changes nothing visible (held-back whitespace, hidden reasoning) is not sent.
    if (items[index] !== undefined && JSON.stringify(items[index]) === JSON.stringify(item)) return;
    items[index] = item;
    this.broadcast({ type: 'item', index, item }, role);
  }
}
