import { useState, type FormEvent } from 'react';
import { importUsers, type ImportResult } from './api.js';
import { errorText, useTexts } from './app.js';

/** Records per request: well under the server's 500 lines and 64 KiB per part. */
const ROWS_PER_PART = 200;

interface Part {
  /** The header line and the part's records. */
  csv: string;
  /** File line of the part's first record. */
  firstLine: number;
  records: number;
}

/** Cuts a CSV file into parts of whole records (a quoted field may hold line breaks), each with the header. */
export function csvParts(text: string, rowsPerPart = ROWS_PER_PART): Part[] {
  const records: { text: string; line: number }[] = [];
  let quoted = false;
  let start = 0;
  let line = 1;
  let startLine = 1;
  for (let index = 0; index <= text.length; index++) {
    const char = text[index];
    if (char === '"') quoted = !quoted;
    if (index === text.length || (char === '\n' && !quoted)) {
      const record = text.slice(start, index).replace(/\r$/, '');
      if (record.trim() !== '') records.push({ text: record, line: startLine });
      start = index + 1;
      startLine = line + 1;
    }
    if (char === '\n') line++;
  }
  const [header, ...rows] = records;
  if (!header) return [];
  const parts: Part[] = [];
  for (let index = 0; index < rows.length; index += rowsPerPart) {
    const slice = rows.slice(index, index + rowsPerPart);
    parts.push({ csv: [header.text, ...slice.map((row) => row.text)].join('\n'), firstLine: slice[0]!.line, records: slice.length });
  }
  return parts;
}

export function UserImport({ onDone }: { onDone: (imported: number) => void }) {
  const t = useTexts();
  const [progress, setProgress] = useState<{ done: number; total: number; phase: 'check' | 'import' } | null>(null);
  const [result, setResult] = useState<{ imported: number; errors: ImportResult['errors']; stopped: boolean } | null>(null);
  const [error, setError] = useState('');

  const run = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get('file');
    const skipBadRows = form.get('skipBadRows') === 'on';
    if (!(file instanceof File)) return;
    setError('');
    setResult(null);
    try {
      const parts = csvParts(await file.text());
      const total = parts.reduce((sum, part) => sum + part.records, 0);
      const errors: ImportResult['errors'] = [];
      const fileLine = (part: Part, line: number) => part.firstLine + line - 2;
      // The whole file is checked before its first part is imported: with a bad line nothing is half-imported.
      let done = 0;
      for (const part of parts) {
        setProgress({ done, total, phase: 'check' });
        const checked = await importUsers(part.csv, { skipBadRows, dryRun: true });
        errors.push(...checked.errors.map((item) => ({ ...item, line: fileLine(part, item.line) })));
        done += part.records;
      }
      if (errors.length > 0 && !skipBadRows) {
        setResult({ imported: 0, errors, stopped: true });
        setProgress(null);
        return;
      }
      done = 0;
      let imported = 0;
      const late: ImportResult['errors'] = [];
      for (const part of parts) {
        setProgress({ done, total, phase: 'import' });
        const outcome = await importUsers(part.csv, { skipBadRows: true, dryRun: false });
        imported += outcome.imported;
        late.push(...outcome.errors.map((item) => ({ ...item, line: fileLine(part, item.line) })));
        done += part.records;
      }
      setProgress({ done, total, phase: 'import' });
      setResult({ imported, errors: late, stopped: false });
      onDone(imported);
    } catch (caught) {
      setError(errorText(t, caught));
      setProgress(null);
    }
  };

  return (
    <form className="card editor" onSubmit={run} aria-label={t.importUsers}>
      <h2>{t.importUsers}</h2>
      <p className="muted wide">{t.importHelp}</p>
      <label>
        {t.csvFile}
        <input name="file" type="file" accept=".csv,text/csv" required />
      </label>
      <label className="check">
        <input name="skipBadRows" type="checkbox" /> {t.skipBadRows}
      </label>
      <div className="buttons">
        <button className="primary" type="submit" disabled={progress !== null && progress.done < progress.total}>
          {t.importButton}
        </button>
      </div>
      {progress && (
        <div className="wide">
          <label>
            {progress.phase === 'check' ? t.checking : t.importing}
            <progress max={progress.total} value={progress.done} aria-label={t.importProgress}>
              {progress.done}
            </progress>
          </label>
          <span className="muted" role="status">
            {progress.done} / {progress.total}
          </span>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <div className="wide import-result">
          <p role="status" className={result.stopped ? 'error' : 'notice'}>
            {result.stopped ? t.importStopped(result.errors.length) : t.imported(result.imported, result.errors.length)}
          </p>
          {result.errors.length > 0 && (
            <div className="table-wrap">
              <table aria-label={t.importErrors}>
                <thead>
                  <tr>
                    <th scope="col">{t.line}</th>
                    <th scope="col">{t.address}</th>
                    <th scope="col">{t.problem}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.errors.slice(0, 500).map((item) => (
                    <tr key={item.line}>
                      <td data-label={t.line}>{item.line}</td>
                      <td data-label={t.address}>{item.address}</td>
                      <td data-label={t.problem}>{item.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </form>
  );
}
