/** `${VAR}`, `${VAR:-default}`, `${env:VAR}` and `${workspaceFolder}` in config strings. */
export class InterpolationError extends Error {}

const PATTERN = /\$\{([^}]+)\}/g;

export function interpolate(value: string, env: NodeJS.ProcessEnv, workspaceFolder: string): string {
  return value.replace(PATTERN, (_, expression: string) => {
    if (expression === 'workspaceFolder') return workspaceFolder;
    if (expression.startsWith('input:')) {
      throw new InterpolationError(
        `\${${expression}} asks VS Code for input, which mcp-bedrock cannot do; set the value directly or use \${env:NAME}`,
      );
    }
    const [name, fallback] = expression.replace(/^env:/, '').split(/:-(.*)/s) as [string, string | undefined];
    const found = env[name];
    if (found !== undefined && found !== '') return found;
    if (fallback !== undefined) return fallback;
    throw new InterpolationError(`environment variable ${name} is not set (write \${${name}:-default} for a fallback)`);
  });
}
