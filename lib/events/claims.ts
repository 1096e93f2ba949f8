// Caller identity from JWT claims (reference §1.7). ARM hands the activity data v1.0 tokens whose claims
// appear under short names (`oid`) or long URIs (`http://schemas.microsoft.com/identity/claims/objectidentifier`),
// so every claim is looked up by all its names.
import type { Actor, ActorType } from "./types";
import { guidField, nonEmptyString, type Notes } from "./values";

const MS = "http://schemas.microsoft.com/identity/claims/";
const XML = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/";

/** Every name a claim is known by, short first. */
const CLAIM_NAMES = {
  objectId: ["oid", `${MS}objectidentifier`],
  tenantId: ["tid", `${MS}tenantid`],
  scope: ["scp", `${MS}scope`],
  upn: ["upn", `${XML}upn`],
  uniqueName: ["unique_name", `${XML}name`],
  name: ["name"],
  appId: ["appid", "azp"],
  appIdAcr: ["appidacr", "azpacr"],
  idtyp: ["idtyp"],
  ipAddress: ["ipaddr"],
  miResourceId: ["xms_mirid"],
} as const;

type ClaimKey = keyof typeof CLAIM_NAMES;
export type Claims = Record<string, unknown>;

/** Claim value by any of its names; claim keys are matched case-insensitively (exports vary). */
export function claim(claims: Claims | null, key: ClaimKey): string | null {
  if (!claims) return null;
  for (const name of CLAIM_NAMES[key]) {
    const direct = nonEmptyString(claims[name]);
    if (direct !== null) return direct;
  }
  const wanted = new Set<string>(CLAIM_NAMES[key].map((n) => n.toLowerCase()));
  for (const [k, v] of Object.entries(claims)) {
    if (wanted.has(k.toLowerCase())) {
      const text = nonEmptyString(v);
      if (text !== null) return text;
    }
  }
  return null;
}

interface CallerFacts {
  claims: Claims | null;
  /** Activity-log `caller`: a UPN for users, an object id for service principals. */
  caller: string | null;
}

/** Caller-type rules in order (reference §1.7); the first that matches wins. Behaviour as data. */
const CALLER_RULES: Array<{ type: ActorType; why: string; when: (f: CallerFacts) => boolean }> = [
  { type: "managedIdentity", why: "xms_mirid claim", when: (f) => claim(f.claims, "miResourceId") !== null },
  {
    type: "servicePrincipal",
    why: "idtyp app, or appidacr 1/2 without user claims",
    when: (f) =>
      claim(f.claims, "idtyp")?.toLowerCase() === "app" ||
      (claim(f.claims, "upn") === null &&
        claim(f.claims, "scope") === null &&
        ["1", "2"].includes(claim(f.claims, "appIdAcr") ?? "")),
  },
  {
    type: "user",
    why: "upn, name or scope claim, or idtyp user",
    when: (f) =>
      claim(f.claims, "upn") !== null ||
      claim(f.claims, "uniqueName") !== null ||
      claim(f.claims, "name") !== null ||
      claim(f.claims, "scope") !== null ||
      claim(f.claims, "idtyp")?.toLowerCase() === "user",
  },
  // No usable claims (alerts often carry "{}"): a caller that is an e-mail address is a user's UPN.
  { type: "user", why: "caller is a UPN", when: (f) => f.caller !== null && f.caller.includes("@") },
];

export function callerType(facts: CallerFacts): ActorType {
  return CALLER_RULES.find((rule) => rule.when(facts))?.type ?? "unknown";
}

export function actorFrom(
  claims: Claims | null,
  callerRaw: unknown,
  ipAddress: unknown,
  notes: Notes,
): Actor {
  const caller = nonEmptyString(callerRaw);
  const facts: CallerFacts = { claims, caller };
  const claimedOid = claim(claims, "objectId");
  let objectId = claimedOid !== null ? guidField(claimedOid, "the caller's object id claim", notes) : null;
  // Service principals and managed identities appear as their object id in `caller`.
  if (objectId === null && caller !== null && !caller.includes("@"))
    objectId = guidField(caller, "caller", []);
  const actor: Actor = { objectId, type: callerType(facts) };
  const upn = claim(claims, "upn") ?? claim(claims, "uniqueName") ?? (caller?.includes("@") ? caller : null);
  if (upn !== null && actor.type === "user") actor.upn = upn;
  const appId = claim(claims, "appId");
  if (appId !== null) actor.appId = guidField(appId, "appid claim", notes) ?? appId;
  const ip = claim(claims, "ipAddress") ?? nonEmptyString(ipAddress);
  if (ip !== null) actor.ipAddress = ip;
  const mi = claim(claims, "miResourceId");
  if (mi !== null) actor.miResourceId = mi;
  const tid = claim(claims, "tenantId");
  if (tid !== null) {
    const tenant = guidField(tid, "the caller's tenant id claim", notes);
    if (tenant) actor.tenantId = tenant;
  }
  if (actor.type === "unknown" && (claims || caller))
    notes.push(
      "the caller type could not be told from the claims (no upn, scope, idtyp, appidacr or xms_mirid)",
    );
  return actor;
}
