import { test } from "node:test";
import assert from "node:assert/strict";
import { classify } from "../../lib/classify/classify";
import { loadSettings } from "../../lib/config/settings";
import type { JournalEntry } from "../../lib/store/types";
import { PermissionError } from "../../lib/tenant/errors";
import type { RoleAssignmentScheduleInstance, RoleDefinition } from "../../lib/tenant/ports";
import { MAX_GROUPS_EXPANDED, ReviewInputError, loadReviewContext } from "../../lib/review/context";
import { defaultPolicy } from "../../lib/review/policy";
import { review } from "../../lib/review/review";
import {
  IDS,
  SUB,
  TENANT,
  anchorEvent,
  assignment,
  basePrincipals,
  relativeTime,
  roleDefinitions,
} from "../../lib/review/testing/fixture";
import { fakeTenant } from "./fake-tenant";

const settings = loadSettings({ PROTECTED_PRINCIPAL_IDS: IDS.breakGlass });
const classification = classify(anchorEvent());

function storyAssignments() {
  return [
    {
      name: "11111111-0000-4000-8000-000000000001",
      principalId: IDS.guest!,
      role: "Owner",
      createdOn: relativeTime("T0-2h"),
      createdBy: IDS.alex!,
    },
    {
      name: "11111111-0000-4000-8000-000000000002",
      principalId: IDS.foreignSp!,
      role: "Contributor",
      scope: `/subscriptions/${SUB}/resourceGroups/rg-app`,
      createdOn: relativeTime("T0-90m"),
      createdBy: IDS.alex!,
    },
    {
      name: "33333333-0000-4000-8000-000000000001",
      principalId: IDS.alex!,
      role: "Owner",
      createdOn: "2024-02-01T00:00:00Z",
      createdBy: IDS.ops1!,
    },
    { name: "33333333-0000-4000-8000-000000000004", principalId: IDS.ops1!, role: "Owner" },
    { name: "33333333-0000-4000-8000-000000000006", principalId: IDS.deleted!, role: "Reader" },
  ].map(assignment);
}

