/** RelayStore's bookkeeping under concurrency: the city's daily cost adds up whatever the order receipts arrive in. */
import { expect } from "chai";
import fs from "node:fs";
import { RelayStore } from "../../ledger-node/src/relay/store";
import { tempDir } from "./helpers/chain";

describe("RelayStore (the relayer's records)", () => {
  it("adds every receipt's cost to the day, however many arrive at once (no lost update)", async () => {
    const dir = tempDir("relay-store-cost");
    const store = await RelayStore.open(dir);
    try {
      const receipts = Array.from({ length: 60 }, (_, i) => ({ day: i % 3 === 0 ? "2026-12-05" : "2026-12-06", wei: BigInt(1_000 + i), gas: BigInt(21_000 + i) }));
      await Promise.all(receipts.map((r) => store.addCost(r.day, r.wei, r.gas)));
      for (const day of ["2026-12-05", "2026-12-06"]) {
        const mine = receipts.filter((r) => r.day === day);
        expect(await store.cost(day)).to.deep.equal({
          wei: mine.reduce((s, r) => s + r.wei, 0n),
          gas: mine.reduce((s, r) => s + r.gas, 0n),
          txs: mine.length,
        });
      }
      expect((await store.costs(7)).map((c) => c.day)).to.deep.equal(["2026-12-06", "2026-12-05"]);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
