// Splits a byte stream into records without holding more than one record (or one read chunk) in memory.
// Two modes, chosen from the first line:
// - lines: JSON Lines (PT1H.json, ndjson). The fast path scans whole chunks as bytes (relevance.ts) and
//   only decodes and parses the lines it hits; the rest are counted as skipped.
// - structural: one pretty-printed document, an array, `{records:[…]}` / `{value:[…]}`, or concatenated
//   documents. A byte-level scanner tracks strings and brackets and cuts out each array element (or
//   each top-level document) as a record, so a 1 GB array is read element by element.
// Malformed records become Rejected items naming `name:line`; the scan resynchronises and goes on.
import { reject } from "./build";
import { parseDocument } from "./parse";
import { MaybeRelevantScan, mayBeRelevantBytes } from "./relevance";
import type { IntakeItem } from "./types";

export interface IntakeStats {
  /** Records read: parsed, skipped by the fast path, or rejected. */
  records: number;
  /** Records the fast path skipped without parsing (cannot be relevant). */
  skipped: number;
  /** Records reported as Rejected. */
  rejected: number;
  /** Bytes read from all inputs. */
  bytes: number;
  /** Files (and stdin) read. Optional so a caller's own stats object without it still fits. */
  files?: number;
}

export function newIntakeStats(): IntakeStats {
  return { records: 0, skipped: 0, rejected: 0, bytes: 0, files: 0 };
}

/** A record larger than this is reported, not read (a V8 string tops out near 512 MB). */
export const MAX_RECORD_BYTES = 128 * 1024 * 1024;
/** How much of a file is looked at to choose the mode when its first line is very long. */
const DECIDE_WINDOW = 64 * 1024;

const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;

function isBlank(b: number): boolean {
  return b === SPACE || b === NL || b === CR || b === TAB;
}

function jsonError(err: unknown, text: string): string {
  const head = text.slice(0, 1024);
  // Control characters or replacement characters: someone fed a binary file.
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c < 9 || (c > 13 && c < 32) || c === 0xfffd) return "binary data, not JSON";
  }
  const message = (err as Error)?.message ?? String(err);
  return `not valid JSON: ${message.length > 200 ? `${message.slice(0, 200)}…` : message}`;
}

interface OpenRecord {
  /** Bytes of earlier chunks (copied). */
  parts: Buffer[];
  size: number;
  /** Start of the record in the current chunk (0 once it spans chunks). */
  start: number;
  line: number;
  /** Depth the record returns to when it closes (its container's depth). */
  depth: number;
  /** A bare value (number, string, garbage) rather than an object or array. */
  scalar: boolean;
}

export class RecordScanner {
  private mode: "undecided" | "lines" | "structural" = "undecided";
  private pending: Buffer[] = [];
  private pendingSize = 0;
  private atFileStart = true;
  /** Line number of the next byte to be looked at. */
  private line = 1;
  private out: IntakeItem[] = [];

  // lines mode
  private carry: Buffer | null = null;
  private discardingLongLine = false;

  // structural mode
  private stack: number[] = [];
  private inString = false;
  private escape = false;
  private recordDepth = 0;
  private topKind: "none" | "array" | "object" | "wrapper" | "wrapper-tail" = "none";
  private topLine = 0;
  private rec: OpenRecord | null = null;
  private resync = false;
  private resyncLineStart = false;
  private lastByteWasNewline = true;

  constructor(
    private readonly name: string,
    private readonly all: boolean,
    private readonly stats: IntakeStats,
  ) {}

