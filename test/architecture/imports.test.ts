/**
 * The import graph of the ledger node, the SDK, the scripts and the benches, built from the sources with the
 * TypeScript parser (no type checking: ~1 s), and the rules it must keep:
 *
 * - no import cycles, type-only imports included (each is printed, file by file);
 * - the node is a library: it never imports scripts/ (the CLI and tooling import it, not the reverse);
 * - the SDK stands alone (it runs in browsers): it never imports the node, scripts/, test/ or bench/;
 * - benches never import test/ (shared setup lives in scripts/lib/).
 *
 * eslint.config.js refuses the same crossings by import specifier as code is written; this test checks the resolved
 * files, and cycles, which a per-file lint cannot see.
 */
import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

const ROOT = path.resolve(__dirname, "..", "..");
const PARTS = ["ledger-node/src", "sdk/src", "scripts", "bench"];
const SOURCE = /\.(ts|js)$/;
const SDK_PACKAGE = "@cityledger/sdk";

interface Edge {
  from: string;
  to: string;
  specifier: string;
  /**
   * `import type …` / `export type … from`, or an import whose every name is `type`: erased when compiled, so the
   * module is never loaded through this edge at run time.
   */
  typeOnly: boolean;
}

/** Every source file under the parts, relative to the repository root, with `/` separators. */
function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) {
        if (e.name !== "node_modules" && e.name !== "dist" && e.name !== "results") walk(rel);
      } else if (SOURCE.test(e.name) && !e.name.endsWith(".d.ts")) out.push(rel);
    }
  };
  PARTS.forEach(walk);
  return out.sort();
}

/** The repository file a specifier names, or undefined for packages other than the SDK (and unresolvable ones). */
function resolve(from: string, specifier: string): string | undefined {
  let base: string;
  if (specifier === SDK_PACKAGE) base = "sdk/src";
  else if (specifier.startsWith(`${SDK_PACKAGE}/`)) base = `sdk/src/${specifier.slice(SDK_PACKAGE.length + 1)}`;
  else if (specifier.startsWith(".")) base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  else return undefined;
  for (const candidate of [base, `${base}.ts`, `${base}.js`, `${base}.json`, `${base}/index.ts`, `${base}/index.js`]) {
    const file = path.join(ROOT, candidate);
    if (fs.existsSync(file) && fs.statSync(file).isFile()) return candidate;
  }
  return undefined;
}

/** The imports of one file: import/export declarations, `import x = require()`, `require("…")` and `import("…")`. */
function importsOf(file: string): { specifier: string; typeOnly: boolean }[] {
  const text = fs.readFileSync(path.join(ROOT, file), "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false, file.endsWith(".js") ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const everyNameIsType =
        clause !== undefined &&
        clause.name === undefined &&
        bindings !== undefined &&
        ts.isNamedImports(bindings) &&
        bindings.elements.length > 0 &&
        bindings.elements.every((e) => e.isTypeOnly);
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: Boolean(clause?.isTypeOnly) || everyNameIsType });
      return;
    }
    if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.exportClause;
      const everyNameIsType = clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly || everyNameIsType });
      return;
    }
    if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      found.push({ specifier: node.moduleReference.expression.text, typeOnly: node.isTypeOnly });
      return;
    }
    if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === "require")) {
        found.push({ specifier: node.arguments[0].text, typeOnly: false });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function buildGraph(): { files: string[]; edges: Edge[] } {
  const files = sourceFiles();
  const edges: Edge[] = [];
  for (const from of files) {
    for (const { specifier, typeOnly } of importsOf(from)) {
      const to = resolve(from, specifier);
      if (to !== undefined) edges.push({ from, to, specifier, typeOnly });
    }
  }
  return { files, edges };
}

/**
 * The import cycles: one per strongly connected component of the graph (Tarjan), printed as a shortest cycle through
 * the component's first file — what to cut first; a component's other cycles show once that one is gone.
 */
function cycles(files: string[], edges: readonly Edge[]): { cycle: string[]; component: string[] }[] {
  const next = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const e of edges) next.get(e.from)?.push(e.to);
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (next.get(v) ?? []).includes(v)) components.push(component.sort());
    }
  };
  for (const f of files) if (!index.has(f)) connect(f);
  return components.map((component) => {
    const inside = new Set(component);
    const start = component[0];
    // Breadth-first from start back to start, inside the component.
    const parent = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
      const v = queue.shift()!;
      for (const w of next.get(v) ?? []) {
        if (!inside.has(w)) continue;
        if (w === start) {
          const cycle = [start];
          for (let u = v; u !== start; u = parent.get(u)!) cycle.splice(1, 0, u);
          return { cycle: [...cycle, start], component };
        }
        if (!parent.has(w)) {
          parent.set(w, v);
          queue.push(w);
        }
      }
    }
    return { cycle: component, component };
  });
}

const crossing = (edges: readonly Edge[], from: string, into: readonly string[]) =>
  edges.filter((e) => e.from.startsWith(`${from}/`) && into.some((dir) => e.to.startsWith(`${dir}/`))).map((e) => `${e.from} → ${e.to} ("${e.specifier}")`);

describe("architecture: the import graph of the node, the SDK, the scripts and the benches", () => {
  let graph: { files: string[]; edges: Edge[] };

  before(() => {
    graph = buildGraph();
  });

  it("finds the imports (the graph is not empty, the SDK subpaths resolve)", () => {
    expect(graph.files.length).to.be.greaterThan(300);
    expect(graph.edges.some((e) => e.from.startsWith("ledger-node/src/") && e.specifier.startsWith(SDK_PACKAGE) && e.to.startsWith("sdk/src/"))).to.equal(true);
  });

  it("has no import cycles", () => {
    // Type-only imports count. TypeScript erases them, so they never make one module load another at run time (where
    // a cycle bites under CommonJS: a module reads a binding of one still loading and gets undefined), but a cycle of
    // types still ties the files together: neither can move to another package, or be understood, without the other.
    // The printed cycle marks such edges "(type only)": the cheap ones to cut.
    const typeOnly = new Set(graph.edges.filter((e) => e.typeOnly).map((e) => `${e.from}→${e.to}`));
    for (const e of graph.edges) if (!e.typeOnly) typeOnly.delete(`${e.from}→${e.to}`);
    const show = ({ cycle, component }: { cycle: string[]; component: string[] }) => {
      const others = component.filter((file) => !cycle.includes(file));
      return [
        ...cycle.map((file, i) => (i === 0 ? file : `  → ${file}${typeOnly.has(`${cycle[i - 1]}→${file}`) ? " (type only)" : ""}`)),
        ...(others.length > 0 ? [`  (more cycles through: ${others.join(", ")})`] : []),
      ].join("\n    ");
    };
    const found = cycles(graph.files, graph.edges).map(show);
    if (found.length > 0) expect.fail(`${found.length} import cycle(s):\n\n    ${found.join("\n\n    ")}\n`);
  });

  it("the node never imports scripts/ (it is a library the CLI and scripts use)", () => {
    expect(crossing(graph.edges, "ledger-node", ["scripts", "test", "bench"])).to.deep.equal([]);
  });

  it("the SDK never imports the node, scripts/, test/ or bench/ (it stands alone, in browsers too)", () => {
    expect(crossing(graph.edges, "sdk", ["ledger-node", "scripts", "test", "bench"])).to.deep.equal([]);
  });

  it("benches never import test/ (shared setup lives in scripts/lib/)", () => {
    expect(crossing(graph.edges, "bench", ["test"])).to.deep.equal([]);
  });
});
