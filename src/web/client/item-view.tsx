/** One entry of the message log: a message, a reply, a tool-call card, a confirmation or a notice. */
import { useState } from 'preact/hooks';
import type { ConfirmItem, ToolItem, ViewItem } from '../api-types.js';
import { decide } from './api.js';
import { MarkdownView } from './markdown-view.js';

const STATUS_LABEL: Record<ToolItem['status'], string> = {
  running: 'running',
  'awaiting-approval': 'waiting for approval',
  success: 'done',
  error: 'error',
  denied: 'denied',
  timeout: 'timed out',
  'invalid-input': 'invalid input',
  'not-run': 'not run',
};

const pretty = (value: unknown): string => JSON.stringify(value, null, 2);

function Decision(props: { conversation: string; toolUseId: string; approve: string; deny: string; what: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const answer = (approved: boolean) => {
    setBusy(true);
    decide(props.conversation, props.toolUseId, approved).catch((e: Error) => {
      setError(e.message);
      setBusy(false);
    });
  };
  return (
    <div class="decision">
      <button
        type="button"
        class="primary"
        disabled={busy}
        onClick={() => answer(true)}
        aria-label={`${props.approve}: ${props.what}`}
      >
        {props.approve}
      </button>
      <button type="button" disabled={busy} onClick={() => answer(false)} aria-label={`${props.deny}: ${props.what}`}>
        {props.deny}
      </button>
      {error && <span role="alert">{error}</span>}
    </div>
  );
}

function ToolCard(props: { item: ToolItem; conversation: string | undefined }) {
  const { item } = props;
  const label = item.server ? `${item.server} › ${item.tool ?? item.name}` : item.name;
  return (
    <li class={`tool-card status-${item.status}`}>
      <div class="tool-head">
        <span class="tool-name">{label}</span>
        <span class="badge">{STATUS_LABEL[item.status]}</span>
        {item.durationMs !== undefined && <span class="duration">{Math.round(item.durationMs)} ms</span>}
      </div>
      <details open={item.status === 'awaiting-approval'}>
        <summary>Arguments</summary>
        <pre>{pretty(item.input)}</pre>
      </details>
      {item.result !== undefined && (
        <details>
          <summary>Result</summary>
          <pre>{item.result}</pre>
        </details>
      )}
      {item.status === 'awaiting-approval' && props.conversation && (
        <Decision
          conversation={props.conversation}
          toolUseId={item.toolUseId}
          approve="Approve"
          deny="Deny"
          what={`${label} ${pretty(item.input)}`}
        />
      )}
    </li>
  );
}

function Confirm(props: { item: ConfirmItem; conversation: string | undefined }) {
  const { item } = props;
  return (
    <li class={`confirm state-${item.state}`}>
      <p>
        <strong>Please confirm:</strong> {item.action}
      </p>
      {item.state === 'pending' && props.conversation ? (
        <Decision
          conversation={props.conversation}
          toolUseId={item.toolUseId}
          approve="Confirm"
          deny="Don't do it"
          what={item.action}
        />
      ) : (
        <p class="confirm-state">
          {item.state === 'approved' ? 'Confirmed.' : item.state === 'declined' ? 'Not done.' : ''}
        </p>
      )}
    </li>
  );
}

export function ItemView(props: {
  item: ViewItem;
  conversation: string | undefined;
  operator: boolean;
  streaming: boolean;
}) {
  const { item } = props;
  switch (item.kind) {
    case 'user':
      return (
        <li class="message user">
          <span class="visually-hidden">You: </span>
          <p>{item.text}</p>
        </li>
      );
    case 'assistant':
      return (
        <li class={item.text ? 'message assistant' : 'reasoning-only'} aria-busy={props.streaming}>
          <span class="visually-hidden">Assistant: </span>
          {props.operator && item.thinking && (
            <details class="reasoning">
              <summary>Reasoning</summary>
              <p>{item.thinking}</p>
            </details>
          )}
          {item.text && <MarkdownView text={item.text} />}
        </li>
      );
    case 'tool':
      return <ToolCard item={item} conversation={props.conversation} />;
    case 'confirm':
      return <Confirm item={item} conversation={props.conversation} />;
    case 'notice':
      return (
        <li class={`notice tone-${item.tone}`} role={item.tone === 'error' ? 'alert' : 'status'}>
          {item.text}
        </li>
      );
  }
}
