import { pinyin } from 'pinyin-pro';

/** The fields of a person a directory search matches. */
export interface SearchableFields {
  name: string;
  address: string;
  title: string;
  phone: string;
  mobile: string;
}

const MAX_KEY = 200;
const HAN = /\p{Script=Han}/u;

/** Pinyin of a name without tones or spaces, and its initials; surnames read as surnames (单 → shan, not dan). */
export function pinyinOf(name: string): { full: string; initials: string } | null {
  if (!HAN.test(name)) return null;
  const options = { toneType: 'none', type: 'array', surname: 'head', nonZh: 'consecutive' } as const;
  const syllables = pinyin(name, options)
    .map((part) => part.toLowerCase().replace(/[^a-z0-9]/g, ''))
    .filter(Boolean);
  return { full: syllables.join(''), initials: syllables.map((part) => part[0]).join('') };
}

/** Lower-cased and trimmed, as keys are stored and queries compared. */
export function normalizeQuery(input: string): string {
  return input.trim().toLowerCase().replace(/\s+/g, ' ').slice(0, MAX_KEY);
}

/**
 * Every prefix-searchable key of a person: the name and each of its words, its pinyin and initials, the address
 * and its local part, phone numbers (digits only too) and the title. Searching is then `key` ≥ query and < query+max.
 */
export function searchKeys(fields: SearchableFields): string[] {
  const keys = new Set<string>();
  const add = (value: string) => {
    const key = normalizeQuery(value);
    if (key) keys.add(key);
  };
  add(fields.name);
  for (const word of fields.name.split(/\s+/).slice(1)) add(word);
  const spelled = pinyinOf(fields.name);
  if (spelled) {
    add(spelled.full);
    add(spelled.initials);
  }
  add(fields.address);
  for (const phone of [fields.phone, fields.mobile]) {
    add(phone);
    add(phone.replace(/\D/g, ''));
  }
  add(fields.title);
  return [...keys];
}

/** The upper end of the prefix range for `prefix`: every string that starts with it sorts below. */
export function prefixEnd(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}

/** A membership's place in its department's list: managers first, then by the person's sort key. */
export function membershipSortKey(isManager: boolean, personSortKey: string): string {
  return `${isManager ? 0 : 1}${personSortKey}`;
}

/** What lists are sorted by: pinyin for Chinese names so 张 sorts among z, the name itself otherwise. */
export function sortKeyOf(name: string): string {
  return (pinyinOf(name)?.full ?? normalizeQuery(name)).slice(0, 190);
}
