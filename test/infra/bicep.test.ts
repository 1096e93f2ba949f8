// Structural checks on the Bicep in infra/: it parses, it uses the API versions of reference §7, and it
// grants the identity nothing beyond the least-privilege set. Bicep cannot be compiled here, so the
// tree-sitter-bicep syntax tree stands in for the compiler.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { before, describe, it } from "node:test";
import {
  declarations,
  descendants,
  literal,
  parseBicepFile,
  property,
  stringValue,
  targetScope,
  type BicepFile,
  type Declaration,
} from "./bicep-tree";

const INFRA = "infra";
const files = new Map<string, BicepFile>();

function bicepPaths(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? bicepPaths(join(dir, e.name)) : e.name.endsWith(".bicep") ? [join(dir, e.name)] : [],
  );
}

function file(path: string): BicepFile {
  const f = files.get(path);
  assert.ok(f, `${path} was not parsed`);
  return f;
}

function decl(path: string, symbol: string): Declaration {
  const d = declarations(file(path)).find((x) => x.symbol === symbol);
  assert.ok(d, `${path} declares ${symbol}`);
  return d;
}

function allResources(): Array<Declaration & { path: string }> {
  return [...files.values()].flatMap((f) =>
    declarations(f)
      .filter((d) => d.kind === "resource")
      .map((d) => ({ ...d, path: f.path })),
  );
}

/** API versions from reference §7 (and the Graph extension's v1.0). */
const API_VERSIONS: Record<string, string> = {
  "Microsoft.Resources/resourceGroups": "2024-03-01",
  "Microsoft.ManagedIdentity/userAssignedIdentities": "2023-01-31",
  "Microsoft.Storage/storageAccounts": "2023-05-01",
  "Microsoft.Storage/storageAccounts/blobServices": "2023-05-01",
  "Microsoft.Storage/storageAccounts/blobServices/containers": "2023-05-01",
  "Microsoft.Storage/storageAccounts/tableServices": "2023-05-01",
  "Microsoft.Storage/storageAccounts/tableServices/tables": "2023-05-01",
  "Microsoft.OperationalInsights/workspaces": "2023-09-01",
  "Microsoft.Insights/components": "2020-02-02",
  "Microsoft.Web/serverfarms": "2024-04-01",
  "Microsoft.Web/sites": "2024-04-01",
  "Microsoft.Web/sites/basicPublishingCredentialsPolicies": "2024-04-01",
  "Microsoft.EventGrid/topics": "2025-02-15",
  "Microsoft.EventGrid/systemTopics": "2025-02-15",
  "Microsoft.EventGrid/systemTopics/eventSubscriptions": "2025-02-15",
  "Microsoft.Authorization/roleAssignments": "2022-04-01",
  "Microsoft.Authorization/roleDefinitions": "2022-04-01",
  "Microsoft.Graph/servicePrincipals": "v1.0",
  "Microsoft.Graph/appRoleAssignedTo": "v1.0",
};

const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const USER_ACCESS_ADMINISTRATOR = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const RBAC_ADMINISTRATOR = "f58310d9-a9f6-439a-9e8d-f62e7b41a168";

before(async () => {
  for (const path of bicepPaths(INFRA)) files.set(path, await parseBicepFile(path));
});

