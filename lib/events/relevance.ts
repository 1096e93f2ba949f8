// The fast path's one question: can this raw record text possibly be relevant (kind not `other`)?
// Relevant operation names all contain "register" (register, unregister, features/(un)register) or
// "roleAssignments/" (`\/` when escaped; plain "roleAssignments" would hit every evidence block's
// `roleAssignmentScope` key), matched case-insensitively. JSON can only hide a letter of those words behind a
// \uXXXX escape (`\/` leaves the words intact), so any text with a backslash-u is treated as possibly
// relevant too. A false "maybe" costs one JSON.parse; a false "no" would lose an attack, so there is none.
//
// Two equivalent forms: a regex over text (the definition), and a byte scan over a Buffer (the fast
// path, no decoding). The byte scan anchors on the letter both words share, `g`/`G` (register,
// roleassiGnments), and on the backslash, each found with Buffer.indexOf (memchr), then compares the
// bytes around the anchor case-insensitively. The property tests hold the two forms to the same answer.

/** The definition, over text (latin1-decoded bytes: one character per byte). */
export const MAYBE_RELEVANT_GLOBAL = /register|roleassignments\\?\/|\\u/gi;
const MAYBE_RELEVANT = /register|roleassignments\\?\/|\\u/i;

export function mayBeRelevant(rawText: string): boolean {
  return MAYBE_RELEVANT.test(rawText);
}

const LOWER_G = 0x67;
const UPPER_G = 0x47;
const BACKSLASH = 0x5c;
const SLASH = 0x2f;
const LOWER_U = 0x75;
/** OR-ing an ASCII letter with this gives its lower case; a non-letter can only map onto a letter's
 * lower case if it is that letter's upper case, so `(b | CASE_BIT) === lower` is exact for letters. */
const CASE_BIT = 0x20;

const REGISTER = Buffer.from("register", "latin1");
/** Where `g` sits in "register". */
const REGISTER_G = 2;
const ROLE_ASSIGNMENTS = Buffer.from("roleassignments", "latin1");
/** Where `g` sits in "roleassignments". */
const ROLE_ASSIGNMENTS_G = 8;

/** Whether `word` (lower case letters) is at buf[start…] in any letter case, within [from, to). */
function wordAt(buf: Buffer, start: number, word: Buffer, from: number, to: number): boolean {
  if (start < from || start + word.length > to) return false;
  for (let k = 0; k < word.length; k++) {
    if ((buf[start + k]! | CASE_BIT) !== word[k]) return false;
  }
  return true;
}

/** The letter after `g` in each word: one byte tells which word (if any) a `g` can belong to. */
const LOWER_I = 0x69;
const LOWER_N = 0x6e;

/** Start of the needle matched around the `g` at `g`, or -1. */
function needleAroundG(buf: Buffer, g: number, from: number, to: number): number {
  const next = g + 1 < to ? buf[g + 1]! | CASE_BIT : -1;
  if (next === LOWER_I) {
    const register = g - REGISTER_G;
    return wordAt(buf, register, REGISTER, from, to) ? register : -1;
  }
  if (next === LOWER_N) {
    const role = g - ROLE_ASSIGNMENTS_G;
    if (!wordAt(buf, role, ROLE_ASSIGNMENTS, from, to)) return -1;
    let after = role + ROLE_ASSIGNMENTS.length;
    if (after < to && buf[after] === BACKSLASH) after++;
    if (after < to && buf[after] === SLASH) return role;
  }
  return -1;
}

/** indexOf that answers "not before `to`" as Infinity, so the nearest of several is a Math.min. */
function nextByte(buf: Buffer, byte: number, from: number, to: number): number {
  const at = from < to ? buf.indexOf(byte, from) : -1;
  return at < 0 || at >= to ? Infinity : at;
}

/**
 * Possibly relevant matches in one buffer's [.., to), front to back: `next(from)` gives the offset of a
 * byte inside the first match at or after `from` (the caller only needs its line), or -1. Same answer as
 * MAYBE_RELEVANT_GLOBAL over the latin1 text, without decoding. The next position of each anchor byte is
 * kept between calls, so a chunk costs one memchr pass per anchor byte however many lines hit (asking
 * afresh each time would rescan to the chunk's end for an absent byte on every hit line).
 */
export class MaybeRelevantScan {
  private lower = -1;
  private upper = -1;
  private backslash = -1;

  constructor(
    private readonly buf: Buffer,
    private readonly to: number,
  ) {}

  next(from: number): number {
    const { buf, to } = this;
    if (this.lower < from) this.lower = nextByte(buf, LOWER_G, from, to);
    if (this.upper < from) this.upper = nextByte(buf, UPPER_G, from, to);
    if (this.backslash < from) this.backslash = nextByte(buf, BACKSLASH, from, to);
    for (;;) {
      const at = Math.min(this.lower, this.upper, this.backslash);
      if (at === Infinity) return -1;
      if (at === this.backslash) {
        if (at + 1 < to && (buf[at + 1]! | CASE_BIT) === LOWER_U) return at;
        this.backslash = nextByte(buf, BACKSLASH, at + 1, to);
        continue;
      }
      const match = needleAroundG(buf, at, from, to);
      if (match >= 0) return match;
      if (at === this.lower) this.lower = nextByte(buf, LOWER_G, at + 1, to);
      else this.upper = nextByte(buf, UPPER_G, at + 1, to);
    }
  }
}

/** The first possibly relevant match in buf[from, to) (see MaybeRelevantScan), or -1. */
export function findMaybeRelevant(buf: Buffer, from: number, to: number): number {
  return new MaybeRelevantScan(buf, to).next(from);
}

/** mayBeRelevant for raw bytes. */
export function mayBeRelevantBytes(buf: Buffer): boolean {
  return findMaybeRelevant(buf, 0, buf.length) >= 0;
}
