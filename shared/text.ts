/** Search tokens of a name: lower case, accents removed, split on anything not a letter or digit. */
export function nameTokens(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0);
}

/** The digits of a phone number, for matching however it was typed. */
export function phoneDigits(text: string | null): string | null {
  if (text === null) return null;
  const digits = text.replace(/\D/g, '');
  return digits === '' ? null : digits;
}