describe("infra Bicep parses", () => {
  it("finds the expected files", () => {
    for (const p of [
      "infra/main.bicep",
      "infra/events.bicep",
      "infra/modules/app.bicep",
      "infra/modules/watched-subscription.bicep",
      "infra/modules/system-topic.bicep",
      "infra/modules/event-subscription.bicep",
      "infra/modules/graph-permissions.bicep",
    ])
      assert.ok(files.has(p), `${p} exists`);
  });

  it("has no ERROR or MISSING nodes (the one exception: the `extension` keyword tree-sitter-bicep 1.1.0 predates)", () => {
    for (const [path, f] of files) {
      const unexpected = f.problems.filter(
        (p) => !(p.kind === "ERROR" && /^extension\s+microsoftGraphV1$/.test(p.text)),
      );
      assert.deepEqual(unexpected, [], `${path} parses cleanly`);
    }
    const graph = file("infra/modules/graph-permissions.bicep");
    assert.equal(graph.problems.length, 1, "only the extension line is unknown to the grammar");
  });

  it("every module path resolves to a file", () => {
    for (const [path, f] of files)
      for (const d of declarations(f).filter((x) => x.kind === "module"))
        assert.ok(
          existsSync(join(dirname(path), d.target ?? "")),
          `${path}: module ${d.symbol} -> ${d.target}`,
        );
  });
});

describe("scopes and API versions", () => {
  it("deploys main, events and the per-subscription module at subscription scope", () => {
    assert.equal(targetScope(file("infra/main.bicep")), "subscription");
    assert.equal(targetScope(file("infra/events.bicep")), "subscription");
    assert.equal(targetScope(file("infra/modules/watched-subscription.bicep")), "subscription");
  });

  it("uses the API versions of reference §7 for every resource", () => {
    const seen = new Set<string>();
    for (const r of allResources()) {
      const [type, version] = (r.target ?? "").split("@");
      assert.ok(type && version, `${r.path}: ${r.symbol} has type@version`);
      assert.equal(version, API_VERSIONS[type], `${r.path}: ${r.symbol} ${type}`);
      seen.add(type);
    }
    for (const required of [
      "Microsoft.Web/sites",
      "Microsoft.Web/serverfarms",
      "Microsoft.EventGrid/systemTopics",
      "Microsoft.EventGrid/systemTopics/eventSubscriptions",
      "Microsoft.EventGrid/topics",
      "Microsoft.Authorization/roleDefinitions",
      "Microsoft.Storage/storageAccounts/tableServices/tables",
    ])
      assert.ok(seen.has(required), `declares a ${required}`);
  });

  it("watches each listed subscription through a module scoped to subscription(id)", () => {
    const watched = decl("infra/main.bicep", "watched");
    assert.equal(watched.loop, true);
    assert.equal(property(watched.body, "scope")?.text, "subscription(id)");
    const events = decl("infra/events.bicep", "subscriptions");
    assert.equal(events.loop, true);
    assert.equal(property(events.body, "scope")?.text, "resourceGroup(id, eventsResourceGroupName)");
  });

  it("deploys event subscriptions only on request (the function must exist first)", () => {
    const events = decl("infra/main.bicep", "events");
    assert.equal(events.conditional, true);
    assert.equal(
      events.node.descendantsOfType("if_statement")[0]?.namedChildren[0]?.text,
      "(deployEventSubscriptions)",
    );
    assert.equal(literal(decl("infra/main.bicep", "deployEventSubscriptions").body), false);
  });
});

