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
    fs.writeFileSync(path.join(project, "wrong.ts"), 'import { parseCity } from "@cityledger/sdk";\nexport const n: number = parseCity("1");\n');
    expect(await tscRun(bundler, ["wrong.ts"])).to.match(/Type 'bigint' is not assignable to type 'number'/);
  });
});

/** SHA-256(0x00 ‖ 01 02 03): RFC 6962's leaf hash, computed independently with Node's crypto. */
function expectedLeaf(): string {
  return createHash("sha256").update(Buffer.from([0, 1, 2, 3])).digest("hex");
}
