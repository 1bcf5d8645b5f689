/** The page: sign-in, then the conversation list beside the open conversation. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ConversationSummary, Me, SignedOut } from '../api-types.js';
import { listConversations, signIn, signOut, whoAmI } from './api.js';
import { ChatView } from './chat-view.js';
import { ConversationList } from './conversation-list.js';

/** The path, kept in step with the address bar (`/` new conversation, `/c/ID` a saved one). */
function useRoute(): [string, (path: string) => void] {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const onPop = () => setPath(location.pathname);
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((next: string) => {
    if (next !== location.pathname) history.pushState(null, '', next);
    setPath(next);
  }, []);
  return [path, navigate];
}

export function App() {
  const [me, setMe] = useState<Me | SignedOut>();
  const [failed, setFailed] = useState<string>();
  const refresh = useCallback(() => {
    whoAmI().then(setMe, (error: Error) => setFailed(error.message));
  }, []);
  useEffect(refresh, [refresh]);
  useEffect(() => {
    if (me) document.title = me.title;
  }, [me]);
  if (failed)
    return (
      <p class="page-message" role="alert">
        The chat server cannot be reached ({failed}).
      </p>
    );
  if (!me)
    return (
      <p class="page-message" role="status">
        Loading…
      </p>
    );
  if (!('csrfToken' in me)) return <SignIn signedOut={me} onSignedIn={refresh} />;
  return <Shell me={me} onSignedOut={refresh} />;
}

function SignIn(props: { signedOut: SignedOut; onSignedIn: () => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(username, password);
      props.onSignedIn();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <h1>{props.signedOut.title}</h1>
      {props.signedOut.signIn === 'link' ? (
        <p>
          Open the one-time sign-in link that <code>mcp-bedrock web</code> printed in its terminal.
        </p>
      ) : (
        <form onSubmit={submit} aria-describedby={error ? 'sign-in-error' : undefined}>
          <label for="username">User name</label>
          <input
            id="username"
            name="username"
            autocomplete="username"
            required
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
          <label for="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
          {error && (
            <p id="sign-in-error" class="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" class="primary" disabled={busy}>
            Sign in
          </button>
        </form>
      )}
    </main>
  );
}

function Shell(props: { me: Me; onSignedOut: () => void }) {
  const { me } = props;
  const [path, navigate] = useRoute();
  const match = /^\/c\/([^/]+)$/.exec(path);
  const id = match ? decodeURIComponent(match[1] as string) : undefined;
  const [asCustomer, setAsCustomer] = useState(false);
  const [drawer, setDrawer] = useState(false);
  const [conversations, setConversations] = useState<ConversationSummary[]>([]);
  const refresh = useCallback(() => {
    listConversations().then(setConversations, () => {});
  }, []);
  useEffect(refresh, [refresh]);
  const operator = me.role === 'operator' && !asCustomer;
  const open = (next: string) => {
    setDrawer(false);
    navigate(next);
  };
  return (
    <div class={drawer ? 'shell drawer-open' : 'shell'}>
      <a class="skip-link" href="#message">
        Skip to the message box
      </a>
      <header class="top-bar">
        <button
          type="button"
          class="drawer-toggle"
          aria-expanded={drawer}
          aria-controls="conversations"
          onClick={() => setDrawer(!drawer)}
        >
          Conversations
        </button>
        <h1>{me.title}</h1>
        <div class="account">
          {me.role === 'operator' && (
            <label class="view-switch">
              <input type="checkbox" checked={asCustomer} onChange={(e) => setAsCustomer(e.currentTarget.checked)} />
              Customer view
            </label>
          )}
          <span class="who">
            {me.user}
            <span class="role-badge">{operator ? 'operator' : 'customer'}</span>
          </span>
          <button type="button" onClick={() => signOut().finally(props.onSignedOut)}>
            Sign out
          </button>
        </div>
      </header>
      <nav id="conversations" class="sidebar" aria-label="Conversations">
        <ConversationList conversations={conversations} current={id} onOpen={open} />
      </nav>
      <main class="chat" aria-label="Conversation">
        <ChatView
          key={`${id ?? 'new'}:${operator}`}
          id={id}
          me={me}
          operator={operator}
          asCustomer={asCustomer}
          onStarted={(started) => {
            navigate(`/c/${encodeURIComponent(started)}`);
            refresh();
          }}
          onSettled={refresh}
        />
      </main>
    </div>
  );
}
