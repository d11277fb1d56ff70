/** What happened to one recipient in one delivery attempt. */
export interface RecipientResult {
  recipient: string;
  status: 'delivered' | 'deferred' | 'failed';
  /** The remote reply or the local reason, for logs, lastError and the DSN. */
  response: string;
  remoteMta: string | null;
  /** The remote server advertised DSN and took the RFC 3461 parameters: reporting success is its job now. */
  dsnPassedOn?: boolean;
}

/** The RFC 3463 status of a reply: its enhanced code when it has one, else one derived from the reply code. */
export function statusOf(result: Pick<RecipientResult, 'status' | 'response'>): string {
  const enhanced = /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(result.response);
  if (enhanced) return enhanced[1]!;
  return result.status === 'failed' ? '5.0.0' : '4.0.0';
}
