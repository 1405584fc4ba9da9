import i18next, { type TFunction } from "i18next";
import { initReactI18next } from "react-i18next";
import { en, id } from "../locales/index.ts";
import { ApiError } from "./api.ts";
import type { Language } from "./types.ts";

const STORAGE_KEY = "eskala.lang";

/** Indonesian unless the browser (or an earlier choice) says English. */
function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === "id" || stored === "en") return stored;
  return navigator.language.toLowerCase().startsWith("en") ? "en" : "id";
}

export function setupI18n(): typeof i18next {
  const lng = initialLanguage();
  void i18next.use(initReactI18next).init({
    resources: { id: { translation: id }, en: { translation: en } },
    lng,
    fallbackLng: "en",
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = lng;
  return i18next;
}

/** Switch the UI language (the caller also saves it on the profile when signed in). */
export async function changeLanguage(lang: Language): Promise<void> {
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
  if (i18next.language !== lang) await i18next.changeLanguage(lang);
}

export function currentLanguage(): Language {
  return i18next.language === "en" ? "en" : "id";
}

/** Pick the viewer's language from a server {id, en} text. */
export function localized(text: { id: string; en: string } | null | undefined, lang: string): string {
  if (!text) return "";
  return lang === "en" ? text.en : text.id;
}

const FIELD_PATTERNS: [RegExp, (m: RegExpMatchArray, t: TFunction) => string][] = [
  [/^Too small: expected string to have >=1 characters?/i, (_m, t) => t("errors.field.required")],
  [/^Invalid input: expected \w+, received undefined/i, (_m, t) => t("errors.field.required")],
  [/required/i, (_m, t) => t("errors.field.required")],
  [/^Too small: expected string to have >=(\d+)/i, (m, t) => t("errors.field.min_length", { n: m[1] })],
  [/^Too big: expected string to have <=(\d+)/i, (m, t) => t("errors.field.max_length", { n: m[1] })],
  [/^Too small: expected number to be >=?(\d+)/i, (m, t) => t("errors.field.min", { n: m[1] })],
  [/^Too big: expected number to be <=?(\d+)/i, (m, t) => t("errors.field.max", { n: m[1] })],
  [/^Too big: expected array to have <=(\d+)/i, (m, t) => t("errors.field.max_items", { n: m[1] })],
  [/email/i, (_m, t) => t("errors.field.email")],
  [/^Invalid (option|enum)/i, (_m, t) => t("errors.field.choice")],
  [/^Invalid (UUID|uuid)/i, (_m, t) => t("errors.field.choice")],
  [/^Invalid ISO datetime|^Invalid datetime/i, (_m, t) => t("errors.field.datetime")],
  [/^Invalid url|^Invalid URL/i, (_m, t) => t("errors.field.url")],
  [/already (exists|taken|in use|used)|^taken$/i, (_m, t) => t("errors.field.taken")],
];

/** A server field message in the viewer's language when it is one we know; as sent otherwise. */
export function translateFieldMessage(message: string, t: TFunction): string {
  for (const [re, fn] of FIELD_PATTERNS) {
    const m = message.match(re);
    if (m) return fn(m, t);
  }
  return message;
}

const KNOWN_CODES = new Set([
  "network",
  "malformed_request",
  "unauthenticated",
  "csrf_failed",
  "forbidden",
  "not_found",
  "conflict",
  "invalid_transition",
  "version_conflict",
  "payload_too_large",
  "validation_failed",
  "rate_limited",
  "internal",
  "unavailable",
  "uri_too_long",
  "headers_too_large",
  "request_timeout",
]);

/** One sentence for any failure, in the viewer's language. */
export function errorMessage(err: unknown, t: TFunction): string {
  if (err instanceof ApiError) {
    if (err.isNotAvailable) return t("errors.not_available");
    const code = KNOWN_CODES.has(err.code) ? err.code : "internal";
    const base = t(`errors.code.${code}`);
    // The server's detail is English; add it for English readers when it says more than the code.
    if (i18next.language === "en" && err.detail && code !== "validation_failed" && code !== "network") {
      return `${base} ${err.detail}`;
    }
    return base;
  }
  return t("errors.code.internal");
}