describe("the function app and its storage are locked down", () => {
  const app = "infra/modules/app.bicep";

  it("storage: no shared keys, TLS 1.2, https only, no public blob access", () => {
    const storage = decl(app, "storage").body;
    assert.equal(literal(property(storage, "properties.allowSharedKeyAccess")), false);
    assert.equal(literal(property(storage, "properties.minimumTlsVersion")), "TLS1_2");
    assert.equal(literal(property(storage, "properties.supportsHttpsTrafficOnly")), true);
    assert.equal(literal(property(storage, "properties.allowBlobPublicAccess")), false);
    for (const c of ["deploymentContainer", "deadLetterContainer"])
      assert.equal(literal(property(decl(app, c).body, "properties.publicAccess")), "None");
  });

  it("site: Flex Consumption, Linux, Node 22, https only, TLS 1.2, FTP off, basic publishing credentials off", () => {
    const plan = decl(app, "plan").body;
    assert.deepEqual(literal(property(plan, "sku")), { tier: "FlexConsumption", name: "FC1" });
    const site = decl(app, "functionApp").body;
    assert.equal(literal(property(site, "kind")), "functionapp,linux");
    assert.equal(literal(property(site, "properties.httpsOnly")), true);
    assert.equal(literal(property(site, "properties.siteConfig.minTlsVersion")), "1.2");
    assert.equal(literal(property(site, "properties.siteConfig.ftpsState")), "Disabled");
    assert.deepEqual(literal(property(site, "properties.functionAppConfig.runtime")), {
      name: "node",
      version: "22",
    });
    assert.equal(literal(property(site, "identity.type")), "UserAssigned");
    for (const policy of ["ftpPublishing", "scmPublishing"])
      assert.equal(literal(property(decl(app, policy).body, "properties.allow")), false);
  });

  it("host storage is identity-based and the app gets the settings lib/config reads", () => {
    const settings = property(decl(app, "functionApp").body, "properties.siteConfig.appSettings");
    assert.ok(settings);
    const names = settings.namedChildren
      .filter((c) => c?.type === "object")
      .map((c) => literal(property(c, "name")));
    for (const n of [
      "AzureWebJobsStorage__accountName",
      "AzureWebJobsStorage__credential",
      "AzureWebJobsStorage__clientId",
      "AZURE_CLIENT_ID",
      "AZURE_TENANT_ID",
      "RESPONDER_PRINCIPAL_ID",
      "MODE",
      "WATCHED_SUBSCRIPTION_IDS",
      "STORE_TABLE_ENDPOINT",
      "FINDINGS_TOPIC_ENDPOINT",
    ])
      assert.ok(names.includes(n), `app setting ${n}`);
    assert.ok(!names.includes("AzureWebJobsStorage"), "no connection string with a key");
    assert.ok(!names.includes("FINDINGS_TOPIC_KEY"), "no topic key");
  });

  it("creates exactly the tables the store opens", async () => {
    const { TABLE_SUFFIXES } = await import("../../lib/store/entityStore");
    assert.deepEqual(literal(decl(app, "tableSuffixes").body), [...TABLE_SUFFIXES]);
    assert.equal(property(decl(app, "tables").body, "name")?.text, "'${tablePrefix}${suffix}'");
  });

  it("findings topic takes CloudEvents with local auth disabled", () => {
    const topic = decl(app, "findingsTopic").body;
    assert.equal(literal(property(topic, "properties.inputSchema")), "CloudEventSchemaV1_0");
    assert.equal(literal(property(topic, "properties.disableLocalAuth")), true);
  });
});

