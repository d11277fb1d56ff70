/** What a displayed HTML body is turned into: sanitised HTML, or plain text for a message without a text part. */
export type HtmlRenderKind = 'sanitize' | 'text';

/** One HTML body to render; everything a worker thread needs, so no function or service crosses the thread. */
export interface HtmlRenderRequest {
  kind: HtmlRenderKind;
  /** The body of the HTML part as stored, still transfer-encoded. */
  body: Uint8Array;
  /** Content-Transfer-Encoding of the part, lowercased. */
  encoding: string;
  charset: string | null;
  allowRemoteImages: boolean;
  /** Content-ID (no angle brackets) → URL of that part, for `cid:` images. */
  contentIds: [string, string][];
  /** Decoded bytes of HTML rendered at most; see truncateHtmlBytes for where the cut falls. */
  limitBytes: number;
}

export interface HtmlRenderResult {
  output: string;
  /** The body was longer than limitBytes and only its beginning was rendered. */
  truncated: boolean;
}
