// One lookup table classifies every ASCII character, so tokenising is a single cheap pass.
export const SPACE = 0;
/** Punctuation that splits a token into words and is kept verbatim in the template. */
export const DELIMITER = 1;
export const WORD = 2;

const table = new Uint8Array(128).fill(WORD);
for (let c = 0; c < 32; c++) table[c] = SPACE; // control characters, including tab, CR and binary junk
table[32] = SPACE;
table[127] = SPACE;
// '|' separates fields in many headers (and often has no spaces around it).
table['|'.charCodeAt(0)] = SPACE;
for (const ch of '=:,;()[]{}<>"\'/@#&?!`\\^') table[ch.charCodeAt(0)] = DELIMITER;

/** Class of a UTF-16 code unit; everything outside ASCII counts as word text. */
export function charClass(code: number): number {
  return code < 128 ? table[code]! : WORD;
}

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code >= 128;
}

export function isHexLetter(code: number): boolean {
  return (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}
