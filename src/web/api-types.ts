/**
 * The web chat's HTTP API as the page sees it: what `/api/…` answers and what the event stream sends. Types only,
 * shared by the server (src/web) and the page (src/web/client).
 */

/** Who is looking: customers see replies only; operators see tool calls, usage and approvals too. */
export type Role = 'customer' | 'operator';

/** A user's message. */
export interface UserItem {
  kind: 'user';
  text: string;
}

/** What the assistant said in one model turn: the user-facing part, and (operators only) its reasoning. */
export interface AssistantItem {
  kind: 'assistant';
  /** Markdown, rendered sanitised by the page. */
  text: string;
  thinking?: string;
}

/** A tool call (operators only). */
export interface ToolItem {
  kind: 'tool';
  toolUseId: string;
  server?: string;
  tool?: string;
  /** The name the model used. */
  name: string;
  input: unknown;
  status: 'running' | 'awaiting-approval' | 'success' | 'error' | 'denied' | 'timeout' | 'invalid-input' | 'not-run';
  /** The result as text (JSON pretty-printed). */
  result?: string;
  durationMs?: number;
}

/** A destructive action waiting for the customer's confirmation (customers only; no tool names). */
export interface ConfirmItem {
  kind: 'confirm';
  toolUseId: string;
  /** What will be done, in words: the tool's title and the values it was given. */
  action: string;
  state: 'pending' | 'approved' | 'declined';
}

/** A failure the user should know about (the model could not be reached, the run was stopped…). */
export interface NoticeItem {
  kind: 'notice';
  text: string;
  tone: 'info' | 'error';
}

export type ViewItem = UserItem | AssistantItem | ToolItem | ConfirmItem | NoticeItem;

/** Token usage summed over the conversation (operators only). */
export interface UsageView {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
  latencyMs: number;
  /** Estimated cost from the dated price table (docs/pricing.md); absent for a model the table does not price. */
  cost?: CostView;
}

/** An estimate of what the conversation's tokens cost, for the operator's usage line. */
export interface CostView {
  usd: number;
  /** The amount as the CLI prints it ("$0.0123"). */
  display: string;
  /** The day the prices were read. */
  priceDate: string;
}

/** Where a conversation stands. */
export interface RunState {
  running: boolean;
  /** A neutral line while tools run ("Looking up your order…"); absent otherwise. */
  activity?: string;
}

/** The whole conversation as this user may see it. */
export interface ConversationView {
  id: string;
  title: string;
  items: ViewItem[];
  state: RunState;
  usage?: UsageView;
  modelId?: string;
}

/** Events on `GET /api/conversations/:id/events` (Server-Sent Events, `event:` is the type). */
export type StreamEvent =
  | { type: 'snapshot'; conversation: ConversationView }
  | { type: 'item'; index: number; item: ViewItem }
  | { type: 'state'; state: RunState }
  | { type: 'usage'; usage: UsageView };

/** One entry of `GET /api/conversations`. */
export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: string;
  running: boolean;
}

/** `GET /api/me`. */
export interface Me {
  user: string;
  role: Role;
  /** Send it as `x-csrf-token` with every POST. */
  csrfToken: string;
  title: string;
  modelId: string;
}

/** `GET /api/me` when signed out (401). */
export interface SignedOut {
  signIn: 'link' | 'password';
  title: string;
}

/** Errors: `{ error: { code, message } }` with a 4xx/5xx status. */
export interface ApiError {
  error: { code: string; message: string };
}
