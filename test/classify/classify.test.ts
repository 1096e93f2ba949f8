import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classify, operationKey, SEVERITY_TABLE, severityRow, type Severity } from "../../lib/classify/index";
import type { OperationStatus } from "../../lib/events/types";
import { makeEvent, SUB } from "./event-factory";

const STATUSES: OperationStatus[] = ["succeeded", "failed", "canceled", "started", "accepted", "other"];
const NAMESPACE_OF_GROUP = {
  defense: "Microsoft.Security",
  identity: "Microsoft.AAD",
  other: "Microsoft.Kusto",
};

// The expected table, written out longhand from DESIGN.md (independent of the data in severity.ts).
function expectedProviderUnregister(
  status: OperationStatus,
  group: keyof typeof NAMESPACE_OF_GROUP,
): Severity {
  if (status === "succeeded")
    return group === "defense" ? "critical" : group === "identity" ? "high" : "medium";
  if (status === "started" || status === "accepted") return "info";
  // failed, canceled, and (our documented choice) unknown outcome
  return group === "other" ? "low" : "medium";
}

describe("classify: severity table", () => {
  for (const group of ["defense", "identity", "other"] as const) {
    for (const status of STATUSES) {
      it(`provider-unregister × ${status} × ${group}`, () => {
        const ns = NAMESPACE_OF_GROUP[group];
        const c = classify(makeEvent({ operationName: `${ns}/unregister/action`, status }));
        assert.equal(c.kind, "provider-unregister");
        assert.equal(c.group, group);
        assert.equal(c.namespace, ns);
        assert.equal(c.severity, expectedProviderUnregister(status, group));
      });
    }
  }
  for (const d of [
    "Microsoft.Security",
    "Microsoft.SecurityInsights",
    "Microsoft.Insights",
    "Microsoft.OperationalInsights",
    "Microsoft.PolicyInsights",
    "Microsoft.GuestConfiguration",
    "Microsoft.EventGrid",
  ]) {
    it(`every defense namespace is critical on success: ${d}`, () => {
      assert.equal(classify(makeEvent({ operationName: `${d}/unregister/action` })).severity, "critical");
    });
  }
  for (const ns of [
    "Microsoft.AAD",
    "Microsoft.ADHybridHealthService",
    "Microsoft.ManagedIdentity",
    "Microsoft.KeyVault",
  ]) {
    it(`identity namespace ${ns} is high on success`, () => {
      const c = classify(makeEvent({ operationName: `${ns}/unregister/action` }));
      assert.equal(c.severity, "high");
      assert.equal(c.group, "identity");
    });
  }
  const infoKinds = [
    ["Microsoft.Kusto/register/action", "provider-register"],
    ["Microsoft.Security/register/action", "provider-register"],
    ["Microsoft.Features/providers/features/register/action", "feature-register"],
    ["Microsoft.Authorization/roleAssignments/write", "role-assignment-write"],
    ["Microsoft.Authorization/roleAssignments/delete", "role-assignment-delete"],
  ] as const;
  for (const [op, kind] of infoKinds) {
    for (const status of STATUSES) {
      it(`${kind} × ${status} is info`, () => {
        const c = classify(makeEvent({ operationName: op, status }));
        assert.equal(c.kind, kind);
        assert.equal(c.severity, "info");
      });
    }
  }
  for (const status of STATUSES) {
    it(`feature-unregister × ${status} is low`, () => {
      const c = classify(
        makeEvent({
          operationName: "Microsoft.Features/providers/features/unregister/action",
          status,
          resourceId: `/subscriptions/${SUB}/providers/Microsoft.Features/providers/Microsoft.Compute/features/EncryptionAtHost`,
        }),
      );
      assert.equal(c.kind, "feature-unregister");
      assert.equal(c.severity, "low");
    });
    it(`other × ${status} is none`, () => {
      const c = classify(makeEvent({ operationName: "Microsoft.Storage/storageAccounts/write", status }));
      assert.equal(c.kind, "other");
      assert.equal(c.severity, "none");
      assert.deepEqual(c.attack, []);
      assert.equal(c.namespace, null);
    });
  }
  it("every table row is reachable: each row is the answer for some kind × status × group", () => {
    const reached = new Set<unknown>();
    for (const row of SEVERITY_TABLE)
      for (const status of STATUSES)
        for (const group of ["defense", "identity", "other"] as const)
          if (severityRow(row.kind, status, group) === row) reached.add(row);
    assert.equal(reached.size, SEVERITY_TABLE.length);
  });
});

