// The UI's one translation function. The language follows the OS (navigator.languages) until the
// user picks one in the toolbar; the choice is remembered in localStorage.

import { useSyncExternalStore } from 'react';
import { en, type MessageKey } from './en.ts';
import { zhCN } from './zh-CN.ts';

export type { MessageKey } from './en.ts';
export type Locale = 'en' | 'zh-CN';
export const LOCALES: readonly { id: Locale; label: string }[] = [
  { id: 'en', label: 'English' },
  { id: 'zh-CN', label: '简体中文' },
];

const catalogs: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };
const STORAGE_KEY = 'pktscope.locale';

/** Picks a supported locale from a list of BCP 47 tags (the OS preference order). */
export function matchLocale(tags: readonly string[]): Locale {
  for (const tag of tags) {
    const t = tag.toLowerCase();
    if (t === 'zh' || t.startsWith('zh-cn') || t.startsWith('zh-hans') || t.startsWith('zh-sg')) return 'zh-CN';
    if (t.startsWith('en')) return 'en';
  }
  return 'en';
}

function initialLocale(): Locale {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    // storage can be blocked; fall back to the OS language
  }
  const nav = (globalThis as { navigator?: { languages?: readonly string[]; language?: string } }).navigator;
  return matchLocale(nav?.languages ?? (nav?.language ? [nav.language] : []));
}

let locale: Locale = initialLocale();
// Screen readers and fonts follow <html lang>: set it for the starting language too.
if (typeof document !== 'undefined') document.documentElement.lang = locale;
const listeners = new Set<() => void>();

export function getLocale(): Locale {
  return locale;
}

export function setLocale(l: Locale): void {
  if (l === locale) return;
  locale = l;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, l);
  } catch {
    // not remembered, still switched
  }
  if (typeof document !== 'undefined') document.documentElement.lang = l;
  for (const f of listeners) f();
}

export type Params = Record<string, string | number>;

/** Translates a key in a given locale, filling `{name}` placeholders. */
export function translate(l: Locale, key: MessageKey, params?: Params): string {
  const s = catalogs[l][key] ?? en[key];
  if (!params) return s;
  return s.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** Translates in the current locale (outside React, or in event handlers). */
export function t(key: MessageKey, params?: Params): string {
  return translate(locale, key, params);
}

/** React: re-renders the component when the language changes; returns t. */
export function useT(): typeof t {
  useSyncExternalStore(
    (f) => {
      listeners.add(f);
      return () => listeners.delete(f);
    },
    () => locale,
  );
  return t;
}
