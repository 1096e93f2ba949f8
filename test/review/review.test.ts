import { test } from "node:test";
import assert from "node:assert/strict";
import type { Rule } from "../../lib/review/rule";
import { findingKey, review } from "../../lib/review/review";
import { defaultPolicy, parsePolicy } from "../../lib/review/policy";
import { RULES, RULE_IDS, ruleById } from "../../lib/review/rules/index";
import { IDS, expand, fixtureContext } from "../../lib/review/testing/fixture";

const dup: Rule = {
  id: "RA-ORPHANED",
  title: "t",
  description: "d",
  defaultSeverity: "low",
  action: "none",
  appliesTo: ["provider-unregister"],
  evaluate: () => [
    {
      rule: "RA-ORPHANED",
      severity: "low",
      reason: "first.",
      action: "none",
      assignmentId: "/X/roleAssignments/A",
    },
    {
      rule: "RA-ORPHANED",
      severity: "medium",
      reason: "second.",
      action: "none",
      assignmentId: "/x/roleassignments/a",
    },
  ],
};
const broken: Rule = {
  ...dup,
  id: "RA-ACTOR-PRIVILEGED",
  evaluate: () => {
    throw new Error("boom");
  },
};

test("registry: seven rules, unique ids, each with a title, description and kinds", () => {
  assert.equal(RULES.length, 7);
  assert.equal(new Set(RULE_IDS).size, 7);
  for (const r of RULES) {
    assert.ok(r.title && r.description.length > 40 && r.appliesTo.length > 0, r.id);
    assert.equal(ruleById(r.id), r);
  }
  assert.equal(ruleById("NOPE"), undefined);
});

test("same rule and target (ids compared ignoring case) merge into one finding, keeping the higher severity", () => {
  const result = review(fixtureContext(), defaultPolicy(), [dup]);
  assert.equal(result.findings.length, 1);
  assert.equal(result.findings[0]!.severity, "medium");
  assert.equal(findingKey(result.findings[0]!), "RA-ORPHANED|/x/roleassignments/a");
});

test("a failing rule is reported in the notes and does not hide the others", () => {
  const result = review(fixtureContext(), defaultPolicy(), [broken, dup]);
  assert.equal(result.findings.length, 1);
  assert.ok(result.notes.some((n) => n === "Rule RA-ACTOR-PRIVILEGED failed and raised no findings: boom"));
});

test("off rules are named in the notes; exclusions are listed with why", () => {
  const ctx = fixtureContext({
    assignments: [
      {
        name: "11111111-0000-4000-8000-000000000001",
        principalId: "@guest",
        role: "Owner",
        createdOn: "T0-2h",
        createdBy: "@alex",
      },
    ],
  });
  const policy = parsePolicy(
    expand({ rules: { "RA-ORPHANED": "off" }, exclusions: [{ principalId: "@guest", reason: "pen test" }] }),
  );
  const result = review(ctx, policy);
  assert.deepEqual(
    result.findings.map((f) => f.rule),
    ["RP-UNREGISTERED"],
  );
  assert.deepEqual(result.excluded.map((e) => e.finding.rule).sort(), [
    "RA-EXTERNAL-PRINCIPAL",
    "RA-RECENT-PRIVILEGED",
  ]);
  assert.equal(result.excluded[0]!.why, `policy excludes principal ${IDS.guest} (pen test)`);
  assert.ok(result.notes.includes("Rules switched off by policy: RA-ORPHANED."));
});

test("an exclusion by principal covers the actor's own unregister (e.g. a deployment pipeline)", () => {
  const result = review(fixtureContext(), parsePolicy(expand({ exclusions: [{ principalId: "@alex" }] })));
  assert.deepEqual(result.findings, []);
  assert.equal(result.excluded[0]!.finding.rule, "RP-UNREGISTERED");
});

test("a trigger that is not a role-assignment change is not reviewed, and the notes say so", () => {
  const ctx = fixtureContext({
    trigger: { operationName: "Microsoft.Storage/storageAccounts/write", time: "T0+1h" },
  });
  assert.equal(ctx.subject.kind, "other");
  const result = review(ctx, defaultPolicy());
  assert.deepEqual(result.findings, []);
  assert.ok(result.notes.some((n) => n.includes("not a role-assignment change")));
});
