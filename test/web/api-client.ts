/** A signed-in client of the web chat's API for tests: cookie, CSRF token and Origin, as the page sends them. */
import { request as httpRequest } from 'node:http';
import type { ConversationView, StreamEvent } from '../../src/web/api-types.js';

export class ApiClient {
  private csrf = '';

  constructor(
    readonly base: string,
    private cookie = '',
  ) {}

  /** Opens a one-time link as a browser would; returns the response status. */
  async openLink(link: string): Promise<number> {
    const response = await fetch(link, { redirect: 'manual' });
    const cookie = response.headers.get('set-cookie');
    if (cookie) this.cookie = cookie.split(';')[0] as string;
    await response.arrayBuffer();
    if (response.status === 303) await this.me();
    return response.status;
  }

  async signIn(username: string, password: string): Promise<number> {
    const response = await this.request('POST', '/api/login', { username, password });
    const cookie = response.headers.get('set-cookie');
    if (cookie) this.cookie = cookie.split(';')[0] as string;
    await response.arrayBuffer();
    if (response.ok) await this.me();
    return response.status;
  }

  async me(): Promise<{ user: string; role: string; csrfToken: string }> {
    const me = (await (await this.request('GET', '/api/me')).json()) as {
      user: string;
      role: string;
      csrfToken: string;
    };
    this.csrf = me.csrfToken;
    return me;
  }

  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(new URL(path, this.base), {
      method,
      redirect: 'manual',
      headers: {
        ...(this.cookie && { cookie: this.cookie }),
        ...(method !== 'GET' && { origin: this.base, 'x-csrf-token': this.csrf }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  }

  /** A request with headers fetch will not send (Host), as a DNS-rebinding page's would arrive. */
  raw(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<number> {
    return this.rawResponse(method, path, headers, body).then((r) => r.status);
  }

  /** As `raw`, with the response headers. */
  rawResponse(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
    return new Promise((resolve, reject) => {
      const all = {
        cookie: this.cookie,
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      };
      const req = httpRequest(new URL(path, this.base), { method, headers: all }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, headers: res.headers });
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await this.request(method, path, body);
    return { status: response.status, body: (await response.json()) as T };
  }

  /** Sends a message (or starts a conversation) and waits until its answer is complete. */
  async say(
    id: string | undefined,
    text: string,
    role: 'customer' | 'operator' = 'customer',
  ): Promise<ConversationView> {
    const sent = id
      ? await this.json<{ id: string }>('POST', `/api/conversations/${id}/messages`, { text })
      : await this.json<{ id: string }>('POST', '/api/conversations', { text });
    if (sent.status >= 300) throw new Error(`sending failed: ${sent.status} ${JSON.stringify(sent.body)}`);
    return this.settled(sent.body.id, role);
  }

  /** The conversation once no run is going on. */
  async settled(id: string, role: 'customer' | 'operator' = 'customer'): Promise<ConversationView> {
    for (;;) {
      const { body } = await this.json<ConversationView>(
        'GET',
        `/api/conversations/${id}${role === 'customer' ? '?view=customer' : ''}`,
      );
      if (!body.state.running) return body;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Reads the event stream until `until` holds for an event; returns every event read. */
  async events(id: string, until: (event: StreamEvent) => boolean): Promise<StreamEvent[]> {
    const response = await this.request('GET', `/api/conversations/${id}/events`);
    if (!response.ok || !response.body) throw new Error(`event stream: ${response.status}`);
    const events: StreamEvent[] = [];
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const data = buffer
          .slice(0, end)
          .split('\n')
          .find((line) => line.startsWith('data: '));
        buffer = buffer.slice(end + 2);
        if (data) {
          const event = JSON.parse(data.slice(6)) as StreamEvent;
          events.push(event);
          // Leaving the loop cancels the stream.
          if (until(event)) return events;
        }
        end = buffer.indexOf('\n\n');
      }
    }
    return events;
  }
}
