import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PolicyError, defaultPolicy, loadPolicy, rulePolicy, ruleSetting } from "../../lib/review/policy";
import { RULES } from "../../lib/review/rules/index";

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof PolicyError, `expected PolicyError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail("expected a PolicyError");
}

test("defaults: rules with an action revert (the mode is the one switch), report-only rules flag", () => {
  const p = loadPolicy(null);
  assert.equal(ruleSetting(p, "RA-RECENT-PRIVILEGED"), "revert");
  assert.equal(ruleSetting(p, "RA-EXTERNAL-PRINCIPAL"), "revert");
  assert.equal(ruleSetting(p, "RA-PROTECTED-REMOVED"), "revert");
  assert.equal(ruleSetting(p, "RP-UNREGISTERED"), "revert");
  assert.equal(ruleSetting(p, "RA-ACTOR-PRIVILEGED"), "flag");
  assert.equal(ruleSetting(p, "RA-ORPHANED"), "flag");
  assert.equal(ruleSetting(p, "BREAKER-TRIPPED"), "flag");
  // disable-service-principal is never a default
  assert.equal(ruleSetting(p, "SP-NEW-CREDENTIAL"), "flag");
  assert.equal(rulePolicy(p, "SP-NEW-CREDENTIAL").action, "none");
  assert.equal(p.disableServicePrincipal, false);
  assert.deepEqual(p.exclusions, []);
  assert.equal(Object.keys(defaultPolicy().rules).length, RULES.length + 1);
  assert.deepEqual(loadPolicy("   "), defaultPolicy());
});

test("inline JSON: off / flag / revert, severity override and short or long rule entries", () => {
  const p = loadPolicy(
    JSON.stringify({
      rules: {
        "RA-ORPHANED": "off",
        "RP-UNREGISTERED": "flag",
        "RA-ACTOR-PRIVILEGED": { setting: "revert", severity: "high" },
        "RA-RECENT-PRIVILEGED": { severity: "critical" },
      },
    }),
  );
  assert.equal(ruleSetting(p, "RA-ORPHANED"), "off");
  assert.equal(ruleSetting(p, "RP-UNREGISTERED"), "flag");
  assert.deepEqual(rulePolicy(p, "RA-ACTOR-PRIVILEGED"), {
    setting: "revert",
    severity: "high",
    action: "none",
  });
  assert.deepEqual(rulePolicy(p, "RA-RECENT-PRIVILEGED"), {
    setting: "revert",
    severity: "critical",
    action: "delete-assignment",
  });
});

test("disableServicePrincipal names the action explicitly; a rule entry can still hold it back to flag", () => {
  const on = loadPolicy('{"disableServicePrincipal": true}');
  assert.deepEqual(rulePolicy(on, "SP-NEW-CREDENTIAL"), {
    setting: "revert",
    severity: null,
    action: "disable-service-principal",
  });
  const flagged = loadPolicy('{"disableServicePrincipal": true, "rules": {"SP-NEW-CREDENTIAL": "flag"}}');
  assert.equal(ruleSetting(flagged, "SP-NEW-CREDENTIAL"), "flag");
  assert.equal(rulePolicy(flagged, "SP-NEW-CREDENTIAL").action, "disable-service-principal");
  const viaRule = loadPolicy(
    '{"rules": {"SP-NEW-CREDENTIAL": {"setting": "revert", "action": "disable-service-principal"}}}',
  );
  assert.equal(rulePolicy(viaRule, "SP-NEW-CREDENTIAL").action, "disable-service-principal");
});

test("from a file path, with exclusions normalised", () => {
  const dir = mkdtempSync(join(tmpdir(), "policy-"));
  const file = join(dir, "policy.json");
  writeFileSync(
    file,
    JSON.stringify({
      exclusions: [
        { principalId: "A1B2C3D4E5F64A7B8C9D0E1F2A3B4C5D", reason: "deployer" },
        { scope: "/subscriptions/x/resourceGroups/sandbox/", rules: ["RA-ORPHANED"] },
        { roleName: "Reader" },
      ],
    }),
  );
  const p = loadPolicy(file);
  assert.deepEqual(p.exclusions, [
    { principalId: "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", rules: null, reason: "deployer" },
    { scope: "/subscriptions/x/resourceGroups/sandbox", rules: ["RA-ORPHANED"], reason: null },
    { roleName: "Reader", rules: null, reason: null },
  ]);
});

test("invalid policies fail with messages naming the field", () => {
  assert.deepEqual(problemsOf(() => loadPolicy('{"rules": {"RA-ORPHANED": "delete"}}')).length, 1);
  assert.match(
    problemsOf(() => loadPolicy('{"rules": {"RA-ORPHANED": "delete"}}'))[0]!,
    /^policy\.rules\.RA-ORPHANED/,
  );
  assert.match(
    problemsOf(() => loadPolicy('{"rules": {"RA-NOPE": "off"}}'))[0]!,
    /policy\.rules\.RA-NOPE: unknown rule; known rules are/,
  );
  assert.match(
    problemsOf(() => loadPolicy('{"rules": {"RA-ORPHANED": {"severity": "urgent"}}}'))[0]!,
    /^policy\.rules\.RA-ORPHANED/,
  );
  assert.match(
    problemsOf(() => loadPolicy('{"rules": {"RA-ORPHANED": {"action": "delete-assignment"}}}'))[0]!,
    /policy\.rules\.RA-ORPHANED\.action: "delete-assignment" is not an action of this rule \(allowed: none\)/,
  );
  assert.match(
    problemsOf(() => loadPolicy('{"exclusion": []}'))[0]!,
    /^policy: Unrecognized key: "exclusion"/,
  );
  assert.match(
    problemsOf(() => loadPolicy('{"exclusions": [{"principalId": "not-a-guid"}]}'))[0]!,
    /^policy\.exclusions\.0\.principalId: must be an object id \(GUID\)/,
  );
  assert.match(
    problemsOf(() =>
      loadPolicy(
        '{"exclusions": [{"principalId": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", "roleName": "Owner"}]}',
      ),
    )[0]!,
    /^policy\.exclusions\.0: needs exactly one of principalId, scope, roleName, appOwnerTenantId/,
  );
  assert.match(
    problemsOf(() => loadPolicy('{"exclusions": [{"scope": "resourceGroups/x"}]}'))[0]!,
    /policy\.exclusions\.0\.scope/,
  );
  assert.match(
    problemsOf(() => loadPolicy('{"exclusions": [{"roleName": "Owner", "rules": ["X"]}]}'))[0]!,
    /unknown rule "X"/,
  );
  assert.match(
    problemsOf(() => loadPolicy('{"disableServicePrincipal": "yes"}'))[0]!,
    /^policy\.disableServicePrincipal/,
  );
  assert.match(problemsOf(() => loadPolicy("{not json"))[0]!, /^inline policy is not valid JSON/);
  assert.match(
    problemsOf(() => loadPolicy("/nonexistent/policy.json"))[0]!,
    /^policy file \/nonexistent\/policy\.json cannot be read/,
  );
  assert.match(problemsOf(() => loadPolicy("[1]"))[0]!, /^policy: .*object/);
});

test("every problem is reported at once", () => {
  const problems = problemsOf(() => loadPolicy('{"rules": {"RA-NOPE": "off", "RA-OTHER": "flag"}}'));
  assert.equal(problems.length, 2);
});
