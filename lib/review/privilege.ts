// Role privilege analysis (DESIGN.md "Role privilege analysis").
//
// ARM semantics implemented here:
// - Patterns are matched case-insensitively against the whole action; `*` matches any run of
//   characters, `/` included (so `*/read` matches `Microsoft.Compute/virtualMachines/read`).
// - A role's permissions are a list of blocks. An action is granted when, in SOME block, an `actions`
//   pattern matches it and no `notActions` pattern OF THAT SAME BLOCK matches it. `notActions` is a
//   subtraction from its own block's `actions`, not a deny (Microsoft Learn, "Understand Azure role
//   definitions": NotActions is not a deny rule; effective permissions are Actions minus NotActions).
//   Real roles rely on this: "Azure Service Deploy Release Management Restricted Owner" removes
//   `Microsoft.Authorization/*/Write` from `*` in block 1 and grants `roleAssignments/write` in block 2.
// - dataActions / notDataActions are ignored (data plane cannot assign roles or unregister providers).
//
// Capabilities are probes of concrete actions:
// - assignRoles: Microsoft.Authorization/roleAssignments/write or .../roleDefinitions/write
// - writeAny: `Zz.Probe/things/write`, a write on a provider no pattern names
// - unregisterProviders: `Zz.Probe/unregister/action`
import type { Permission, RoleDefinition } from "../tenant/ports";

export type PrivilegeTier = "admin" | "broad-write" | "none";

export type Capability = "assignRoles" | "writeAny" | "unregisterProviders";

export interface RoleAnalysis {
  assignRoles: boolean;
  writeAny: boolean;
  unregisterProviders: boolean;
  tier: PrivilegeTier;
  privileged: boolean;
  /** Names of the capabilities that are true, in a fixed order. */
  capabilities: Capability[];
  /** Which pattern granted each capability and which notAction removed it. */
  explain: string[];
}

/** Capability -> the actions that prove it (any one suffices). Behaviour as data. */
export const CAPABILITY_PROBES: Readonly<Record<Capability, readonly string[]>> = {
  assignRoles: [
    "Microsoft.Authorization/roleAssignments/write",
    "Microsoft.Authorization/roleDefinitions/write",
  ],
  writeAny: ["Zz.Probe/things/write"],
  unregisterProviders: ["Zz.Probe/unregister/action"],
};

const CAPABILITY_ORDER: readonly Capability[] = ["assignRoles", "writeAny", "unregisterProviders"];

/** Compiled patterns, shared across calls: catalogues repeat the same few hundred patterns. */
const compiled = new Map<string, RegExp>();
const COMPILED_CAP = 50_000;

/** Trim spaces and no-break spaces that real definitions carry around actions. */
function cleanPattern(pattern: string): string {
  return pattern.replace(/^[\s\u00a0]+|[\s\u00a0]+$/g, "");
}

export function compileActionPattern(pattern: string): RegExp {
  const p = cleanPattern(pattern);
  let re = compiled.get(p);
  if (!re) {
    const body = p
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    re = new RegExp(`^${body}$`, "is");
    if (compiled.size >= COMPILED_CAP) compiled.clear();
    compiled.set(p, re);
  }
  return re;
}

export function actionMatches(pattern: string, action: string): boolean {
  return compileActionPattern(pattern).test(action);
}

interface Grant {
  granted: boolean;
  explain: string[];
}

/** Is `action` granted by these permission blocks? Explains every block that matched. */
export function grants(permissions: readonly Permission[], action: string): Grant {
  const explain: string[] = [];
  let granted = false;
  permissions.forEach((block, i) => {
    const where = permissions.length > 1 ? ` (permission block ${i + 1})` : "";
    const allow = block.actions.find((p) => actionMatches(p, action));
    if (!allow) return;
    const removed = block.notActions.find((p) => actionMatches(p, action));
    if (removed) {
      explain.push(
        `${action}: "${cleanPattern(allow)}" matches but notAction "${cleanPattern(removed)}" removes it${where}`,
      );
    } else {
      granted = true;
      explain.push(`${action}: granted by "${cleanPattern(allow)}"${where}`);
    }
  });
  return { granted, explain };
}

