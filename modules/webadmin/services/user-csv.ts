/** One row of a user import: `address,password,name,quota_mb` (RFC 4180 CSV with a header line). */
export interface UserCsvRow {
  /** 1-based line of the file (the header is line 1). */
  line: number;
  address: string;
  password: string;
  name: string;
  quotaMb: string;
}

export const USER_CSV_HEADER = ['address', 'password', 'name', 'quota_mb'] as const;

/** The records of a CSV text (RFC 4180 §2: quoted fields may hold commas, quotes doubled, line breaks). */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') {
        quoted = false;
      } else {
        if (char === '\n') line++;
        field += char;
      }
    } else if (char === '"' && field === '') {
      quoted = true;
    } else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      fields.push(field);
      if (fields.length > 1 || fields[0] !== '') records.push({ line: start, fields });
      fields = [];
      field = '';
      line++;
      start = line;
    } else {
      field += char;
    }
  }
  fields.push(field);
  if (fields.length > 1 || fields[0] !== '') records.push({ line: start, fields });
  return records;
}

/** The user rows of an import file, or the reason the file as a whole is refused (its header). */
export function userRows(text: string): { rows: UserCsvRow[] } | { refusal: string } {
  const records = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = records.shift();
  const names = header?.fields.map((name) => name.trim().toLowerCase()) ?? [];
  if (names.join(',') !== USER_CSV_HEADER.join(',')) return { refusal: `the first line must be ${USER_CSV_HEADER.join(',')}` };
  return {
    rows: records.map(({ line, fields }) => ({
      line,
      address: (fields[0] ?? '').trim(),
      password: fields[1] ?? '',
      name: (fields[2] ?? '').trim(),
      quotaMb: (fields[3] ?? '').trim(),
    })),
  };
}
