/** The page's calls to its own server: JSON with the CSRF token on every POST, and the conversation stream. */
import type { ApiError, ConversationSummary, ConversationView, Me, SignedOut, StreamEvent } from '../api-types.js';

/** A failed call, with the server's stable code. */
export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken = '';

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(method === 'POST' && csrfToken && { 'x-csrf-token': csrfToken }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const value = (await response.json().catch(() => ({}))) as T | ApiError;
  if (!response.ok) {
    const error = (value as ApiError).error;
    throw new ApiCallError(error?.code ?? 'WEB_ERROR', response.status, error?.message ?? response.statusText);
  }
  return value as T;
}

/** Who is signed in, or how to sign in. */
export async function whoAmI(): Promise<Me | SignedOut> {
  const response = await fetch('/api/me', { credentials: 'same-origin', headers: { accept: 'application/json' } });
  const value = (await response.json()) as Me | SignedOut;
  if ('csrfToken' in value) csrfToken = value.csrfToken;
  return value;
}

export const signIn = (username: string, password: string) =>
  call<{ user: string }>('POST', '/api/login', { username, password });
export const signOut = () => call<{ ok: true }>('POST', '/api/logout', {});
export const listConversations = () =>
  call<{ conversations: ConversationSummary[] }>('GET', '/api/conversations').then((r) => r.conversations);
export const startConversation = (text: string) => call<{ id: string }>('POST', '/api/conversations', { text });
export const sendMessage = (id: string, text: string) =>
  call<{ id: string }>('POST', `/api/conversations/${encodeURIComponent(id)}/messages`, { text });
export const stopConversation = (id: string) =>
  call<{ id: string }>('POST', `/api/conversations/${encodeURIComponent(id)}/stop`, {});
export const decide = (id: string, toolUseId: string, approved: boolean) =>
  call<{ id: string }>(
    'POST',
    `/api/conversations/${encodeURIComponent(id)}/approvals/${encodeURIComponent(toolUseId)}`,
    { approved },
  );
export const getConversation = (id: string, asCustomer: boolean) =>
  call<ConversationView>('GET', `/api/conversations/${encodeURIComponent(id)}${asCustomer ? '?view=customer' : ''}`);

/**
 * Follows a conversation: a snapshot first (again after every reconnect, so a dropped connection or a reload
 * mid-answer shows the whole state), then each change. The returned function closes the stream.
 */
export function follow(id: string, asCustomer: boolean, onEvent: (event: StreamEvent) => void, onLost: () => void) {
  const source = new EventSource(
    `/api/conversations/${encodeURIComponent(id)}/events${asCustomer ? '?view=customer' : ''}`,
  );
  for (const type of ['snapshot', 'item', 'state', 'usage'] as const) {
    source.addEventListener(type, (event) => onEvent(JSON.parse((event as MessageEvent<string>).data) as StreamEvent));
  }
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) onLost();
  });
  return () => source.close();
}