const breakGlassRemoval: JournalEntry = {
  subscriptionId: SUB,
  assignmentId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments/22222222-0000-4000-8000-000000000001`,
  operation: "delete",
  time: relativeTime("T0-1h")!,
  actorId: IDS.alex!,
  eventId: "e3",
  snapshot: {
    id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments/22222222-0000-4000-8000-000000000001`,
    name: "22222222-0000-4000-8000-000000000001",
    scope: `/subscriptions/${SUB}`,
    roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635`,
    principalId: IDS.breakGlass!,
    principalType: "User",
    createdOn: "2023-01-01T00:00:00Z",
    createdBy: IDS.ops1!,
    condition: null,
    description: null,
  },
};

test("E4: four calls in two round trips load everything, and the review finds the scenario's findings", async () => {
  const { tenant, log } = fakeTenant({
    tenantId: TENANT,
    assignments: storyAssignments(),
    listedDefinitions: roleDefinitions(),
    principals: basePrincipals(),
  });
  const ctx = await loadReviewContext(tenant, {
    anchor: anchorEvent(),
    classification,
    journal: [breakGlassRemoval],
    settings,
  });
  assert.deepEqual(
    log.calls.map((c) => [c.name, c.round]),
    [
      ["roleAssignments.listForSubscription", 1],
      ["roleDefinitions.list", 1],
      ["roleAssignments.listScheduleInstances", 1],
      ["directory.resolve", 2],
    ],
  );
  assert.deepEqual(log.calls[1]!.args, [`/subscriptions/${SUB}`]);
  assert.deepEqual(log.calls[2]!.args, [SUB]);
  const [ids, opts] = log.calls[3]!.args as [string[], { applicationAppIds: string[] }];
  // assignment principals, their creators, the actor and the journal's principals, once each
  for (const id of [IDS.guest, IDS.foreignSp, IDS.alex, IDS.ops1, IDS.deleted, IDS.breakGlass])
    assert.ok(ids.includes(id!), id);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual(opts.applicationAppIds, []);
  assert.equal(ctx.loaded.calls, 4);
  assert.equal(ctx.loaded.roundTrips, 2);
  assert.equal(ctx.loaded.pimInstances, 0);
  assert.equal(ctx.pimKnown, true);
  assert.equal(ctx.loaded.assignments, 5);
  assert.equal(ctx.loaded.principalsMissing, 1);
  assert.equal(ctx.loaded.journalEntries, 1);
  assert.ok(ctx.missingPrincipals.has(IDS.deleted!));
  assert.ok(ctx.notes.some((n) => n.includes("did not resolve in Microsoft Graph")));

  const result = review(ctx, defaultPolicy());
  const got = result.findings.map(
    (f) => `${f.rule} ${f.severity} ${f.action} ${(f.assignmentId ?? f.namespace ?? "").split("/").pop()}`,
  );
  assert.deepEqual(got.sort(), [
    "RA-ACTOR-PRIVILEGED medium none 33333333-0000-4000-8000-000000000001",
    "RA-EXTERNAL-PRINCIPAL high delete-assignment 11111111-0000-4000-8000-000000000001",
    "RA-EXTERNAL-PRINCIPAL high delete-assignment 11111111-0000-4000-8000-000000000002",
    "RA-ORPHANED low none 33333333-0000-4000-8000-000000000006",
    "RA-PROTECTED-REMOVED high restore-assignment 22222222-0000-4000-8000-000000000001",
    "RA-RECENT-PRIVILEGED critical delete-assignment 11111111-0000-4000-8000-000000000001",
    "RA-RECENT-PRIVILEGED critical delete-assignment 11111111-0000-4000-8000-000000000002",
    "RP-UNREGISTERED critical register-provider Microsoft.Security",
  ]);
  assert.match(
    result.notes[0]!,
    /Reviewed 5 role assignment\(s\).* 0 PIM schedule instance\(s\).* in 4 call\(s\) over 2 round trip\(s\)\./,
  );
});

test("a service-principal actor brings its application into the same directory call", async () => {
  const { tenant, log } = fakeTenant({
    tenantId: TENANT,
    assignments: [
      assignment({
        name: "33333333-0000-4000-8000-000000000002",
        principalId: IDS.spDeployer!,
        role: "Owner",
      }),
    ],
    listedDefinitions: roleDefinitions(),
    principals: basePrincipals(),
    applications: {
      [IDS.spDeployerApp!]: {
        id: "3c2b1a09-8f7e-4d6c-9b5a-493827160504",
        appId: IDS.spDeployerApp!,
        displayName: "sp-deployer",
        credentials: [
          {
            keyId: "k1",
            kind: "password",
            displayName: "ci",
            startDateTime: relativeTime("T0-3h"),
            endDateTime: null,
          },
        ],
      },
    },
  });
  const ctx = await loadReviewContext(tenant, {
    anchor: anchorEvent({
      actor: { objectId: IDS.spDeployer!, type: "servicePrincipal", appId: IDS.spDeployerApp! },
    }),
    classification: { ...classification, namespace: "Microsoft.Insights" },
    journal: [],
    settings,
  });
  assert.equal(log.calls.length, 4);
  assert.deepEqual((log.calls[3]!.args[1] as { applicationAppIds: string[] }).applicationAppIds, [
    IDS.spDeployerApp,
  ]);
  const rules = review(ctx, defaultPolicy()).findings.map((f) => f.rule);
  assert.deepEqual(rules.sort(), ["RA-ACTOR-PRIVILEGED", "RP-UNREGISTERED", "SP-NEW-CREDENTIAL"]);
});

test("role definitions missing from the list are fetched one by one, in the same round as the directory, and said", async () => {
  const custom: RoleDefinition = {
    id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/aaaaaaaa-0000-4000-8000-00000000cafe`,
    name: "aaaaaaaa-0000-4000-8000-00000000cafe",
    roleName: "Sneaky Admin",
    roleType: "CustomRole",
    description: null,
    assignableScopes: [`/subscriptions/${SUB}`],
    permissions: [
      {
        actions: ["Microsoft.Authorization/roleAssignments/*"],
        notActions: [],
        dataActions: [],
        notDataActions: [],
      },
    ],
  };
  const sneaky = assignment({
    name: "11111111-0000-4000-8000-0000000000aa",
    principalId: IDS.ops1!,
    role: "Owner",
    createdOn: relativeTime("T0-1h"),
    createdBy: IDS.alex!,
  });
  sneaky.roleDefinitionId = custom.id;
  sneaky.roleDefinitionGuid = custom.name;
  const ghost = assignment({
    name: "11111111-0000-4000-8000-0000000000bb",
    principalId: IDS.ops1!,
    role: "Owner",
  });
  ghost.roleDefinitionId = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/bbbbbbbb-0000-4000-8000-000000000000`;
  ghost.roleDefinitionGuid = "bbbbbbbb-0000-4000-8000-000000000000";
  const { tenant, log } = fakeTenant({
    tenantId: TENANT,
    assignments: [sneaky, ghost],
    listedDefinitions: roleDefinitions(),
    extraDefinitions: [custom],
    principals: basePrincipals(),
  });
  const ctx = await loadReviewContext(tenant, {
    anchor: anchorEvent(),
    classification,
    journal: [],
    settings,
  });
  assert.equal(log.calls.length, 6);
  assert.equal(log.rounds(), 2);
  assert.equal(ctx.loaded.roleDefinitionsFetched, 1);
  assert.ok(
    ctx.notes.some((n) =>
      n.includes("aaaaaaaa-0000-4000-8000-00000000cafe was not in the subscription's list"),
    ),
  );
  assert.ok(ctx.notes.some((n) => n.includes("bbbbbbbb-0000-4000-8000-000000000000 is unknown to ARM")));
  const recent = review(ctx, defaultPolicy()).findings.filter((f) => f.rule === "RA-RECENT-PRIVILEGED");
  assert.deepEqual(
    recent.map((f) => f.roleName),
    ["Sneaky Admin"],
  );
});

test("an anchor without subscription or with a bad time is refused before any call", async () => {
  const { tenant, log } = fakeTenant({
    tenantId: TENANT,
    assignments: [],
    listedDefinitions: [],
    principals: [],
  });
  await assert.rejects(
    loadReviewContext(tenant, {
      anchor: anchorEvent({ subscriptionId: null }),
      classification,
      journal: [],
      settings,
    }),
    (err: unknown) => err instanceof ReviewInputError && /no subscription id/.test(err.message),
  );
  await assert.rejects(
    loadReviewContext(tenant, {
      anchor: anchorEvent({ time: "yesterday" }),
      classification,
      journal: [],
      settings,
    }),
    (err: unknown) => err instanceof ReviewInputError && /no valid time \("yesterday"\)/.test(err.message),
  );
  assert.equal(log.calls.length, 0);
});

test("PIM facts annotate the assignments they back; the reasons tell activations from permanent grants", async () => {
  const assignments = storyAssignments();
  const guestOwner = assignments.find((a) => a.name === "11111111-0000-4000-8000-000000000001")!;
  const instance: RoleAssignmentScheduleInstance = {
    id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignmentScheduleInstances/x`,
    name: "x",
    scope: guestOwner.scope,
    roleAssignmentId: guestOwner.id.toUpperCase(), // ARM ids compare case-insensitively
    roleDefinitionId: guestOwner.roleDefinitionId,
    principalId: guestOwner.principalId,
    principalType: "User",
    assignmentType: "Activated",
    memberType: "Direct",
    status: "Provisioned",
    startDateTime: relativeTime("T0-2h"),
    endDateTime: relativeTime("T0+6h"),
    linkedRoleEligibilityScheduleId: null,
  };
  const { tenant } = fakeTenant({
    tenantId: TENANT,
    assignments,
    listedDefinitions: roleDefinitions(),
    principals: basePrincipals(),
    scheduleInstances: [instance],
  });
  const ctx = await loadReviewContext(tenant, {
    anchor: anchorEvent(),
    classification,
    journal: [],
    settings,
  });
  assert.equal(ctx.pim.get(guestOwner.id.toLowerCase())?.assignmentType, "Activated");
  assert.equal(ctx.loaded.pimInstances, 1);
  const reasons = review(ctx, defaultPolicy()).findings.filter((f) => f.rule === "RA-RECENT-PRIVILEGED");
  const byName = (n: string) => reasons.find((f) => f.assignmentId?.endsWith(n))?.reason ?? "";
  assert.match(byName("000000000001"), /activated through PIM until 2025-03-14 15:26 UTC \(time-bound\)/);
  assert.match(byName("000000000002"), /; permanent\.$/);
});