  push(chunk: Buffer): IntakeItem[] {
    if (this.atFileStart) {
      this.atFileStart = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    if (this.mode === "undecided") {
      this.pending.push(Buffer.from(chunk)); // the reader reuses its buffer
      this.pendingSize += chunk.length;
      this.decide(false);
    } else if (this.mode === "lines") this.linesPush(chunk);
    else this.structuralPush(chunk);
    return this.drain();
  }

  end(): IntakeItem[] {
    if (this.mode === "undecided") this.decide(true);
    if (this.mode === "lines") this.linesEnd();
    else if (this.mode === "structural") this.structuralEnd();
    return this.drain();
  }

  private drain(): IntakeItem[] {
    const items = this.out;
    this.out = [];
    return items;
  }

  private where(line: number): string {
    return `${this.name}:${line}`;
  }

  private emitRejected(line: number, error: string): void {
    this.stats.records++;
    this.stats.rejected++;
    this.out.push(reject(this.where(line), error));
  }

  /** One complete record's bytes: fast-path check, JSON.parse, normalise. */
  private record(bytes: Buffer, line: number, alreadyMatched: boolean): void {
    const objectShaped = bytes[0] === OPEN_OBJECT && bytes[bytes.length - 1] === CLOSE_OBJECT;
    if (!this.all && !alreadyMatched && objectShaped && !mayBeRelevantBytes(bytes)) {
      this.stats.records++;
      this.stats.skipped++;
      return;
    }
    const text = bytes.toString("utf8");
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      this.emitRejected(line, jsonError(err, text));
      return;
    }
    for (const item of parseDocument(value, this.where(line))) {
      this.stats.records++;
      if ("rejected" in item) this.stats.rejected++;
      this.out.push(item);
    }
  }

  // ---- mode choice ----------------------------------------------------------------------------

  private decide(atEnd: boolean): void {
    const buf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    let first = 0;
    while (first < buf.length && isBlank(buf[first]!)) first++;
    if (first === buf.length && !atEnd) return; // only whitespace so far
    const newline = buf.indexOf(NL, first);
    if (newline < 0 && !atEnd && buf.length < DECIDE_WINDOW) return; // first line not complete yet
    const c = buf[first];
    let mode: "lines" | "structural" = "lines";
    if (c === OPEN_ARRAY) mode = "structural";
    else if (c === OPEN_OBJECT) {
      // JSON Lines only when the first line is a whole document by itself.
      mode = "structural";
      if (newline >= 0 || atEnd) {
        try {
          JSON.parse(buf.toString("utf8", first, newline < 0 ? buf.length : newline));
          mode = "lines";
        } catch {
          // a pretty-printed or broken first record: the structural scanner reports and resyncs
        }
      }
    }
    this.mode = mode;
    this.pending = [];
    this.pendingSize = 0;
    if (buf.length === 0) return;
    if (mode === "lines") this.linesPush(buf);
    else this.structuralPush(buf);
  }

  // ---- lines mode -----------------------------------------------------------------------------

  private linesPush(chunk: Buffer): void {
    if (this.carry !== null || this.discardingLongLine) {
      const nl = chunk.indexOf(NL);
      if (nl < 0) {
        this.growCarry(chunk);
        return;
      }
      const line = this.discardingLongLine ? null : Buffer.concat([this.carry!, chunk.subarray(0, nl)]);
      this.carry = null;
      if (this.discardingLongLine) {
        this.discardingLongLine = false;
        this.line++;
      } else if (this.lineRecord(line!, 0, line!.length, false)) {
        this.switchToStructural(Buffer.concat([line!, chunk]));
        return;
      }
      chunk = chunk.subarray(nl + 1);
    }
    const lastNl = chunk.lastIndexOf(NL);
    if (lastNl < 0) {
      this.growCarry(chunk);
      return;
    }
    const switchAt = this.all ? this.linesAll(chunk, lastNl) : this.linesFast(chunk, lastNl);
    if (switchAt >= 0) {
      this.switchToStructural(chunk.subarray(switchAt));
      return;
    }
    if (lastNl + 1 < chunk.length) this.growCarry(chunk.subarray(lastNl + 1));
  }

