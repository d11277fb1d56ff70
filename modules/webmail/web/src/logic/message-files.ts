/** A file name for a whole message: its subject without characters file systems refuse, then `.eml`. */
export function emlName(subject: string): string {
  const base = subject
    .replace(/\s+/g, ' ')
    .replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, '_')
    .trim()
    .slice(0, 100)
    .replace(/^\.+/, '');
  return `${base || 'message'}.eml`;
}
