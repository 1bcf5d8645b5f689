/**
 * Config discovery: each host's file in a temporary HOME and project folder is found, in the documented order,
 * --config always wins, and the bundled demo servers are used only when nothing lists a server.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configCandidates, resolveConfig } from '../../src/config/index.js';

const RADIO = join(process.cwd(), 'dist', 'servers', 'radio', 'main.js');

function layout(): { home: string; project: string } {
  const root = mkdtempSync(join(tmpdir(), 'discover-'));
  const home = join(root, 'home');
  const project = join(root, 'project');
  mkdirSync(home, { recursive: true });
  mkdirSync(project, { recursive: true });
  return { home, project };
}

function write(path: string, servers: Record<string, object>, key = 'mcpServers'): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify({ [key]: servers }));
}

const entry = (name: string) => ({ [name]: { command: 'node', args: [RADIO] } });

describe('config discovery', () => {
  const hosts: [string, (h: { home: string; project: string }) => string, NodeJS.Platform, string?][] = [
    ['Claude Code (project)', ({ project }) => join(project, '.mcp.json'), 'linux'],
    ['VS Code (workspace)', ({ project }) => join(project, '.vscode', 'mcp.json'), 'linux', 'servers'],
    ['Cursor (project)', ({ project }) => join(project, '.cursor', 'mcp.json'), 'linux'],
    ['Cursor', ({ home }) => join(home, '.cursor', 'mcp.json'), 'linux'],
    ['Claude Desktop', ({ home }) => join(home, '.config', 'Claude', 'claude_desktop_config.json'), 'linux'],
    [
      'Claude Desktop',
      ({ home }) => join(home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json'),
      'darwin',
    ],
    ['Claude Code (user)', ({ home }) => join(home, '.claude.json'), 'linux'],
    ['VS Code (user)', ({ home }) => join(home, '.config', 'Code', 'User', 'mcp.json'), 'linux', 'servers'],
  ];
  for (const [host, where, platform, key] of hosts) {
    it(`finds ${host}'s file on ${platform}`, async () => {
      const dirs = layout();
      const file = where(dirs);
      write(file, entry(`from-${host.replace(/\W+/g, '-')}`), key);
      const resolved = await resolveConfig(undefined, {
        cwd: dirs.project,
        env: {},
        home: dirs.home,
        platform,
        packageRoot: process.cwd(),
      });
      expect(resolved.source).toMatchObject({ kind: 'file', path: file, host });
      expect(resolved.servers.map((s) => s.name)).toEqual([`from-${host.replace(/\W+/g, '-')}`]);
    });
  }

  it('prefers the project over the user, skips files without servers, and lets --config win', async () => {
    const dirs = layout();
    const options = {
      cwd: dirs.project,
      env: {},
      home: dirs.home,
      platform: 'linux' as const,
      packageRoot: process.cwd(),
    };
    write(join(dirs.home, '.cursor', 'mcp.json'), entry('user'));
    // Claude Code's ~/.claude.json without servers (it holds much else) is not a config.
    writeFileSync(join(dirs.home, '.claude.json'), JSON.stringify({ numStartups: 3 }));
    write(join(dirs.project, '.mcp.json'), {});
    expect((await resolveConfig(undefined, options)).servers.map((s) => s.name)).toEqual(['user']);
    write(join(dirs.project, '.vscode', 'mcp.json'), entry('project'), 'servers');
    expect((await resolveConfig(undefined, options)).servers.map((s) => s.name)).toEqual(['project']);
    const named = join(dirs.home, 'named.json');
    write(named, entry('named'));
    const chosen = await resolveConfig(named, options);
    expect(chosen.source).toMatchObject({ kind: 'file', path: named, scope: 'option' });
    expect(chosen.servers.map((s) => s.name)).toEqual(['named']);
  });

  it('uses the bundled demo servers only when nothing is found, and says so', async () => {
    const dirs = layout();
    const resolved = await resolveConfig(undefined, {
      cwd: dirs.project,
      env: {},
      home: dirs.home,
      platform: 'linux',
      packageRoot: process.cwd(),
    });
    expect(resolved.source).toEqual({ kind: 'demo' });
    expect(resolved.servers.map((s) => s.name)).toEqual(['orders', 'radio', 'expenses', 'utilities']);
    expect(configCandidates({ cwd: dirs.project, env: {}, home: dirs.home, platform: 'linux' })).toHaveLength(7);
  });

  it('says which file it uses in tools and config list, run from the project folder', () => {
    const dirs = layout();
    write(join(dirs.home, '.config', 'Claude', 'claude_desktop_config.json'), entry('desktop'));
    const cli = (args: string[]) =>
      spawnSync(process.execPath, [join(process.cwd(), 'dist', 'src', 'cli', 'main.js'), ...args], {
        cwd: dirs.project,
        env: { PATH: process.env['PATH'] ?? '', HOME: dirs.home, XDG_DATA_HOME: join(dirs.home, 'data') },
        encoding: 'utf8',
      });
    const tools = cli(['tools']);
    expect(tools.status).toBe(0);
    expect(tools.stdout).toContain('config: ~/.config/Claude/claude_desktop_config.json (Claude Desktop)');
    expect(tools.stdout).toContain('desktop: connected, 1 tool');
    const list = cli(['config', 'list']);
    expect(list.stdout).toMatch(/✓ ~\/\.config\/Claude\/claude_desktop_config\.json +Claude Desktop +used, 1 server/);
    expect(list.stdout).toMatch(/\.mcp\.json +Claude Code \(project\) +not found/);
    const show = cli(['config', 'show']);
    expect(show.stdout).toContain(`desktop: node ${RADIO}`);
  });
});
