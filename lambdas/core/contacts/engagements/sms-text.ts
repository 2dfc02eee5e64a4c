/**
 * SMS text that fits one segment. Carriers bill and split by segment: 160 characters of the GSM 03.38 alphabet
 * (GSM-7), but one character outside it (a curly quote, an emoji) switches the whole message to UCS-2 and 70
 * characters. So page texts are transliterated to GSM-7 first (typographic quotes and dashes to ASCII, accents
 * dropped where GSM-7 has no such letter, anything else to "?"), then cut to 160 septets, counting the extension
 * characters (^ { } \ [ ] ~ | €) as the two septets they take.
 */

/** The GSM 03.38 basic character set (one septet each; the escape code excluded). */
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** The extension table: two septets each (escape + character). */
const EXTENDED = '^{}\\[~]|€\f';

const basic = new Set(BASIC);
const extended = new Set(EXTENDED);

/** One GSM-7 segment of a single-part message. */
export const SMS_SEGMENT_SEPTETS = 160;

/** Septets `text` takes in GSM-7, or undefined when a character is not in GSM-7 (the message would be UCS-2). */
export function gsm7Septets(text: string): number | undefined {
  let septets = 0;
  for (const ch of text) {
    if (basic.has(ch)) septets += 1;
    else if (extended.has(ch)) septets += 2;
    else return undefined;
  }
  return septets;
}

const REPLACEMENTS: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201b': "'",
  '\u2032': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u2033': '"',
  '\u00ab': '"',
  '\u00bb': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u2010': '-',
  '\u2011': '-',
  '\u2026': '...',
  '\u2022': '*',
  '\u00b7': '.',
  '\u00a0': ' ',
  '\u2009': ' ',
  '\u202f': ' ',
  '\t': ' ',
  '\u2122': 'TM',
  '\u00a9': '(c)',
  '\u00ae': '(R)',
  '\u2192': '->',
  '\u2190': '<-',
  '`': "'",
};

/** `text` in GSM-7 characters only: typographic punctuation to ASCII, accents dropped where needed, others to "?". */
export function toGsm7(text: string): string {
  let out = '';
  for (const ch of text) {
    if (basic.has(ch) || extended.has(ch)) out += ch;
    else if (REPLACEMENTS[ch] !== undefined) out += REPLACEMENTS[ch];
    else {
      // é is in GSM-7 (kept above); á is not: its base letter is.
      const base = ch.normalize('NFD').replace(/\p{M}+/gu, '');
      out += base && [...base].every((c) => basic.has(c)) ? base : '?';
    }
  }
  return out;
}

/** Cuts `text` (already GSM-7) to at most `septets`, ending in "..." when it had to cut. */
export function cutToSeptets(text: string, septets: number): string {
  if ((gsm7Septets(text) ?? Number.POSITIVE_INFINITY) <= septets) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const cost = extended.has(ch) ? 2 : 1;
    if (used + cost > septets - 3) break;
    out += ch;
    used += cost;
  }
  return `${out.trimEnd()}...`;
}

/**
 * One SMS segment: `head` (what is wrong; cut first) followed by `tail` (how to acknowledge; never cut), both
 * transliterated to GSM-7. Whitespace runs collapse, since line breaks in a one-line page only cost characters.
 */
export function oneSegment(head: string, tail: string): string {
  const clean = (s: string) => toGsm7(s).replace(/\s+/g, ' ').trim();
  const end = clean(tail);
  const room = SMS_SEGMENT_SEPTETS - (gsm7Septets(end) ?? end.length) - 1;
  return `${cutToSeptets(clean(head), Math.max(room, 0))} ${end}`.trim();
}
