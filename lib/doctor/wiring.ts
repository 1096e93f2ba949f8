// What a correct deployment looks like, as data shared by the doctor's checks, the offline Event Grid
// and (through the Bicep tests) infra/. Change the Bicep, change this.
export const EXPECTED_OPERATION_SUFFIXES = [
  "/unregister/action",
  "/roleAssignments/write",
  "/roleAssignments/delete",
] as const;

export const EXPECTED_EVENT_TYPES = ["Action", "Write", "Delete"].flatMap((verb) =>
  ["Success", "Failure", "Cancel"].map((outcome) => `Microsoft.Resources.Resource${verb}${outcome}`),
);

/** Without these the responder misses the operations entirely; the Failure/Cancel ones are recommended. */
export const REQUIRED_EVENT_TYPES = [
  "Microsoft.Resources.ResourceActionSuccess",
  "Microsoft.Resources.ResourceWriteSuccess",
  "Microsoft.Resources.ResourceDeleteSuccess",
];

export interface RequiredAction {
  /** An action to test against the identity's roles (a concrete probe for wildcard needs). */
  action: string;
  why: string;
  /** Needed in every mode, or only when the responder may act (revert). */
  neededIn: "all" | "revert";
}

/** The identity's needs on each watched subscription (the custom role in infra/main.bicep grants them). */
export const REQUIRED_ACTIONS: readonly RequiredAction[] = [
  {
    action: "Microsoft.Authorization/roleAssignments/read",
    why: "review who holds what around the event",
    neededIn: "all",
  },
  {
    action: "Microsoft.Authorization/roleDefinitions/read",
    why: "judge how privileged each role is",
    neededIn: "all",
  },
  {
    // Reviews go on without it (no PIM facts), so flag mode only warns; revert mode needs it, because without
    // PIM facts a PIM-managed grant could be sent a classic DELETE.
    action: "Microsoft.Authorization/roleAssignmentScheduleInstances/read",
    why: "tell PIM activations from permanent grants, and keep PIM-managed ones from a classic delete",
    neededIn: "revert",
  },
  {
    action: "Microsoft.Resources/subscriptions/providers/read",
    why: "read a provider's registration state",
    neededIn: "all",
  },
  {
    action: "Microsoft.Insights/eventtypes/values/read",
    why: "verify the triggering operation in the activity log",
    neededIn: "all",
  },
  {
    action: "Microsoft.Authorization/roleAssignments/delete",
    why: "revert risky role assignments",
    neededIn: "revert",
  },
  {
    action: "Microsoft.Security/register/action",
    why: "re-register an unregistered provider (*/register/action)",
    neededIn: "revert",
  },
];
