// Structured logs: one JSON object per line (level, time, msg, then fields such as incidentId and
// operationKey), with the redaction policy (redact.ts) applied to every field and to the message.
import { redact, redactString } from "./redact";
import type { Logger } from "./types";

export type LogLevel = "info" | "warn" | "error";
export type LogSink = (line: string, level: LogLevel) => void;

export interface StructuredLogger extends Logger {
  /** A logger that adds these fields to every line (e.g. the incident being processed). */
  child(fields: Record<string, unknown>): StructuredLogger;
}

const RESERVED = new Set(["level", "time", "msg"]);

/** Default: stderr, so CLI output on stdout stays clean ndjson; the Functions host collects both. */
const stderrSink: LogSink = (line) => {
  process.stderr.write(line + "\n");
};

export function createLogger(
  sink: LogSink = stderrSink,
  baseFields: Record<string, unknown> = {},
  clock: () => Date = () => new Date(),
): StructuredLogger {
  const write = (level: LogLevel, message: string, fields: Record<string, unknown> = {}): void => {
    const line: Record<string, unknown> = { level, time: clock().toISOString(), msg: redactString(message) };
    const clean = redact({ ...baseFields, ...fields }) as Record<string, unknown>;
    for (const [name, value] of Object.entries(clean))
      line[RESERVED.has(name) ? `field.${name}` : name] = value;
    let text: string;
    try {
      text = JSON.stringify(line);
    } catch (err) {
      text = JSON.stringify({ level, time: line.time, msg: line.msg, logError: String(err) });
    }
    try {
      sink(text, level);
    } catch {
      // A broken log sink must never break the response pipeline.
    }
  };
  return {
    info: (message, fields) => write("info", message, fields),
    warn: (message, fields) => write("warn", message, fields),
    error: (message, fields) => write("error", message, fields),
    child: (fields) => createLogger(sink, { ...baseFields, ...fields }, clock),
  };
}
