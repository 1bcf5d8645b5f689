/**
 * One conversation: the message log (streamed as the server sends it), the composer with its send and stop
 * buttons, and for operators the usage line and how to continue the conversation in a terminal.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ConversationView, Me } from '../api-types.js';
import { ApiCallError, follow, sendMessage, startConversation, stopConversation } from './api.js';
import { ItemView } from './item-view.js';

const EMPTY: ConversationView = { id: '', title: '', items: [], state: { running: false } };

export function ChatView(props: {
  id: string | undefined;
  me: Me;
  operator: boolean;
  asCustomer: boolean;
  onStarted: (id: string) => void;
  onSettled: () => void;
}) {
  const { id, operator } = props;
  const [view, setView] = useState<ConversationView>(EMPTY);
  const [draft, setDraft] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();
  const log = useRef<HTMLOListElement>(null);
  // Follows the newest message while the reader is at the bottom; scrolling up stops it until they come back.
  const stick = useRef(true);
  const settled = useRef(props.onSettled);
  settled.current = props.onSettled;

  useEffect(() => {
    if (!id) return undefined;
    return follow(
      id,
      props.asCustomer,
      (event) => {
        if (event.type === 'snapshot') setView(event.conversation);
        else if (event.type === 'item')
          setView((v) => {
            const items = [...v.items];
            items[event.index] = event.item;
            return { ...v, items };
          });
        else if (event.type === 'state') {
          setView((v) => ({ ...v, state: event.state }));
          if (!event.state.running) settled.current();
        } else setView((v) => ({ ...v, usage: event.usage }));
      },
      () => setError('This conversation cannot be opened. It may belong to someone else or no longer exist.'),
    );
  }, [id, props.asCustomer]);

  useEffect(() => {
    if (log.current && stick.current) log.current.scrollTop = log.current.scrollHeight;
  }, [view]);
  const onScroll = () => {
    const element = log.current;
    if (element) stick.current = element.scrollHeight - element.scrollTop - element.clientHeight < 80;
  };

  const running = view.state.running;
  const submit = async (event?: Event) => {
    event?.preventDefault();
    const text = draft.trim();
    if (!text || running || sending) return;
    setSending(true);
    setError(undefined);
    try {
      if (id) await sendMessage(id, text);
      else props.onStarted((await startConversation(text)).id);
      setDraft('');
    } catch (e) {
      setError(
        e instanceof ApiCallError && e.code === 'WEB_RATE_LIMITED' ? e.message : `Not sent: ${(e as Error).message}`,
      );
    } finally {
      setSending(false);
    }
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) void submit(event);
  };

  const last = view.items.at(-1);
  const waiting = running && !view.state.activity && (last === undefined || last.kind === 'user');
  return (
    <>
      {operator && id && (
        <div class="conversation-bar">
          <span>
            Continue in a terminal: <code>mcp-bedrock chat --session {id}</code>
          </span>
          {view.usage && (
            <span class="usage">
              <span class="visually-hidden">Token usage: </span>
              {view.usage.inputTokens.toLocaleString()} in · {view.usage.outputTokens.toLocaleString()} out
              {view.usage.cacheReadInputTokens > 0 && ` · ${view.usage.cacheReadInputTokens.toLocaleString()} cached`}
              {' · '}
              {(view.usage.latencyMs / 1000).toFixed(1)} s model time
              {view.usage.cost && (
                <span title={`Estimate from on-demand list prices of ${view.usage.cost.priceDate}`}>
                  {` · ≈ ${view.usage.cost.display}`}
                </span>
              )}
              {view.modelId && ` · ${view.modelId}`}
            </span>
          )}
        </div>
      )}
      <ol class="log" ref={log} onScroll={onScroll} aria-label="Messages" aria-live="polite" aria-relevant="additions">
        {!id && view.items.length === 0 && (
          <li class="welcome">
            <h2>Welcome to {props.me.title}</h2>
            <p>How can we help you today?</p>
          </li>
        )}
        {view.items.map((item, index) => (
          <ItemView
            // Items are upserted by position: the index is their identity.
            key={index}
            item={item}
            conversation={id}
            operator={operator}
            streaming={running && index === view.items.length - 1}
          />
        ))}
        {waiting && (
          <li class="typing">
            <span class="visually-hidden">The assistant is writing</span>
            <span class="dots" aria-hidden="true">
              <span />
              <span />
              <span />
            </span>
          </li>
        )}
        {view.state.activity && (
          <li class="activity" role="status">
            {view.state.activity}
          </li>
        )}
      </ol>
      {error && (
        <p class="form-error composer-error" role="alert">
          {error}
        </p>
      )}
      <form class="composer" onSubmit={submit}>
        <label for="message" class="visually-hidden">
          Message
        </label>
        <textarea
          id="message"
          rows={2}
          placeholder="Type your message…"
          value={draft}
          maxLength={16000}
          onInput={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={onKeyDown}
        />
        {running ? (
          <button type="button" class="stop" onClick={() => id && void stopConversation(id)}>
            Stop
          </button>
        ) : (
          <button type="submit" class="primary" disabled={sending || draft.trim() === ''}>
            Send
          </button>
        )}
      </form>
    </>
  );
}
