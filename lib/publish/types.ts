// Where findings go: CloudEvents to an Event Grid custom topic, plus structured logs.
import type { IncidentRecord } from "../store/types";

export interface Publisher {
  /** One event per incident with its findings and decisions. */
  publishIncident(incident: IncidentRecord): Promise<void>;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
