import { rule } from "./rule";
import { runRuleCases } from "../../testing/cases";

runRuleCases(rule, new URL("./cases.json", import.meta.url));
