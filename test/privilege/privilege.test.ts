import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  actionMatches,
  analyzeRole,
  parseRoleDefinitions,
  RoleDefinitionParseError,
} from "../../lib/review/privilege";
import type { Permission, RoleDefinition } from "../../lib/tenant/ports";

const catalogue = JSON.parse(
  readFileSync(new URL("../fixtures/roles/arm-role-definitions.json", import.meta.url), "utf8"),
);
const roles = parseRoleDefinitions(catalogue);
const byName = (n: string): RoleDefinition => {
  const r = roles.find((x) => x.roleName === n);
  assert.ok(r, `role ${n} in the catalogue`);
  return r;
};

// ---- Oracle: a glob matcher written differently (dynamic programming over characters, no RegExp),
// and the DESIGN.md definition applied literally.
function globMatch(pattern: string, text: string): boolean {
  const p = pattern.trim().toLowerCase();
  const t = text.toLowerCase();
  // dp[j] = p[0..i) matches t[0..j)
  let dp: boolean[] = Array.from({ length: t.length + 1 }, (_, j) => j === 0);
  for (const ch of p) {
    const next: boolean[] = new Array<boolean>(t.length + 1).fill(false);
    if (ch === "*") {
      next[0] = dp[0] ?? false;
      for (let j = 1; j <= t.length; j++) next[j] = (dp[j] ?? false) || (next[j - 1] ?? false);
    } else {
      for (let j = 1; j <= t.length; j++) next[j] = (dp[j - 1] ?? false) && t[j - 1] === ch;
    }
    dp = next;
  }
  return dp[t.length] ?? false;
}
function oracleGranted(perms: Permission[], action: string): boolean {
  return perms.some(
    (b) => b.actions.some((a) => globMatch(a, action)) && !b.notActions.some((n) => globMatch(n, action)),
  );
}
function oracleTier(perms: Permission[]): string {
  const assign =
    oracleGranted(perms, "Microsoft.Authorization/roleAssignments/write") ||
    oracleGranted(perms, "Microsoft.Authorization/roleDefinitions/write");
  if (assign) return "admin";
  return oracleGranted(perms, "Zz.Probe/things/write") ? "broad-write" : "none";
}

describe("role privilege: the real catalogue", () => {
  it("parses all 427 definitions (411 built-in, 16 custom)", () => {
    assert.equal(roles.length, 427);
    assert.equal(roles.filter((r) => r.roleType === "BuiltInRole").length, 411);
    assert.equal(roles.filter((r) => r.roleType === "CustomRole").length, 16);
    assert.ok(roles.every((r) => /^[0-9a-f-]{36}$/.test(r.name)));
  });
  it("Owner is admin and can unregister providers", () => {
    const a = analyzeRole(byName("Owner"));
    assert.equal(a.tier, "admin");
    assert.deepEqual(a.capabilities, ["assignRoles", "writeAny", "unregisterProviders"]);
    assert.ok(a.explain.some((l) => l.includes('granted by "*"')));
  });
  it("Contributor is broad-write: its notActions remove Authorization writes", () => {
    const a = analyzeRole(byName("Contributor"));
    assert.equal(a.tier, "broad-write");
    assert.equal(a.assignRoles, false);
    assert.equal(a.unregisterProviders, true);
    assert.ok(
      a.explain.some((l) => /notAction "Microsoft\.Authorization\/\*\/Write" removes it/.test(l)),
      a.explain.join("\n"),
    );
  });
  it("User Access Administrator is admin but cannot write elsewhere", () => {
    const a = analyzeRole(byName("User Access Administrator"));
    assert.equal(a.tier, "admin");
    assert.equal(a.writeAny, false);
    assert.equal(a.privileged, true);
  });
  it("Reader is none", () => {
    const a = analyzeRole(byName("Reader"));
    assert.equal(a.tier, "none");
    assert.equal(a.privileged, false);
    assert.deepEqual(a.capabilities, []);
  });
  it("notActions apply per permission block (Restricted Owner regains roleAssignments/write in block 2)", () => {
    const a = analyzeRole(byName("Azure Service Deploy Release Management Restricted Owner"));
    assert.equal(a.tier, "admin");
    assert.ok(a.explain.some((l) => l.includes("permission block 2")));
  });
  it("every one of the 427 roles agrees with the independent oracle", () => {
    const disagreements = roles
      .map((r) => ({ r, mine: analyzeRole(r).tier, oracle: oracleTier(r.permissions) }))
      .filter((x) => x.mine !== x.oracle)
      .map((x) => `${x.r.roleName}: ${x.mine} vs oracle ${x.oracle}`);
    assert.deepEqual(disagreements, []);
    const tiers = roles.map((r) => analyzeRole(r).tier);
    assert.ok(tiers.includes("admin") && tiers.includes("broad-write") && tiers.includes("none"));
  });
  it("unregisterProviders agrees with the oracle on every role", () => {
    for (const r of roles)
      assert.equal(
        analyzeRole(r).unregisterProviders,
        oracleGranted(r.permissions, "Zz.Probe/unregister/action"),
        r.roleName,
      );
  });
  it("every custom role is explained for every capability", () => {
    for (const r of roles.filter((x) => x.roleType === "CustomRole")) {
      const a = analyzeRole(r);
      for (const c of ["assignRoles", "writeAny", "unregisterProviders"])
        assert.ok(
          a.explain.some((l) => l.startsWith(`${c}:`)),
          `${r.roleName} explains ${c}`,
        );
    }
  });
});