test("without the PIM permission the review goes on without PIM facts, says so, and still costs 2 round trips", async () => {
  const denied = new PermissionError(
    "the responder's identity lacks Microsoft.Authorization/roleAssignmentScheduleInstances/read",
    "Microsoft.Authorization/roleAssignmentScheduleInstances/read",
    `/subscriptions/${SUB}`,
  );
  const { tenant, log } = fakeTenant({
    tenantId: TENANT,
    assignments: storyAssignments(),
    listedDefinitions: roleDefinitions(),
    principals: basePrincipals(),
    scheduleInstances: denied,
  });
  const ctx = await loadReviewContext(tenant, {
    anchor: anchorEvent(),
    classification,
    journal: [],
    settings,
  });
  assert.equal(ctx.pimKnown, false);
  assert.equal(ctx.loaded.pimInstances, null);
  assert.equal(log.rounds(), 2);
  assert.ok(
    ctx.notes.some((n) =>
      /PIM schedule instances could not be read .*roleAssignmentScheduleInstances\/read/.test(n),
    ),
  );
  const result = review(ctx, defaultPolicy());
  assert.match(result.notes[0]!, /no PIM data \(unreadable\)/);
  const recent = result.findings.filter((f) => f.rule === "RA-RECENT-PRIVILEGED");
  assert.equal(recent.length, 2, "the findings are still there");
  for (const f of recent)
    assert.doesNotMatch(f.reason, /permanent|PIM/, "no claim either way without PIM data");
});

