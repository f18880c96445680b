import { useMemo } from 'react';
import type { ComponentProps } from 'react';
import { isLocale } from '../../../shared/locale.js';

/** Locales offered for the clinic's date and time format; the current one is added when it is not listed. */
const OFFERED = [
  'en-GB',
  'en-US',
  'en-AU',
  'en-CA',
  'en-IE',
  'en-NZ',
  'en-ZA',
  'de-DE',
  'de-AT',
  'de-CH',
  'fr-FR',
  'fr-CA',
  'es-ES',
  'es-MX',
  'it-IT',
  'nl-NL',
  'pt-PT',
  'pt-BR',
  'sv-SE',
  'da-DK',
  'nb-NO',
  'fi-FI',
  'pl-PL',
  'ja-JP',
] as const;

const EXAMPLE = new Date(2026, 10, 30, 14, 2);
const names = new Intl.DisplayNames(['en'], { type: 'language' });

/** "English (United States) — 11/30/2026, 2:02 PM": the locale's name in English and how it writes a moment. */
export function localeChoice(tag: string): string {
  const example = new Intl.DateTimeFormat(tag, { dateStyle: 'short', timeStyle: 'short' }).format(EXAMPLE);
  return `${names.of(tag) ?? tag} — ${example}`;
}

/** The clinic's date and time format: a locale, each shown with an example; `include` is listed even when it is not offered (the current one). */
export function LocaleSelect({ include, ...props }: ComponentProps<'select'> & { readonly include: string }) {
  const tags = useMemo(() => {
    const known = OFFERED.filter(isLocale) as string[];
    return known.includes(include) || !isLocale(include) ? known : [include, ...known];
  }, [include]);
  return (
    <select {...props}>
      {tags.map((tag) => (
        <option key={tag} value={tag}>
          {localeChoice(tag)}
        </option>
      ))}
    </select>
  );
}
