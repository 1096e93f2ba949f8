// Azure Functions entry point (Node v4 programming model). Thin: the pipeline is lib/respond, reached
// through the lazily created runtime (functions/runtime.ts).
import { app } from "@azure/functions";
import { eventGridHandler, healthHandler, selfTestHandler } from "./handlers";
import { FUNCTION_NAME, HEALTH_FUNCTION_NAME, SELF_TEST_FUNCTION_NAME } from "./names";
import { onSettingsProblems, warmUp } from "./runtime";

// Every settings problem at once, at start-up, in the worker log (not one per invocation only).
onSettingsProblems((problems) => {
  console.error(
    `unregister-responder: invalid app settings; every event will fail until fixed:\n- ${problems.join("\n- ")}`,
  );
});

app.eventGrid(FUNCTION_NAME, { handler: eventGridHandler });

app.http(HEALTH_FUNCTION_NAME, {
  route: "health",
  methods: ["GET"],
  authLevel: "anonymous",
  handler: healthHandler,
});

app.http(SELF_TEST_FUNCTION_NAME, {
  route: "selftest",
  methods: ["POST"],
  authLevel: "function",
  handler: selfTestHandler,
});

export { eventGridHandler, healthHandler, selfTestHandler, warmUp };
