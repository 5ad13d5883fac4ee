import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AppBuildError, BUILD_HASH_FILE, buildLockFile, ensureAppBuilt, hashInputs, type EnsureAppBuiltOptions } from "../../scripts/lib/app-build";

/** A repository with an app and an SDK in a temp dir, and a builder that writes index.html without running Vite. */
function fakeRepo() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "cityledger-app-build-"));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write("app/src/main.tsx", "export const hello = 1;\n");
  write("app/index.html", "<!doctype html><div id=root></div>\n");
  write("app/vite.config.ts", "export default {};\n");
  write("app/package.json", '{ "name": "@cityledger/app" }\n');
  write("sdk/src/index.ts", "export const sdk = 1;\n");
  write("README.md", "not an input\n");
  const builds: string[] = [];
  const lines: string[] = [];
  const options = (extra: Partial<EnsureAppBuiltOptions> = {}): EnsureAppBuiltOptions => ({
    root,
    log: (line) => lines.push(line),
    build: async (appDir, outDir) => {
      builds.push(appDir);
      fs.mkdirSync(outDir, { recursive: true });
      fs.writeFileSync(path.join(outDir, "index.html"), "built\n");
    },
    ...extra,
  });
  return { root, write, builds, lines, options, dist: path.join(root, "app", "dist"), close: () => fs.rmSync(root, { recursive: true, force: true }) };
}

