/** Letter counting and the current time, as the Charlie sample's tools behave (docs/fixtures.md). */

/** Case-insensitive; a multi-character "letter" counts substrings, as the original tool does. */
export function countLetters(word: string, letter: string): { count: number; text: string } {
  const count = word.toLowerCase().split(letter.toLowerCase()).length - 1;
  return { count, text: `There are ${count} "${letter.toUpperCase()}"s in "${word}".` };
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function currentTime(zone: string, now = new Date()): { iso: string; timezone: string; text: string } {
  const local = new Intl.DateTimeFormat('en-US', { dateStyle: 'full', timeStyle: 'long', timeZone: zone }).format(now);
  return { iso: now.toISOString(), timezone: zone, text: `The current time is ${local}` };
}
