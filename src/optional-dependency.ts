/**
 * Packages only some features need (the SQLite and PostgreSQL drivers, Pyodide, Argon2) are optional peer
 * dependencies: a library user never installs them, and a feature that needs a missing one says which package
 * to install when it is first used (docs/architecture.md, "Dependencies").
 */

/** A feature was used whose optional package is not installed. */
export class MissingDependencyError extends Error {
  override readonly name = 'MissingDependencyError';
  readonly code = 'DEPENDENCY_MISSING';

  constructor(
    readonly packageName: string,
    feature: string,
  ) {
    super(`${feature} needs the package ${packageName}, which is not installed: run npm install ${packageName}`);
  }
}

/** Whether `error` is Node's "cannot find" for the package `name` itself (not for a file it imports). */
export function isMissingPackage(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  return typeof message === 'string' && (message.includes(`'${name}'`) || message.includes(`'${name}/`));
}

/**
 * Runs `load` (an `import()` of `name` or of a module that imports it); when `name` is not installed, throws a
 * `MissingDependencyError` naming it and the install command instead of Node's bare "Cannot find package".
 */
export async function loadOptional<T>(name: string, feature: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isMissingPackage(error, name)) throw new MissingDependencyError(name, feature);
    throw error;
  }
}