  private growCarry(piece: Buffer): void {
    if (this.discardingLongLine) return;
    const size = (this.carry?.length ?? 0) + piece.length;
    if (size > MAX_RECORD_BYTES) {
      this.emitRejected(this.line, `line is longer than ${MAX_RECORD_BYTES / 1024 / 1024} MB; not read`);
      this.carry = null;
      this.discardingLongLine = true;
      return;
    }
    // Copy: the chunk's memory may be reused by the reader.
    this.carry = this.carry ? Buffer.concat([this.carry, piece]) : Buffer.from(piece);
  }

  /** Every line in [0, lastNl]; returns the offset of a line that starts a pretty document, or -1. */
  private linesAll(buf: Buffer, lastNl: number): number {
    let start = 0;
    while (start <= lastNl) {
      const nl = buf.indexOf(NL, start);
      if (this.lineRecord(buf, start, nl, true)) return start;
      start = nl + 1;
    }
    return -1;
  }

  /**
   * Fast path: a byte scan over the chunk (relevance.ts); only the lines it hits are decoded and parsed.
   * Lines it misses still pass countSkipped's shape check, which catches a line that opens a
   * pretty-printed document (`{` alone) and switches to the structural scanner.
   */
  private linesFast(buf: Buffer, lastNl: number): number {
    const scan = new MaybeRelevantScan(buf, lastNl);
    let pos = 0;
    let hit: number;
    while ((hit = scan.next(pos)) >= 0) {
      const lineStart = hit === 0 ? 0 : buf.lastIndexOf(NL, hit - 1) + 1;
      const lineEnd = buf.indexOf(NL, hit); // never past lastNl, which is a newline
      const switchAt = this.countSkipped(buf, pos, lineStart);
      if (switchAt >= 0) return switchAt;
      if (this.lineRecord(buf, lineStart, lineEnd, true)) return lineStart;
      pos = lineEnd + 1;
    }
    return this.countSkipped(buf, pos, lastNl + 1);
  }

  /**
   * The lines in [from, to) (each ends with a newline) that the regex did not hit. A line shaped like
   * an object (`{…}`) cannot be relevant and is counted as skipped; anything else (a bare value,
   * binary garbage, a truncated record) is parsed so the user hears about it.
   */
  private countSkipped(buf: Buffer, from: number, to: number): number {
    let k = from;
    while (k < to) {
      const nl = buf.indexOf(NL, k);
      const end = nl < 0 || nl >= to ? to : nl;
      let last = end - 1;
      if (last >= k && buf[last] === CR) last--;
      if (buf[k] === OPEN_OBJECT && buf[last] === CLOSE_OBJECT && last > k) {
        this.stats.records++;
        this.stats.skipped++;
        this.line++;
      } else if (this.lineRecord(buf, k, end, true)) {
        return k;
      }
      k = end + 1;
    }
    return -1;
  }

  /** Reads one line as a record. Returns true when the line opens a pretty-printed document instead. */
  private lineRecord(buf: Buffer, start: number, end: number, matched: boolean): boolean {
    let s = start;
    let e = end;
    while (s < e && isBlank(buf[s]!)) s++;
    while (e > s && isBlank(buf[e - 1]!)) e--;
    if (s === e) {
      this.line++;
      return false;
    }
    if (e - s === 1 && (buf[s] === OPEN_OBJECT || buf[s] === OPEN_ARRAY)) return true;
    this.record(buf.subarray(s, e), this.line, matched);
    this.line++;
    return false;
  }

  private switchToStructural(rest: Buffer): void {
    this.mode = "structural";
    this.structuralPush(rest);
  }

  private linesEnd(): void {
    if (this.carry !== null && this.carry.length > 0) {
      const last = this.carry;
      this.carry = null;
      // A last line without a newline.
      if (this.lineRecord(last, 0, last.length, false)) {
        this.switchToStructural(last);
        this.structuralEnd();
      }
    }
  }

  // ---- structural mode ------------------------------------------------------------------------

