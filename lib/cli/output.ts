// Result writers for the three output formats, shared by `classify`, `replay` and `roles`.
//
//   const out = openOutput(args.out, io);                 // stdout, or --out FILE
//   const writer = createResultWriter(args.format, out.stream, { columns, colour: out.isTTY });
//   await writer.write(row);  … ;  await writer.end();  await out.close();
//
// - ndjson: one JSON object per line.
// - json: ONE JSON array, streamed (`[`, rows joined by `,\n`, `]`): memory does not grow with input.
// - table: aligned columns for humans. Widths come from the first TABLE_SAMPLE rows, after which rows
//   stream with those widths (longer cells are cut with `…`), so memory stays bounded; the last
//   column is never cut. Colour only when asked for (a terminal) and NO_COLOR is unset.
// `write` waits for 'drain' when the stream pushes back, so a slow consumer slows the producer.
import { createWriteStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { basename, dirname, join, resolve, sep } from "node:path";
import { once } from "node:events";
import type { Writable } from "node:stream";
import type { OutputFormat } from "./args";
import { UsageError, type CliIO } from "./types";

export interface Column<T> {
  header: string;
  value: (row: T) => string;
  /** Upper bound for the column width (table). */
  maxWidth?: number;
  /** ANSI SGR code for the cell (e.g. "31" red), used only when colour is on. */
  colour?: (row: T) => string | undefined;
}

export interface ResultWriter<T> {
  write(row: T): Promise<void>;
  /** Flushes and closes the format (json's `]`); does not end the stream. */
  end(): Promise<void>;
  readonly count: number;
}

export interface WriterOptions<T> {
  /** Columns for the table format. */
  columns: Column<T>[];
  /** Object written for json/ndjson; default the row itself. */
  toJson?: (row: T) => unknown;
  colour?: boolean;
}

export const TABLE_SAMPLE = 200;

/** A failed write (disk full, a closed pipe) as the user should read it: exit 2, naming the file. */
function outputError(stream: Writable, err: unknown): UsageError {
  const path = (stream as { path?: unknown }).path;
  const code = (err as NodeJS.ErrnoException)?.code;
  return new UsageError(
    `cannot write ${typeof path === "string" ? `--out ${path}` : "the output"}: ${code ?? (err as Error)?.message ?? String(err)}`,
  );
}

/**
 * Writes, waiting for 'drain' when the stream pushes back. A stream that already failed is reported
 * instead of written to: a destroyed stream never drains, so waiting on it would hang.
 */
export async function put(stream: Writable, text: string): Promise<void> {
  if (stream.errored) throw outputError(stream, stream.errored);
  if (!stream.write(text))
    await once(stream, "drain").catch((err: unknown) => {
      throw outputError(stream, err);
    });
}

type WriterFactory = <T>(stream: Writable, opts: WriterOptions<T>) => ResultWriter<T>;

const ndjsonWriter: WriterFactory = (stream, opts) => {
  let count = 0;
  return {
    async write(row) {
      count++;
      await put(stream, `${JSON.stringify(opts.toJson ? opts.toJson(row) : row)}\n`);
    },
    async end() {},
    get count() {
      return count;
    },
  };
};

const jsonWriter: WriterFactory = (stream, opts) => {
  let count = 0;
  return {
    async write(row) {
      await put(
        stream,
        `${count === 0 ? "[\n" : ",\n"}${JSON.stringify(opts.toJson ? opts.toJson(row) : row)}`,
      );
      count++;
    },
    async end() {
      await put(stream, count === 0 ? "[]\n" : "\n]\n");
    },
    get count() {
      return count;
    },
  };
};

/** Terminal cells: one line, no control characters. */
function cell(text: string): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point: they would break the table.
  return text.replace(/[\u0000-\u001f\u007f]+/g, " ");
}

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text.padEnd(width);
}