describe("Event Grid wiring", () => {
  it("the system topic watches the subscription, location global", () => {
    const topic = decl("infra/modules/system-topic.bicep", "systemTopic").body;
    assert.equal(literal(property(topic, "location")), "global");
    assert.equal(literal(property(topic, "properties.topicType")), "Microsoft.Resources.Subscriptions");
    assert.equal(property(topic, "properties.source")?.text, "subscription().id");
  });

  it("the event subscription filters on the three operations, outcome event types, to the function", () => {
    const sub = decl("infra/modules/event-subscription.bicep", "toResponder").body;
    const filter = literal(property(sub, "properties.filter")) as {
      includedEventTypes: string[];
      advancedFilters: Array<{ operatorType: string; key: string; values: string[] }>;
    };
    const expectedTypes = ["Action", "Write", "Delete"].flatMap((verb) =>
      ["Success", "Failure", "Cancel"].map((outcome) => `Microsoft.Resources.Resource${verb}${outcome}`),
    );
    assert.deepEqual([...filter.includedEventTypes].sort(), expectedTypes.sort());
    assert.deepEqual(filter.advancedFilters, [
      {
        operatorType: "StringEndsWith",
        key: "data.operationName",
        values: ["/unregister/action", "/roleAssignments/write", "/roleAssignments/delete"],
      },
    ]);
    const valueCount = filter.advancedFilters.reduce((n, f) => n + f.values.length, 0);
    assert.ok(filter.advancedFilters.length <= 25 && valueCount <= 25, "within Event Grid's limits");
    assert.equal(literal(property(sub, "properties.destination.endpointType")), "AzureFunction");
    assert.equal(
      property(sub, "properties.destination.properties.resourceId")?.text,
      "'${functionAppId}/functions/${functionName}'",
    );
    assert.equal(literal(property(sub, "properties.retryPolicy.eventTimeToLiveInMinutes")), 1440);
    const attempts = literal(property(sub, "properties.retryPolicy.maxDeliveryAttempts"));
    assert.ok(typeof attempts === "number" && attempts >= 1 && attempts <= 30);
    const dl = property(sub, "properties.deadLetterWithResourceIdentity");
    assert.equal(literal(property(dl, "identity.type")), "UserAssigned");
    assert.equal(literal(property(dl, "deadLetterDestination.endpointType")), "StorageBlob");
  });

  it("the function name the event subscription targets is the one the app registers", async () => {
    const { FUNCTION_NAME } = await import("../../functions/names");
    assert.equal(literal(decl("infra/main.bicep", "functionName").body), FUNCTION_NAME);
    assert.equal(literal(decl("infra/events.bicep", "functionName").body), FUNCTION_NAME);
  });
});

describe("least privilege for the identity", () => {
  it("the custom role's actions are exactly the least-privilege set", () => {
    assert.deepEqual(literal(decl("infra/main.bicep", "responderBaseActions").body), [
      "Microsoft.Authorization/roleAssignments/read",
      "Microsoft.Authorization/roleDefinitions/read",
      "Microsoft.Authorization/roleAssignmentScheduleInstances/read",
      "Microsoft.Authorization/roleAssignments/delete",
      "Microsoft.Resources/subscriptions/providers/read",
      "*/register/action",
      "Microsoft.Insights/eventtypes/*",
    ]);
    assert.deepEqual(literal(decl("infra/main.bicep", "responderRestoreActions").body), [
      "Microsoft.Authorization/roleAssignments/write",
    ]);
    const permissions = property(decl("infra/main.bicep", "responderRole").body, "properties.permissions");
    const only = permissions?.namedChildren.filter((c) => c?.type === "object") ?? [];
    assert.equal(only.length, 1);
    const actions = property(only[0], "actions");
    assert.equal(actions?.type, "call_expression");
    assert.equal(actions?.text, "concat(responderBaseActions, enableRestore ? responderRestoreActions : [])");
    for (const empty of ["notActions", "dataActions", "notDataActions"])
      assert.deepEqual(literal(property(only[0], empty)), []);
    assert.equal(literal(decl("infra/main.bicep", "enableRestore").body), false, "restore is opt-in");
  });

  it("grants no Owner, User Access Administrator, Contributor or RBAC Administrator anywhere", () => {
    for (const [path, f] of files) {
      const strings = descendants(f.root, "string").map((s) => s.text.toLowerCase());
      for (const forbidden of [OWNER, USER_ACCESS_ADMINISTRATOR, CONTRIBUTOR, RBAC_ADMINISTRATOR])
        assert.ok(!strings.some((s) => s.includes(forbidden)), `${path} mentions ${forbidden}`);
    }
  });

  it("every role assignment uses the custom role or a named data-plane role", () => {
    const dataPlane: Record<string, string> = {
      storageBlobDataOwner: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
      storageTableDataContributor: "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
      monitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
      eventGridDataSender: "d5a91429-5739-47e2-a06b-3470a27159e7",
    };
    let count = 0;
    for (const r of allResources().filter((x) =>
      x.target?.startsWith("Microsoft.Authorization/roleAssignments@"),
    )) {
      count++;
      const roleId = property(r.body, "properties.roleDefinitionId");
      const args = roleId?.descendantsOfType("arguments")[0]?.namedChildren ?? [];
      const roleSymbol = args[1]?.text ?? "";
      assert.ok(
        roleSymbol === "responderRoleDefinitionGuid" || roleSymbol in dataPlane,
        `${r.path}: ${r.symbol} assigns ${roleSymbol}`,
      );
      if (roleSymbol in dataPlane)
        assert.equal(
          literal(decl(r.path, roleSymbol).body),
          dataPlane[roleSymbol],
          `${roleSymbol} is the expected GUID`,
        );
      assert.equal(literal(property(r.body, "properties.principalType")), "ServicePrincipal");
    }
    assert.equal(count, 5);
  });

  it("Graph: Directory.Read.All and Application.Read.All only, behind an opt-in parameter", () => {
    const path = "infra/modules/graph-permissions.bicep";
    assert.deepEqual(literal(decl(path, "appRoleIds").body), {
      "Directory.Read.All": "7ab1d382-f21e-4acd-a863-ba3e13f7da61",
      "Application.Read.All": "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30",
    });
    const grants = declarations(file(path)).filter((d) =>
      d.target?.startsWith("Microsoft.Graph/appRoleAssignedTo@"),
    );
    assert.deepEqual(
      grants.map((g) => property(g.body, "appRoleId")?.text),
      ["appRoleIds['Directory.Read.All']", "appRoleIds['Application.Read.All']"],
    );
    assert.equal(decl("infra/main.bicep", "graph").conditional, true);
    assert.equal(literal(decl("infra/main.bicep", "grantGraphPermissions").body), false);
  });
});

