/**
 * `addI18n` (AtomicX's way to add or override UI strings) and the language of onseat's own components. Strings are
 * looked up in the current language, then in `en-US`, then the key itself is shown. `setLanguage()` switches every
 * mounted component at once (the lookups are reactive).
 */
import { shallowRef, triggerRef } from 'vue';
import { EN_US, ZH_CN } from './strings.js';

type Bundle = Record<string, unknown>;

const bundles = new Map<string, Bundle>();
const version = shallowRef(0);
const language = shallowRef('en-US');

function merge(target: Bundle, source: Bundle, deep: boolean, overwrite: boolean): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    const bothObjects = typeof existing === 'object' && existing !== null && typeof value === 'object' && value !== null;
    if (deep && bothObjects) merge(existing as Bundle, value as Bundle, deep, overwrite);
    else if (existing === undefined || overwrite) target[key] = deep && typeof value === 'object' && value !== null ? structuredClone(value) : value;
  }
}

/**
 * Add strings for language `lng` (`'en-US'`, `'zh-CN'`, …): `resource.translation` is a map of key → text (nested
 * objects are looked up with dotted keys). `deep` (default true) merges into what is there; `overwrite` (default
 * false) replaces texts that exist already — as i18next's `addResourceBundle`, which AtomicX's `addI18n` wraps.
 */
export function addI18n(
  lng: string,
  resource: { translation?: Record<string, unknown> } | Record<string, unknown>,
  deep = true,
  overwrite = false,
): void {
  const translation = (resource as { translation?: unknown }).translation;
  const source = (typeof translation === 'object' && translation !== null ? translation : resource) as Bundle;
  const bundle = bundles.get(lng) ?? {};
  if (!deep && overwrite) bundles.set(lng, { ...bundle, ...source });
  else {
    merge(bundle, source, deep, overwrite);
    bundles.set(lng, bundle);
  }
  version.value += 1;
  triggerRef(version);
}

/** Switch the language of onseat's components (`'en-US'` and `'zh-CN'` are built in; others need `addI18n`). */
export function setLanguage(lng: string): void {
  language.value = lng;
}

/** The language onseat's components currently use. */
export function getLanguage(): string {
  return language.value;
}

function lookup(bundle: Bundle | undefined, key: string): string | undefined {
  if (!bundle) return undefined;
  const direct = bundle[key];
  if (typeof direct === 'string') return direct;
  let node: unknown = bundle;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Bundle)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** The text of `key` in the current language (reactive inside render functions); `{{name}}` placeholders are filled from `params`. */
export function t(key: string, params?: Record<string, string | number>): string {
  void version.value;
  const text = lookup(bundles.get(language.value), key) ?? lookup(bundles.get('en-US'), key) ?? key;
  return params ? text.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : text;
}

addI18n('en-US', { translation: EN_US });
addI18n('zh-CN', { translation: ZH_CN });
