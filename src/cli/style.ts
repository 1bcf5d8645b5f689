/**
 * Colour for terminal output, only where it belongs: on a TTY whose environment allows it (`NO_COLOR` turns it
 * off, `FORCE_COLOR` on; Node's `hasColors` reads both and `TERM=dumb`). Piped output never gets escape codes.
 */
import { styleText } from 'node:util';

type Format = Parameters<typeof styleText>[0];

/** Text styles; each returns its input unchanged when colour is off. */
export interface Style {
  readonly enabled: boolean;
  dim(text: string): string;
  bold(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

/** Whether `stream` should get colour. */
export function colorEnabled(stream: { isTTY?: boolean; hasColors?: () => boolean }, env = process.env): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (!stream.isTTY) return env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0';
  return stream.hasColors?.() ?? true;
}

/** Styles for `stream` (or forced on/off). */
export function styleFor(stream: { isTTY?: boolean; hasColors?: () => boolean } | boolean, env = process.env): Style {
  const enabled = typeof stream === 'boolean' ? stream : colorEnabled(stream, env);
  const make =
    (format: Format) =>
    (text: string): string =>
      enabled ? styleText(format, text, { validateStream: false }) : text;
  return {
    enabled,
    dim: make('dim'),
    bold: make('bold'),
    red: make('red'),
    green: make('green'),
    yellow: make('yellow'),
    cyan: make('cyan'),
  };
}