  private startRecord(i: number, scalar: boolean): void {
    this.rec = { parts: [], size: 0, start: i, line: this.line, depth: this.stack.length, scalar };
  }

  private finishRecord(chunk: Buffer, endExclusive: number): void {
    const rec = this.rec!;
    this.rec = null;
    const tail = chunk.subarray(rec.start, endExclusive);
    const bytes = rec.parts.length ? Buffer.concat([...rec.parts, tail]) : tail;
    this.record(bytes, rec.line, false);
  }

  private fail(reason: string, atNewline: boolean): void {
    const line = this.rec?.line ?? this.line;
    const where = this.rec && this.line !== this.rec.line ? ` (at line ${this.line})` : "";
    this.emitRejected(line, `malformed JSON: ${reason}${where}; skipped to the next record`);
    this.rec = null;
    this.inString = false;
    this.escape = false;
    // Back to the container the broken record was in, then wait for a line that starts a record.
    const keep = this.topKind === "array" || this.topKind === "wrapper" ? this.recordDepth : 0;
    this.stack.length = Math.min(this.stack.length, keep);
    if (this.stack.length === 0) this.resetTop();
    this.resync = true;
    this.resyncLineStart = atNewline;
  }

  private resetTop(): void {
    this.topKind = "none";
    this.recordDepth = 0;
  }

