// Intake: every captured-event format → ActivityEvent | Rejected (DESIGN.md "ActivityEvent", "CLI").
export { readInputs, resolveInputs, type ReadOptions } from "./reader";
export { parseDocument, normalizeEventGridEvent, normalizeRecord } from "./parse";
export { newIntakeStats, RecordScanner, type IntakeStats } from "./scanner";
export { InputError } from "./errors";
export { mayBeRelevant } from "./relevance";
export * from "./types";