export function analyzeRole(def: Pick<RoleDefinition, "permissions">): RoleAnalysis {
  const explain: string[] = [];
  const has = {} as Record<Capability, boolean>;
  for (const capability of CAPABILITY_ORDER) {
    has[capability] = false;
    for (const action of CAPABILITY_PROBES[capability]) {
      const g = grants(def.permissions, action);
      explain.push(...g.explain.map((line) => `${capability}: ${line}`));
      if (g.granted) has[capability] = true;
    }
    if (!has[capability] && !explain.some((l) => l.startsWith(`${capability}:`)))
      explain.push(`${capability}: no actions pattern matches ${CAPABILITY_PROBES[capability].join(" or ")}`);
  }
  const tier: PrivilegeTier = has.assignRoles ? "admin" : has.writeAny ? "broad-write" : "none";
  return {
    assignRoles: has.assignRoles,
    writeAny: has.writeAny,
    unregisterProviders: has.unregisterProviders,
    tier,
    privileged: tier !== "none",
    capabilities: CAPABILITY_ORDER.filter((c) => has[c]),
    explain,
  };
}

// ---------------------------------------------------------------------------------------------------
// Parsing role definitions from every shape users have at hand.

export class RoleDefinitionParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RoleDefinitionParseError";
  }
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function stringList(value: unknown, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new RoleDefinitionParseError(`${what} must be a list of strings`);
  return value.map((v, i) => {
    if (typeof v !== "string")
      throw new RoleDefinitionParseError(`${what}[${i}] must be a string, got ${JSON.stringify(v)}`);
    return cleanPattern(v);
  });
}

function optString(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function parsePermissions(value: unknown, where: string): Permission[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new RoleDefinitionParseError(`${where}: permissions must be a list`);
  return value.map((block, i) => {
    if (!isObject(block)) throw new RoleDefinitionParseError(`${where}: permissions[${i}] must be an object`);
    const at = `${where}: permissions[${i}]`;
    return {
      actions: stringList(block.actions ?? block.Actions, `${at}.actions`),
      notActions: stringList(block.notActions ?? block.NotActions, `${at}.notActions`),
      dataActions: stringList(block.dataActions ?? block.DataActions, `${at}.dataActions`),
      notDataActions: stringList(block.notDataActions ?? block.NotDataActions, `${at}.notDataActions`),
    };
  });
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GUID_TAIL = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i;

function parseOne(item: unknown, index: number): RoleDefinition {
  const where = `role definition #${index + 1}`;
  if (!isObject(item)) throw new RoleDefinitionParseError(`${where} is not an object`);
  // ARM REST shape keeps everything under `properties`; `az role definition list` flattens it;
  // PowerShell's Get-AzRoleDefinition uses Name/Id/IsCustom/Actions at top level.
  const rest = isObject(item.properties) ? item.properties : null;
  const src: Json = rest ?? item;
  const id = optString(item.id) ?? optString(item.Id) ?? "";
  const roleName = optString(src.roleName) ?? (rest ? null : optString(item.Name));
  if (roleName === null)
    throw new RoleDefinitionParseError(`${where}${id ? ` (${id})` : ""} has no roleName`);
  // The definition GUID: `name` in ARM and az output; else the id's tail (PowerShell's Id is the GUID).
  const nameField = optString(item.name);
  const name = nameField && GUID.test(nameField) ? nameField : (GUID_TAIL.exec(id)?.[1] ?? nameField ?? "");
  const roleType =
    optString(rest ? src.type : item.roleType) ??
    (typeof item.IsCustom === "boolean" ? (item.IsCustom ? "CustomRole" : "BuiltInRole") : "CustomRole");
  const permissions =
    src.permissions !== undefined
      ? parsePermissions(src.permissions, where)
      : item.Actions !== undefined || item.NotActions !== undefined
        ? parsePermissions([item], where)
        : [];
  return {
    id,
    name,
    roleName: roleName.replace(/[\s\u00a0]+$/, ""),
    roleType,
    description: optString(src.description ?? item.Description),
    assignableScopes: stringList(src.assignableScopes ?? item.AssignableScopes, `${where}.assignableScopes`),
    permissions,
  };
}

/** Accepts an ARM list (`{value:[…]}`), a plain array, `az role definition list` output, or one definition. */
export function parseRoleDefinitions(json: unknown): RoleDefinition[] {
  let items: unknown[];
  if (Array.isArray(json)) items = json;
  else if (isObject(json) && Array.isArray(json.value)) items = json.value;
  else if (isObject(json) && (isObject(json.properties) || "roleName" in json || "permissions" in json))
    items = [json];
  else
    throw new RoleDefinitionParseError(
      'expected role definitions: an ARM list ({"value":[…]}), a JSON array, or `az role definition list` output',
    );
  return items.map((item, i) => parseOne(item, i));
}
