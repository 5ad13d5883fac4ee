/**
 * Data use end to end: members with no ETH grant and withdraw consent through the SDK's `city.datause`, relayed by the
 * node (its allow-list read from the manifest's `@custom:relay`, nothing listed by hand), which projects the consent
 * and serves it under /v1/datause; the processor's own functions are never relayed, and the SDK explains reverts.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { id } from "ethers";
import { encodeFunctionData, getAddress, type Address, type Hex } from "viem";
import { dataCategories, dataUseRegistryAbi, legalBases, signForwardRequest } from "../../sdk/src";
import { cityFixture } from "../fixtures";
import { expectProblem, startRelayHarness } from "../ledger-node/helpers/relay";
import { expectCityError } from "../sdk/helpers";

describe("data use relayed: city.datause through the node", function () {
  this.timeout(180_000);

  it("grants and withdraws gaslessly, the node serves the consent, the processor's functions are not relayed", async () => {
    const f = await loadFixture(cityFixture);
    const harness = await startRelayHarness(f, 2, {}, "datause");
    try {
      const [alice, bob] = harness.members;
      const publisher = f.people[0];
      await (await f.datause.connect(f.council).registerProcessor(publisher.address, id("Social services"), "mailto:dpo@city.example")).wait();
      const base = { descriptionHash: id("income study"), categories: dataCategories.identity | dataCategories.payments, retention: 86_400, recipients: [] };
      await (await f.datause.connect(publisher).declarePurpose(1n, { ...base, legalBasis: legalBases.indexOf("consent") })).wait();
      await (await f.datause.connect(publisher).declarePurpose(1n, { ...base, legalBasis: legalBases.indexOf("public-task") })).wait();

      const city = harness.cityOf(alice!);
      const hash = await city.datause.grantConsent({ purposeId: 1n, gasless: true, wait: true });
      const receipt = await harness.publicClient().getTransactionReceipt({ hash });
      expect(receipt.from).to.not.equal(alice!.address.toLowerCase());
      expect(await city.datause.getConsent({ purposeId: 1n, member: alice!.address })).to.deep.equal({ granted: true, since: receipt.blockNumber });
      expect(await harness.publicClient().getBalance({ address: alice!.address })).to.equal(0n);

      const purposes = await city.datause.getPurposes();
      expect(purposes.map((p) => [p.id, legalBases[p.legalBasis]])).to.deep.equal([
        [1n, "consent"],
        [2n, "public-task"],
      ]);
      expect((await city.datause.getProcessor({ processorId: 1n })).account).to.equal(publisher.address);
      const error = await expectCityError(harness.cityOf(bob!).datause.grantConsent({ purposeId: 2n, gasless: true }), "DataUseRegistryNotConsentBased", [2n]);
      expect(error.message).to.contain("purpose 2 does not rest on consent");

      await city.datause.withdrawConsent({ purposeId: 1n, gasless: true, wait: true });
      expect((await city.datause.getConsent({ purposeId: 1n, member: alice!.address })).granted).to.equal(false);

      // The node projects both changes (it follows the chain: poll until it caught up).
      const url = `${harness.testNode.node.url}/v1/datause/consents/${alice!.address}/history?order=asc`;
      let history: { granted: boolean; member: string }[] = [];
      for (let i = 0; i < 400 && history.length < 2; i++) {
        const res = await fetch(url);
        if (res.status === 200) history = ((await res.json()) as { items: typeof history }).items;
        if (history.length < 2) await new Promise((r) => setTimeout(r, 50));
      }
      expect(history.map((c) => [c.granted, c.member])).to.deep.equal([
        [true, getAddress(alice!.address)],
        [false, getAddress(alice!.address)],
      ]);

      // The relayer lists exactly the manifest's member actions, and refuses a processor's function.
      const info = (await (await fetch(`${harness.testNode.node.url}/v1/relay`)).json()) as { contracts: { contract: string; functions: string[] }[] };
      expect(info.contracts.find((c) => c.contract === "DataUseRegistry")!.functions).to.deep.equal(["grantConsent", "withdrawConsent"]);
      const publish = encodeFunctionData({ abi: dataUseRegistryAbi, functionName: "publishBatch", args: [1n, 202611, id("root") as Hex, 1, id("salt") as Hex] });
      const request = await signForwardRequest(city, { to: f.record.contracts.DataUseRegistry.address as Address, data: publish, gas: 200_000n });
      await expectProblem(await harness.post({ request }), 403, "not-allowed");
    } finally {
      await harness.close();
    }
  });
});
