import { expect } from "chai";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { tempDir } from "../ledger-node/helpers/chain";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
/** The package's subpath exports besides the root. */
const SUBPATHS = ["abis", "ledger", "merkle", "relay", "votes", "energy", "datause", "errors"];

/**
 * The SDK as a developer gets it: built (CommonJS + declarations by tsc, ESM by esbuild), packed with `npm pack`,
 * installed into an empty project from the tarball, then used from CommonJS, from ESM and from TypeScript (types
 * resolved through the package's `exports`).
 */
describe("SDK package (npm pack → install → require / import / types)", function () {
  this.timeout(300_000);
  let project: string;

  before(async () => {
    await run(NPM, ["run", "build", "-w", "@cityledger/sdk"], { cwd: ROOT });
    project = tempDir("sdk-consumer");
    const { stdout } = await run(NPM, ["pack", "--pack-destination", project, "--json"], { cwd: path.join(ROOT, "sdk") });
    const [{ filename, files }] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    // Only the build and the manifest ship: no sources, no tests.
    expect(files.every((f) => f.path.startsWith("dist/") || ["package.json", "README.md", "LICENSE"].includes(f.path))).to.equal(true);
    expect(files.map((f) => f.path)).to.include.members(["dist/index.js", "dist/index.d.ts", "dist/esm/index.mjs", "dist/esm/abis.mjs"]);
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
    const viem = (JSON.parse(fs.readFileSync(path.join(ROOT, "sdk", "package.json"), "utf8")) as { devDependencies: { viem: string } }).devDependencies.viem;
    await run(NPM, ["install", `./${filename}`, `viem@${viem}`, "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: project });
  });

  after(() => {
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });

  /** A leaf hash and a one-leaf tree's inclusion check, with the package's own functions. */
  const program = (load: string) => `
${load}
const leaf = sdk.hashLeaf(new Uint8Array([1, 2, 3]));
sdk.verifyInclusion(leaf, 0, 1, [], leaf);
console.log(JSON.stringify({ leaf: Buffer.from(leaf).toString("hex"), client: typeof sdk.createCityClient, abi: abis.cityCoinAbi.length > 0, city: sdk.formatCity(sdk.parseCity("12.5")) }));
`;

  it("works from CommonJS (require)", async () => {
    fs.writeFileSync(path.join(project, "cjs.cjs"), program('const sdk = require("@cityledger/sdk"); const abis = require("@cityledger/sdk/abis");'));
    const { stdout } = await run(process.execPath, ["cjs.cjs"], { cwd: project });
    expect(JSON.parse(stdout)).to.deep.equal({ leaf: expectedLeaf(), client: "function", abi: true, city: "12.5" });
  });

  it("works from ESM (import), the same results", async () => {
    fs.writeFileSync(path.join(project, "esm.mjs"), program('import * as sdk from "@cityledger/sdk"; import * as abis from "@cityledger/sdk/abis";'));
    const { stdout } = await run(process.execPath, ["esm.mjs"], { cwd: project });
    expect(JSON.parse(stdout)).to.deep.equal({ leaf: expectedLeaf(), client: "function", abi: true, city: "12.5" });
  });

  /** One export of each subpath, and whether the root and the subpath hand out the same class (one copy of the code). */
  const subpathProgram = (load: (spec: string, name: string) => string) => `
${SUBPATHS.map((s) => load(`@cityledger/sdk/${s}`, s)).join("\n")}
${load("@cityledger/sdk", "root")}
console.log(JSON.stringify({
  abis: Array.isArray(abis.cityCoinAbi),
  ledger: typeof ledger.CityEventDecoder + " " + typeof ledger.parseLeafInput + " " + typeof ledger.encodeLeafInput,
  merkle: typeof merkle.MemoryTree + " " + typeof merkle.verifyInclusion,
  relay: typeof relay.signForwardRequest + " " + typeof relay.forwardRequestTypes,
  votes: typeof votes.equalShares + " " + typeof votes.greedy,
  energy: typeof energy.clearSlot + " " + typeof energy.settleSlot,
  errors: typeof errors.CityError + " " + typeof errors.cityErrorMessages,
  sameClass: errors.CityError === root.CityError && ledger.CityEventDecoder === root.CityEventDecoder,
}));
`;
  const subpathAnswer = {
    abis: true,
    ledger: "function function function",
    merkle: "function function",
    relay: "function object",
    votes: "function function",
    energy: "function function",
    errors: "function object",
    sameClass: true,
  };

  it("serves every subpath (abis, ledger, merkle, relay, votes, energy, datause, errors) from CommonJS", async () => {
    fs.writeFileSync(path.join(project, "subpaths.cjs"), subpathProgram((spec, name) => `const ${name} = require("${spec}");`));
    const { stdout } = await run(process.execPath, ["subpaths.cjs"], { cwd: project });
    expect(JSON.parse(stdout)).to.deep.equal(subpathAnswer);
  });

  it("serves every subpath from ESM, sharing one copy of each class with the root", async () => {
    fs.writeFileSync(path.join(project, "subpaths.mjs"), subpathProgram((spec, name) => `import * as ${name} from "${spec}";`));
    const { stdout } = await run(process.execPath, ["subpaths.mjs"], { cwd: project });
    expect(JSON.parse(stdout)).to.deep.equal(subpathAnswer);
  });

  it("type-checks consumers (bundler resolution, and Node16 ESM and CommonJS) with real types: a wrong call fails", async () => {
    const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const source = `import { createCityClient, parseCity, verifyInclusion, type CityClient } from "@cityledger/sdk";
import { cityCoinAbi } from "@cityledger/sdk/abis";
export const amount: bigint = parseCity("1.5");
export const check: typeof verifyInclusion = verifyInclusion;
export type Client = CityClient;
export const make = createCityClient;
export const events = cityCoinAbi.filter((item) => item.type === "event").length;
`;
    for (const file of ["consumer.ts", "consumer.mts", "consumer.cts"]) fs.writeFileSync(path.join(project, file), source);
    const tscRun = (flags: string[], files: string[]) =>
      run(process.execPath, [tsc, "--noEmit", "--strict", "--target", "es2022", ...flags, ...files], { cwd: project }).then(
        () => "",
        (e: { stdout: string }) => e.stdout || "tsc failed",
      );
    // What Vite, Next.js or esbuild projects use.
    const bundler = ["--module", "esnext", "--moduleResolution", "bundler"];
    expect(await tscRun(bundler, ["consumer.ts"])).to.equal("");
    // Node16/NodeNext projects: viem ships ESM-only declarations, which TypeScript flags inside any CommonJS
    // declaration file that imports them, the SDK's included; with skipLibCheck (the usual setting) the types resolve.
    expect(await tscRun(["--module", "node16", "--moduleResolution", "node16", "--skipLibCheck"], ["consumer.mts", "consumer.cts"])).to.equal("");
    // Each subpath resolves to real types, under every resolution (typesVersions serves the old `node` one).
    const subpaths = `import { CityEventDecoder, parseLeafInput, type CityEvent } from "@cityledger/sdk/ledger";
import { MemoryTree } from "@cityledger/sdk/merkle";
import { forwardRequestTypes } from "@cityledger/sdk/relay";
import { greedy } from "@cityledger/sdk/votes";
import { clearSlot } from "@cityledger/sdk/energy";
import { CityError, cityErrorMessages } from "@cityledger/sdk/errors";
export const decoder = (record: { contracts: Record<string, { address: string }> }) => new CityEventDecoder(record);
export const size: number = new MemoryTree().size;
export const parsed = parseLeafInput;
export const first = (e: CityEvent): string => e.contract;
export const used = [forwardRequestTypes, greedy, clearSlot, CityError, cityErrorMessages.CityCoinZeroAmount];
`;
    for (const file of ["subpaths.ts", "subpaths.mts", "subpaths.cts"]) fs.writeFileSync(path.join(project, file), subpaths);
    expect(await tscRun(bundler, ["subpaths.ts"])).to.equal("");
    expect(await tscRun(["--module", "node16", "--moduleResolution", "node16", "--skipLibCheck"], ["subpaths.mts", "subpaths.cts"])).to.equal("");
    expect(await tscRun(["--module", "commonjs", "--moduleResolution", "node", "--skipLibCheck"], ["subpaths.ts"])).to.equal("");
    fs.writeFileSync(path.join(project, "wrong.ts"), 'import { parseCity } from "@cityledger/sdk";\nexport const n: number = parseCity("1");\n');
    expect(await tscRun(bundler, ["wrong.ts"])).to.match(/Type 'bigint' is not assignable to type 'number'/);
  });
});

/** SHA-256(0x00 ‖ 01 02 03): RFC 6962's leaf hash, computed independently with Node's crypto. */
function expectedLeaf(): string {
  return createHash("sha256").update(Buffer.from([0, 1, 2, 3])).digest("hex");
}
