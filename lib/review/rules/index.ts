// The rule registry: one folder per rule (rule.ts + cases.json + rule.test.ts). Order here is the order
// findings are listed in. Adding a rule = adding a folder and a line here.
import type { RuleId } from "../types";
import type { Rule } from "../rule";
import { rule as raRecentPrivileged } from "./ra-recent-privileged/rule";
import { rule as raExternalPrincipal } from "./ra-external-principal/rule";
import { rule as raActorPrivileged } from "./ra-actor-privileged/rule";
import { rule as raOrphaned } from "./ra-orphaned/rule";
import { rule as raProtectedRemoved } from "./ra-protected-removed/rule";
import { rule as rpUnregistered } from "./rp-unregistered/rule";
import { rule as spNewCredential } from "./sp-new-credential/rule";

export const RULES: readonly Rule[] = [
  rpUnregistered,
  raRecentPrivileged,
  raExternalPrincipal,
  raProtectedRemoved,
  spNewCredential,
  raActorPrivileged,
  raOrphaned,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}

export const RULE_IDS: readonly RuleId[] = RULES.map((r) => r.id);