describe("classify: names and casing", () => {
  const variants = [
    "microsoft.insights/Unregister/Action",
    "MICROSOFT.INSIGHTS/UNREGISTER/ACTION",
    "Microsoft.Insights/unregister/action",
    "  microsoft.insights/unregister/action ",
  ];
  for (const op of variants) {
    it(`"${op}" is Microsoft.Insights, defense, critical`, () => {
      const c = classify(makeEvent({ operationName: op }));
      assert.equal(c.kind, "provider-unregister");
      assert.equal(c.namespace, "Microsoft.Insights");
      assert.equal(c.severity, "critical");
      assert.deepEqual(c.attack, ["T1562.001"]);
    });
  }
  it("an unknown namespace keeps its received casing", () => {
    const c = classify(makeEvent({ operationName: "Contoso.Widgets/unregister/action" }));
    assert.equal(c.namespace, "Contoso.Widgets");
    assert.equal(c.severity, "medium");
  });
  it("Microsoft.Features/unregister/action is the Features provider itself, not a feature", () => {
    const c = classify(makeEvent({ operationName: "Microsoft.Features/unregister/action" }));
    assert.equal(c.kind, "provider-unregister");
    assert.equal(c.namespace, "Microsoft.Features");
  });
  it("nested paths are not provider unregisters", () => {
    for (const op of [
      "Microsoft.Security/pricings/unregister/action",
      "unregister/action",
      "/unregister/action",
    ]) {
      assert.equal(classify(makeEvent({ operationName: op })).kind, "other", op);
    }
  });
  it("role assignment operations in any casing", () => {
    assert.equal(
      classify(makeEvent({ operationName: "MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE" })).kind,
      "role-assignment-write",
    );
    assert.equal(
      classify(makeEvent({ operationName: "microsoft.authorization/roleassignments/delete" })).kind,
      "role-assignment-delete",
    );
  });
});

describe("classify: features", () => {
  const op = "Microsoft.Features/providers/features/unregister/action";
  it("names the feature and its namespace from the resource id", () => {
    const c = classify(
      makeEvent({
        operationName: op,
        resourceId: `/subscriptions/${SUB}/providers/Microsoft.Features/providers/Microsoft.Compute/features/EncryptionAtHost`,
      }),
    );
    assert.equal(c.feature, "EncryptionAtHost");
    assert.equal(c.namespace, "Microsoft.Compute");
    assert.ok(c.reasons.some((r) => r.includes("Microsoft.Compute/EncryptionAtHost")));
  });
  it("accepts upper-case ids and a trailing /unregister", () => {
    const c = classify(
      makeEvent({
        operationName: op.toUpperCase(),
        resourceId: `/SUBSCRIPTIONS/${SUB.toUpperCase()}/PROVIDERS/MICROSOFT.FEATURES/PROVIDERS/MICROSOFT.COMPUTE/FEATURES/ENCRYPTIONATHOST/unregister`,
      }),
    );
    assert.equal(c.kind, "feature-unregister");
    assert.equal(c.feature, "ENCRYPTIONATHOST");
    assert.equal(c.namespace, "Microsoft.Compute");
  });
  it("says so when the resource id does not name a feature", () => {
    const c = classify(makeEvent({ operationName: op, resourceId: `/subscriptions/${SUB}` }));
    assert.equal(c.feature, null);
    assert.equal(c.severity, "low");
    assert.ok(c.reasons.some((r) => /does not name the feature/.test(r)));
  });
});

describe("classify: reasons and attack", () => {
  it("reasons say what happened, why the severity, and carry the event's notes", () => {
    const c = classify(makeEvent({ notes: ["status said Succeeded but the event type says Failure"] }));
    assert.match(
      c.reasons[0] ?? "",
      /alex\.doe@contoso\.example.*unregister resource provider Microsoft\.Security/,
    );
    assert.ok(c.reasons.some((r) => r.startsWith("Severity critical:")));
    assert.ok(c.reasons.some((r) => r.includes("Defender for Cloud")));
    assert.ok(c.reasons.includes("status said Succeeded but the event type says Failure"));
  });
  it("maps techniques per kind", () => {
    const at = (operationName: string) => classify(makeEvent({ operationName })).attack;
    assert.deepEqual(at("Microsoft.AAD/unregister/action"), ["T1562"]);
    assert.deepEqual(at("Microsoft.Kusto/unregister/action"), ["T1562"]);
    assert.deepEqual(at("Microsoft.Authorization/roleAssignments/write"), ["T1098.003"]);
    assert.deepEqual(at("Microsoft.Authorization/roleAssignments/delete"), ["T1531"]);
    assert.deepEqual(at("Microsoft.Kusto/register/action"), []);
  });
  it("is pure: same input, same output, input untouched", () => {
    const e = makeEvent();
    const before = JSON.stringify(e);
    assert.deepEqual(classify(e), classify(e));
    assert.equal(JSON.stringify(e), before);
  });
});

describe("operationKey", () => {
  it("canonicalises GUIDs and lower-cases the operation", () => {
    const key = operationKey({
      subscriptionId: "3F2B8C1E5A4D4E6F9B7A2C1D0E9F8A7B",
      correlationId: "{9A8B7C6D-5E4F-4A3B-9C2D-1E0F9A8B7C6D}",
      operationName: "Microsoft.Security/Unregister/Action",
    });
    assert.equal(key, `${SUB}|9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d|microsoft.security/unregister/action`);
  });
  it("uses empty parts for missing values", () => {
    assert.equal(
      operationKey({ subscriptionId: null, correlationId: null, operationName: "X/unregister/action" }),
      "||x/unregister/action",
    );
  });
  it("is the classification's key", () => {
    const e = makeEvent();
    assert.equal(classify(e).operationKey, operationKey(e));
  });
});
