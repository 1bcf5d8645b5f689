/** Help texts: one per command, each with examples. Kept apart so `--help` loads nothing heavy. */

const MODEL_OPTIONS_HELP = `Model options:
  -m, --model ID          Bedrock model or inference-profile id (default: $MCP_BEDROCK_MODEL or
                          us.anthropic.claude-sonnet-4-5-20250929-v1:0; "mcp-bedrock models" lists them)
      --region REGION     AWS region (default: $AWS_REGION, else us-east-1)
      --endpoint URL      Converse endpoint: the offline emulator or a gateway (default: real Bedrock;
                          $MCP_BEDROCK_ENDPOINT). Loopback endpoints need no AWS credentials.
      --profile NAME      AWS profile from ~/.aws/config (else the default credential chain, or
                          $AWS_BEARER_TOKEN_BEDROCK for a Bedrock API key)
      --system TEXT       System prompt
      --max-turns N       Model calls per prompt (default 25)
      --max-tokens N      maxTokens per model call
      --temperature T     0 to 1
      --no-stream         Use Converse instead of ConverseStream
      --no-cache          Send no prompt-cache points (default: cache tools, system and turns where the
                          model supports it)
      --cache-ttl TTL     5m (default) or 1h, where the model has the one-hour prompt cache
      --prices FILE       A JSON price table over the built-in one, for cost estimates ($MCP_BEDROCK_PRICES)
      --record DIR        Write each model exchange to DIR as a replayable file (credentials scrubbed);
                          replay it offline with "mcp-bedrock emulator --replay DIR"`;

const MCP_HELP = `  -c, --config FILE       MCP servers: a Claude Desktop / Cursor / .mcp.json file ("mcpServers") or a
                          VS Code mcp.json ("servers"); JSON with comments. Default: $MCP_BEDROCK_CONFIG,
                          else the first config found (./.mcp.json, ./.vscode/mcp.json, ./.cursor/mcp.json,
                          ~/.cursor/mcp.json, Claude Desktop's, ~/.claude.json, VS Code's user mcp.json; see
                          "mcp-bedrock config list"), else the bundled demo servers
      --connect-timeout MS  Per server: start, initialize and list tools within this (default 10000)`;

const ASK_HELP = 'Run destructive tools without asking';

const TOOL_OPTIONS_HELP = `Tool options:
${MCP_HELP}
      --code-mode LIST    Offer these tools as Python functions behind one execute_code tool (run in a
                          sandbox) instead of directly: "all", or servers / server/tool names, comma-separated.
                          Tools that ask for approval stay direct. Refused where the sandbox's network cannot
                          be isolated (no unprivileged user namespaces), unless:
      --allow-unisolated-sandbox  Run code mode without network isolation anyway (docs/security.md)
      --no-tool-search    Send every tool even past 40 tools / 12,000 tokens (default: a search_tools tool
                          plus the most relevant ones; docs/tool-search.md)
      --tool-timeout MS   Per tool call (default 60000)
  -y, --yes               ${ASK_HELP} (run: also answer a server's form with its
                          defaults and accept a page it asks you to open)`;

const SESSION_HELP = `  -s, --session NAME      Continue and save a named conversation (saved after every tool batch)
      --database-url URL  Keep sessions in PostgreSQL ($MCP_BEDROCK_DATABASE_URL) instead of SQLite`;

