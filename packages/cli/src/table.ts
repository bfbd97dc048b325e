/** Plain-text table: a header row, columns padded with two spaces; numeric-looking cells right-aligned. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.some((r) => /\d/.test(r[i] ?? '')) && rows.every((r) => /^(-|[-+]?\d[\d.,/]*%?)$/.test(r[i] ?? '')));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** A score for a table cell: one decimal, `-` for null. */
export function num(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits);
}

/** A list for a table cell: comma-joined, `-` when empty. */
export function list(v: readonly string[]): string {
  return v.length ? v.join(',') : '-';
}
