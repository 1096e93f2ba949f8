// A captured-event format: how to recognise one record of it and how to read its fields.
import type { ActivityEvent, EventSource, Rejected } from "../types";

export type JsonObject = Record<string, unknown>;

export interface EventFormat {
  source: EventSource;
  /** Shown in "not a recognised format" messages. */
  description: string;
  /** Cheap structural test on a parsed record; the first format whose test passes reads it. */
  detect(record: JsonObject): boolean;
  normalize(record: JsonObject, where: string): ActivityEvent | Rejected;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
