/** `${VAR}`, `${VAR:-default}`, `${env:VAR}`, `${workspaceFolder}` and `${userHome}` in config strings. */
import { BridgeError } from '../errors.js';

/** A variable that cannot be resolved; the loader adds the file, server and field. */
export class InterpolationError extends BridgeError {
  constructor(message: string) {
    super('CONFIG_INVALID', message);
  }
}

const PATTERN = /\$\{([^}]+)\}/g;

/** Where the variables come from. */
export interface InterpolationScope {
  env: Readonly<Record<string, string | undefined>>;
  workspaceFolder: string;
  userHome: string;
}

/** `value` with every `${…}` replaced; throws `InterpolationError` for one it cannot resolve. */
export function interpolate(value: string, scope: InterpolationScope): string {
  return value.replace(PATTERN, (_, expression: string) => {
    if (expression === 'workspaceFolder') return scope.workspaceFolder;
    if (expression === 'userHome') return scope.userHome;
    if (expression.startsWith('input:')) {
      throw new InterpolationError(
        `\${${expression}} asks VS Code for input, which mcp-bedrock-bridge ` +
          `cannot do; set the value directly or use \${env:NAME}`,
      );
    }
    const [name, fallback] = expression.replace(/^env:/, '').split(/:-(.*)/s) as [string, string | undefined];
    const found = scope.env[name];
    if (found !== undefined && found !== '') return found;
    if (fallback !== undefined) return fallback;
    throw new InterpolationError(`environment variable ${name} is not set (write \${${name}:-default} for a fallback)`);
  });
}
