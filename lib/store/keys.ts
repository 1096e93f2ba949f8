// Table Storage key rules, in one place: which characters keys may not hold, how long they may be,
// and how times become sortable row keys. Both stores use these so their semantics are the same.
import { createHash } from "node:crypto";
import { FORBIDDEN_KEY_CHARS } from "./entityTable";

/**
 * Characters Table keys forbid (/ \ # ? and control characters), plus our own separator `|` and the
 * escape character `~`, so composite keys stay unambiguous and escaping stays reversible.
 */
const MUST_ESCAPE = new RegExp(`[${FORBIDDEN_KEY_CHARS}|~]`, "g");

/**
 * Keys may be 1 KiB (512 UTF-16 characters); ids longer than the part's budget are shortened with a
 * hash so they still name one row. Composite keys give each part a smaller budget.
 */
export const MAX_KEY_PART_CHARS = 400;
export const MAX_COMPOSITE_PART_CHARS = 200;

export function escapeKey(value: string): string {
  return value.replace(MUST_ESCAPE, (c) => `~${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

export function unescapeKey(key: string): string {
  return key.replace(/~([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** An escaped key part, hashed down when too long (the full value lives in the row's document). */
export function keyPart(value: string, maxChars = MAX_KEY_PART_CHARS): string {
  const escaped = escapeKey(value);
  if (escaped.length <= maxChars) return escaped;
  const digest = createHash("sha256").update(value).digest("hex");
  return `${escaped.slice(0, maxChars - 66)}~~${digest}`;
}

/** Fixed-width UTC ISO time (ms precision), so row keys sort by time. Throws a clear error on bad input. */
export function timeKey(value: string | Date, what: string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new TypeError(`${what} is not a valid time: ${JSON.stringify(value)}`);
  return date.toISOString();
}

/** The breaker's bucket: one per UTC hour, e.g. 2025-03-14T09. */
export function hourBucket(now: Date): string {
  return timeKey(now, "breaker time").slice(0, 13);
}

/** Poison records are partitioned by UTC day, e.g. 2025-03-14. */
export function dayBucket(value: Date): string {
  return timeKey(value, "poison time").slice(0, 10);
}
