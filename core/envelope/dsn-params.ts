/**
 * The DSN extension's envelope parameters (RFC 3461): RET and ENVID on MAIL FROM, NOTIFY and ORCPT on RCPT TO.
 * smtp-server has already decoded the xtext of every parameter value (and refused control characters); what
 * is checked here is what the values mean.
 */

export type DsnNotify = 'SUCCESS' | 'FAILURE' | 'DELAY';

/** MAIL FROM parameters; null = not given. */
export interface EnvelopeDsn {
  ret: 'FULL' | 'HDRS' | null;
  envid: string | null;
}

/** RCPT TO parameters; `notify` null = not given (failures only, RFC 3461 §4.1), [] = NEVER. */
export interface RecipientDsn {
  notify: DsnNotify[] | null;
  /** ORCPT as address type and decoded address, e.g. `rfc822;ann@example.org`. */
  orcpt: string | null;
}

/** What a queued or delivered message carries: envelope parameters and those of each final recipient. */
export interface MessageDsn extends EnvelopeDsn {
  recipients: Readonly<Record<string, RecipientDsn>>;
}

export const NO_ENVELOPE_DSN: EnvelopeDsn = { ret: null, envid: null };

export type DsnParse<T> = { ok: true; value: T } | { ok: false; text: string };

type Args = Record<string, string | true> | false | undefined;

/** RFC 3461 §4.4: ENVID is at most 100 characters. */
const MAX_ENVID = 100;
/** RFC 3461 §4.2: ORCPT is at most 500 characters. */
const MAX_ORCPT = 500;
const ADDRESS_TYPE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
const PRINTABLE = /^[\x21-\x7e]+$/;

export function parseMailDsn(args: Args): DsnParse<EnvelopeDsn> {
  const ret = value(args, 'RET');
  const envid = value(args, 'ENVID');
  if (ret === true || envid === true) return { ok: false, text: 'DSN parameter requires a value' };
  const upperRet = ret?.toUpperCase() ?? null;
  if (upperRet !== null && upperRet !== 'FULL' && upperRet !== 'HDRS') return { ok: false, text: 'RET must be FULL or HDRS' };
  if (envid !== undefined && (envid.length > MAX_ENVID || !PRINTABLE.test(envid))) {
    return { ok: false, text: 'ENVID must be 1 to 100 printable US-ASCII characters' };
  }
  return { ok: true, value: { ret: upperRet, envid: envid ?? null } };
}

export function parseRcptDsn(args: Args): DsnParse<RecipientDsn> {
  const notify = value(args, 'NOTIFY');
  const orcpt = value(args, 'ORCPT');
  if (notify === true || orcpt === true) return { ok: false, text: 'DSN parameter requires a value' };
  let parsedNotify: DsnNotify[] | null = null;
  if (notify !== undefined) {
    const values = notify.toUpperCase().split(',');
    if (new Set(values).size !== values.length) return { ok: false, text: 'NOTIFY lists a value twice' };
    if (values.includes('NEVER')) {
      if (values.length > 1) return { ok: false, text: 'NOTIFY=NEVER cannot be combined with other values' };
      parsedNotify = [];
    } else {
      if (!values.every((item): item is DsnNotify => item === 'SUCCESS' || item === 'FAILURE' || item === 'DELAY')) {
        return { ok: false, text: 'NOTIFY must be NEVER or a list of SUCCESS, FAILURE, DELAY' };
      }
      parsedNotify = values;
    }
  }
  let parsedOrcpt: string | null = null;
  if (orcpt !== undefined) {
    const separator = orcpt.indexOf(';');
    const type = orcpt.slice(0, separator);
    const address = separator > 0 ? decodeAddress(type, orcpt.slice(separator + 1)) : null;
    if (orcpt.length > MAX_ORCPT || !ADDRESS_TYPE.test(type) || !address) return { ok: false, text: 'ORCPT must be addr-type;address' };
    parsedOrcpt = `${type.toLowerCase()};${address}`;
  }
  return { ok: true, value: { notify: parsedNotify, orcpt: parsedOrcpt } };
}

/** Whether the recipient asked for a notice of this kind; without NOTIFY only failures are reported. */
export function wantsNotice(dsn: RecipientDsn | undefined, on: DsnNotify): boolean {
  if (!dsn?.notify) return on === 'FAILURE';
  return dsn.notify.includes(on);
}

/** True when a recipient carries any DSN parameter worth storing or passing on. */
export function hasRecipientDsn(dsn: RecipientDsn | undefined): dsn is RecipientDsn {
  return !!dsn && (dsn.notify !== null || dsn.orcpt !== null);
}

/**
 * The address part of ORCPT, already xtext-decoded by smtp-server. RFC 6533 §3: a `utf-8` address carries
 * non-ASCII as `\x{HEX}`; an `rfc822` address is printable US-ASCII.
 */
function decodeAddress(type: string, address: string): string | null {
  if (address.length === 0) return null;
  if (type.toLowerCase() === 'utf-8') {
    let invalid = false;
    const decoded = address.replace(/\\x\{([0-9A-Fa-f]{1,6})\}/g, (_match, hex: string) => {
      const code = parseInt(hex, 16);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) invalid = true;
      return invalid ? '' : String.fromCodePoint(code);
    });
    return invalid || /[\x00-\x20\x7f]/.test(decoded) ? null : decoded;
  }
  return PRINTABLE.test(address) ? address : null;
}

function value(args: Args, key: string): string | true | undefined {
  return args ? args[key] : undefined;
}
