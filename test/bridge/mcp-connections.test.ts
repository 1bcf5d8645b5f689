import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HubToolset, McpHub, type HubEvent, type ServerConfig, executeTool } from '../../bridge/index.js';
import { alive, closedPort } from '../support/processes.js';

const FIXTURE = join(process.cwd(), 'fixtures', 'mcp-tools', 'misbehaving-server.mjs');
const server = (mode: string, name = mode): ServerConfig => ({
  name,
  transport: 'stdio',
  command: process.execPath,
  args: [FIXTURE, mode],
});

describe('McpHub connection handling', () => {
  it('stops a server that hangs in initialize once the connect timeout passes, and names what happened', async () => {
    const events: HubEvent[] = [];
    const hub = new McpHub([server('hang')], { connectTimeoutMs: 1_000, onEvent: (e) => events.push(e) });
    const starting = hub.start();
    await expect.poll(() => hub.servers()[0]?.pid).toBeGreaterThan(0);
    const pid = hub.servers()[0]?.pid as number;
    await starting;
    expect(hub.servers()[0]).toMatchObject({
      status: 'failed',
      error:
        'did not finish starting (initialize and tools/list) within 1 s; its process was stopped ' +
        '(stderr: waiting for the database at db.internal:5432)',
    });
    // The process ignores SIGTERM and never reads its stdin's end: only a kill stops it.
    expect(alive(pid)).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: 'server-status', status: 'failed' });
    await hub.close();
  });

  it('reports a command that is not an MCP server with what it printed', async () => {
    const hub = new McpHub([server('noise')]);
    await hub.start();
    expect(hub.servers()[0]?.error).toBe(
      'exited with code 0 before it finished starting; it wrote "hello, I am not an MCP server" on stdout, ' +
        'which is not MCP (stderr: warning: no config file, using defaults)',
    );
    await hub.close();
  });

  it("keeps a crashing server's stderr, shows its last line in the error and streams every line", async () => {
    const lines: string[] = [];
    const hub = new McpHub([server('crash-start')], {
      onEvent: (e) => e.type === 'server-stderr' && lines.push(e.line),
    });
    await hub.start();
    expect(hub.servers()[0]).toMatchObject({
      status: 'failed',
      error: 'exited with code 1 before it finished starting (stderr: boom: missing API key)',
      stderr: ['starting up', 'boom: missing API key'],
    });
    expect(lines).toEqual(['starting up', 'boom: missing API key']);
    await hub.close();
  });

  it('names the URL and the network cause of an HTTP server that cannot be reached', async () => {
    const port = await closedPort();
    const hub = new McpHub([{ name: 'remote', transport: 'http', url: `http://127.0.0.1:${port}/mcp` }]);
    await hub.start();
    expect(hub.servers()[0]?.error).toBe(
      `cannot reach http://127.0.0.1:${port}/mcp: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    await hub.close();
  });

  it(
    'turns a crash during a call into an error naming the exit ' + 'and stderr, then restarts on the next call',
    async () => {
      const hub = new McpHub([server('serve', 'flaky')]);
      await hub.start();
      const toolset = new HubToolset(hub);
      const context = { signal: new AbortController().signal, timeoutMs: 10_000 };
      const first = hub.servers()[0]?.pid;
      const crashed = await executeTool(toolset, { toolUseId: 'a', name: 'crash', input: {} }, context);
      expect(crashed).toMatchObject({ status: 'error' });
      expect(JSON.stringify(crashed.content)).toContain(
        'MCP server \\"flaky\\" exited with code 3 (stderr: fatal: the database went away) during the call to crash.',
      );
      const pid = await executeTool(toolset, { toolUseId: 'b', name: 'pid', input: {} }, context);
      expect(pid.status).toBe('success');
      expect(hub.servers()[0]).toMatchObject({ status: 'connected', restarts: 1 });
      expect(Number((pid.content[0] as { text: string }).text)).not.toBe(first);
      await hub.close();
    },
  );

  it('backs off between restarts of a server that keeps dying, and restarts at once on reconnect', async () => {
    const hub = new McpHub([server('serve', 'flaky')], { restart: { initialDelayMs: 60_000 } });
    await hub.start();
    const context = { signal: new AbortController().signal, timeoutMs: 10_000 };
    const toolset = new HubToolset(hub);
    await executeTool(toolset, { toolUseId: 'a', name: 'crash', input: {} }, context);
    await executeTool(toolset, { toolUseId: 'b', name: 'crash', input: {} }, context);
    const waiting = await executeTool(toolset, { toolUseId: 'c', name: 'pid', input: {} }, context);
    expect(JSON.stringify(waiting.content)).toMatch(/next restart in \d+ s/);
    const state = await hub.reconnect('flaky');
    expect(state).toMatchObject({ status: 'connected', restarts: 2 });
    expect((await executeTool(toolset, { toolUseId: 'd', name: 'pid', input: {} }, context)).status).toBe('success');
    await hub.close();
  });

  it('sends notifications/cancelled for an aborted call and the server keeps serving', async () => {
    const hub = new McpHub([server('serve', 'patient')]);
    await hub.start();
    const controller = new AbortController();
    const call = hub.callTool('patient', 'wait', {}, { signal: controller.signal });
    await expect.poll(() => hub.servers()[0]?.stderr).toContain('waiting');
    controller.abort();
    await expect(call).rejects.toThrow();
    await expect.poll(() => hub.servers()[0]?.stderr.some((l) => l.startsWith('cancelled request'))).toBe(true);
    expect((await hub.callTool('patient', 'pid', {})).content).toHaveLength(1);
    expect(hub.servers()[0]?.restarts).toBe(0);
    await hub.close();
  });

  it('passes XDG_DATA_HOME to stdio servers, which the MCP SDK default environment drops', async () => {
    const previous = process.env['XDG_DATA_HOME'];
    process.env['XDG_DATA_HOME'] = '/tmp/xdg-data-for-servers';
    const hub = new McpHub([server('serve', 'env')]);
    try {
      await hub.start();
      const result = await hub.callTool('env', 'env', {});
      expect(result.content).toEqual([{ type: 'text', text: '/tmp/xdg-data-for-servers' }]);
    } finally {
      if (previous === undefined) delete process.env['XDG_DATA_HOME'];
      else process.env['XDG_DATA_HOME'] = previous;
      await hub.close();
    }
  });

  it.skipIf(process.platform !== 'linux')(
    'runs stdio servers in their own process group, out of reach of the terminal',
    async () => {
      const hub = new McpHub([server('serve', 'grouped')]);
      await hub.start();
      const pid = hub.servers()[0]?.pid as number;
      // A session and process group of its own: a Ctrl-C the terminal sends to the host's group does not reach it.
      const group = (p: number | 'self') =>
        Number(readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.split(' ')[2]);
      expect(group(pid)).toBe(pid);
      expect(group('self')).not.toBe(pid);
      await hub.close();
      expect(alive(pid)).toBe(false);
    },
  );
});
