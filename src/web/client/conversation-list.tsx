/** The signed-in user's conversations, newest first, and the button that starts a new one. */
import type { ConversationSummary } from '../api-types.js';

const when = (iso: string): string => {
  const date = new Date(iso);
  const today = new Date().toDateString() === date.toDateString();
  return today
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleDateString([], { month: 'short', day: 'numeric' });
};

export function ConversationList(props: {
  conversations: ConversationSummary[];
  current: string | undefined;
  onOpen: (path: string) => void;
}) {
  const go = (event: MouseEvent, path: string) => {
    // Plain clicks stay in the page; modified clicks open a tab as links do.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    props.onOpen(path);
  };
  return (
    <>
      <a class="new-conversation button primary" href="/" onClick={(e) => go(e, '/')}>
        New conversation
      </a>
      {props.conversations.length === 0 ? (
        <p class="empty">No conversations yet.</p>
      ) : (
        <ul class="conversation-list">
          {props.conversations.map((c) => {
            const path = `/c/${encodeURIComponent(c.id)}`;
            return (
              <li key={c.id}>
                <a href={path} aria-current={c.id === props.current ? 'page' : undefined} onClick={(e) => go(e, path)}>
                  <span class="conversation-title">{c.title}</span>
                  <span class="conversation-meta">
                    {c.running ? 'answering…' : <time dateTime={c.updatedAt}>{when(c.updatedAt)}</time>}
                  </span>
                </a>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
