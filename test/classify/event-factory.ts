// Builds ActivityEvents for tests: a complete, valid default with overrides.
import type { ActivityEvent } from "../../lib/events/types";
import { testEvent } from "../support/events";

export { SUB } from "../support/scenario";

export function makeEvent(overrides: Partial<ActivityEvent> = {}): ActivityEvent {
  return testEvent({ eventId: "e-1", where: "test:1", ...overrides });
}