export const HELP: Record<string, string> = {
  main: `mcp-bedrock — use any MCP server's tools from any Amazon Bedrock model

Usage: mcp-bedrock <command> [options]

Commands:
  chat                 Interactive chat with tools (streamed; approval prompts for destructive tools)
  run "<prompt>"       One prompt, answer on stdout (--json for a machine-readable result)
  tools                List the servers, their tools, the names the model sees and schema warnings
  config list|show     Which MCP config files were found and which one is used
  models               The region's models and inference profiles, with tool-use support and prices
  sessions             List, show or delete saved conversations
  auth login|logout    Sign in to OAuth-protected MCP servers, or out; auth status shows who is signed in
  emulator             Start the offline Converse emulator (Bedrock's wire protocol, no AWS account)
  gateway              Serve a Bedrock-compatible endpoint that adds MCP tools to every request
  anthropic            Serve the Anthropic Messages API (SDK-compatible, programmatic tool calling) on Bedrock
  web                  The support chat in the browser (sign-in, saved conversations, live answers)
  serve <server>       Start one bundled MCP server: orders, radio, expenses or utilities
  demo                 The whole thing offline: emulator + real servers + SQLite

Run "mcp-bedrock <command> --help" for a command's options and examples.`,

  run: `Usage: mcp-bedrock run "<prompt>" [options]

Runs one prompt through the tool loop and prints the answer (the prompt may also come on stdin).

${MODEL_OPTIONS_HELP}

${TOOL_OPTIONS_HELP}

Output and sessions:
      --json              Print {text, stopReason, toolCalls, usage, cost, turns} as JSON
${SESSION_HELP}
  -v, --verbose           Show tool results, per-turn usage and the servers' stderr

Exit codes: 0 answered; 1 the model failed, or an MCP server the prompt needed failed (named on stderr);
2 bad options or config; 3 stopped by a limit; 4 the endpoint is the offline emulator and no scenario matched
(the answer is its notice, "offScript": true); 130 interrupted.

Examples:
  mcp-bedrock run "What is the top song on WZPZ?"
  mcp-bedrock run --endpoint http://127.0.0.1:8787 --json "Order 14826?"
  mcp-bedrock run -c ~/Library/Application\\ Support/Claude/claude_desktop_config.json "..."`,

  chat: `Usage: mcp-bedrock chat [options]

Interactive chat with line editing, history (kept in your data folder), markdown answers and tool activity.

Keys: Enter sends · "\\" at the end of a line continues on a new line · pasting several lines
sends them as one message · Up/Down recall history · Ctrl-C cancels the running answer (the MCP servers keep
running; at an empty prompt it asks once before quitting) · Ctrl-D or /exit quits.

Commands: /help, /tools, /mcp [reconnect NAME | logs NAME], /call SERVER TOOL {json}, /prompts,
/prompt SERVER NAME [arg=value …], /resources, /usage, /reset, /exit. @server:uri in a message attaches a resource.
A server that asks for input (elicitation, if its config entry allows it) is answered on the prompt: its form field
by field, or a page opened only after you say yes.

${MODEL_OPTIONS_HELP}

${TOOL_OPTIONS_HELP}

Sessions:
${SESSION_HELP}
  -v, --verbose           Show tool results, per-turn usage and the servers' stderr

Examples:
  mcp-bedrock chat --endpoint http://127.0.0.1:8787
  mcp-bedrock chat --model us.amazon.nova-pro-v1:0 --session support`,

  tools: `Usage: mcp-bedrock tools [options]

Connects to the configured MCP servers and lists where the config came from, each server's status and tools,
the Converse name the model sees and any schema warnings for the chosen model. Exits 1 when a server failed
(with its error and last stderr lines).

Options:
  -m, --model ID          The model whose tool rules apply (default as for run)
${MCP_HELP}
      --json              Print {model, config, servers, tools, warnings, changes} as JSON
  -v, --verbose           Stream the servers' stderr

Examples:
  mcp-bedrock tools
  mcp-bedrock tools -c .vscode/mcp.json --model us.amazon.nova-lite-v1:0`,

  config: `Usage: mcp-bedrock config list | show [--config FILE] [--json]

list: every place an MCP config is looked for, in order, which exist and which one is used.
show: the servers of the config in use (or of --config FILE), without env and header values.

Examples:
  mcp-bedrock config list
  mcp-bedrock config show -c ~/.cursor/mcp.json`,

  models: `Usage: mcp-bedrock models [--region REGION] [--endpoint URL] [--profile NAME] [--provider NAME] [--json]

Lists the region's foundation models and inference profiles (Bedrock ListFoundationModels and
ListInferenceProfiles), marking which support tool use and tool use while streaming, and the price per million
tokens when the price table knows the model. Offline, the emulator answers (--endpoint http://127.0.0.1:8787).

Examples:
  mcp-bedrock models --region us-west-2
  mcp-bedrock models --endpoint http://127.0.0.1:8787 --provider Anthropic`,

  auth: `Usage: mcp-bedrock auth login | logout | status [SERVER] [--config FILE]

login: signs in to the config's HTTP servers that bring no credentials of their own (or just SERVER): opens
the browser on the server's authorization page and waits for it to come back to a listener on 127.0.0.1;
without a browser it prints the address, and takes the address the browser ends on, pasted here. Entries with
"oauth": {"grantType": "client_credentials"} only check their client. Tokens are kept per server and
authorization server in the data directory (0600 files), refreshed when they expire, and never printed.
"chat" signs in the same way when a server asks; "run", "tools" and "gateway" use what login stored.
logout: deletes SERVER's tokens (all servers' without SERVER).
status (the default): how each server authenticates and whether it is signed in.

Examples:
  mcp-bedrock auth login linear
  mcp-bedrock auth status -c .vscode/mcp.json
  mcp-bedrock auth logout linear`,

  sessions: `Usage: mcp-bedrock sessions list | show NAME | delete NAME [--database-url URL] [--json]

Saved conversations live in SQLite (path below) or in PostgreSQL with --database-url /
$MCP_BEDROCK_DATABASE_URL. Create or resume one with "chat --session NAME" or "run --session NAME".

Examples:
  mcp-bedrock sessions list
  mcp-bedrock sessions show support
  mcp-bedrock sessions delete support --database-url postgres://localhost/bridge`,

  emulator: `Usage: mcp-bedrock emulator [options]

Starts the offline Bedrock emulator: POST /model/{modelId}/converse and /converse-stream (and /invoke and
/invoke-with-response-stream for Claude's Messages body) over HTTP/1.1 and h2c, Bedrock's validation messages
and error types, and a scripted model that plays scenarios (or
replays recorded sessions). The scenario format and the evidence behind each rule: docs/emulator.md.

Options:
      --port N            Port (default 8787)
      --host HOST         Bind address (default 127.0.0.1)
      --scenarios PATH    Play the scenarios in this folder or .json file instead of the bundled ones
                          (repeatable; tried in the order given)
      --list              Print each scenario's name, match, example and required tools, then exit
      --replay DIR        Answer from recordings made with --record (gateway, run, chat) instead
      --require-auth      Answer requests without SigV4 or a Bedrock API key as Bedrock does
  -v, --verbose           One line per request on stderr: operation, model, tools, status, latency

Examples:
  mcp-bedrock emulator --port 8787
  mcp-bedrock emulator --scenarios ./my-scenarios --list
  mcp-bedrock emulator --replay ./recordings
  mcp-bedrock run --endpoint http://127.0.0.1:8787 "What is the top song on WZPZ?"`,

  gateway: `Usage: mcp-bedrock gateway [options]

A Bedrock-compatible endpoint (POST /model/{modelId}/converse, /converse-stream, /invoke and
/invoke-with-response-stream, HTTP/1.1 and h2c). Clients keep
their Bedrock SDK with endpoint_url pointed here; the gateway signs upstream requests with its own credentials, adds
the MCP servers' tools, runs them, and returns tool calls to the client only for tools the client defined itself.
Without MCP servers (--no-mcp) requests are relayed unchanged. Requests always go to the configured upstream: the
path contributes only a model id and the operation.

Options:
      --port N            Port (default 8788)
      --host HOST         Bind address (default 127.0.0.1; any other needs --keys)
      --upstream URL      Where to send requests (default real Bedrock in --region), e.g. the emulator.
                          A loopback upstream needs no AWS credentials
      --region REGION     AWS region of real Bedrock (default $AWS_REGION, else us-east-1)
      --profile NAME      AWS profile for the gateway's own credentials (else the default chain or
                          $AWS_BEARER_TOKEN_BEDROCK)
      --keys FILE         Client keys (JSON, keep it chmod 600): {"apiKeys": ["<Bedrock API key>", ...],
                          "accessKeys": [{"accessKeyId": "...", "secretAccessKey": "..."}]}. A Bearer request
                          must carry one of the apiKeys; a SigV4 request must be signed with one of the
                          accessKeys' secrets (the signature is verified, not just the key id)
      --allowed-host NAME A host name clients reach the gateway by, besides loopback (repeatable); requests
                          with any other Host or Origin get 403
  -c, --config FILE       MCP servers to add (default: the bundled servers)
      --no-mcp            Pure pass-through
      --expose-tool-traffic  Report the gateway's tool calls in an x-mcp-bedrock-tool-calls header
      --record DIR        Write each upstream exchange to DIR as a replayable file (credentials scrubbed);
                          replay it offline with "mcp-bedrock emulator --replay DIR"

Requests must be Content-Type: application/json and at most 25,000,000 bytes (413 beyond), as Bedrock's.

Examples:
  mcp-bedrock gateway --upstream http://127.0.0.1:8787
  mcp-bedrock gateway --host 0.0.0.0 --keys ~/.config/mcp-bedrock/keys.json --allowed-host gw.example.com \\
    --config ~/.cursor/mcp.json --region us-west-2`,

  anthropic: `Usage: mcp-bedrock anthropic [options]

The Anthropic Messages API in front of Bedrock: POST /v1/messages (streaming or not), POST
/v1/messages/count_tokens and GET /v1/models. Clients keep the Anthropic SDK and set only baseURL and apiKey.
Model names map to Bedrock inference profiles (claude-sonnet-4-5-20250929 → us.anthropic.claude-sonnet-4-5-
20250929-v1:0); Bedrock model ids pass through. A code_execution_20250825 or code_execution_20260120 tool runs
programs in the Python sandbox: tools with allowed_callers become async functions, and a program's call of a
client tool comes back as a tool_use block with its caller while the program waits (docs/anthropic.md).

Options:
      --port N            Port (default 8789)
      --host HOST         Bind address (default 127.0.0.1; any other needs --keys)
      --upstream URL      Where Converse calls go (default real Bedrock in --region), e.g. the emulator.
                          A loopback upstream needs no AWS credentials
      --region REGION     AWS region of real Bedrock (default $AWS_REGION, else us-east-1)
      --profile NAME      AWS profile for the endpoint's own credentials
      --keys FILE         Client keys (JSON, chmod 600): {"apiKeys": ["<key>", ...]}; clients send one as
                          x-api-key (the SDK's apiKey). Without --keys only loopback clients, any key
      --models FILE       Model names to add or change: {"claude-name": "bedrock-model-id", ...}
      --allowed-host NAME A host name clients reach it by, besides loopback (repeatable)
      --mcp               Add the MCP servers' tools (the bundled servers without --config); programs call
                          them inside the sandbox without a round trip to the client
  -c, --config FILE       MCP servers to add (implies --mcp)
      --no-code-execution Refuse code-execution tools
      --container-idle S  How long a suspended program waits for the client's tool results (default 270)
      --allow-unisolated-sandbox  Run programs where the sandbox's network cannot be isolated
      --record DIR        Write each upstream exchange to DIR as a replayable file

Examples:
  mcp-bedrock anthropic --upstream http://127.0.0.1:8787
  mcp-bedrock anthropic --config ./expenses-mcp.json --region us-west-2`,

  web: `Usage: mcp-bedrock web [--port N] [options]

Serves the chat in the browser over the same servers, tools, approvals and saved sessions as "chat": a
conversation started in the page continues with "chat --session ID" and the other way round. Without --config
it offers the bundled orders server, with the AnyCompany support prompt (thinking and <reply> tags).

Web options:
      --port N            Port (default 8790; 0 picks a free one)
      --host HOST         Address to listen on (default 127.0.0.1). Beyond loopback it needs --accounts
                          and --public-url, behind a proxy that terminates HTTPS
      --operator          The local user sees the operator view: tool calls, usage, approve/deny buttons
      --accounts FILE     Sign in with user names and passwords from FILE (see "web users") instead of the
                          one-time link printed on start; each user sees only their own conversations
      --public-url URL    The address browsers use (e.g. https://chat.example.com): the only Host and Origin
                          accepted, and Secure cookies when it is https
      --rate-limit N      Messages per user per minute (default 20)
      --title TEXT        The page's title (default "AnyCompany support" with the orders server)

${MODEL_OPTIONS_HELP}

${TOOL_OPTIONS_HELP.replace(ASK_HELP, `${ASK_HELP} (no confirmation in the page)`)}
      --database-url URL  Conversations in PostgreSQL (default: the CLI's SQLite sessions file;
                          $MCP_BEDROCK_DATABASE_URL)
  -v, --verbose           Print the servers' stderr

Examples:
  mcp-bedrock web --endpoint http://127.0.0.1:8787            # offline, with "mcp-bedrock emulator"
  mcp-bedrock web --operator --port 8790
  mcp-bedrock web users add alice --accounts users.json --role operator
  mcp-bedrock web --host 0.0.0.0 --accounts users.json --public-url https://chat.example.com`,

  'web-users': `Usage: mcp-bedrock web users add NAME [--role customer|operator] --accounts FILE
       mcp-bedrock web users remove NAME --accounts FILE
       mcp-bedrock web users list --accounts FILE

Manages the web chat's accounts file. "add" reads the password (at least 12 characters) from the terminal
without echo, or the first line of stdin, and stores only its Argon2id hash; the file is readable by its owner
only. Restart "mcp-bedrock web" to pick up changes.`,

  serve: `Usage: mcp-bedrock serve <orders|radio|expenses|utilities> [--transport stdio|http] [--port N] [...]

Starts one bundled MCP server (stdio by default, for Claude Desktop and IDEs). Server options pass through,
e.g. "mcp-bedrock serve orders --database-url postgres://..." or "--transport http --port 3001".`,

  demo: `Usage: mcp-bedrock demo

Runs the whole mission offline in under a minute: starts the Converse emulator, the four bundled MCP servers
over stdio (orders on a fresh SQLite file), and plays scripted conversations through the real AWS SDK.

      --allow-unisolated-sandbox  Run the code-mode step where the sandbox's network cannot be isolated
                          (otherwise it is skipped there)`,
};
