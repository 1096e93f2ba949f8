// Names the infrastructure depends on: the Event Grid subscription targets `<app>/functions/<FUNCTION_NAME>`
// (infra/modules/event-subscription.bicep), so renaming the function means changing both.
export const FUNCTION_NAME = "unregisterResponder";
export const HEALTH_FUNCTION_NAME = "health";
export const SELF_TEST_FUNCTION_NAME = "selfTest";
