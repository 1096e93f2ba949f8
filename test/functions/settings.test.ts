// Settings validation (one clear sentence per problem, every problem at once) and the documentation
// generated from SETTING_SPECS staying in sync with the committed files.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { localSettingsSample, settingsTableMarkdown } from "../../lib/config/samples";
import { SETTING_SPECS } from "../../lib/config/settings";
import { PROFILE_RULES, settingNamed, validateSettings } from "../../lib/config/validate";
import { functionEnv, RESPONDER } from "./events";

describe("validateSettings", () => {
  it("accepts a complete Function configuration", () => {
    const r = validateSettings(functionEnv(), "function");
    assert.deepEqual(r.problems, []);
    assert.equal(r.ok, true);
    assert.equal(r.settings?.responderPrincipalId, RESPONDER);
  });

  it("lists every bad value at once, one sentence each, naming the setting first", () => {
    const r = validateSettings(
      functionEnv({
        MODE: "nuke",
        LOOKBACK_HOURS: "abc",
        MAX_ACTIONS_PER_HOUR: "-1",
        PROTECTED_PRINCIPAL_IDS: "not-a-guid,b1eac1a5-0000-4000-8000-00000000b001",
        FINDINGS_TOPIC_ENDPOINT: "http://insecure.example",
        AZURE_CLOUD: "Mars",
      }),
      "function",
    );
    assert.equal(r.ok, false);
    assert.equal(r.settings, null, "values are invalid, nothing to use");
    assert.deepEqual(r.problems.map(settingNamed).sort(), [
      "AZURE_CLOUD",
      "FINDINGS_TOPIC_ENDPOINT",
      "LOOKBACK_HOURS",
      "MAX_ACTIONS_PER_HOUR",
      "MODE",
      "PROTECTED_PRINCIPAL_IDS",
    ]);
    assert.ok(r.problems.some((p) => p.includes('"not-a-guid"')));
  });

  it("the Function profile requires a durable store, its own identity and, in Azure, the client id", () => {
    const r = validateSettings({ WEBSITE_SITE_NAME: "func-x" }, "function");
    assert.deepEqual(r.problems.map(settingNamed).sort(), [
      "AZURE_CLIENT_ID",
      "RESPONDER_PRINCIPAL_ID",
      "STORE_TABLE_ENDPOINT",
    ]);
    assert.ok(r.settings, "the values themselves parse, so the doctor can still use them");
    assert.equal(r.ok, false);
  });

  it("the offline profile needs none of that", () => {
    const r = validateSettings({}, "offline");
    assert.equal(r.ok, true);
  });

  it("a plain-http table endpoint is refused", () => {
    const r = validateSettings(
      functionEnv({
        STORE_CONNECTION_STRING: "",
        STORE_TABLE_ENDPOINT: "http://acct.table.core.windows.net",
      }),
      "function",
    );
    assert.deepEqual(r.problems.map(settingNamed), ["STORE_TABLE_ENDPOINT"]);
  });

  it("every profile rule names a setting the specs document", () => {
    const names = new Set(SETTING_SPECS.map((s) => s.name));
    const broken = validateSettings(
      { WEBSITE_SITE_NAME: "x", STORE_TABLE_ENDPOINT: "http://x" },
      "function",
    ).problems;
    for (const p of broken) assert.ok(names.has(settingNamed(p)), p);
    assert.ok(PROFILE_RULES.length >= 4);
  });
});

describe("generated documentation", () => {
  it("local.settings.sample.json is the generated sample and documents every setting", () => {
    assert.equal(readFileSync("local.settings.sample.json", "utf8"), localSettingsSample());
    const doc = JSON.parse(localSettingsSample()) as {
      Values: Record<string, string>;
      _comments: Record<string, string>;
    };
    for (const spec of SETTING_SPECS) {
      assert.ok(spec.name in doc.Values, spec.name);
      assert.ok((doc._comments[spec.name] ?? "").length > 10, `${spec.name} is explained`);
    }
    assert.equal(doc.Values.FINDINGS_TOPIC_KEY, "", "no secret in the sample");
  });

  it("infra/README.md carries the generated settings table", () => {
    assert.ok(readFileSync("infra/README.md", "utf8").includes(settingsTableMarkdown()));
  });
});

describe("validateSettings: every problem at once, once each", () => {
  it("a bad value does not hide the profile's problems, and a bad id is not reported twice", () => {
    const r = validateSettings({ MODE: "nuke", RESPONDER_PRINCIPAL_ID: "me" }, "function");
    assert.equal(r.ok, false);
    assert.equal(r.settings, null);
    assert.deepEqual(r.problems.map(settingNamed).sort(), [
      "MODE",
      "RESPONDER_PRINCIPAL_ID",
      "STORE_TABLE_ENDPOINT",
    ]);
  });

  it("an unusable POLICY is a settings problem at start-up (not a runtime that never starts while health says ok)", () => {
    const r = validateSettings(functionEnv({ POLICY: "{ not json" }), "function");
    assert.equal(r.ok, false);
    assert.ok(r.problems.length >= 1);
    assert.ok(
      r.problems.every((p) => settingNamed(p) === "POLICY"),
      r.problems.join("; "),
    );
    const fine = validateSettings(functionEnv({ POLICY: "{}" }), "function");
    assert.deepEqual(fine.problems, []);
  });
});
