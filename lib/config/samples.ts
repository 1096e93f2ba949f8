// Documentation generated from SETTING_SPECS, so local.settings.sample.json and infra/README.md cannot
// drift from the settings the code reads (a test compares the committed files with these).
import { SETTING_SPECS } from "./settings";

/** Host settings a local `func start` needs besides ours (Azurite for the host's own storage). */
const HOST_VALUES: Record<string, string> = {
  AzureWebJobsStorage: "UseDevelopmentStorage=true",
  FUNCTIONS_WORKER_RUNTIME: "node",
};

/** Values that make a local run work against Azurite; everything else keeps its documented default. */
const LOCAL_VALUES: Record<string, string> = {
  STORE_CONNECTION_STRING: "UseDevelopmentStorage=true",
  MODE: "flag",
};

export function localSettingsSample(): string {
  const values: Record<string, string> = { ...HOST_VALUES };
  const comments: Record<string, string> = {
    AzureWebJobsStorage:
      "Host storage. Azurite locally; in Azure the Bicep sets AzureWebJobsStorage__accountName/__credential/__clientId (identity, no key).",
    FUNCTIONS_WORKER_RUNTIME: "Local host only; Flex Consumption sets the runtime in functionAppConfig.",
  };
  for (const spec of SETTING_SPECS) {
    values[spec.name] = LOCAL_VALUES[spec.name] ?? spec.default;
    comments[spec.name] = `${spec.description} Default: ${spec.default === "" ? "(empty)" : spec.default}.`;
  }
  const doc = {
    _comment:
      "Copy to local.settings.json (never commit that file). _comments explains every value; JSON has no comments.",
    IsEncrypted: false,
    Values: values,
    _comments: comments,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function settingsTableMarkdown(): string {
  const rows = SETTING_SPECS.map(
    (s) =>
      `| \`${s.name}\` | ${s.default === "" ? "(empty)" : `\`${s.default}\``} | ${s.description.replace(/\|/g, "\\|")} |`,
  );
  return ["| Setting | Default | Meaning |", "|---|---|---|", ...rows].join("\n");
}
