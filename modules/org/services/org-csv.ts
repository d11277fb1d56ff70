/**
 * CSV for the organisation import and export (RFC 4180: comma separated, fields with comma, quote or line break
 * quoted, quotes doubled, CRLF line ends). A field a spreadsheet would run as a formula (=, +, -, @ first) is written
 * with a leading apostrophe, which reading takes off again, so phone numbers like +86… survive the round trip.
 */
const FORMULA = /^[=+\-@\t\r]/;

export function csvField(value: string): string {
  const safe = FORMULA.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Parses CSV text into rows of fields; a UTF-8 BOM (Excel's) is skipped, blank lines are dropped. */
export function parseCsv(text: string): string[][] {
  return parseCsvLines(text).map((row) => row.fields);
}

/** Rows with the line each starts on. */
function parseCsvLines(text: string): { line: number; fields: string[] }[] {
  const rows: { line: number; fields: string[] }[] = [];
  let line = 1;
  let start = 1;
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let index = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endField = () => {
    row.push(field.length > 1 && field.startsWith("'") && FORMULA.test(field.slice(1)) ? field.slice(1) : field);
    field = '';
  };
  const endRow = () => {
    endField();
    if (row.length > 1 || row[0] !== '') rows.push({ line: start, fields: row });
    row = [];
    start = line;
  };
  for (; index < text.length; index++) {
    const char = text[index]!;
    if (char === '\n') line++;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') endField();
    else if (char === '\n') endRow();
    else if (char !== '\r') field += char;
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

/** Rows as records keyed by the header's (lower-cased) column names, each with its 1-based line number. */
export function csvRecords(text: string): { line: number; get: (column: string) => string }[] {
  const [header, ...rows] = parseCsvLines(text);
  if (!header) return [];
  const columns = new Map(header.fields.map((name, index) => [name.trim().toLowerCase(), index]));
  return rows.map((row) => ({
    line: row.line,
    get: (column: string) => {
      const at = columns.get(column);
      return at === undefined ? '' : (row.fields[at] ?? '').trim();
    },
  }));
}
