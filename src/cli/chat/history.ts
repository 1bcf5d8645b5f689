/**
 * The chat's input history, kept across runs in the data directory (`chat-history.jsonl`, one JSON string per
 * entry, so multi-line entries survive). Readline edits one line at a time, so in the editable history a
 * newline is shown as ⏎ and turned back into a newline when the entry is sent again.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const KEEP = 1000;
/** Shown in place of a newline in recalled entries. */
export const NEWLINE_MARK = '⏎';

/** Entries newest first, as readline wants them. */
export class ChatHistory {
  readonly entries: string[];

  constructor(private readonly file: string | undefined) {
    this.entries = file ? load(file) : [];
  }

  /** Adds a sent entry (moving a repeated one to the front) and appends it to the file. */
  add(text: string): void {
    if (text.trim() === '') return;
    const shown = text.replaceAll('\n', NEWLINE_MARK);
    const seen = this.entries.indexOf(shown);
    if (seen >= 0) this.entries.splice(seen, 1);
    this.entries.unshift(shown);
    if (this.entries.length > KEEP) this.entries.length = KEEP;
    if (!this.file) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      appendFileSync(this.file, `${JSON.stringify(text)}\n`, { mode: 0o600 });
    } catch {
      // History is a convenience: a read-only data folder must not stop the chat.
    }
  }
}

/** What a line taken from the editable history means: ⏎ marks are newlines again. */
export function fromHistoryLine(line: string): string {
  return line.replaceAll(NEWLINE_MARK, '\n');
}

function load(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const all: string[] = [];
  for (const line of text.split('\n')) {
    try {
      const value = JSON.parse(line) as unknown;
      if (typeof value === 'string') all.push(value);
    } catch {
      // A torn last line after a crash: skip it.
    }
  }
  // Keep the file from growing without bound.
  if (all.length > 2 * KEEP) {
    try {
      writeFileSync(
        file,
        all
          .slice(-KEEP)
          .map((e) => `${JSON.stringify(e)}\n`)
          .join(''),
        { mode: 0o600 },
      );
    } catch {
      // Compaction is optional.
    }
  }
  const shown: string[] = [];
  for (const entry of all.slice(-KEEP).reverse()) {
    const line = entry.replaceAll('\n', NEWLINE_MARK);
    if (!shown.includes(line)) shown.push(line);
  }
  return shown;
}
