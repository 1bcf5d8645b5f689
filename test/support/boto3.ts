/** Whether the boto3 tests can run here: python3 with boto3 importable (the tests are skipped otherwise). */
import { spawnSync } from 'node:child_process';

/** Why python3 cannot run boto3 here, or undefined when it can. */
export function boto3Missing(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' });
  if (probe.error) return `python3 is not available (${probe.error.message})`;
  if (probe.status !== 0) return `boto3 is not importable by python3 (${probe.stderr.trim().split('\n').pop()})`;
  return undefined;
}
