// Integration: the real tenant adapters over the tenant simulator loaded with samples/tenant.json reproduce
// SCENARIO.md's expected findings (rules only, no planner: decisions are the planner's).
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Classification } from "../../lib/classify/types";
import { loadSettings } from "../../lib/config/settings";
import type { JournalEntry } from "../../lib/store/types";
import { openTenant } from "../../lib/tenant/open";
import { loadReviewContext } from "../../lib/review/context";
import { defaultPolicy } from "../../lib/review/policy";
import { review } from "../../lib/review/review";
import type { ProposedFinding } from "../../lib/review/types";
import { IDS, SUB, anchorEvent, relativeTime } from "../../lib/review/testing/fixture";

const settings = loadSettings({ PROTECTED_PRINCIPAL_IDS: IDS.breakGlass });
const defense = (namespace: string): Classification => ({
  kind: "provider-unregister",
  namespace,
  group: "defense",
  severity: "critical",
  reasons: [],
  attack: ["T1562.001"],
  operationKey: "k",
});
const ra = (name: string) =>
  `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments/${name}`;

/** E3 as the journal records it: alex deleted break-glass's Owner at T0−1h. */
const e3: JournalEntry = {
  subscriptionId: SUB,
  assignmentId: ra("22222222-0000-4000-8000-000000000001"),
  operation: "delete",
  time: relativeTime("T0-1h")!,
  actorId: IDS.alex!,
  eventId: "e3",
  snapshot: {
    id: ra("22222222-0000-4000-8000-000000000001"),
    name: "22222222-0000-4000-8000-000000000001",
    scope: `/subscriptions/${SUB}`,
    roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635`,
    principalId: IDS.breakGlass!,
    principalType: "User",
    createdOn: "2023-01-01T00:00:00.0000000Z",
    createdBy: IDS.ops1!,
    condition: null,
    description: null,
  },
};

function summary(findings: ProposedFinding[]): string[] {
  return findings
    .map(
      (f) =>
        `${f.rule} ${f.severity} ${f.action} ${(f.assignmentId ?? f.namespace ?? f.principalId ?? "").split("/").pop()}`,
    )
    .sort();
}

test("E4 against samples/tenant.json: the scenario's findings, in 4 HTTP calls cold (pages aside) and 2 round trips", async () => {
  const { tenant, simulator } = await openTenant({ settings });
  const ctx = await loadReviewContext(tenant, {
    anchor: anchorEvent(),
    classification: defense("Microsoft.Security"),
    journal: [e3],
    settings,
  });
  const result = review(ctx, defaultPolicy());
  // The snapshot was taken after the fact, so E4 already sees 1111…0003 (T0+30m, inside its watch window).
  assert.deepEqual(summary(result.findings), [
    "RA-ACTOR-PRIVILEGED medium none 33333333-0000-4000-8000-000000000001",
    "RA-EXTERNAL-PRINCIPAL high delete-assignment 11111111-0000-4000-8000-000000000001",
    "RA-EXTERNAL-PRINCIPAL high delete-assignment 11111111-0000-4000-8000-000000000002",
    "RA-EXTERNAL-PRINCIPAL high delete-assignment 11111111-0000-4000-8000-000000000003",
    "RA-ORPHANED low none 33333333-0000-4000-8000-000000000006",
    "RA-PROTECTED-REMOVED high restore-assignment 22222222-0000-4000-8000-000000000001",
    "RA-RECENT-PRIVILEGED critical delete-assignment 11111111-0000-4000-8000-000000000001",
    "RA-RECENT-PRIVILEGED critical delete-assignment 11111111-0000-4000-8000-000000000002",
    "RA-RECENT-PRIVILEGED critical delete-assignment 11111111-0000-4000-8000-000000000003",
    "RP-UNREGISTERED critical register-provider Microsoft.Security",
  ]);
  const restore = result.findings.find((f) => f.rule === "RA-PROTECTED-REMOVED")!;
  assert.equal(restore.restore?.principalId, IDS.breakGlass);
  assert.deepEqual(result.excluded, []);

  const httpCalls = simulator!.calls.filter((c) => !c.batchId && !c.query["$skiptoken"]);
  assert.deepEqual(
    httpCalls.map((c) => `${c.method} ${c.path.split("/").pop()}`),
    ["GET roleAssignments", "GET roleDefinitions", "GET roleAssignmentScheduleInstances", "POST $batch"],
  );
  assert.ok(httpCalls.length <= 4);
  assert.equal(ctx.loaded.roundTrips, 2);
});

test("E5 reviewed against E4's incident: only the new grant, critical and external", async () => {
  const { tenant } = await openTenant({ settings });
  const ctx = await loadReviewContext(tenant, {
    anchor: anchorEvent(),
    classification: defense("Microsoft.Security"),
    trigger: anchorEvent({
      eventId: "e5",
      time: relativeTime("T0+30m")!,
      operationName: "Microsoft.Authorization/roleAssignments/write",
      resourceId: ra("11111111-0000-4000-8000-000000000003"),
    }),
    journal: [e3],
    settings,
  });
  assert.deepEqual(summary(review(ctx, defaultPolicy()).findings), [
    "RA-EXTERNAL-PRINCIPAL high delete-assignment 11111111-0000-4000-8000-000000000003",
    "RA-RECENT-PRIVILEGED critical delete-assignment 11111111-0000-4000-8000-000000000003",
  ]);
});

test("E6 (sp-deployer unregisters Microsoft.Insights at T0+2h): new credential, actor privilege, overlapping window", async () => {
  const { tenant } = await openTenant({ settings });
  const ctx = await loadReviewContext(tenant, {
    anchor: anchorEvent({
      eventId: "e6",
      time: relativeTime("T0+2h")!,
      operationName: "microsoft.insights/Unregister/Action",
      actor: { objectId: IDS.spDeployer!, type: "servicePrincipal", appId: IDS.spDeployerApp! },
    }),
    classification: defense("Microsoft.Insights"),
    journal: [e3],
    settings,
  });
  const result = review(ctx, defaultPolicy());
  assert.deepEqual(summary(result.findings), [
    `RA-ACTOR-PRIVILEGED medium none 33333333-0000-4000-8000-000000000002`,
    "RA-EXTERNAL-PRINCIPAL high delete-assignment 11111111-0000-4000-8000-000000000001",
    "RA-EXTERNAL-PRINCIPAL high delete-assignment 11111111-0000-4000-8000-000000000002",
    "RA-EXTERNAL-PRINCIPAL high delete-assignment 11111111-0000-4000-8000-000000000003",
    "RA-ORPHANED low none 33333333-0000-4000-8000-000000000006",
    "RA-PROTECTED-REMOVED high restore-assignment 22222222-0000-4000-8000-000000000001",
    // high, not critical: sp-deployer did not create them
    "RA-RECENT-PRIVILEGED high delete-assignment 11111111-0000-4000-8000-000000000001",
    "RA-RECENT-PRIVILEGED high delete-assignment 11111111-0000-4000-8000-000000000002",
    "RA-RECENT-PRIVILEGED high delete-assignment 11111111-0000-4000-8000-000000000003",
    "RP-UNREGISTERED critical register-provider Microsoft.Insights",
    `SP-NEW-CREDENTIAL high none ${IDS.spDeployer}`,
  ]);
});

test("E4 without the PIM read permission (403 on schedule instances): same findings, a note, no failure", async () => {
  const { tenant, simulator } = await openTenant({ settings });
  simulator!.faults.add({ match: { pathPattern: /roleAssignmentScheduleInstances/i }, kind: "403" });
  const ctx = await loadReviewContext(tenant, {
    anchor: anchorEvent(),
    classification: defense("Microsoft.Security"),
    journal: [e3],
    settings,
  });
  assert.equal(ctx.pimKnown, false);
  assert.equal(ctx.loaded.roundTrips, 2);
  assert.ok(
    ctx.notes.some((n) => n.includes("lacks Microsoft.Authorization/roleAssignmentScheduleInstances/read")),
  );
  const result = review(ctx, defaultPolicy());
  assert.equal(result.findings.filter((f) => f.action === "delete-assignment").length, 6);
  assert.ok(result.notes.some((n) => n.includes("reviewed without PIM facts")));
});
