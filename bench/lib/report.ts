/** Benchmark sections print markdown tables and contribute to bench/results.json. */
export interface Section {
  id: string;
  title: string;
  /** What the ratios are measured against, in this same run. */
  baseline: string;
  columns: string[];
  rows: Array<Array<string | number>>;
  notes?: string[];
  /** Machine-readable figures for results.json and the quick-mode assertions. */
  data?: unknown;
}

export function markdown(section: Section): string {
  const fmt = (v: string | number) => (typeof v === 'number' ? formatNumber(v) : v);
  const lines = [
    `### ${section.title}`,
    '',
    `Baseline: ${section.baseline}`,
    '',
    `| ${section.columns.join(' | ')} |`,
    `|${section.columns.map(() => '---').join('|')}|`,
    ...section.rows.map((r) => `| ${r.map(fmt).join(' | ')} |`),
  ];
  if (section.notes?.length) lines.push('', ...section.notes.map((n) => `- ${n}`));
  return lines.join('\n');
}

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-GB');
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
