import type { AuditEntryModel } from '../models/audit-entry.model.js';

const HEADER = ['id', 'time', 'actor', 'role', 'action', 'target', 'client', 'detail'];

/**
 * One CSV field (RFC 4180 §2: quoted when it holds a comma, quote or line break; quotes doubled). A field a
 * spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe: the log holds client-chosen text.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The audit log as CSV with CRLF line ends, header first. */
export function auditCsv(entries: readonly AuditEntryModel[]): string {
  const rows = entries.map((entry) => [
    entry.id,
    entry.at.toISOString(),
    entry.actor,
    entry.actorRole,
    entry.action,
    entry.target,
    entry.clientAddress,
    entry.detail,
  ]);
  return [HEADER, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
