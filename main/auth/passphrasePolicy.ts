/**
 * What a new staff passphrase must not be, after NIST SP 800-63B §5.1.1.2: no composition rules,
 * but a passphrase is refused when it is on a list of commonly used or breached passwords,
 * repetitive, or the person's own name or the clinic's. Length (10 to 1024 characters) is checked
 * by the API schema first. The list is the common-password dictionary that zxcvbn-ts ships
 * (@zxcvbn-ts/language-common, about 49,000 entries), bundled and offline; it is loaded on the
 * first check, not at start-up.
 */

let common: Promise<ReadonlySet<string>> | null = null;

function commonPasswords(): Promise<ReadonlySet<string>> {
  common ??= import('@zxcvbn-ts/language-common').then(({ dictionary }) => new Set(dictionary['passwords-common']));
  return common;
}

/** Lowercase, composed, without white space: how the list and the names are compared. */
const folded = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');

/** The passphrase without the digits and symbols people add at either end ("Password123!" → "password"). */
const core = (text: string) => text.replace(/^[\p{N}\p{P}\p{S}]+|[\p{N}\p{P}\p{S}]+$/gu, '');

export const COMMON_MESSAGE = 'This passphrase is on a list of commonly used passwords. Choose another: a few unrelated words work well.';

/**
 * Returns why `passphrase` may not be used, in words, or null when it may. `names` are words it
 * must not simply be (the staff member's name, the clinic's name).
 */
export async function passphraseProblem(passphrase: string, names: readonly string[]): Promise<string | null> {
  if (typeof passphrase !== 'string') throw new TypeError('passphrase must be a string');
  const whole = folded(passphrase);
  if (new Set(whole).size <= 2) return 'This passphrase repeats the same one or two characters. Choose one that is harder to guess.';
  const list = await commonPasswords();
  if (list.has(whole) || list.has(core(whole))) return COMMON_MESSAGE;
  for (const name of names) {
    const own = folded(name);
    if (own.length > 0 && (core(whole) === own || whole === own)) {
      return 'A passphrase must not be a name (your own or the clinic’s). Choose a few unrelated words.';
    }
  }
  return null;
}
