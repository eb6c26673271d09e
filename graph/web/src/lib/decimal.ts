// Amounts are decimal strings in the currency's major units ("12500.50"), as the API
// gives and takes them: never floats. Sums are done on integers of minor units.

/** scaleOf is how many decimals an amount is written with ("50000.00" → 2). */
export function scaleOf(amount: string): number {
  const dot = amount.indexOf('.');
  return dot < 0 ? 0 : amount.length - dot - 1;
}

/** parseDecimal reads "12500.5" as 1250050n at scale 2; null when it is not a
 * non-negative decimal with at most `scale` decimals. */
export function parseDecimal(input: string, scale: number): bigint | null {
  const s = input.trim().replace(/[\s\u00a0\u202f]/g, '');
  const m = /^(\d+)(?:[.,](\d*))?$/.exec(s);
  if (!m) return null;
  const whole = m[1] ?? '0';
  const frac = m[2] ?? '';
  if (frac.length > scale) return null;
  return BigInt(whole + frac.padEnd(scale, '0'));
}

/** formatDecimal writes minor units back as a decimal string at scale. */
export function formatDecimal(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale);
  return (negative ? '-' : '') + (scale > 0 ? `${whole}.${frac}` : whole);
}

/** sumDecimals adds amounts at scale; null if one of them is not an amount. */
export function sumDecimals(amounts: readonly string[], scale: number): bigint | null {
  let total = 0n;
  for (const a of amounts) {
    const v = parseDecimal(a, scale);
    if (v === null) return null;
    total += v;
  }
  return total;
}
