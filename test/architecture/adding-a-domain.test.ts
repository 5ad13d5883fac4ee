/**
 * What adding a domain costs, measured: a copy of the repository (a sandbox) receives a toy "tool lending" domain —
 * a contract, a node module, SDK actions, a decorator, a message file and a test, all new files, kept under
 * test/architecture/tool-lending/ — plus the registering lines docs/adding-a-domain.md lists. In the sandbox the
 * contract compiles, `npm run abis` regenerates the manifest, the sources type-check (root and browser SDK configs),
 * eslint passes, and the toy's own end-to-end test (deploy, relay, project, serve, explain errors) and the suites that
 * guard the seams pass. Then the sandbox's `git status` must show exactly the registering files changed by hand (at
 * most 6), and otherwise only generated ABI files.
 *
 * Slow (a compile, two type checks, a test run: ~1.5 min), and the one test that proves the seam holds.
 */
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const TOY = path.join(__dirname, "tool-lending");

/** The existing files a domain touches by hand, each with the lines it gains (docs/adding-a-domain.md, 1–5). */
const REGISTRATIONS: Record<string, [anchor: string, replacement: string][]> = {
  "scripts/lib/deploy.ts": [
    ["  ParkingExchange,\n", "  ParkingExchange,\n  ToolLending,\n"],
    ['"DataUseRegistry"] as const;', '"DataUseRegistry", "ToolLending"] as const;'],
    ["  parking: ParkingExchange;\n", "  parking: ParkingExchange;\n  tools: ToolLending;\n"],
    [
      "\n  for (const [name, table] of Object.entries(PERMISSIONS)",
      '  const tools = await deploy<ToolLending>("ToolLending", [authorityAddress, forwarderAddress, registryAddress]);\n\n  for (const [name, table] of Object.entries(PERMISSIONS)',
    ],
    ["datause, record };", "datause, tools, record };"],
  ],
  "ledger-node/src/domains/index.ts": [
    ['import { datause } from "./datause";\n', 'import { datause } from "./datause";\nimport { tools } from "./tools";\n'],
    ["budget, datause] as const;", "budget, datause, tools] as const;"],
    ["budget, datause };", "budget, datause, tools };"],
    ['export * from "./datause";\n', 'export * from "./datause";\nexport * from "./tools";\n'],
  ],
  "sdk/src/clients/createCityClient.ts": [
    ['from "./decorators/datause";\n', 'from "./decorators/datause";\nimport { toolsActions, type ToolsActions } from "./decorators/tools";\n'],
    ["  datause: DatauseActions;\n}", "  datause: DatauseActions;\n  /** Tool lending (ToolLending). */\n  tools: ToolsActions;\n}"],
    ["    datause: datauseActions(context),\n", "    datause: datauseActions(context),\n    tools: toolsActions(context),\n"],
  ],
  "sdk/src/errors/messages/index.ts": [
    ['import { datauseMessages } from "./datause";\n', 'import { datauseMessages } from "./datause";\nimport { toolsMessages } from "./tools";\n'],
    ["  ...datauseMessages,\n", "  ...datauseMessages,\n  ...toolsMessages,\n"],
  ],
  "sdk/src/index.ts": [
    [
      "// Clients\n",
      '// Clients\nexport { toolsActions, type ToolsActions } from "./clients/decorators/tools";\n' +
        ["listTool", "borrowTool", "giveBackTool", "getTool"].map((a) => `export { ${a} } from "./actions/tools/${a}";\n`).join(""),
    ],
  ],
};

/** Files `npm run abis` rewrites (generated, committed): they change with any contract and are not touched by hand. */
const GENERATED = ["sdk/src/abis/index.ts", "sdk/src/abis/manifest.ts", "sdk/src/abis/toolLending.ts"];

/**
 * The suites that guard the seams, run in the sandbox beside the toy's own test (that every error is explained is the
 * type check's to say: the message table is a mapped type over the manifest's errors; the ABIs were just generated).
 */
const GUARDS = ["test/architecture/domains.test.ts", "test/sdk/client.test.ts", "test/deploy.test.ts", "test/ledger-node/api.test.ts"];

/** The toy's files, by their path in a repository (the test is a `.spec.ts` here, so the main suite skips it). */
function toyFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(TOY, full).replace(/\.spec\.ts$/, ".test.ts"), full);
    }
  };
  walk(TOY);
  return files;
}

