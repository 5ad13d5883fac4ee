import { expect } from "chai";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT, getJson, removeTempDirs, startSharedCity, type StartedCity } from "./start-city";

const run = promisify(execFile);

/**
 * Every script in examples/ runs as examples/README.md says: `npm start` running (its script, on free ports), then
 * `ts-node --transpile-only examples/<name>.ts` pointed at it, and does what its output says, on the demo city.
 */
describe("examples/", function () {
  this.timeout(300_000);
  let city: StartedCity;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    city = await startSharedCity("examples");
    env = { ...process.env, CITY_RPC_URL: city.rpcUrl, CITY_NODE_URL: city.nodeUrl, CITY_DEPLOYMENT: city.deploymentFile };
  });

  after(async () => {
    await city?.stop();
    removeTempDirs();
  });

  const example = async (name: string) => {
    const { stdout } = await run(process.execPath, [require.resolve("ts-node/dist/bin.js"), "--transpile-only", path.join("examples", name)], { cwd: ROOT, env }).catch(
      (e: { stdout: string; stderr: string }) => {
        throw new Error(`${name} failed:\n${e.stdout}\n${e.stderr}`);
      },
    );
    return stdout;
  };

  it("pay-a-merchant: a member pays €3.50 through the relayer", async () => {
    const out = await example("pay-a-merchant.ts");
    expect(out).to.match(/paid €3\.50 to 0x[0-9a-fA-F]{40} in transaction 0x[0-9a-f]{64}/);
    const [, before, after] = out.match(/balance: €([\d.]+) → €([\d.]+)/)!;
    expect(Math.round((Number(before) - Number(after)) * 100)).to.equal(350);
  });

  it("book-a-spot: a two-hour booking of spot 1, paid into escrow", async () => {
    const out = await example("book-a-spot.ts");
    expect(out).to.match(/booked spot 1 from \d{4}-\d\d-\d\dT\d\d:00:00\.000Z for two hours, €[\d.]+ in escrow/);
  });

  it("vote: option 0 in the demo's open consultation, the live count and turnout read back", async () => {
    const ballotId = city.demo.ballots.openConsultation.id;
    type Results = { results: { counts: string[]; turnout: string } };
    const before = (await getJson<Results>(`${city.nodeUrl}/v1/ballots/${ballotId}`)).results;
    expect(Number(before.turnout), "the demo's votes").to.equal(city.demo.ballots.openConsultation.votes);
    const out = await example("vote.ts");
    expect(out).to.match(new RegExp(`voted option 0 in ballot ${ballotId} \\(transaction 0x[0-9a-f]{64}, gas paid by the city's relayer\\)`));
    const expected = before.counts.map((n, i) => `option ${i} ${Number(n) + (i === 0 ? 1 : 0)}`).join(", ");
    expect(out).to.include(`live count: ${expected}; turnout ${Number(before.turnout) + 1}`);
  });

  it("budget-vote: a ballot for the cheapest city-wide project of the demo's open round, the ballot log read back", async () => {
    const { rounds, openVotes } = city.demo.budget;
    const out = await example("budget-vote.ts");
    expect(out).to.match(new RegExp(`voted in budget round ${rounds.vote} for project 2 \\(€900, city-wide\\) in transaction 0x[0-9a-f]{64}, gas paid by the city's relayer`));
    expect(out).to.match(new RegExp(`ballot log: ${openVotes + 1} ballots, head 0x[0-9a-f]{64}`));
  });

  it("verify-a-receipt: the payment proven in the signed log", async () => {
    const out = await example("verify-a-receipt.ts");
    expect(out).to.match(/payment 0x[0-9a-f]{64} is entry \d+ of the log/);
    expect(out).to.match(/proven against the checkpoint of size \d+, root 0x[0-9a-f]{64}, signed by the node's key/);
  });
});
