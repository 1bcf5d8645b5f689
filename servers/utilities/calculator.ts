/**
 * A small arithmetic parser (recursive descent; never eval/Function): + - * / % ^, parentheses, unary minus,
 * decimals and exponents. `^` binds tighter than unary minus and is right-associative, as in maths: -2^2 = -4.
 */
export class CalculatorError extends Error {
  override readonly name = 'CalculatorError';
}

export function evaluate(expression: string): number {
  let pos = 0;
  const fail = (what: string): never => {
    throw new CalculatorError(
      `Invalid expression at position ${pos + 1}: ${what}. Use numbers, + - * / % ^ and parentheses.`,
    );
  };
  const skip = (): void => {
    while (pos < expression.length && /\s/.test(expression[pos] as string)) pos++;
  };
  const peek = (): string | undefined => {
    skip();
    return expression[pos];
  };

  const primary = (): number => {
    const ch = peek();
    if (ch === '(') {
      pos++;
      const value = sum();
      if (peek() !== ')') fail('missing ")"');
      pos++;
      return value;
    }
    const match = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/i.exec(expression.slice(pos));
    if (!match) return fail(ch === undefined ? 'unexpected end' : `unexpected "${ch}"`);
    pos += match[0].length;
    return Number(match[0]);
  };
  const power = (): number => {
    const base = primary();
    if (peek() !== '^') return base;
    pos++;
    return base ** unary();
  };
  const unary = (): number => {
    const ch = peek();
    if (ch === '-' || ch === '+') {
      pos++;
      const value = unary();
      return ch === '-' ? -value : value;
    }
    return power();
  };
  const product = (): number => {
    let value = unary();
    for (let op = peek(); op === '*' || op === '/' || op === '%'; op = peek()) {
      pos++;
      const right = unary();
      if ((op === '/' || op === '%') && right === 0) throw new CalculatorError('Division by zero.');
      value = op === '*' ? value * right : op === '/' ? value / right : value % right;
    }
    return value;
  };
  const sum = (): number => {
    let value = product();
    for (let op = peek(); op === '+' || op === '-'; op = peek()) {
      pos++;
      value = op === '+' ? value + product() : value - product();
    }
    return value;
  };

  const value = sum();
  if (peek() !== undefined) fail(`unexpected "${expression[pos]}"`);
  if (!Number.isFinite(value)) throw new CalculatorError('The result is not a finite number.');
  return value;
}

/** Rounds away binary noise (0.1 + 0.2) without hiding real digits. */
export function formatNumber(value: number): string {
  return String(Number.parseFloat(value.toPrecision(15)));
}