  private structuralPush(chunk: Buffer): void {
    const n = chunk.length;
    // `>>> 0` turns indexOf's -1 into 2^32-1: "not in this chunk".
    let nextQuote = -1;
    let nextBackslash = -1;
    let nextNewline = -1;
    for (let i = 0; i < n; i++) {
      const b = chunk[i]!;
      if (this.resync) {
        if (b === NL) {
          this.line++;
          this.resyncLineStart = true;
          continue;
        }
        if (!this.resyncLineStart || b === SPACE || b === TAB || b === CR) continue;
        this.resyncLineStart = false;
        const resumes =
          b === OPEN_OBJECT ||
          (b === OPEN_ARRAY && this.stack.length === 0) ||
          (b === CLOSE_ARRAY && this.stack.length > 0);
        if (!resumes) continue;
        this.resync = false;
      }
      if (this.inString && !this.escape && b !== QUOTE && b !== BACKSLASH && b !== NL) {
        // Jump over string content to the next byte that matters (quote, backslash, newline); the
        // next backslash and newline are cached per chunk so long strings cost one scan.
        if (nextQuote < i) nextQuote = chunk.indexOf(QUOTE, i) >>> 0;
        if (nextBackslash < i) nextBackslash = chunk.indexOf(BACKSLASH, i) >>> 0;
        if (nextNewline < i) nextNewline = chunk.indexOf(NL, i) >>> 0;
        const stop = Math.min(nextQuote, nextBackslash, nextNewline, n);
        i = stop - 1;
        continue;
      }
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (b === BACKSLASH) this.escape = true;
        else if (b === QUOTE) this.inString = false;
        else if (b === NL) {
          this.fail("line break inside a string (truncated record?)", true);
          this.line++;
        }
        continue;
      }
      const depth = this.stack.length;
      if (this.rec?.scalar) {
        if (b === QUOTE) {
          this.inString = true;
          continue;
        }
        if (b === NL || ((b === COMMA || b === CLOSE_ARRAY) && depth > 0)) this.finishRecord(chunk, i);
        else continue;
      }
      if (b === OPEN_OBJECT && this.rec && (i === 0 ? this.lastByteWasNewline : chunk[i - 1] === NL)) {
        // A `{` in column 0 while a record is still open: that record was never closed (a stray `{`
        // line in JSON Lines, a truncated document). Report it and start over here instead of
        // swallowing every following record into it.
        this.fail("the record is not closed before a new one starts in column 0", false);
        this.resync = false;
      }
      switch (b) {
        case NL:
          this.line++;
          break;
        case SPACE:
        case TAB:
        case CR:
        case COMMA:
        case COLON:
          break;
        case QUOTE:
          if (!this.rec && depth === this.recordDepth) this.startRecord(i, true);
          this.inString = true;
          break;
        case OPEN_OBJECT:
        case OPEN_ARRAY:
          this.open(b, i, chunk);
          break;
        case CLOSE_OBJECT:
        case CLOSE_ARRAY:
          this.close(b, i, chunk);
          break;
        default:
          // numbers, literals, garbage: a bare value where a record belongs
          if (!this.rec && depth === this.recordDepth) this.startRecord(i, true);
      }
    }
    this.lastByteWasNewline = n > 0 ? chunk[n - 1] === NL : this.lastByteWasNewline;
    if (this.rec) {
      const piece = Buffer.from(chunk.subarray(this.rec.start));
      this.rec.size += piece.length;
      this.rec.start = 0;
      if (this.rec.size > MAX_RECORD_BYTES) {
        this.fail(`record is larger than ${MAX_RECORD_BYTES / 1024 / 1024} MB; not read`, false);
        return;
      }
      this.rec.parts.push(piece);
    }
  }

  private open(b: number, i: number, chunk: Buffer): void {
    const depth = this.stack.length;
    if (depth === 0) {
      this.topLine = this.line;
      if (b === OPEN_ARRAY) {
        this.topKind = "array";
        this.recordDepth = 1;
      } else {
        this.topKind = "object";
        this.recordDepth = 0;
        this.startRecord(i, false);
      }
    } else if (
      b === OPEN_ARRAY &&
      depth === 1 &&
      this.topKind === "object" &&
      this.rec &&
      this.isWrapperKey(chunk, i)
    ) {
      // `{"records": [` or `{"value": [`: the elements are the records, the wrapper is not kept.
      this.rec = null;
      this.topKind = "wrapper";
      this.recordDepth = 2;
    } else if (!this.rec && depth === this.recordDepth) {
      this.startRecord(i, false);
    }
    this.stack.push(b);
  }

  private isWrapperKey(chunk: Buffer, i: number): boolean {
    const rec = this.rec!;
    const here = chunk.subarray(rec.start, i);
    const tail = rec.parts.length ? Buffer.concat([...rec.parts, here]) : here;
    return /"(records|value)"\s*:\s*$/.test(tail.toString("latin1", Math.max(0, tail.length - 64)));
  }

  private close(b: number, i: number, chunk: Buffer): void {
    const expected = b === CLOSE_OBJECT ? OPEN_OBJECT : OPEN_ARRAY;
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) {
      if (!this.rec) this.startRecord(i, true); // a stray bracket: report its line as garbage
      return;
    }
    if (top !== expected) {
      this.fail(`'${String.fromCharCode(b)}' closes a '${String.fromCharCode(top)}'`, false);
      return;
    }
    this.stack.pop();
    const depth = this.stack.length;
    if (this.rec && !this.rec.scalar && depth === this.rec.depth) this.finishRecord(chunk, i + 1);
    if (this.topKind === "wrapper" && depth === 1) {
      this.topKind = "wrapper-tail"; // nextLink and friends follow; nothing more to read as records
      this.recordDepth = -1;
    }
    if (depth === 0) this.resetTop();
  }

  private structuralEnd(): void {
    if (this.rec?.scalar) {
      const rec = this.rec;
      this.rec = null;
      this.record(Buffer.concat(rec.parts), rec.line, false);
    } else if (this.rec) {
      this.emitRejected(this.rec.line, "the input ends inside this record (truncated?)");
      this.rec = null;
    } else if (this.stack.length > 0 && !this.resync) {
      const what = this.stack[0] === OPEN_ARRAY ? "array" : "object";
      this.emitRejected(
        this.topLine,
        `the input ends before the ${what} that begins here is closed (truncated?)`,
      );
    }
    this.stack.length = 0;
  }
}
