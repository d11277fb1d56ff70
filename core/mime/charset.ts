import { isUtf8 } from 'node:buffer';
import { decode } from 'libmime/lib/charset.js';

const UTF8_LIKE = new Set(['', 'utf-8', 'utf8', 'us-ascii', 'ascii', 'ansi_x3.4-1968', '7bit', '8bit']);
// GB2312 and GBK labels routinely carry characters only GBK/GB18030 define; GB18030 is a superset of both.
const GB_FAMILY = new Set(['gb2312', 'gbk', 'cp936', 'x-gbk', 'euc-cn', 'gb18030', 'csgb2312']);

/**
 * Decodes text bytes in the given charset into a string and never throws.
 *
 * Unlabelled or US-ASCII/UTF-8 labelled bytes are read as UTF-8 when valid and as windows-1252
 * otherwise (8-bit text with a missing or wrong label is most often Latin-1 family). Japanese
 * charsets (ISO-2022-JP, EUC-JP, Shift_JIS) go through libmime, which uses encoding-japanese for them.
 */
export function decodeCharset(bytes: Buffer, charset: string | null | undefined): string {
  const name = (charset ?? '').trim().toLowerCase();
  try {
    if (UTF8_LIKE.has(name)) {
      if (isUtf8(bytes)) return bytes.toString('utf8');
      return name === 'utf-8' || name === 'utf8' ? bytes.toString('utf8') : decode(bytes, 'windows-1252');
    }
    if (GB_FAMILY.has(name)) return decode(bytes, 'gb18030');
    return decode(bytes, name);
  } catch {
    return bytes.toString('utf8');
  }
}
