// Runs a rule's cases.json: each case builds a context (fixture.ts shorthands), reviews it with only that rule
// under the case's policy (default policy when none), and compares the findings with the expected ones.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { Rule } from "../rule";
import { parsePolicy } from "../policy";
import { review } from "../review";
import type { ProposedFinding } from "../types";
import type { CaseGiven } from "./fixture";
import { expand, fixtureContext } from "./fixture";

export interface ExpectedFinding extends Partial<Omit<ProposedFinding, "restore">> {
  /** Substrings the human reason must contain. */
  reasonIncludes?: string[];
  /** Expected restore snapshot fields. */
  restore?: Record<string, unknown>;
}

export interface RuleCase {
  name: string;
  given: CaseGiven;
  policy?: unknown;
  expect: ExpectedFinding[];
  /** How many findings the policy must have excluded (default 0). */
  excluded?: number;
}

export interface RuleCases {
  rule: string;
  cases: RuleCase[];
}

function lastSegment(id: string): string {
  return id.split("/").pop()!.toLowerCase();
}

function matches(actual: ProposedFinding, expected: ExpectedFinding): boolean {
  for (const [key, value] of Object.entries(expected)) {
    if (key === "reasonIncludes") {
      if (!(value as string[]).every((s) => actual.reason.includes(s))) return false;
    } else if (key === "assignmentId") {
      const want = String(value);
      const got = actual.assignmentId ?? "";
      if (
        want.startsWith("/")
          ? got.toLowerCase() !== want.toLowerCase()
          : lastSegment(got) !== want.toLowerCase()
      )
        return false;
    } else if (key === "restore") {
      const snap = actual.restore as unknown as Record<string, unknown> | undefined;
      if (!snap || !Object.entries(value as object).every(([k, v]) => snap[k] === v)) return false;
    } else if ((actual as unknown as Record<string, unknown>)[key] !== value) return false;
  }
  return true;
}

export function loadCases(url: URL): RuleCases {
  return JSON.parse(readFileSync(url, "utf8")) as RuleCases;
}

export function runRuleCases(rule: Rule, url: URL): void {
  const file = loadCases(url);
  test(`${rule.id}: cases.json names this rule and holds positive and negative cases`, () => {
    assert.equal(file.rule, rule.id);
    assert.ok(
      file.cases.some((c) => c.expect.length > 0),
      "no positive case",
    );
    assert.ok(
      file.cases.some((c) => c.expect.length === 0),
      "no negative case",
    );
  });
  for (const c of file.cases) {
    test(`${rule.id}: ${c.name}`, () => {
      const ctx = fixtureContext(c.given);
      const policy = parsePolicy(expand(c.policy ?? {}));
      const result = review(ctx, policy, [rule]);
      const got = result.findings;
      const expected = expand(c.expect);
      const unmatched = [...got];
      for (const want of expected) {
        const i = unmatched.findIndex((f) => matches(f, want));
        assert.ok(i >= 0, `expected ${JSON.stringify(want)}\n     got ${JSON.stringify(got, null, 1)}`);
        unmatched.splice(i, 1);
      }
      assert.deepEqual(unmatched, [], "unexpected findings");
      assert.equal(result.excluded.length, c.excluded ?? 0, "excluded count");
      for (const f of got) {
        assert.equal(f.rule, rule.id);
        assert.ok(f.reason.length > 20 && f.reason.endsWith("."), `reason is a sentence: ${f.reason}`);
      }
    });
  }
}