describe("main.bicepparam", () => {
  it("sets only parameters main.bicep declares (the grammar has no .bicepparam mode: untyped params show as MISSING type)", async () => {
    const f = await parseBicepFile("infra/main.bicepparam");
    assert.ok(
      f.problems.every((p) => p.kind === "MISSING"),
      "no ERROR nodes",
    );
    const using = f.root.namedChildren.find((c) => c?.type === "using_statement");
    assert.equal(stringValue(using?.namedChildren[0]), "./main.bicep");
    const mainParams = new Set(
      declarations(file("infra/main.bicep"))
        .filter((d) => d.kind === "param")
        .map((d) => d.symbol),
    );
    const set = declarations(f).filter((d) => d.kind === "param");
    assert.ok(set.length >= 5);
    for (const p of set) assert.ok(mainParams.has(p.symbol), `main.bicep declares ${p.symbol}`);
  });
});

describe("azd wiring", () => {
  it("the postdeploy hook deploys events.bicep with outputs main.bicep really has", () => {
    const yaml = readFileSync("azure.yaml", "utf8");
    assert.match(yaml, /postdeploy:[\s\S]*run: \.\/infra\/hooks\/postdeploy\.sh/);
    assert.match(yaml, /dist: dist/);
    const hook = readFileSync("infra/hooks/postdeploy.sh", "utf8");
    assert.match(hook, /--template-file infra\/events\.bicep/);
    const outputs = new Set(
      declarations(file("infra/main.bicep"))
        .filter((d) => d.kind === "output")
        .map((d) => d.symbol),
    );
    const used = [...hook.matchAll(/\$\{?([A-Z][A-Z0-9_]+)/g)]
      .map((m) => m[1]!)
      .filter((n) => !["AZURE_ENV_NAME", "AZURE_LOCATION"].includes(n));
    assert.ok(used.length >= 6);
    for (const name of used) assert.ok(outputs.has(name), `main.bicep outputs ${name}`);
    const eventsParams = new Set(
      declarations(file("infra/events.bicep"))
        .filter((d) => d.kind === "param")
        .map((d) => d.symbol),
    );
    for (const [, param] of hook.matchAll(/^\s+([a-zA-Z]+)=/gm))
      assert.ok(eventsParams.has(param!), `events.bicep takes ${param}`);
  });
});
