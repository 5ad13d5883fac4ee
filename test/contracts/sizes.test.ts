import { expect } from "chai";
import hre from "hardhat";
import { CITY_CONTRACTS, LINKED_LIBRARIES } from "../../scripts/lib/deploy";
import { GOVERNANCE_CONTRACTS } from "../../scripts/lib/governance";

/** EIP-170's limit on runtime bytecode, and the headroom every deployed contract keeps under it (2 KB). */
const EIP170 = 24_576;
const HEADROOM = 2_048;
const LIMIT = EIP170 - HEADROOM;

/** Every contract the deployment deploys: the city's, the governance's and their linked libraries. */
const DEPLOYED = [...new Set<string>([...CITY_CONTRACTS, ...GOVERNANCE_CONTRACTS, ...Object.values(LINKED_LIBRARIES).flat()])];

describe("contract sizes: runtime bytecode under EIP-170 with 2 KB of headroom", function () {
  const sizes = new Map<string, number>();

  before(async function () {
    for (const name of DEPLOYED) {
      const { deployedBytecode } = await hre.artifacts.readArtifact(name);
      sizes.set(name, (deployedBytecode.length - 2) / 2);
    }
    const rows = [...sizes].sort((a, b) => b[1] - a[1]).map(([name, size]) => ({ contract: name, bytes: size, headroom: EIP170 - size }));
    console.table(rows);
  });

  for (const name of DEPLOYED) {
    it(`${name} ≤ ${LIMIT} bytes`, function () {
      const size = sizes.get(name)!;
      expect(size, `${name}: ${size} bytes, ${size - LIMIT} over`).to.be.at.most(LIMIT);
    });
  }
});
