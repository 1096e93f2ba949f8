// Field-level normalisation: GUIDs, statuses, times, claims forms, caller types.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseDocument } from "../../lib/events/index";
import type { ActivityEvent } from "../../lib/events/types";
import { normaliseStatus, normaliseTime } from "../../lib/events/values";

const MS = "http://schemas.microsoft.com/identity/claims/";
const XML = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/";

function activity(overrides: Record<string, unknown>): ActivityEvent {
  const record = {
    eventDataId: "e0d1c2b3-a4f5-4e6d-8c7b-9a0f1e2d3c4b",
    eventTimestamp: "2025-03-14T09:26:53.5897932Z",
    operationName: { value: "Microsoft.AAD/unregister/action" },
    status: { value: "Succeeded" },
    subscriptionId: "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b",
    ...overrides,
  };
  const [item] = parseDocument(record, "t:1");
  assert.ok(item && !("rejected" in item), JSON.stringify(item));
  return item as ActivityEvent;
}

test("GUIDs with or without dashes, any case, braces → canonical", () => {
  for (const raw of [
    "3F2B8C1E5A4D4E6F9B7A2C1D0E9F8A7B",
    "{3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b}",
    " 3f2b8c1e-5A4D-4e6f-9b7a-2c1d0e9f8a7b ",
  ])
    assert.equal(activity({ subscriptionId: raw }).subscriptionId, "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b");
  const e = activity({
    authorization: {
      evidence: {
        roleDefinitionId:
          "/providers/Microsoft.Authorization/roleDefinitions/B24988AC618042A0AB8820F7382DD24C",
      },
    },
  });
  assert.equal(e.evidence.roleDefinitionId, "b24988ac-6180-42a0-ab88-20f7382dd24c");
});

test("subscription from resourceId or hierarchy when the record has none", () => {
  assert.equal(
    activity({
      subscriptionId: undefined,
      resourceId: "/SUBSCRIPTIONS/6A5B4C3D-2E1F-4A0B-9C8D-7E6F5A4B3C2D/PROVIDERS/X",
    }).subscriptionId,
    "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d",
  );
  assert.equal(
    activity({
      subscriptionId: undefined,
      properties: { hierarchy: "7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d/6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d" },
    }).subscriptionId,
    "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d",
  );
  const placeholder = activity({ subscriptionId: "{subscription-id}" });
  assert.equal(placeholder.subscriptionId, null);
  assert.ok(placeholder.notes.some((n) => n.includes("{subscription-id}")));
});

test("status words of every format", () => {
  const table: Array<[string, string]> = [
    ["Start", "started"],
    ["Started", "started"],
    ["BeginRequest", "started"],
    ["Success", "succeeded"],
    ["Succeeded", "succeeded"],
    ["Failure", "failed"],
    ["Failed", "failed"],
    ["Cancel", "canceled"],
    ["Canceled", "canceled"],
    ["Cancelled", "canceled"],
    ["Accepted", "accepted"],
    ["SUCCEEDED", "succeeded"],
    ["Active", "other"],
  ];
  for (const [word, status] of table) assert.equal(normaliseStatus(word, []), status, word);
  assert.equal(normaliseStatus({ value: "Failed", localizedValue: "Failed" }, []), "failed");
});

test("times: 7 and 9 fractional digits, +00:00, US style, no zone", () => {
  assert.equal(normaliseTime("2025-03-14T09:26:53.5897932Z", []), "2025-03-14T09:26:53.589Z");
  assert.equal(normaliseTime("2025-03-14T09:26:53.589793212Z", []), "2025-03-14T09:26:53.589Z");
  assert.equal(normaliseTime("2019-03-22T13:56:31.2917159+00:00", []), "2019-03-22T13:56:31.291Z");
  assert.equal(normaliseTime("1/9/2007 10:41:00 AM +01:00", []), "2007-01-09T09:41:00.000Z");
  assert.equal(normaliseTime("12/31/2024 11:59:59 PM -05:00", []), "2025-01-01T04:59:59.000Z");
  const notes: string[] = [];
  assert.equal(normaliseTime("2025-03-14 09:26:53", notes), "2025-03-14T09:26:53.000Z");
  assert.ok(notes[0]?.includes("UTC"));
  assert.equal(normaliseTime("yesterday", []), null);
  assert.equal(normaliseTime("2025-13-45T99:00:00Z", []), null);
});

