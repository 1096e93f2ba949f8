// MITRE ATT&CK mapping per kind and namespace group, as data.
//
// | kind                    | group            | techniques | why |
// |-------------------------|------------------|------------|-----|
// | provider-unregister     | defense          | T1562.001  | Impair Defenses: Disable or Modify Tools (Defender, Sentinel, Monitor, Policy, Event Grid) |
// | provider-unregister     | identity / other | T1562      | Impair Defenses (parent): switching a service off without a named defensive tool |
// | feature-unregister      | any              | T1562      | Impair Defenses: turning off a preview feature can switch off a protection (e.g. EncryptionAtHost) |
// | role-assignment-write   | any              | T1098.003  | Account Manipulation: Additional Cloud Roles |
// | role-assignment-delete  | any              | T1531      | Account Access Removal (e.g. a break-glass Owner removed) |
// | provider-register, feature-register, other | any | none | not adversary behaviour on their own |
//
// The technique is attached whatever the outcome: a failed or started attempt is still the technique
// being attempted; the severity (not the technique list) reflects the outcome.
import type { Kind, NamespaceGroup } from "./types";

export interface AttackRow {
  kind: Kind;
  groups: "any" | readonly NamespaceGroup[];
  techniques: readonly string[];
}

export const ATTACK_TABLE: readonly AttackRow[] = [
  { kind: "provider-unregister", groups: ["defense"], techniques: ["T1562.001"] },
  { kind: "provider-unregister", groups: "any", techniques: ["T1562"] },
  { kind: "feature-unregister", groups: "any", techniques: ["T1562"] },
  { kind: "role-assignment-write", groups: "any", techniques: ["T1098.003"] },
  { kind: "role-assignment-delete", groups: "any", techniques: ["T1531"] },
];

export const ATTACK_NAMES: Readonly<Record<string, string>> = {
  "T1562.001": "Impair Defenses: Disable or Modify Tools",
  T1562: "Impair Defenses",
  "T1098.003": "Account Manipulation: Additional Cloud Roles",
  T1531: "Account Access Removal",
};

export function attackFor(kind: Kind, group: NamespaceGroup | null): string[] {
  const g = group ?? "other";
  const row = ATTACK_TABLE.find((r) => r.kind === kind && (r.groups === "any" || r.groups.includes(g)));
  return row ? [...row.techniques] : [];
}
