/**
 * `mcp-bedrock web`: the support chat in the browser over the same runtime as `chat` (servers, tools, approval
 * policy, model client) and the same saved sessions. `mcp-bedrock web users …` manages the accounts file.
 */
import { isLoopbackHost } from '../../../bridge/entries/converse.js';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { declineElicitation } from '../../runtime/elicitation.js';
import { loadPrices } from '../../runtime/prices.js';
import { openRuntime } from '../../runtime/runtime.js';
import { openSessionStore } from '../../sessions/index.js';
import { packageRoot } from '../../package-root.js';
import { Accounts } from '../../web/accounts.js';
import { ANYCOMPANY_SYSTEM_PROMPT } from '../../web/anycompany-prompt.js';
import { ACCOUNT_OWNERSHIP, ConversationService, LOCAL_OWNERSHIP } from '../../web/conversations.js';
import { usesReplyTags } from '../../web/reply-text.js';
import { type SignIn, startWebServer } from '../../web/web-server.js';
import { CliError } from '../cli-error.js';
import { HELP } from '../help.js';
import { MODEL_OPTIONS, parseCommandLine, parseModelOptions, portOption } from '../options.js';

const WEB_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  operator: { type: 'boolean' },
  accounts: { type: 'string' },
  'public-url': { type: 'string' },
  'rate-limit': { type: 'string' },
  title: { type: 'string' },
} as const;

const WebOptions = z.object({
  port: portOption(8790),
  host: z.string().default('127.0.0.1'),
  operator: z.boolean().default(false),
  accounts: z.string().min(1).optional(),
  publicUrl: z
    .url('--public-url expects the URL browsers use, e.g. https://chat.example.com')
    .transform((u) => new URL(u))
    .optional(),
  rateLimit: z.coerce
    .number({ error: '--rate-limit expects a number' })
    .int()
    .min(1, '--rate-limit expects at least 1 message per minute')
    .max(10_000)
    .default(20),
  title: z.string().min(1).optional(),
});

/** The model options are `chat`'s; the web options are taken out of argv first. */
function splitArgv(argv: readonly string[]): { web: string[]; model: string[] } {
  const { tokens } = parseArgs({
    args: [...argv],
    options: { ...MODEL_OPTIONS, ...WEB_OPTIONS },
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const web = new Set<number>();
  for (const token of tokens) {
    if (token.kind !== 'option' || !(token.name in WEB_OPTIONS)) continue;
    web.add(token.index);
    if (token.value !== undefined && token.inlineValue === false) web.add(token.index + 1);
  }
  return { web: argv.filter((_, i) => web.has(i)), model: argv.filter((_, i) => !web.has(i)) };
}

export async function webCommand(argv: string[]): Promise<number> {
  if (argv[0] === 'users') return (await import('./web-users.js')).webUsersCommand(argv.slice(1));
  const split = splitArgv(argv);
  const { options } = parseModelOptions('chat', split.model, process.env);
  if (options.help) {
    process.stdout.write(`${HELP['web']}\n`);
    return 0;
  }
  if (options.session !== undefined)
    throw new CliError(
      'CLI_BAD_OPTION',
      'web does not take --session: each conversation in the page is a session of its own ' +
        '(continue one in a terminal with "mcp-bedrock chat --session ID")',
    );
  const { values } = parseCommandLine(split.web, WEB_OPTIONS);
  const parsed = WebOptions.safeParse({ ...values, publicUrl: values['public-url'], rateLimit: values['rate-limit'] });
  if (!parsed.success) throw new CliError('CLI_BAD_OPTION', parsed.error.issues.map((i) => i.message).join('; '));
  const web = parsed.data;
  const loopback = isLoopbackHost(web.host);
  if (!loopback && (!web.accounts || !web.publicUrl)) {
    throw new CliError(
      'CLI_BAD_OPTION',
      `--host ${web.host} is beyond loopback: give --accounts FILE (users with passwords) ` +
        'and --public-url (the HTTPS address of the proxy in front of it)',
    );
  }
  if (!loopback && web.publicUrl?.protocol !== 'https:') {
    throw new CliError(
      'CLI_BAD_OPTION',
      `--public-url ${web.publicUrl?.href} is not https: beyond loopback, passwords and session cookies need HTTPS`,
    );
  }
  if (web.operator && web.accounts)
    throw new CliError(
      'CLI_BAD_OPTION',
      '--operator is for the local user; with --accounts, give users the operator role',
    );
  const accounts = web.accounts ? await Accounts.load(web.accounts) : undefined;
  const prices = loadPrices(options.prices);

  // Each run answers approvals in its page (ConversationService); this one only marks the runtime as interactive.
  const runtime = await openRuntime(options, {
    approve: async () => false,
    bundled: ['orders'],
    elicitation: declineElicitation('the web chat does not ask for input', (line) => process.stderr.write(`${line}\n`)),
  });
  const store = await openSessionStore(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}).catch(
    async (error: unknown) => {
      await runtime.close();
      throw error;
    },
  );
  const ordersAssistant = runtime.toolset.list().some((tool) => tool.server === 'orders');
  const system = options.system ?? (ordersAssistant ? ANYCOMPANY_SYSTEM_PROMPT : undefined);
  const template = { ...(await runtime.conversation()).options, ...(system !== undefined && { system }) };
  const conversations = new ConversationService({
    store,
    template,
    ownership: accounts ? ACCOUNT_OWNERSHIP : LOCAL_OWNERSHIP,
    tagged: usesReplyTags(system),
    activity: ordersAssistant ? 'Looking up your order…' : 'Working on it…',
    describe: (name) => runtime.toolset.resolve(name)?.descriptor,
    prices,
  });
  const title = web.title ?? (ordersAssistant ? 'AnyCompany support' : 'MCP Bedrock chat');
  // Links are printed after the banner; each one works once, and the next is printed when it is used.
  let links: string[] | undefined = [];
  const printLink = (url: string, first: boolean) =>
    process.stdout.write(`${first ? 'Sign in' : 'Next sign-in'} (one-time link): ${url}\n`);
  const signIn: SignIn = accounts
    ? { kind: 'accounts', accounts }
    : {
        kind: 'link',
        role: web.operator ? 'operator' : 'customer',
        onLink: (url) => (links ? links.push(url) : printLink(url, false)),
      };
  const server = await startWebServer({
    host: web.host,
    port: web.port,
    conversations,
    signIn,
    ...(web.publicUrl && { publicUrl: web.publicUrl }),
    title,
    modelId: options.model,
    messagesPerMinute: web.rateLimit,
    assetsDir: join(packageRoot(), 'dist', 'web'),
  }).catch(async (error: unknown) => {
    await Promise.allSettled([store.close(), runtime.close()]);
    throw new CliError('WEB_START', (error as Error).message, 1);
  });
  process.stdout.write(
    `${title} on ${server.url}${web.publicUrl ? ` (listening on ${web.host}:${server.port})` : ''} ` +
      `· ${options.model} · ${runtime.toolset.list().length} tools ` +
      `· ${accounts ? `accounts from ${web.accounts}` : `${web.operator ? 'operator' : 'customer'} view`} · ` +
      `conversations in ${store.location}. Ctrl-C stops it.\n`,
  );
  for (const url of links ?? []) printLink(url, true);
  links = undefined;
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  await Promise.allSettled([store.close(), runtime.close()]);
  return 0;
}