describe("scripts/lib/app-build: ensureAppBuilt", () => {
  let repo: ReturnType<typeof fakeRepo>;
  beforeEach(() => {
    repo = fakeRepo();
  });
  afterEach(() => repo.close());

  it("builds when there is no output, then not again until an input changes, and says so on its log", async () => {
    const first = await ensureAppBuilt(repo.options());
    expect(first).to.include({ built: true, outDir: repo.dist });
    expect(repo.builds).to.deep.equal([path.join(repo.root, "app")]);
    expect(fs.readFileSync(path.join(repo.dist, BUILD_HASH_FILE), "utf8").trim()).to.equal(first.hash);
    expect(repo.lines[0]).to.match(/building app \(no previous build\)/);
    expect(repo.lines.at(-1)).to.match(/built in \d+\.\d s/);

    const second = await ensureAppBuilt(repo.options());
    expect(second).to.include({ built: false, hash: first.hash });
    expect(repo.builds).to.have.length(1);
    expect(repo.lines.at(-1)).to.match(/up to date/);

    repo.write("README.md", "edited, but the app does not read it\n");
    expect((await ensureAppBuilt(repo.options())).built).to.equal(false);
  });

  it("rebuilds after a change to any input: app sources, public files, index.html, config, package.json, the SDK", async () => {
    await ensureAppBuilt(repo.options());
    const changes: [string, string][] = [
      ["app/src/main.tsx", "export const hello = 2;\n"],
      ["app/src/pages/new.tsx", "export {};\n"],
      ["app/public/favicon.svg", "<svg/>"],
      ["app/index.html", "<!doctype html><title>x</title>\n"],
      ["app/vite.config.ts", "export default { base: '/' };\n"],
      ["app/package.json", '{ "name": "@cityledger/app", "version": "2" }\n'],
      ["app/tsconfig.json", "{}\n"],
      ["sdk/src/index.ts", "export const sdk = 2;\n"],
      ["package-lock.json", "{}\n"],
    ];
    for (const [file, text] of changes) {
      repo.write(file, text);
      expect((await ensureAppBuilt(repo.options())).built, file).to.equal(true);
      expect((await ensureAppBuilt(repo.options())).built, `${file}, checked again`).to.equal(false);
    }
    fs.rmSync(path.join(repo.root, "app/src/pages/new.tsx"));
    expect((await ensureAppBuilt(repo.options())).built, "a removed file").to.equal(true);
    fs.rmSync(path.join(repo.dist, "index.html"));
    expect((await ensureAppBuilt(repo.options())).built, "a missing output").to.equal(true);
  });

  it("hashes content and names, not dates or the order files were written in", () => {
    const inputs = ["app/src"];
    const before = hashInputs(repo.root, inputs);
    const file = path.join(repo.root, "app/src/main.tsx");
    fs.utimesSync(file, new Date(0), new Date(0));
    expect(hashInputs(repo.root, inputs)).to.equal(before);
    fs.renameSync(file, path.join(repo.root, "app/src/main2.tsx"));
    expect(hashInputs(repo.root, inputs)).to.not.equal(before);
    // Same bytes split differently between two files: a different hash.
    repo.write("app/src/a", "xy");
    repo.write("app/src/b", "");
    const split = hashInputs(repo.root, inputs);
    repo.write("app/src/a", "x");
    repo.write("app/src/b", "y");
    expect(hashInputs(repo.root, inputs)).to.not.equal(split);
  });

  it("a failed build leaves no hash: the next check builds again", async () => {
    await ensureAppBuilt(repo.options());
    repo.write("app/src/main.tsx", "broken(\n");
    const failing = repo.options({ build: () => Promise.reject(new AppBuildError("vite: syntax error")) });
    await ensureAppBuilt(failing).then(
      () => expect.fail("a failing build passed"),
      (error: Error) => expect(error.message).to.equal("vite: syntax error"),
    );
    expect(fs.existsSync(path.join(repo.dist, BUILD_HASH_FILE))).to.equal(false);
    expect((await ensureAppBuilt(repo.options())).built).to.equal(true);
    const empty = repo.options({ build: async () => fs.rmSync(repo.dist, { recursive: true, force: true }) });
    repo.write("app/src/main.tsx", "export const hello = 3;\n");
    await ensureAppBuilt(empty).then(
      () => expect.fail("a build without index.html passed"),
      (error: Error) => expect(error).to.be.instanceOf(AppBuildError).and.have.property("message").that.contains("wrote no"),
    );
  });

  it("concurrent checks of one output build once; a lock left by a dead process is taken over", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = repo.options({
      build: async (appDir, outDir) => {
        repo.builds.push(appDir);
        await gate;
        fs.mkdirSync(outDir, { recursive: true });
        fs.writeFileSync(path.join(outDir, "index.html"), "built\n");
      },
    });
    const both = Promise.all([ensureAppBuilt(slow), ensureAppBuilt(slow)]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    const results = await both;
    expect(results.map((r) => r.built).sort()).to.deep.equal([false, true]);
    expect(repo.builds).to.have.length(1);

    // A pid no process has: the lock of a build that was killed.
    fs.writeFileSync(buildLockFile(repo.dist), "2147483646");
    repo.write("app/src/main.tsx", "export const hello = 4;\n");
    expect((await ensureAppBuilt(repo.options())).built).to.equal(true);
    expect(fs.existsSync(buildLockFile(repo.dist))).to.equal(false);
  });
});

describe("scripts/lib/app-build: the real Vite build", function () {
  this.timeout(120_000);
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "cityledger-app-dist-"));
  after(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it("builds app/ into a given directory with index.html and hashed assets, then finds it up to date", async () => {
    const lines: string[] = [];
    const first = await ensureAppBuilt({ outDir, log: (line) => lines.push(line) });
    expect(first.built).to.equal(true);
    const index = fs.readFileSync(path.join(outDir, "index.html"), "utf8");
    const scripts = [...index.matchAll(/src="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
    expect(scripts).to.not.be.empty;
    for (const script of scripts) expect(fs.existsSync(path.join(outDir, script)), script).to.equal(true);
    expect(index).to.not.match(/<script>(?!<\/script>)/); // no inline script: the node's CSP forbids them
    expect(lines.some((l) => /vite/i.test(l))).to.equal(true);
    const second = await ensureAppBuilt({ outDir, log: () => {} });
    expect(second.built).to.equal(false);
    expect(second.ms).to.be.below(2_000);
  });
});
