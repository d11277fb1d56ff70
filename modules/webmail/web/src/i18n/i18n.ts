import { createContext, useContext } from 'react';
import { en, zhCN, type MessageKey } from './messages.js';

export type Language = 'en' | 'zh-CN';

export const LANGUAGES: readonly { id: Language; label: string }[] = [
  { id: 'en', label: 'English' },
  { id: 'zh-CN', label: '简体中文' },
];

const TABLES: Record<Language, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };
const STORAGE_KEY = 'mailhive.language';

/** The language chosen before, else the browser's first language we have (any zh-* → zh-CN), else English. */
export function pickLanguage(saved: string | null, browser: readonly string[]): Language {
  if (saved === 'en' || saved === 'zh-CN') return saved;
  for (const tag of browser) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

export function initialLanguage(): Language {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(STORAGE_KEY);
  } catch {
    // storage disabled: follow the browser
  }
  return pickLanguage(saved, navigator.languages?.length ? navigator.languages : [navigator.language]);
}

export function rememberLanguage(language: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
}

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/**
 * Fills `{name}` placeholders and ICU plural arguments, `{count, plural, one {# message} other {# messages}}`, the
 * form chosen by the language's plural rules (Intl.PluralRules), `#` standing for the number. `=N` picks an exact
 * value. Only this subset of ICU MessageFormat is understood; the tables use nothing else.
 */
export function formatMessage(text: string, values: Record<string, string | number>, language: Language): string {
  const rules = new Intl.PluralRules(language);
  let result = '';
  let index = 0;
  while (index < text.length) {
    const open = text.indexOf('{', index);
    if (open < 0) break;
    result += text.slice(index, open);
    const plural = /^\{(\w+), plural,/.exec(text.slice(open));
    if (!plural) {
      const close = text.indexOf('}', open);
      const name = text.slice(open + 1, close);
      result += name in values ? String(values[name]) : text.slice(open, close + 1);
      index = close + 1;
      continue;
    }
    // The plural argument: `selector {text}` pairs up to its closing brace (texts hold no further braces).
    const count = Number(values[plural[1]] ?? 0);
    const forms = new Map<string, string>();
    let cursor = open + plural[0].length;
    for (;;) {
      while (text[cursor] === ' ') cursor++;
      if (text[cursor] === '}' || cursor >= text.length) break;
      const braceAt = text.indexOf('{', cursor);
      const selector = text.slice(cursor, braceAt).trim();
      const end = text.indexOf('}', braceAt);
      forms.set(selector, text.slice(braceAt + 1, end));
      cursor = end + 1;
    }
    const form = forms.get(`=${count}`) ?? forms.get(rules.select(count)) ?? forms.get('other') ?? '';
    result += form.replace(/#/g, count.toLocaleString(language));
    index = cursor + 1;
  }
  return result + text.slice(index);
}

export function translator(language: Language): Translate {
  const table = TABLES[language];
  return (key, values) => {
    const text = table[key] ?? en[key];
    return values ? formatMessage(text, values, language) : text;
  };
}

export interface I18n {
  language: Language;
  t: Translate;
  setLanguage: (language: Language) => void;
}

export const I18nContext = createContext<I18n>({ language: 'en', t: translator('en'), setLanguage: () => undefined });

export function useI18n(): I18n {
  return useContext(I18nContext);
}
