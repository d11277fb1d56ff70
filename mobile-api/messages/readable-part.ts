import type { MimePart } from '../../core/mime/message-analysis.types.js';

const isBody = (part: MimePart, subtype: 'plain' | 'html') =>
  !part.parts && part.type === 'text' && part.subtype === subtype && part.disposition?.type !== 'attachment' && part.filename === undefined;

/**
 * The part a reader reads: the first plain text of the message that is not an attachment, else its first HTML
 * (read as text). Encapsulated messages (message/rfc822) are attachments, not searched.
 */
export function readablePart(root: MimePart): MimePart | null {
  const leaves: MimePart[] = [];
  const visit = (part: MimePart) => {
    if (part.parts) part.parts.forEach(visit);
    else leaves.push(part);
  };
  visit(root);
  return leaves.find((part) => isBody(part, 'plain')) ?? leaves.find((part) => isBody(part, 'html')) ?? null;
}