test("a defect in the PIM call (not a tenant error) is not swallowed", async () => {
  const { tenant } = fakeTenant({
    tenantId: TENANT,
    assignments: storyAssignments(),
    listedDefinitions: roleDefinitions(),
    principals: basePrincipals(),
    scheduleInstances: new TypeError("boom"),
  });
  await assert.rejects(
    loadReviewContext(tenant, { anchor: anchorEvent(), classification, journal: [], settings }),
    TypeError,
  );
});

test("group-held privilege rides in the same directory call: the actor's groups and privileged groups' members", async () => {
  const platform = IDS.grpPlatform!;
  const readers = IDS.grpReaders!;
  const guest = basePrincipals().find((p) => p.id === IDS.guest)!;
  const alex = basePrincipals().find((p) => p.id === IDS.alex)!;
  const { tenant, log } = fakeTenant({
    tenantId: TENANT,
    assignments: [
      assignment({ name: "44444444-0000-4000-8000-000000000001", principalId: platform, role: "Owner" }),
      assignment({ name: "44444444-0000-4000-8000-000000000002", principalId: readers, role: "Reader" }),
      assignment({
        name: "44444444-0000-4000-8000-000000000003",
        principalId: IDS.grpOncall!,
        role: "Owner",
        scope: "/providers/Microsoft.Management/managementGroups/contoso",
      }),
    ],
    listedDefinitions: roleDefinitions(),
    principals: basePrincipals(),
    memberOf: { [IDS.alex!]: [platform, readers] },
    groupMembers: { [platform]: [alex, guest] },
  });
  const ctx = await loadReviewContext(tenant, {
    anchor: anchorEvent(),
    classification,
    journal: [],
    settings,
  });
  assert.deepEqual(
    log.calls.map((c) => [c.name, c.round]),
    [
      ["roleAssignments.listForSubscription", 1],
      ["roleDefinitions.list", 1],
      ["roleAssignments.listScheduleInstances", 1],
      ["directory.resolve", 2],
    ],
  );
  const [, opts] = log.calls[3]!.args as [
    string[],
    { transitiveMemberOf: unknown[]; transitiveMembersOf: string[] },
  ];
  assert.deepEqual(opts.transitiveMemberOf, [{ id: IDS.alex, kind: "user" }]);
  // Only groups privileged at or below the subscription: not Readers (Reader), not On-call (management group).
  assert.deepEqual(opts.transitiveMembersOf, [platform]);
  assert.equal(ctx.loaded.calls, 4);
  assert.equal(ctx.loaded.roundTrips, 2);
  assert.equal(ctx.loaded.groupsExpanded, 1);

  const result = review(ctx, defaultPolicy());
  const got = result.findings
    .filter((f) => f.rule.startsWith("RA-"))
    .map((f) => `${f.rule} ${f.action} ${f.assignmentId?.split("/").pop()} ${f.principalId}`);
  assert.deepEqual(got.sort(), [
    `RA-ACTOR-PRIVILEGED none 44444444-0000-4000-8000-000000000001 ${IDS.alex}`,
    `RA-EXTERNAL-PRINCIPAL none 44444444-0000-4000-8000-000000000001 ${IDS.guest}`,
  ]);
});

test("groups expanded are capped per review, and the cap and unreadable groups are said", async () => {
  const groupIds = Array.from(
    { length: MAX_GROUPS_EXPANDED + 5 },
    (_, i) => `9b000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`,
  );
  const { tenant, log } = fakeTenant({
    tenantId: TENANT,
    assignments: groupIds.map((g, i) =>
      assignment({
        name: `55555555-0000-4000-8000-${i.toString(16).padStart(12, "0")}`,
        principalId: g,
        principalType: "Group",
        role: "Contributor",
      }),
    ),
    listedDefinitions: roleDefinitions(),
    principals: basePrincipals(),
    groupMembers: Object.fromEntries(groupIds.slice(1).map((g) => [g, []])),
  });
  const ctx = await loadReviewContext(tenant, {
    anchor: anchorEvent(),
    classification,
    journal: [],
    settings,
  });
  const [, opts] = log.calls[3]!.args as [string[], { transitiveMembersOf: string[] }];
  assert.equal(opts.transitiveMembersOf.length, MAX_GROUPS_EXPANDED);
  assert.deepEqual(opts.transitiveMembersOf, groupIds.slice(0, MAX_GROUPS_EXPANDED));
  assert.equal(ctx.loaded.roundTrips, 2);
  assert.ok(
    ctx.notes.some(
      (n) => n.includes(`${MAX_GROUPS_EXPANDED + 5} groups hold privileged roles`) && n.includes("other 5"),
    ),
    ctx.notes.join("\n"),
  );
  assert.ok(
    ctx.notes.some((n) => n.includes(`The members of group ${groupIds[0]} could not be read`)),
    ctx.notes.join("\n"),
  );
});
