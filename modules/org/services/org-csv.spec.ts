import { describe, expect, it } from 'vitest';
import { csvRecords, parseCsv, toCsv } from './org-csv.js';

describe('organisation CSV', () => {
  it('round-trips quotes, commas, line breaks, Chinese text and formula-like phone numbers', () => {
    const rows = [['张伟', 'a "quoted", text', 'two\r\nlines', '+86 10 5550', '=1+1', '']];
    const text = toCsv(['name', 'note', 'text', 'phone', 'formula', 'empty'], rows);
    expect(text).toContain("'+86 10 5550");
    expect(parseCsv(text)).toEqual([['name', 'note', 'text', 'phone', 'formula', 'empty'], ...rows]);
  });

  it('reads Excel output: BOM, LF line ends, blank lines, columns by header name', () => {
    const records = csvRecords('\ufeffCode,Name\nS,Sales\n\nF,Finance\n');
    expect(records.map((record) => [record.line, record.get('code'), record.get('name'), record.get('missing')])).toEqual([
      [2, 'S', 'Sales', ''],
      [4, 'F', 'Finance', ''],
    ]);
  });
});