test("caller types: managed identity, service principal, user, unknown", () => {
  const mi = activity({
    claims: {
      xms_mirid: "/subscriptions/x/…/id-runner",
      idtyp: "app",
      appidacr: "2",
      oid: "D4C3B2A1F0E94D8C9B7A6F5E4D3C2B1A",
    },
  });
  assert.equal(mi.actor.type, "managedIdentity");
  assert.equal(mi.actor.objectId, "d4c3b2a1-f0e9-4d8c-9b7a-6f5e4d3c2b1a");
  assert.equal(activity({ claims: { idtyp: "app" } }).actor.type, "servicePrincipal");
  assert.equal(
    activity({ claims: { appidacr: "1", [`${MS}objectidentifier`]: "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d" } })
      .actor.type,
    "servicePrincipal",
  );
  assert.equal(activity({ claims: { appidacr: "2", [`${XML}upn`]: "x@y" } }).actor.type, "user"); // upn beats appidacr
  assert.equal(activity({ claims: { [`${MS}scope`]: "user_impersonation" } }).actor.type, "user");
  assert.equal(activity({ claims: { idtyp: "user" } }).actor.type, "user");
  assert.equal(activity({ claims: { upn: "short@form" } }).actor.upn, "short@form");
  const unknown = activity({
    claims: { "http://schemas.microsoft.com/identity/claims/spn": "Microsoft.Insights/autoscaleSettings" },
  });
  assert.equal(unknown.actor.type, "unknown");
  // A GUID caller without claims is the object id of a service principal or managed identity.
  assert.equal(
    activity({ caller: "A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D" }).actor.objectId,
    "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
  );
});

test("claims as a JSON string (alerts) or a broken string (noted, not fatal)", () => {
  const fromString = activity({
    claims: JSON.stringify({ idtyp: "user", oid: "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170" }),
  });
  assert.equal(fromString.actor.objectId, "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170");
  const broken = activity({ claims: "{not json" });
  assert.equal(broken.actor.type, "unknown");
  assert.ok(broken.notes.some((n) => n.includes("claims is a string that is not a JSON object")));
});

test("eventId: the record's own id, else a stable hash", () => {
  const a = activity({ eventDataId: undefined });
  const b = activity({ eventDataId: undefined });
  assert.match(a.eventId, /^sha256:[0-9a-f]{32}$/);
  assert.equal(a.eventId, b.eventId);
  assert.notEqual(
    activity({ eventDataId: undefined, correlationId: "c0000000-0000-4000-8000-000000000001" }).eventId,
    a.eventId,
  );
});

test("wrong types and missing fields give clear rejections", () => {
  const cases: Array<[unknown, RegExp]> = [
    [
      {
        eventType: "Microsoft.Resources.ResourceActionSuccess",
        eventTime: "2025-03-14T09:26:53Z",
        data: { operationName: 42 },
      },
      /data.operationName/,
    ],
    [
      { eventType: "Microsoft.Resources.ResourceActionSuccess", eventTime: "2025-03-14T09:26:53Z" },
      /data is missing|no data object/,
    ],
    [
      { specversion: "0.3", type: "x", time: "2025-03-14T09:26:53Z", data: {} },
      /specversion "0.3" is not 1.0/,
    ],
    [{ eventDataId: "x", operationName: { value: "a/b" } }, /eventTimestamp is missing|without a time/],
    [{ time: "2025-03-14T09:26:53Z", operationName: "" }, /without an operationName/],
    [{ hello: "world" }, /not a recognised event format \(keys: hello\)/],
    [{ tenantId: "t", subscriptions: [], roleAssignments: [] }, /tenant snapshot/],
    [[1, null], /got number 1/],
  ];
  for (const [value, reason] of cases) {
    const items = parseDocument(value, "t:7");
    assert.ok(items.length >= 1);
    const first = items[0]!;
    assert.ok("rejected" in first, `expected a rejection for ${JSON.stringify(value)}`);
    assert.equal(first.where, "t:7");
    assert.match(first.error, reason);
  }
});

test("impossible calendar dates are not times (never rolled over into the next month)", () => {
  for (const bad of [
    "2025-02-30T00:00:00Z",
    "2025-04-31T10:00:00Z",
    "2/30/2025 10:00 AM",
    "2025-02-29 10:00:00",
  ])
    assert.equal(normaliseTime(bad, []), null, bad);
  assert.equal(normaliseTime("2024-02-29T10:00:00Z", []), "2024-02-29T10:00:00.000Z");
  assert.equal(normaliseTime("2/29/2024 10:00 AM +00:00", []), "2024-02-29T10:00:00.000Z");
});
