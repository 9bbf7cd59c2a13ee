// The suite's results as a Markdown table (printed and written to e2e-report-<language>.md).

/** `limit`: measured, and the builder cannot meet the rule; the text says why and what does hold. */
export type Cell = { status: 'pass' | 'FAIL' | 'skip' | 'n/a' | 'limit'; text: string };

export const COLUMNS = ['lock', 'I1 test target', 'I2 broken test fails', 'I3 run', 'I4 contents', 'I5 rebuild', 'I6 reproducible', 'I7 secret', 'sizes'] as const;
export type Column = (typeof COLUMNS)[number];

export class Report {
  readonly rows = new Map<string, Partial<Record<Column, Cell>>>();
  readonly notes: string[] = [];
  readonly timings: string[] = [];
  /** Further Markdown sections (heading and body), printed after the table. */
  readonly sections: string[] = [];

  /** The first column's heading. */
  constructor(readonly rowLabel = 'manager') {}

  set(row: string, column: Column, cell: Cell): void {
    const cells = this.rows.get(row) ?? {};
    cells[column] = cell;
    this.rows.set(row, cells);
  }

  pass(row: string, column: Column, text: string): void {
    this.set(row, column, { status: 'pass', text });
  }

  fail(row: string, column: Column, text: string): void {
    this.set(row, column, { status: 'FAIL', text });
  }

  skip(row: string, column: Column, text: string): void {
    this.set(row, column, { status: 'skip', text });
  }

  limit(row: string, column: Column, text: string): void {
    this.set(row, column, { status: 'limit', text });
  }

  markdown(header: string): string {
    const escape = (text: string) => text.replace(/\|/g, '\\|').replace(/\n+/g, ' ');
    const lines = [header, '', `| ${this.rowLabel} | ${COLUMNS.join(' | ')} |`, `| --- |${COLUMNS.map(() => ' --- |').join('')}`];
    for (const [row, cells] of this.rows) {
      const shown = COLUMNS.map((column) => {
        const cell = cells[column];
        return cell ? escape(`${cell.status}${cell.text ? `: ${cell.text}` : ''}`) : '—';
      });
      lines.push(`| ${row} | ${shown.join(' | ')} |`);
    }
    for (const section of this.sections) lines.push('', section.trimEnd());
    if (this.timings.length) lines.push('', '## Provisioning', '', ...this.timings.map((t) => `- ${t}`));
    if (this.notes.length) lines.push('', '## Notes', '', ...this.notes.map((n) => `- ${escape(n)}`));
    return lines.join('\n') + '\n';
  }
}
