// The command registry. Each command lives in its own module, loaded only when used (fast start).
import type { Command } from "../types";

export const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  classify: {
    summary: "Classify captured events (any format) and print one line per relevant record",
    load: async () => (await import("./classify")).command,
  },
  replay: {
    summary: "Re-run captured events through the full pipeline against a tenant snapshot or --live",
    load: async () => (await import("./replay")).command,
  },
  roles: {
    summary: "Explain the privilege of role definitions (ARM list, array or az output)",
    load: async () => (await import("./roles")).command,
  },
  snapshot: {
    summary: "Write a tenant snapshot from a live tenant",
    load: async () => (await import("./snapshot")).command,
  },
  doctor: {
    summary: "Check settings, permissions, Event Grid wiring and the store; say how to fix what is wrong",
    load: async () => (await import("./doctor")).command,
  },
};
