/**
 * The toy tool-lending domain, end to end, in the sandbox where test/architecture/adding-a-domain.test.ts added it
 * (copied there as test/tools/ToolLending.test.ts): the contract deployed by deployCity with its role wired, the SDK's
 * `city.tools` namespace relaying members' calls through the node's relayer, the node projecting and serving the tool,
 * and the SDK explaining the contract's errors. None of it was registered anywhere but in the registering lines.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { id } from "ethers";
import { getAddress, keccak256, toHex, type Hex } from "viem";
import { cityFixture, register } from "../fixtures";
import { startRelayHarness } from "../ledger-node/helpers/relay";
import { expectCityError } from "../sdk/helpers";

describe("a domain added through the seam: tool lending", function () {
  this.timeout(120_000);

  it("the contract: members lend, the council sets the limit, every refusal has its error", async () => {
    const f = await loadFixture(cityFixture);
    const [alice, bob] = f.people;
    await register(f, alice);
    await register(f, bob);
    await expect(f.tools.connect(alice).list(id("ladder"))).to.emit(f.tools, "ToolListed").withArgs(1n, alice.address, id("ladder"));
    await expect(f.tools.connect(bob).borrow(1n)).to.emit(f.tools, "ToolBorrowed").withArgs(1n, bob.address);
    await expect(f.tools.connect(alice).borrow(1n)).to.be.revertedWithCustomError(f.tools, "ToolLendingUnavailable").withArgs(1n, bob.address);
    await expect(f.tools.connect(f.outsider).borrow(1n)).to.be.revertedWithCustomError(f.tools, "ToolLendingNotMember");
    await expect(f.tools.connect(alice).borrow(2n)).to.be.revertedWithCustomError(f.tools, "ToolLendingUnknownTool").withArgs(2n);
    await expect(f.tools.connect(alice).giveBack(1n)).to.be.revertedWithCustomError(f.tools, "ToolLendingNotBorrower");
    await expect(f.tools.connect(bob).giveBack(1n)).to.emit(f.tools, "ToolReturned").withArgs(1n, bob.address);
    // setMaxLoans is COUNCIL's, as its NatSpec says: deployCity granted it from the manifest alone.
    await expect(f.tools.connect(alice).setMaxLoans(1)).to.be.revertedWithCustomError(f.tools, "AccessManagedUnauthorized");
    await expect(f.tools.connect(f.admin).setMaxLoans(1)).to.be.revertedWithCustomError(f.tools, "AccessManagedUnauthorized");
    await expect(f.tools.connect(f.council).setMaxLoans(0)).to.be.revertedWithCustomError(f.tools, "ToolLendingZeroLimit");
    await expect(f.tools.connect(f.council).setMaxLoans(1)).to.emit(f.tools, "MaxLoansSet").withArgs(1);
    expect(f.record.contracts.ToolLending.address).to.equal(await f.tools.getAddress());
  });

  it("the SDK relays members' calls, the node projects and serves the tool, errors read in words", async () => {
    const f = await loadFixture(cityFixture);
    const harness = await startRelayHarness(f, 2, {}, "tools");
    try {
      const [owner, borrower] = harness.members;
      const description: Hex = keccak256(toHex("a 3 m ladder"));
      await harness.cityOf(owner!).tools.list({ descriptionHash: description, gasless: true, wait: true });
      await harness.cityOf(borrower!).tools.borrow({ toolId: 1n, gasless: true, wait: true });
      expect((await harness.cityOf(owner!).tools.getTool({ toolId: 1n })).borrower).to.equal(borrower!.address);
      const error = await expectCityError(harness.cityOf(owner!).tools.borrow({ toolId: 1n, gasless: true }), "ToolLendingUnavailable");
      expect(error.message).to.contain(`tool 1 is lent to ${borrower!.address}`);

      const url = `${harness.testNode.node.url}/v1/tools/1`;
      let body: Record<string, unknown> = {};
      for (let i = 0; i < 400 && body.borrower === undefined; i++) {
        const res = await fetch(url);
        if (res.status === 200) body = (await res.json()) as Record<string, unknown>;
        else await new Promise((r) => setTimeout(r, 50));
      }
      expect(body).to.deep.equal({
        id: "1",
        owner: getAddress(owner!.address),
        descriptionHash: description,
        borrower: getAddress(borrower!.address),
        loans: 1,
        listedSeq: body.listedSeq,
      });
      const missing = await fetch(`${harness.testNode.node.url}/v1/tools/9`);
      expect(missing.status).to.equal(404);
      expect(missing.headers.get("content-type")).to.match(/^application\/problem\+json/);
      const openapi = (await (await fetch(`${harness.testNode.node.url}/docs/json`)).json()) as { paths: Record<string, unknown> };
      expect(openapi.paths).to.have.property("/v1/tools/{id}");
    } finally {
      await harness.close();
    }
  });
});