describe("role privilege: wildcard semantics", () => {
  const cases: [string, string, boolean][] = [
    ["*", "Microsoft.Authorization/roleAssignments/write", true],
    ["*/write", "Zz.Probe/things/write", true],
    ["*/read", "Zz.Probe/things/write", false],
    ["Microsoft.Authorization/*", "microsoft.authorization/roleassignments/write", true],
    ["microsoft.authorization/*/WRITE", "Microsoft.Authorization/roleAssignments/write", true],
    ["Microsoft.Authorization/*/Write", "Microsoft.Authorization/roleAssignments/read", false],
    ["Microsoft.Authorization/roleAssignments/write ", "Microsoft.Authorization/roleAssignments/write", true],
    ["Microsoft.Authorization/roleAssignments/*", "Microsoft.Authorization/roleAssignmentsX/write", false],
    ["Microsoft.Auth?rization/*", "Microsoft.Authorization/x", false],
    ["*/unregister/action", "Zz.Probe/unregister/action", true],
    ["Microsoft.Compute/*", "Zz.Probe/things/write", false],
  ];
  for (const [pattern, action, expected] of cases) {
    it(`"${pattern}" ${expected ? "matches" : "does not match"} ${action}`, () => {
      assert.equal(actionMatches(pattern, action), expected);
      assert.equal(globMatch(pattern, action), expected);
    });
  }
  it("data actions are ignored", () => {
    const a = analyzeRole({
      permissions: [{ actions: [], notActions: [], dataActions: ["*"], notDataActions: [] }],
    });
    assert.equal(a.tier, "none");
  });
  it("a notAction in one block does not remove a grant of another", () => {
    const a = analyzeRole({
      permissions: [
        { actions: ["*/read"], notActions: ["*"], dataActions: [], notDataActions: [] },
        { actions: ["*/write"], notActions: [], dataActions: [], notDataActions: [] },
      ],
    });
    assert.equal(a.tier, "admin");
  });
});

describe("parseRoleDefinitions: shapes", () => {
  const perms = [
    { actions: ["*"], notActions: ["Microsoft.Authorization/*/Write"], dataActions: [], notDataActions: [] },
  ];
  it("ARM list {value:[…]} in REST shape", () => {
    const [r] = parseRoleDefinitions({
      value: [
        {
          id: "/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c",
          name: "b24988ac-6180-42a0-ab88-20f7382dd24c",
          properties: {
            roleName: "Contributor",
            type: "BuiltInRole",
            permissions: perms,
            assignableScopes: ["/"],
          },
        },
      ],
    });
    assert.equal(r?.roleName, "Contributor");
    assert.equal(r?.roleType, "BuiltInRole");
    assert.equal(analyzeRole(r!).tier, "broad-write");
  });
  it("az role definition list (flat) shape, trailing spaces trimmed", () => {
    const [r] = parseRoleDefinitions([
      {
        assignableScopes: ["/subscriptions/x"],
        description: "d",
        id: "/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/11111111-2222-4333-8444-555555555555",
        name: "11111111-2222-4333-8444-555555555555",
        permissions: [{ actions: ["Microsoft.Authorization/roleAssignments/write  "], notActions: [] }],
        roleName: "Custom Granter ",
        roleType: "CustomRole",
        type: "Microsoft.Authorization/roleDefinitions",
      },
    ]);
    assert.equal(r?.roleName, "Custom Granter");
    assert.equal(r?.roleType, "CustomRole");
    assert.deepEqual(r?.permissions[0]?.dataActions, []);
    assert.equal(analyzeRole(r!).tier, "admin");
  });
  it("PowerShell Get-AzRoleDefinition shape", () => {
    const [r] = parseRoleDefinitions([
      {
        Name: "PS Role",
        Id: "11111111-2222-4333-8444-555555555555",
        IsCustom: true,
        Actions: ["*/write"],
        NotActions: [],
      },
    ]);
    assert.equal(r?.name, "11111111-2222-4333-8444-555555555555");
    assert.equal(analyzeRole(r!).tier, "admin");
  });
  it("bad input gets a clear error", () => {
    assert.throws(() => parseRoleDefinitions("nope"), RoleDefinitionParseError);
    assert.throws(
      () => parseRoleDefinitions({ value: [{ properties: { roleName: "x", permissions: "*" } }] }),
      /permissions must be a list/,
    );
    assert.throws(
      () => parseRoleDefinitions([{ roleName: "x", permissions: [{ actions: [1] }] }]),
      /actions\[0\] must be a string/,
    );
    assert.throws(() => parseRoleDefinitions([{ id: "/x" }]), /has no roleName/);
  });
});