/** A copy of the working tree (tracked and untracked files, compile cache and artifacts), committed in its own git. */
class Sandbox {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "cityledger-domain-"));

  constructor() {
    const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
    for (const file of listed.split("\0").filter((f) => f && fs.existsSync(path.join(ROOT, f)))) this.copy(file);
    // The compile cache and its outputs: only the new contract compiles. The cache names files by absolute path (the
    // libraries under node_modules keep theirs: the symlink below resolves to them).
    for (const dir of ["artifacts", "typechain-types", "cache"]) {
      fs.cpSync(path.join(ROOT, dir), path.join(this.dir, dir), { recursive: true, preserveTimestamps: true });
    }
    const cacheFile = path.join(this.dir, "cache", "solidity-files-cache.json");
    fs.writeFileSync(cacheFile, fs.readFileSync(cacheFile, "utf8").split(`${ROOT}/contracts/`).join(`${this.dir}/contracts/`));
    // The installed packages, the root's and the SDK workspace's own (its versions differ from the root's).
    for (const dir of ["node_modules", "sdk/node_modules"]) {
      if (fs.existsSync(path.join(ROOT, dir))) fs.symlinkSync(path.join(ROOT, dir), path.join(this.dir, dir), "dir");
    }
    this.run("git", ["init", "-q"]);
    this.run("git", ["add", "-A"]);
    this.run("git", ["-c", "user.name=sandbox", "-c", "user.email=sandbox@localhost", "commit", "-q", "-m", "before"]);
  }

  copy(file: string, from = path.join(ROOT, file)): void {
    const to = path.join(this.dir, file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
  }

  edit(file: string, edits: [string, string][]): void {
    const target = path.join(this.dir, file);
    let text = fs.readFileSync(target, "utf8");
    for (const [anchor, replacement] of edits) {
      const at = text.indexOf(anchor);
      if (at < 0 || text.indexOf(anchor, at + 1) >= 0) throw new Error(`${file}: the anchor ${JSON.stringify(anchor)} is not found exactly once`);
      text = text.replace(anchor, replacement);
    }
    fs.writeFileSync(target, text);
  }

  /** Runs a command in the sandbox; a failure throws with its output. */
  run(command: string, args: string[]): string {
    try {
      return execFileSync(command, args, { cwd: this.dir, encoding: "utf8", stdio: "pipe", env: { ...process.env, FORCE_COLOR: "0" }, maxBuffer: 64 << 20 });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(`${command} ${args.join(" ")} failed in the sandbox:\n${e.stdout ?? ""}\n${e.stderr ?? e.message}`);
    }
  }

  /** Modified tracked files and new files, relative paths, sorted. */
  changes(): { modified: string[]; added: string[] } {
    const status = this.run("git", ["status", "--porcelain", "--untracked-files=all"]).split("\n").filter(Boolean);
    const of = (code: string) => status.filter((l) => l.startsWith(code)).map((l) => l.slice(3)).sort();
    return { modified: of(" M"), added: of("??") };
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

describe("architecture: adding a domain", function () {
  this.timeout(15 * 60_000);
  let sandbox: Sandbox;
  let passed = false;

  before(() => {
    sandbox = new Sandbox();
  });
  after(() => {
    // Kept on failure, for a look at what broke.
    if (passed) sandbox?.remove();
    else if (sandbox) console.log(`the sandbox is kept at ${sandbox.dir}`);
  });

  it("the toy tool-lending domain lands by new files and the registering lines of at most 6 existing files", () => {
    const toy = toyFiles();
    const hardhat = (...args: string[]) => sandbox.run(process.execPath, [path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "cli.js"), ...args]);
    const bin = (name: string, ...args: string[]) => sandbox.run(process.execPath, [path.join(ROOT, "node_modules", ...name.split("/")), ...args]);
    const add = (files: string[]) => {
      for (const file of files) {
        expect(fs.existsSync(path.join(sandbox.dir, file)), `${file} is new`).to.equal(false);
        sandbox.copy(file, toy.get(file));
      }
    };

    // In a developer's order: the contract, then its generated ABI and manifest entry, then the code that uses them.
    const contracts = [...toy.keys()].filter((f) => f.startsWith("contracts/"));
    add(contracts);
    hardhat("compile", "--quiet");
    hardhat("run", "--no-compile", "scripts/generate-abis.ts");
    add([...toy.keys()].filter((f) => !contracts.includes(f)));
    for (const [file, edits] of Object.entries(REGISTRATIONS)) sandbox.edit(file, edits);
    // The type checks follow imports from these entry points (the whole node, the SDK, the deploy library, the tests).
    fs.writeFileSync(
      path.join(sandbox.dir, "cache", "tsconfig.domain.json"),
      JSON.stringify({
        extends: "../tsconfig.json",
        include: [],
        files: ["../hardhat.config.ts", "../ledger-node/src/node.ts", "../sdk/src/index.ts", "../scripts/lib/deploy.ts", ...[...toy.keys()].filter((f) => f.startsWith("test/")), ...GUARDS].map(
          (f) => (f.startsWith("../") ? f : `../${f}`),
        ),
      }),
    );
    bin("typescript/bin/tsc", "--noEmit", "-p", "cache/tsconfig.domain.json");
    bin("typescript/bin/tsc", "--noEmit", "-p", "sdk/tsconfig.json");
    bin("eslint/bin/eslint.js", "--max-warnings", "0", ...[...toy.keys()].filter((f) => /^(sdk|ledger-node)\/.*\.ts$/.test(f)), ...Object.keys(REGISTRATIONS));
    hardhat("test", "--no-compile", ...[...toy.keys()].filter((f) => f.endsWith(".test.ts")), ...GUARDS);

    const { modified, added } = sandbox.changes();
    expect(modified.filter((f) => !GENERATED.includes(f))).to.deep.equal(Object.keys(REGISTRATIONS).sort());
    expect(Object.keys(REGISTRATIONS)).to.have.length.at.most(6);
    expect(modified.filter((f) => GENERATED.includes(f))).to.deep.equal(["sdk/src/abis/index.ts", "sdk/src/abis/manifest.ts"]);
    expect(added).to.deep.equal([...toy.keys(), "sdk/src/abis/toolLending.ts"].sort());
    passed = true;
  });
});
