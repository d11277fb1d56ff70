import { parseAddressList } from '../mime/address.parser.js';
import { fieldValue, parseHeader, type ParsedHeader } from '../mime/header.parser.js';

/** The From header fields of a message: how many there are, and every address of all of them. */
export interface FromFields {
  count: number;
  /** `mailbox@host` of each address, members of groups included (RFC 5322 §3.4 group syntax). */
  addresses: string[];
}

/** The From fields of a message head (`header` parsed from it when not given). */
export function fromFields(head: Buffer, header: ParsedHeader = parseHeader(head, 0, head.length)): FromFields {
  const fields = header.fields.filter((field) => field.name === 'from');
  const addresses: string[] = [];
  for (const field of fields) {
    for (const entry of parseAddressList(fieldValue(head, field))) {
      if (entry.mailbox && entry.host) addresses.push(`${entry.mailbox}@${entry.host}`);
    }
  }
  return { count: fields.length, addresses };
}
