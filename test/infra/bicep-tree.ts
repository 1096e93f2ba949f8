// A small reader over tree-sitter-bicep syntax trees, so infra tests assert on structure (declarations,
// properties, literal values) instead of matching text. Bicep cannot be compiled here (DESIGN.md traps).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Language, Parser, type Node } from "web-tree-sitter";

const require = createRequire(import.meta.url);
let parserPromise: Promise<Parser> | null = null;

async function parser(): Promise<Parser> {
  parserPromise ??= (async () => {
    await Parser.init();
    const language = await Language.load(require.resolve("tree-sitter-bicep/tree-sitter-bicep.wasm"));
    const p = new Parser();
    p.setLanguage(language);
    return p;
  })();
  return parserPromise;
}

export interface Problem {
  kind: "ERROR" | "MISSING";
  line: number;
  text: string;
}

export interface BicepFile {
  path: string;
  root: Node;
  problems: Problem[];
}

export async function parseBicepFile(path: string): Promise<BicepFile> {
  const tree = (await parser()).parse(readFileSync(path, "utf8"));
  if (!tree) throw new Error(`tree-sitter returned no tree for ${path}`);
  const problems: Problem[] = [];
  const visit = (node: Node): void => {
    if (node.type === "ERROR" || node.isMissing)
      problems.push({
        kind: node.isMissing ? "MISSING" : "ERROR",
        line: node.startPosition.row + 1,
        text: node.text,
      });
    for (const child of node.children) if (child) visit(child);
  };
  visit(tree.rootNode);
  return { path, root: tree.rootNode, problems };
}

/** Named children without comments (comments are named nodes in this grammar). */
function named(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => c !== null && c.type !== "comment");
}

/** Text of a plain string literal ('abc'); undefined for interpolated strings and non-strings. */
export function stringValue(node: Node | null | undefined): string | undefined {
  if (!node || node.type !== "string") return undefined;
  const parts = named(node);
  if (parts.some((p) => p.type === "interpolation")) return undefined;
  return parts.map((p) => p.text).join("");
}

/** JS value of a literal subtree (strings, numbers, booleans, null, arrays, objects); undefined when it is an expression. */
export function literal(node: Node | null | undefined): unknown {
  if (!node) return undefined;
  switch (node.type) {
    case "string":
      return stringValue(node);
    case "number":
      return Number(node.text);
    case "boolean":
      return node.text === "true";
    case "null":
      return null;
    case "array":
      return named(node).map((c) => literal(c));
    case "object": {
      const out: Record<string, unknown> = {};
      for (const prop of named(node).filter((c) => c.type === "object_property")) {
        const [key, value] = named(prop);
        if (key) out[propertyKey(key)] = literal(value);
      }
      return out;
    }
    default:
      return undefined;
  }
}

function propertyKey(key: Node): string {
  return key.type === "string" ? (stringValue(key) ?? key.text) : key.text;
}

/** The value node of `path` (dotted) inside an object node. */
export function property(object: Node | null | undefined, path: string): Node | undefined {
  let current: Node | undefined = object ?? undefined;
  for (const segment of path.split(".")) {
    if (!current || current.type !== "object") return undefined;
    const prop = named(current).find((c) => {
      const key = named(c)[0];
      return c.type === "object_property" && key !== undefined && propertyKey(key) === segment;
    });
    current = prop ? named(prop)[1] : undefined;
  }
  return current;
}

export interface Declaration {
  kind: "resource" | "module" | "param" | "var" | "output";
  symbol: string;
  /** Resource type string ('Microsoft.Web/sites@2024-04-01') or module path. */
  target?: string;
  existing: boolean;
  /** The body object (through `if (…)` and `[for …: {…}]`), or the value expression of var/param/output. */
  body: Node | undefined;
  conditional: boolean;
  loop: boolean;
  node: Node;
}

function unwrapBody(node: Node | undefined): { body: Node | undefined; conditional: boolean; loop: boolean } {
  if (!node) return { body: undefined, conditional: false, loop: false };
  if (node.type === "if_statement")
    return { body: named(node).find((c) => c.type === "object"), conditional: true, loop: false };
  if (node.type === "for_statement") {
    const kids = named(node);
    const inner = kids[kids.length - 1];
    const unwrapped = unwrapBody(inner);
    return { ...unwrapped, loop: true };
  }
  return { body: node, conditional: false, loop: false };
}

export function declarations(file: BicepFile): Declaration[] {
  const out: Declaration[] = [];
  for (const decl of named(file.root)) {
    const kids = named(decl);
    const symbol = kids[0]?.text ?? "";
    if (decl.type === "resource_declaration" || decl.type === "module_declaration") {
      const target = stringValue(kids[1]);
      const { body, conditional, loop } = unwrapBody(kids[kids.length - 1]);
      out.push({
        kind: decl.type === "resource_declaration" ? "resource" : "module",
        symbol,
        ...(target !== undefined ? { target } : {}),
        existing: decl.children.some((c) => c?.type === "existing"),
        body,
        conditional,
        loop,
        node: decl,
      });
    } else if (
      decl.type === "parameter_declaration" ||
      decl.type === "variable_declaration" ||
      decl.type === "output_declaration"
    ) {
      const kind =
        decl.type === "parameter_declaration"
          ? "param"
          : decl.type === "variable_declaration"
            ? "var"
            : "output";
      const value = kids.find((c, i) => i > 0 && c.type !== "type");
      out.push({ kind, symbol, existing: false, body: value, conditional: false, loop: false, node: decl });
    }
  }
  return out;
}

export function targetScope(file: BicepFile): string | undefined {
  const assignment = named(file.root).find((c) => c.type === "target_scope_assignment");
  if (assignment) return stringValue(named(assignment)[0]);
  return undefined;
}

/** Every node of a type anywhere below `node`. */
export function descendants(node: Node, type: string): Node[] {
  return node.descendantsOfType(type).filter((n): n is Node => n !== null);
}
