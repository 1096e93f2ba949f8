// A fake of OUR tenant port (not of any Azure SDK client), counting calls and sequential round trips, for
// checking how much the review context costs. Round of a call = 1 + the highest round among calls that had
// already finished when it started: calls issued together share a round.
import type {
  ApplicationInfo,
  DirectoryLookup,
  Principal,
  RoleAssignment,
  RoleAssignmentScheduleInstance,
  RoleDefinition,
  Tenant,
} from "../../lib/tenant/ports";

export interface CallLog {
  calls: Array<{ name: string; args: unknown[]; round: number }>;
  rounds(): number;
}

export interface FakeTenantData {
  tenantId: string;
  assignments: RoleAssignment[];
  listedDefinitions: RoleDefinition[];
  /** Definitions only `get` knows (not in the list). */
  extraDefinitions?: RoleDefinition[];
  principals: Principal[];
  applications?: Record<string, ApplicationInfo | null>;
  /** Transitive group ids by object id (what transitiveMemberOf answers). */
  memberOf?: Record<string, string[]>;
  /** Transitive members by group id; a group absent here is answered as a 404 (reported incomplete). */
  groupMembers?: Record<string, Principal[]>;
  /** PIM schedule instances; an Error here is what listScheduleInstances rejects with. */
  scheduleInstances?: RoleAssignmentScheduleInstance[] | Error;
}

export function fakeTenant(data: FakeTenantData): { tenant: Tenant; log: CallLog } {
  let finishedMaxRound = 0;
  const log: CallLog = {
    calls: [],
    rounds: () => Math.max(0, ...log.calls.map((c) => c.round)),
  };
  const call = async <T>(name: string, args: unknown[], result: () => T): Promise<T> => {
    const round = finishedMaxRound + 1;
    log.calls.push({ name, args, round });
    await new Promise((r) => setImmediate(r));
    finishedMaxRound = Math.max(finishedMaxRound, round);
    return result();
  };
  const unexpected = (name: string) => () => Promise.reject(new Error(`review must not call ${name}`));
  const allDefs = [...data.listedDefinitions, ...(data.extraDefinitions ?? [])];
  const tenant: Tenant = {
    tenantId: data.tenantId,
    roleAssignments: {
      listForSubscription: (sub) =>
        call("roleAssignments.listForSubscription", [sub], () => data.assignments),
      listForPrincipal: unexpected("listForPrincipal"),
      listAtScope: unexpected("listAtScope"),
      listAssignedTo: unexpected("listAssignedTo"),
      get: unexpected("roleAssignments.get"),
      delete: unexpected("roleAssignments.delete"),
      create: unexpected("roleAssignments.create"),
      listScheduleInstances: (sub) =>
        call("roleAssignments.listScheduleInstances", [sub], () => {
          const si = data.scheduleInstances ?? [];
          if (si instanceof Error) throw si;
          return si;
        }),
    },
    roleDefinitions: {
      list: (scope) => call("roleDefinitions.list", [scope], () => data.listedDefinitions),
      get: (id, scope) =>
        call(
          "roleDefinitions.get",
          [id, scope],
          () => allDefs.find((d) => id.toLowerCase().endsWith(d.name)) ?? null,
        ),
    },
    providers: {
      get: unexpected("providers.get"),
      register: unexpected("providers.register"),
      list: unexpected("providers.list"),
    },
    activityLog: {
      findOperation: unexpected("activityLog.findOperation"),
      list: unexpected("activityLog.list"),
    },
    directory: {
      resolve: (ids, opts) =>
        call("directory.resolve", [ids, opts], (): DirectoryLookup => {
          const found = new Map<string, Principal>();
          const missing: string[] = [];
          for (const id of ids) {
            const p = data.principals.find((x) => x.id === id);
            if (p) found.set(id, p);
            else missing.push(id);
          }
          const applications = new Map<string, ApplicationInfo | null>();
          for (const appId of opts?.applicationAppIds ?? [])
            applications.set(appId, data.applications?.[appId] ?? null);
          const memberOf = new Map<string, string[]>();
          const groupMembers = new Map<string, Principal[]>();
          const incomplete: NonNullable<DirectoryLookup["incomplete"]> = [];
          for (const subject of opts?.transitiveMemberOf ?? []) {
            const id = typeof subject === "string" ? subject : subject.id;
            memberOf.set(id, data.memberOf?.[id] ?? []);
          }
          for (const g of opts?.transitiveMembersOf ?? []) {
            const members = data.groupMembers?.[g];
            if (members) groupMembers.set(g, members);
            else
              incomplete.push({
                id: g,
                relation: "transitiveMembers",
                status: 404,
                reason: "Request_ResourceNotFound",
              });
          }
          return { found, missing, applications, memberOf, groupMembers, incomplete };
        }),
      applicationByAppId: unexpected("applicationByAppId"),
      disableServicePrincipal: unexpected("disableServicePrincipal"),
    },
  };
  return { tenant, log };
}