const tableWriter: WriterFactory = <T>(stream: Writable, opts: WriterOptions<T>): ResultWriter<T> => {
  const { columns } = opts;
  const colour = Boolean(opts.colour);
  let pending: T[] | null = [];
  let widths: number[] = [];
  let count = 0;

  const format = (cells: string[], row: T | null): string =>
    cells
      .map((c, i) => {
        const last = i === cells.length - 1;
        const text = last ? c : fit(c, widths[i] ?? c.length);
        const code = row && colour ? columns[i]?.colour?.(row) : undefined;
        return code ? `\u001b[${code}m${text}\u001b[0m` : text;
      })
      .join("  ")
      .trimEnd();

  const flushSample = async (): Promise<void> => {
    const rows = pending ?? [];
    pending = null;
    widths = columns.map((c, i) => {
      const longest = Math.max(c.header.length, ...rows.map((r) => cell(columns[i]!.value(r)).length));
      return Math.min(longest, c.maxWidth ?? 60);
    });
    const header = format(
      columns.map((c) => c.header),
      null,
    );
    await put(stream, `${colour ? `\u001b[1m${header}\u001b[0m` : header}\n`);
    for (const r of rows)
      await put(
        stream,
        `${format(
          columns.map((c) => cell(c.value(r))),
          r,
        )}\n`,
      );
  };

  return {
    async write(row) {
      count++;
      if (pending) {
        pending.push(row);
        if (pending.length >= TABLE_SAMPLE) await flushSample();
        return;
      }
      await put(
        stream,
        `${format(
          columns.map((c) => cell(c.value(row))),
          row,
        )}\n`,
      );
    },
    async end() {
      if (pending && pending.length === 0) {
        pending = null;
        await put(stream, "(no results)\n");
        return;
      }
      if (pending) await flushSample();
    },
    get count() {
      return count;
    },
  };
};

const WRITERS: Record<OutputFormat, WriterFactory> = {
  ndjson: ndjsonWriter,
  json: jsonWriter,
  table: tableWriter,
};

export function createResultWriter<T>(
  format: OutputFormat,
  stream: Writable,
  opts: WriterOptions<T>,
): ResultWriter<T> {
  return WRITERS[format](stream, { ...opts, colour: Boolean(opts.colour) && format === "table" });
}

/** ANSI colour per severity, for table cells. */
export const SEVERITY_COLOUR: Readonly<Record<string, string>> = {
  critical: "1;31",
  high: "31",
  medium: "33",
  low: "36",
  info: "2",
};

export interface Output {
  stream: Writable;
  /** Colour and table are appropriate (stdout on a terminal, colour not disabled). */
  isTTY: boolean;
  close(): Promise<void>;
}

/** The path a file would have once written: its own real path, else its real directory's. */
async function realTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    const dir = await realpath(dirname(resolve(path))).catch(() => dirname(resolve(path)));
    return join(dir, basename(path));
  }
}

/**
 * Opening --out truncates it at once, before intake reads a byte, and a directory walk would read the
 * growing output back as one more input. So --out may be neither an input file (by any name: symlink or
 * hard link) nor inside an input directory. Inputs that cannot be read are left to intake to report.
 */
async function refuseOverwritingInputs(out: string, inputs: readonly string[]): Promise<void> {
  const target = await realTarget(out);
  const targetStat = await stat(target).catch(() => null);
  for (const input of inputs) {
    if (input === "-") continue;
    const real = await realpath(input).catch(() => null);
    const info = real === null ? null : await stat(real).catch(() => null);
    if (real === null || info === null) continue;
    const sameFile =
      real === target || (targetStat !== null && targetStat.dev === info.dev && targetStat.ino === info.ino);
    if (sameFile)
      throw new UsageError(`--out ${out} is also an input: writing it would erase it before it is read`);
    if (info.isDirectory() && target.startsWith(real.endsWith(sep) ? real : real + sep))
      throw new UsageError(
        `--out ${out} is inside the input directory ${input}: the run would read its own output back; write it elsewhere`,
      );
  }
}

/**
 * stdout, or the --out file (created/truncated). An unwritable path, or one that is also an input
 * (`inputs`: the command's INPUT/FILE arguments), is a UsageError (exit 2).
 */
export async function openOutput(
  out: string | null,
  io: CliIO,
  inputs: readonly string[] = [],
): Promise<Output> {
  if (!out || out === "-") {
    const colourOff = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "";
    return { stream: io.stdout, isTTY: io.stdoutIsTTY && !colourOff, close: async () => {} };
  }
  await refuseOverwritingInputs(out, inputs);
  const file = createWriteStream(out, { flags: "w" });
  try {
    await once(file, "open");
  } catch (err) {
    throw new UsageError(`cannot write --out ${out}: ${(err as Error).message}`);
  }
  // A write error surfaces through put() (stream.errored) and close(); without a listener the stream
  // would also throw it as an uncaught exception and kill the process.
  file.on("error", () => {});
  return {
    stream: file,
    isTTY: false,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (file.errored) return reject(outputError(file, file.errored));
        file.end((err?: Error | null) => (err ? reject(outputError(file, err)) : resolve()));
      }),
  };
}
